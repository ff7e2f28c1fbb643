"""A month's cost and bills as plain data, for the caller's role.

- park admins, auditors and the local operator: the supplier cost, cost by band, cost by
  tenant, every bill, the park-retained cost and the reconciliation;
- a tenant: its own bill only (its cost by band, its share of the common pool);
- a regulator: the park's aggregated cost (by band and carrier, the reconciliation totals),
  never a tenant's bill or figures.

A bill that was issued (:mod:`zeropark.service.billing.issued`) is shown as it was issued: its
stored document, unchanged, with ``status`` ``issued`` and an ``issue`` block (version, when,
by whom, why) that also holds the bill recomputed from today's data and the difference — the
issued figure is never replaced. A bill not issued is a ``draft``, computed on demand.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from zeropark.domain.access import Principal
from zeropark.domain.billing.bills import PV_SECTION, BillLine, SectionTotal, TenantBill
from zeropark.domain.energy.tariffs import money, season_prices
from zeropark.domain.park import TOU_PERIODS
from zeropark.errors import NotFound, PermissionDenied
from zeropark.i18n import t
from zeropark.service.billing.compute import MonthBills
from zeropark.store.audit import canonical_json, sha256_hex
from zeropark.store.billing import IssuedBill

__all__ = [
    "KINDS",
    "SECTIONS",
    "MonthStatus",
    "bill_to_dict",
    "billing_to_dict",
    "draft_bill_dict",
    "issue_to_dict",
    "issued_bill_dict",
    "month_status",
    "readable_bill",
]

#: Whether a month's bills are issued: every one, some, or none (computed on demand).
MonthStatus = Literal["issued", "partial", "draft"]

#: Bill sections (carriers) in Chinese and English.
SECTIONS: dict[str, tuple[str, str]] = {
    "electricity": ("电费", "Electricity"),
    PV_SECTION: ("园区光伏电费", "On-site PV"),
    "natural_gas": ("天然气费", "Natural gas"),
    "water": ("水费", "Water"),
    "heat": ("热力费", "Heat"),
    "steam": ("蒸汽费", "Steam"),
}
#: Line kinds in Chinese and English.
KINDS: dict[str, tuple[str, str]] = {
    "energy": ("电度电费", "energy charge"),
    "usage": ("用量", "usage"),
    "pv": ("光伏电量", "PV energy"),
    "demand": ("需量/容量电费", "demand/capacity charge"),
    "fixed": ("固定费用", "fixed charges"),
    "common": ("公摊费用", "common-area share"),
}


def _money(value: Decimal) -> float:
    return float(value)


def _section_label(code: str) -> tuple[str, str]:
    return SECTIONS.get(code, (code, code))


def _line(line: BillLine) -> dict[str, Any]:
    zh, en = _section_label(line.section)
    kind_zh, kind_en = KINDS[
        "usage" if line.kind == "energy" and line.section != "electricity" else line.kind
    ]
    band = TOU_PERIODS.get(line.band or "")
    return {
        "section": line.section,
        "kind": line.kind,
        "label_zh": f"{zh} · {kind_zh}" + (f" · {band[0]}" if band else ""),
        "label_en": f"{en} · {kind_en}" + (f" · {band[1]}" if band else ""),
        "band": line.band,
        "quantity": line.quantity,
        "unit": line.unit,
        "price_cny": line.price_cny,
        "share": line.share,
        "amount_cny": _money(line.amount_cny),
    }


def _section(total: SectionTotal) -> dict[str, Any]:
    zh, en = _section_label(total.section)
    return {
        "section": total.section,
        "label_zh": zh,
        "label_en": en,
        "subtotal_cny": _money(total.subtotal_cny),
        "vat_rate": total.vat_rate,
        "vat_cny": _money(total.vat_cny),
        "total_cny": _money(total.total_cny),
    }


def _bands(kwh: dict[str, float], prices: dict[str, float] | None) -> list[dict[str, Any]]:
    rows = []
    for code, (zh, en) in TOU_PERIODS.items():
        if code not in kwh:
            continue
        price = (prices or {}).get(code)
        rows.append(
            {
                "band": code,
                "label_zh": zh,
                "label_en": en,
                "kwh": kwh[code],
                "price_cny": price,
                "amount_cny": _money(money(kwh[code] * price)) if price is not None else None,
            }
        )
    return rows


def bill_to_dict(view: MonthBills, bill: TenantBill) -> dict[str, Any]:
    """One tenant's bill as plain data (schema ``zeropark.bill/1``)."""
    name, name_en = view.tenant_names.get(bill.tenant_id, (bill.tenant_id, None))
    electricity = view.billing.suppliers.get("electricity")
    prices = _prices(view)
    return {
        "schema": "zeropark.bill/1",
        "park_id": view.park.id,
        "park_name": view.park.name,
        "park_name_en": view.park.name_en,
        "month": view.month,
        "currency": "CNY",
        "tenant_id": bill.tenant_id,
        "tenant_name": name,
        "tenant_name_en": name_en,
        "floor_area_m2": view.floor_area_m2.get(bill.tenant_id, 0.0),
        "lines": [_line(x) for x in bill.lines],
        "sections": [_section(s) for s in bill.sections],
        "by_band": _bands(bill.kwh_by_band, prices),
        "pv_kwh_by_band": bill.pv_kwh_by_band,
        "common_pool_cny": {k: _money(v) for k, v in view.billing.common_pool_cny.items()},
        "common_key": view.park.tariffs.common_costs.key if view.park.tariffs else None,
        "park_max_demand_kw": electricity.max_demand_kw if electricity else None,
        "subtotal_cny": _money(sum((s.subtotal_cny for s in bill.sections), Decimal(0))),
        "vat_cny": _money(sum((s.vat_cny for s in bill.sections), Decimal(0))),
        "total_cny": _money(bill.total_cny),
        "note": view.park.tariffs.note if view.park.tariffs else None,
        "note_en": view.park.tariffs.note_en if view.park.tariffs else None,
    }


def _prices(view: MonthBills) -> dict[str, float] | None:
    tariffs = view.park.tariffs
    if tariffs is None or tariffs.electricity is None:
        return None
    return season_prices(tariffs.electricity, int(view.month[5:7]))


def readable_bill(view: MonthBills, principal: Principal, tenant_id: str) -> TenantBill:
    """``tenant_id``'s bill if the caller may read it: its own tenant, or a park role that reads
    tenant rows; a regulator never (aggregates only)."""
    if principal.role == "regulator":
        raise PermissionDenied(
            t("监管部门只能查看园区汇总费用，不能查看企业账单",
              "a regulator sees the park's aggregated cost, not tenant bills")
        )  # fmt: skip
    bill = view.billing.bills.get(tenant_id)
    if bill is None or not principal.can_read_row(view.park.id, tenant_id):
        raise NotFound(t(f"没有企业“{tenant_id}”的账单", f"no bill of tenant {tenant_id!r}"))
    return bill


def issue_to_dict(view: MonthBills, issued: IssuedBill) -> dict[str, Any]:
    """The ``issue`` block of an issued bill: version, when (park-local), by whom, why, its
    content hash, and the bill recomputed now from the current data against it."""
    recomputed = view.billing.bills.get(issued.tenant_id)
    at = issued.issued_at if issued.issued_at.tzinfo else issued.issued_at.replace(tzinfo=UTC)
    now_total = recomputed.total_cny if recomputed is not None else None
    same = recomputed is not None and (
        sha256_hex(canonical_json(bill_to_dict(view, recomputed))) == issued.content_sha256
    )
    return {
        "version": issued.version,
        "issued_at": at.astimezone(ZoneInfo(view.park.timezone)).isoformat(timespec="seconds"),
        "issued_by": issued.issued_by,
        "reason": issued.reason,
        "content_sha256": issued.content_sha256,
        "total_cny": _money(issued.total_cny),
        "recomputed_total_cny": None if now_total is None else _money(now_total),
        "difference_cny": None if now_total is None else _money(now_total - issued.total_cny),
        "changed": not same,
    }


def issued_bill_dict(view: MonthBills, issued: IssuedBill) -> dict[str, Any]:
    """An issued bill as the caller receives it: its stored document, then ``status`` and
    ``issue`` (:func:`issue_to_dict`)."""
    return {**issued.document, "status": "issued", "issue": issue_to_dict(view, issued)}


def draft_bill_dict(view: MonthBills, bill: TenantBill) -> dict[str, Any]:
    """A bill not issued: computed now (:func:`bill_to_dict`), ``status`` draft."""
    return {**bill_to_dict(view, bill), "status": "draft", "issue": None}


def month_status(tenants: Collection[str], issued: Collection[str]) -> MonthStatus:
    """``issued`` when every tenant's bill is issued, ``partial`` when some, else ``draft``."""
    done = set(issued)
    if not done:
        return "draft"
    return "issued" if set(tenants) <= done else "partial"


def _tenant_row(view: MonthBills, tid: str, issued: IssuedBill | None) -> dict[str, Any]:
    if issued is not None:
        doc = issued.document
        kwh = sum(float(b["kwh"]) for b in doc["by_band"]) + sum(
            float(v) for v in doc["pv_kwh_by_band"].values()
        )
        return {
            "tenant_id": tid,
            "name": doc["tenant_name"],
            "name_en": doc["tenant_name_en"],
            "electricity_kwh": kwh,
            "sections": doc["sections"],
            "total_cny": doc["total_cny"],
            "status": "issued",
            "issue": issue_to_dict(view, issued),
        }
    bill = view.billing.bills[tid]
    name, name_en = view.tenant_names.get(tid, (tid, None))
    return {
        "tenant_id": tid,
        "name": name,
        "name_en": name_en,
        "electricity_kwh": sum(bill.kwh_by_band.values()) + sum(bill.pv_kwh_by_band.values()),
        "sections": [_section(s) for s in bill.sections],
        "total_cny": _money(bill.total_cny),
        "status": "draft",
        "issue": None,
    }


def billing_to_dict(
    view: MonthBills,
    principal: Principal,
    issued: Mapping[str, IssuedBill] | None = None,
    status: MonthStatus | None = None,
) -> dict[str, Any]:
    """The month's cost for the caller (module docstring; schema ``zeropark.billing/1``).

    ``issued``: the bills in force the caller may read, by tenant; ``status``: the month's
    (default: from ``issued`` and the tenants with a bill).
    """
    issued = issued or {}
    billing = view.billing
    scope = (
        "tenant"
        if principal.role == "tenant"
        else "aggregate"
        if principal.role == "regulator"
        else "park"
    )
    doc: dict[str, Any] = {
        "schema": "zeropark.billing/1",
        "park_id": view.park.id,
        "month": view.month,
        "currency": "CNY",
        "scope": scope,
        "has_data": view.has_data,
        "note": view.park.tariffs.note if view.park.tariffs else None,
        "note_en": view.park.tariffs.note_en if view.park.tariffs else None,
        "common_key": view.park.tariffs.common_costs.key if view.park.tariffs else None,
        "by_band": [],
        "suppliers": [],
        "tenants": [],
        "retained": [],
        "reconciliation": None,
        "bill": None,
        "status": status or month_status(billing.bills, issued),
    }
    prices = _prices(view)
    if scope == "tenant":
        tid = principal.tenant_id
        assert tid is not None
        own, bill = issued.get(tid), billing.bills.get(tid)
        if own is not None:
            doc["bill"] = issued_bill_dict(view, own)
            doc["by_band"] = own.document["by_band"]
        elif bill is not None:
            doc["bill"] = draft_bill_dict(view, bill)
            doc["by_band"] = _bands(bill.kwh_by_band, prices)
        doc["status"] = status or ("issued" if own is not None else "draft")
        return doc
    electricity = billing.suppliers.get("electricity")
    if electricity is not None:
        doc["by_band"] = _bands(electricity.kwh_by_band, prices)
    doc["suppliers"] = [
        {**_section(s.total), "lines": [_line(x) for x in s.lines],
         "max_demand_kw": s.max_demand_kw}
        for s in billing.suppliers.values()
    ]  # fmt: skip
    doc["retained"] = [_section(s) for s in billing.retained.values()]
    supplier_total = sum((s.total.total_cny for s in billing.suppliers.values()), Decimal(0))
    tenants_paid = sum((b.supplier_total_cny for b in billing.bills.values()), Decimal(0))
    retained = sum((s.total_cny for s in billing.retained.values()), Decimal(0))
    doc["reconciliation"] = {
        "supplier_total_cny": _money(supplier_total),
        "tenants_total_cny": _money(tenants_paid),
        "retained_total_cny": _money(retained),
        "difference_cny": _money(supplier_total - tenants_paid - retained),
        "pv_sales_cny": _money(
            sum(
                (s.total_cny for b in billing.bills.values() for s in b.sections
                 if s.section == PV_SECTION),
                Decimal(0),
            )
        ),
    }  # fmt: skip
    if scope == "park":
        tenants = [*billing.bills, *(tid for tid in issued if tid not in billing.bills)]
        doc["tenants"] = [_tenant_row(view, tid, issued.get(tid)) for tid in tenants]
    return doc
