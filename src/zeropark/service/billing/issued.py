"""Use cases of issued tenant bills (出具账单): issue a month's bills, read a month or one bill
with what was issued.

A bill computed on demand changes when late readings arrive or a tariff changes. Issuing a
month stores each tenant's bill as it is computed now — the document the caller would have
received (``zeropark.bill/1``), the inputs it was computed from, its content hash, when
(the database's clock) and by whom — as version 1, sealed in the audit chain
(:mod:`zeropark.store.billing`). From then on every read shows that document, unchanged, with
the bill recomputed from the current data beside it and the difference
(:func:`~zeropark.service.billing.views.issue_to_dict`). Issuing a tenant's month again is
refused unless it is a re-issue with a reason, which stores version n+1 and keeps version n.

Only the park's administrators (and the local operator) issue; reading follows the bill rules
of :mod:`zeropark.service.billing.views` (a tenant its own, a regulator the month's status and
aggregates only).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter

from zeropark.domain.access import Principal
from zeropark.domain.billing.bills import PV_SECTION
from zeropark.domain.billing.tariff_spec import Tariffs
from zeropark.domain.park import TimeOfUse
from zeropark.errors import Conflict, InputError, NotFound, PermissionDenied
from zeropark.i18n import t
from zeropark.service.billing.compute import MonthBills, month_bills, month_bounds, parse_month
from zeropark.service.billing.views import (
    bill_to_dict,
    billing_to_dict,
    draft_bill_dict,
    issued_bill_dict,
    month_status,
    readable_bill,
)
from zeropark.service.database import Database
from zeropark.store import billing as store
from zeropark.store.parks import ParkRepository

__all__ = [
    "bill_inputs",
    "bill_versions",
    "issue_bills",
    "month_billing",
    "tenant_bill",
]

_TARIFFS = TypeAdapter(Tariffs)
_TIME_OF_USE = TypeAdapter(TimeOfUse)


def _exact(value: Any) -> str:
    """An amount as exact decimal text (a Decimal keeps its fen)."""
    return str(value)


def bill_inputs(view: MonthBills, tenant_id: str) -> dict[str, Any]:
    """What ``tenant_id``'s bill of the month was computed from (schema
    ``zeropark.bill_inputs/1``): the tariffs and time-of-use hours, every consumer's floor
    area, the common pools and key shares, the suppliers' quantities and maximum demand, the
    tenant's metered quantities, and the fingerprint of every hourly rollup read."""
    park, billing = view.park, view.billing
    bill = billing.bills[tenant_id]
    return {
        "schema": "zeropark.bill_inputs/1",
        "park_id": park.id,
        "month": view.month,
        "timezone": park.timezone,
        "hours": view.hours,
        "tariffs": _TARIFFS.dump_python(park.tariffs, mode="json") if park.tariffs else None,
        "time_of_use": (
            _TIME_OF_USE.dump_python(park.time_of_use, mode="json") if park.time_of_use else None
        ),
        "floor_area_m2": dict(sorted(view.floor_area_m2.items())),
        "common_pool_cny": {k: _exact(v) for k, v in billing.common_pool_cny.items()},
        "common_shares": billing.common_shares,
        "suppliers": {
            carrier: {
                "kwh_by_band": s.kwh_by_band,
                "quantity": [x.quantity for x in s.lines if x.kind == "energy"],
                "max_demand_kw": s.max_demand_kw,
                "peak_hour": s.peak_hour,
                "total_cny": _exact(s.total.total_cny),
            }
            for carrier, s in billing.suppliers.items()
        },
        "tenant": {
            "kwh_by_band": bill.kwh_by_band,
            "pv_kwh_by_band": bill.pv_kwh_by_band,
            "quantities": {
                x.section: x.quantity
                for x in bill.lines
                if x.kind == "energy" and x.section not in ("electricity", PV_SECTION)
            },
        },
        "readings_sha256": view.readings_sha256,
    }


def _require_park(db: Database, principal: Principal, park_id: str) -> None:
    """NotFound for a park outside the caller's scope."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)


def issue_bills(
    db: Database,
    principal: Principal,
    park_id: str,
    month: str,
    *,
    tenant_id: str | None = None,
    reissue: bool = False,
    reason: str | None = None,
) -> list[store.IssuedBill]:
    """Issue the month's bills of every tenant (or of ``tenant_id``) as computed now.

    Refused (nothing stored) for a caller who does not administer the park, a month that is
    not over by the database's clock or has no readings, an unknown tenant, a re-issue without
    a reason, and — :class:`Conflict` — a tenant whose month is issued already, unless
    ``reissue``.
    """
    _require_park(db, principal, park_id)
    if not principal.can_configure(park_id):
        raise PermissionDenied(
            t("只有园区管理员可以出具账单", "only the park's administrators may issue bills")
        )
    year, mon = parse_month(month)
    why = (reason or "").strip() or None
    if reissue and why is None:
        raise InputError(
            t("重新出具账单须说明原因（--reason）", "a re-issue needs a reason (--reason)"),
            field="reason",
        )
    view = month_bills(db, principal, park_id, month)
    _check_month(db, view, year, mon)
    tenants = list(view.billing.bills) if tenant_id is None else [tenant_id]
    if tenant_id is not None and tenant_id not in view.billing.bills:
        raise NotFound(t(f"没有企业“{tenant_id}”的账单", f"no bill of tenant {tenant_id!r}"))
    with db.transaction() as conn:
        current = {
            b.tenant_id: b for b in store.issued_bills_of(conn, principal, park_id, view.month)
        }
        already = [current[tid] for tid in tenants if tid in current]
        if already and not reissue:
            raise Conflict(_already_issued(view.month, already))
        new = [
            store.NewBill(
                tid,
                bill_to_dict(view, view.billing.bills[tid]),
                bill_inputs(view, tid),
                view.billing.bills[tid].total_cny,
            )
            for tid in tenants
        ]
        return store.insert_issued(
            conn,
            principal,
            park_id=park_id,
            month=view.month,
            bills=new,
            issued_at=db.clock.now(),
            reason=why,
        )


def _check_month(db: Database, view: MonthBills, year: int, mon: int) -> None:
    _, end_s = month_bounds(year, mon, ZoneInfo(view.park.timezone))
    if db.clock.now_s() < end_s:
        end = datetime.fromtimestamp(end_s, ZoneInfo(view.park.timezone)).isoformat()
        raise InputError(
            t(
                f"账期 {view.month} 尚未结束（{end} 结束），不能出具账单",
                f"month {view.month} is not over yet (it ends {end}): its bills cannot be issued",
            ),
            field="month",
        )
    if not view.has_data:
        raise InputError(
            t(
                f"账期 {view.month} 没有读数，没有可出具的账单",
                f"month {view.month} has no readings: there is no bill to issue",
            ),
            field="month",
        )


def _already_issued(month: str, bills: list[store.IssuedBill]) -> str:
    zh = "、".join(f"{b.tenant_id}（第 {b.version} 版）" for b in bills)
    en = ", ".join(f"{b.tenant_id} (version {b.version})" for b in bills)
    return t(
        f"{month} 的账单已出具：{zh}。已出具的账单不会被覆盖；如需重新出具，"
        "请指明重新出具并说明原因（命令行 --reissue --reason），将生成新版本并保留旧版本",
        f"the {month} bill(s) are issued already: {en}. An issued bill is never overwritten; "
        "to issue again, ask for a re-issue with a reason (CLI: --reissue --reason), which "
        "stores a new version and keeps the old one",
    )


def _issued_for(
    db: Database, principal: Principal, park_id: str, month: str, tenant_id: str | None = None
) -> dict[str, store.IssuedBill]:
    with db.transaction() as conn:
        rows = store.issued_bills_of(conn, principal, park_id, month, tenant_id=tenant_id)
    return {b.tenant_id: b for b in rows}


def month_billing(db: Database, principal: Principal, park_id: str, month: str) -> dict[str, Any]:
    """The month's cost for the caller with its issued bills
    (:func:`~zeropark.service.billing.views.billing_to_dict`): issued bills as issued, with
    the difference to today's computation; the rest as drafts.

    A regulator reads no bill: its answer carries the month's status only, read as the
    aggregator after the access check.
    """
    view = month_bills(db, principal, park_id, month)
    if principal.reads_aggregates_only(park_id):
        issued = _issued_for(db, principal.aggregator(), park_id, view.month)
        status = month_status(view.billing.bills, issued)
        return billing_to_dict(view, principal, None, status)
    return billing_to_dict(view, principal, _issued_for(db, principal, park_id, view.month))


def tenant_bill(
    db: Database, principal: Principal, park_id: str, month: str, tenant_id: str
) -> dict[str, Any]:
    """``tenant_id``'s bill of the month for the caller: the issued version in force as issued
    (``status`` issued, with the difference to today's computation), else the draft computed
    now. Access as :func:`~zeropark.service.billing.views.readable_bill`."""
    view = month_bills(db, principal, park_id, month)
    issued = _issued_for(db, principal, park_id, view.month, tenant_id).get(tenant_id)
    if issued is not None:
        return issued_bill_dict(view, issued)
    return draft_bill_dict(view, readable_bill(view, principal, tenant_id))


def bill_versions(
    db: Database, principal: Principal, park_id: str, month: str, tenant_id: str | None = None
) -> list[store.IssuedBill]:
    """Every issued version of the month's bills the caller may read (of one tenant)."""
    _require_park(db, principal, park_id)
    year, mon = parse_month(month)
    with db.transaction() as conn:
        return store.issued_bills_of(
            conn,
            principal,
            park_id,
            f"{year:04d}-{mon:02d}",
            tenant_id=tenant_id,
            current_only=False,
        )
