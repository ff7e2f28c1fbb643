"""Use cases: set a budget (用能预算 / 碳预算) and read budgets against consumption.

Consumption is the inventory's, month by month
(:func:`zeropark.service.inventory.monthly_inventory`, the one monthly accounting): energy =
综合能耗 [tce], carbon = gross emissions [tCO2e] under the
overview's default method (the zero-carbon-park method, :data:`DEFAULT_METHOD`). Records of a
whole year or quarter cannot be placed in a month and are left out of the monthly comparison
(``docs/budgets.md``). The projection (:mod:`zeropark.domain.budgets`) uses last year's months as
its seasonal profile when last year has data, else the run rate; data end at the newest hour of
the boundary's meters. A tenant sets and reads only its own budgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from zeropark.domain.access import Principal
from zeropark.domain.budgets import PROJECTORS, BudgetStatus, budget_status, monthly_split
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.inventory import MonthlyTrend, monthly_inventory, read_boundary
from zeropark.service.overview import DEFAULT_METHOD
from zeropark.store import inventories as inv_store
from zeropark.store.budgets import BudgetRow, delete_budget, list_budgets, put_budget
from zeropark.store.parks import ParkRepository

__all__ = [
    "KINDS",
    "BudgetView",
    "budget_to_dict",
    "budget_views",
    "remove_budget",
    "set_budget",
]

#: kind → (unit, Chinese, English)
KINDS = {
    "energy": ("tce", "用能预算", "energy budget"),
    "carbon": ("tCO2", "碳预算", "carbon budget"),
}


@dataclass(frozen=True, slots=True)
class BudgetView:
    """A budget and its status (consumption to date, projection, run-out date)."""

    row: BudgetRow
    status: BudgetStatus
    profile_year: int | None


def _monthly(trend: MonthlyTrend, kind: str) -> list[float]:
    if kind == "energy":
        return [trend.energy_tce[m] for m in trend.months]
    return [trend.gross_t[DEFAULT_METHOD][m] for m in trend.months]


def _last_year(
    db: Database, principal: Principal, park_id: str, year: int, tenant_id: str | None, kind: str
) -> list[float] | None:
    try:
        months = _monthly(
            monthly_inventory(db, principal, park_id, year - 1, tenant_id=tenant_id), kind
        )
    except InputError:
        return None
    return months if sum(months) > 0 else None


def set_budget(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    kind: str,
    annual: float,
    *,
    tenant_id: str | None = None,
    split: str = "even",
    months: list[float] | None = None,
    method: str = "seasonal",
) -> BudgetRow:
    """Set (insert or replace) the ``kind`` budget of the park or ``tenant_id`` for ``year``."""
    if kind not in KINDS:
        raise InputError("kind must be energy or carbon", field="kind")
    if method not in PROJECTORS:
        raise InputError(f"method must be one of {', '.join(PROJECTORS)}", field="method")
    if principal.role == "tenant":
        tenant_id = tenant_id or principal.tenant_id
    profile = None
    if split == "profile":
        profile = _last_year(db, principal, park_id, year, tenant_id, kind)
        if profile is None:
            raise InputError(
                f"no consumption stored for {year - 1}: split evenly or give the months",
                field="split",
            )
    values = monthly_split(annual, year, split, profile=profile, given=months)  # type: ignore[arg-type]
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return put_budget(
            conn,
            principal,
            park_id,
            tenant_id,
            year,
            kind,
            annual=annual,
            unit=KINDS[kind][0],
            split=split,
            months=values,
            method=method,
        )


def remove_budget(db: Database, principal: Principal, park_id: str, budget_id: int) -> None:
    """Delete a budget the caller may set."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        delete_budget(conn, principal, park_id, budget_id)


def _as_of(
    db: Database, principal: Principal, park_id: str, year: int, tenant_id: str | None
) -> dt.date:
    """The last park-local day with data in ``year`` (the year's first day without any)."""
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)
        boundary = read_boundary(conn, principal, park, tenant_id)
        zone = ZoneInfo(park.timezone)
        lo = int(dt.datetime(year, 1, 1, tzinfo=zone).timestamp())
        hi = int(dt.datetime(year + 1, 1, 1, tzinfo=zone).timestamp())
        newest = inv_store.newest_hour(conn, principal, sorted(boundary.counted), lo, hi)
    if newest is None:
        return dt.date(year, 1, 1)
    return dt.datetime.fromtimestamp(newest, zone).date()


def _month_end_before(day: dt.date) -> dt.date:
    """``day`` if it ends its month, else the last day of the month before (1 Jan stays)."""
    if (day + dt.timedelta(days=1)).month != day.month:
        return day
    first = day.replace(day=1)
    return first - dt.timedelta(days=1) if first.month > 1 else first


def budget_views(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
    only: str | None = None,
    as_of: dt.date | None = None,
) -> list[BudgetView]:
    """The budgets of ``year`` the caller reads (of ``tenant_id``'s scope when given; ``only``
    ``"park"`` for the park's own), each against consumption with its projection.

    ``as_of``: project from this day (at most the data end): the status as it stood then; a day
    before the data end is taken back to a month end (the months are accounted whole).
    """
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        rows = list_budgets(conn, principal, park_id, year)
    if tenant_id is not None:
        rows = [r for r in rows if r.tenant_id == tenant_id]
    if only == "park":
        rows = [r for r in rows if r.tenant_id is None]
    trends: dict[str | None, MonthlyTrend] = {}
    profiles: dict[tuple[str | None, str], list[float] | None] = {}
    ends: dict[str | None, dt.date] = {}
    out = []
    for row in rows:
        scope = row.tenant_id
        if scope not in trends:
            trends[scope] = monthly_inventory(db, principal, park_id, year, tenant_id=scope)
            end = _as_of(db, principal, park_id, year, scope)
            ends[scope] = end if as_of is None or as_of >= end else _month_end_before(as_of)
        if (scope, row.kind) not in profiles:
            profiles[scope, row.kind] = _last_year(db, principal, park_id, year, scope, row.kind)
        profile = profiles[scope, row.kind]
        actual: list[float | None] = list(_monthly(trends[scope], row.kind))
        status = budget_status(
            row.annual, row.months, actual, ends[scope], method=row.method, profile=profile
        )
        out.append(BudgetView(row, status, year - 1 if profile is not None else None))
    return out


def budget_to_dict(view: BudgetView) -> dict[str, Any]:
    """A budget and its status as plain data (schema ``zeropark.budget/1``)."""
    r, s = view.row, view.status
    unit, zh, en = KINDS[r.kind]
    over = s.projected_overrun
    run_out = s.run_out.isoformat() if s.run_out else None
    how_zh, how_en = (
        ("季节曲线", "seasonal profile") if view.profile_year else ("当前进度", "run rate")
    )
    if over > 0:
        share = over / r.annual if r.annual else 0.0
        text_zh = f"按{how_zh}预计年末 {s.year_end:,.0f} {unit}，超出预算 {share:.1%}"
        text_en = f"projected {s.year_end:,.0f} {unit} by year end ({how_en}), {share:.1%} over"
        if run_out:
            text_zh += f"，预计 {run_out} 用尽"
            text_en += f"; runs out on {run_out}"
    else:
        text_zh = f"预计年末 {s.year_end:,.0f} {unit}，在预算内（余 {-over:,.0f} {unit}）"
        text_en = f"projected {s.year_end:,.0f} {unit} by year end, {-over:,.0f} {unit} to spare"
    return {
        "schema": "zeropark.budget/1",
        "id": r.id,
        "park_id": r.park_id,
        "tenant_id": r.tenant_id,
        "year": r.year,
        "kind": r.kind,
        "label_zh": zh,
        "label_en": en,
        "unit": unit,
        "annual": r.annual,
        "split": r.split,
        "method": r.method,
        "profile_year": view.profile_year,
        "months": [
            {
                "month": f"{r.year:04d}-{m + 1:02d}",
                "budget": s.budget[m],
                "actual": s.actual[m],
                "projected": s.projected[m],
            }
            for m in range(12)
        ],
        "as_of": s.as_of.isoformat(),
        "used": s.used,
        "remaining": s.remaining,
        "used_share": s.used_share,
        "year_end": s.year_end,
        "projected_overrun": s.projected_overrun,
        "run_out": run_out,
        "summary_zh": text_zh,
        "summary_en": text_en,
    }
