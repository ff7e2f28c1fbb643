"""Read views of dispatch: the plans of a period, one plan with what actually happened that day,
and its deliveries (the forecast-and-dispatch page and report)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from zeropark.domain.access import Principal
from zeropark.errors import NotFound
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.dispatch.replay import STRATEGIES, ReplayReport
from zeropark.service.dispatch.site import day_hours, site_history, site_parts
from zeropark.service.readings_query import local_iso
from zeropark.store.dispatch import StoredPlan, list_plans, plan_deliveries, read_plan
from zeropark.store.parks import ParkRepository

__all__ = ["plan_summaries", "plan_view", "replay_view"]


def _summary(plan: StoredPlan) -> dict[str, Any]:
    return {
        "plan_date": plan.plan_date,
        "version": plan.version,
        "objective": plan.objective,
        "created_at": plan.created_at.isoformat(),
        "created_by": plan.created_by,
        "kpis": plan.kpis,
    }


def plan_summaries(
    db: Database, principal: Principal, park_id: str, start: date, end: date
) -> list[dict[str, Any]]:
    """The plans in force for the days ``start`` … ``end``, with their KPIs."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        plans = list_plans(conn, principal, park_id, start.isoformat(), end.isoformat())
    return [_summary(p) for p in plans]


def _nan_none(values: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in values.tolist()]


def plan_view(
    db: Database, principal: Principal, park_id: str, day: date, version: int | None = None
) -> dict[str, Any]:
    """A plan (the version in force unless ``version``), its hours in park-local time, what the
    meters recorded that day (None where not yet or not measured) and its deliveries."""
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        plan = read_plan(conn, principal, park_id, day.isoformat(), version)
        if plan is None:
            raise NotFound(t(f"{day} 没有调度计划", f"no dispatch plan for {day}"))
        spec = repo.export(park_id) if principal.can_configure(park_id) else None
        hours = day_hours(day, park.timezone)
        actual: dict[str, list[float | None]] = {}
        if spec is not None:  # the site balance needs the park file (its admins)
            parts = site_parts(spec)
            if parts:
                history = site_history(
                    conn, principal, park_id, parts, park.timezone,
                    int(hours[0]), int(hours[-1]) + 3600,
                )  # fmt: skip
                at = np.searchsorted(history.hours_s, hours)
                found = (at < history.hours_s.size) & (
                    history.hours_s[np.minimum(at, max(history.hours_s.size - 1, 0))] == hours
                    if history.hours_s.size
                    else np.zeros(hours.size, bool)
                )
                for name in ("demand_kw", "pv_kw", "import_kw", "export_kw"):
                    values = np.full(hours.size, np.nan)
                    source = getattr(history, name)
                    values[found] = source[at[found]]
                    actual[name] = _nan_none(values)
        deliveries = plan_deliveries(conn, principal, park_id, plan.id)
    return {
        **_summary(plan),
        "park_id": park_id,
        "timezone": park.timezone,
        "interval_s": plan.interval_s,
        "hours": [local_iso(int(h), park.timezone) for h in hours.tolist()],
        "schedules": plan.schedules,
        "inputs": plan.inputs,
        "actual": actual,
        "deliveries": [
            {
                "asset_id": d["asset_id"],
                "channel": d["channel"],
                "target": d["target"],
                "ok": bool(d["ok"]),
                "error": d["error"],
                "at": d["at"].isoformat(),
            }
            for d in deliveries
        ],
    }


def replay_view(report: ReplayReport) -> dict[str, Any]:
    """A replay as a document: each strategy's settlement and saving, days covered or skipped,
    and the daily peak import of each strategy (for the chart)."""
    days = [d.isoformat() for d in report.days]
    n = len(days)
    daily_peak = {
        name: np.asarray(report.import_kw[name]).reshape(n, -1).max(axis=1).round(3).tolist()
        if n and report.import_kw[name].size % n == 0
        else []
        for name in STRATEGIES
    }
    return {
        "park_id": report.park_id,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "forecaster": report.forecaster,
        "timezone": report.timezone,
        "days": days,
        "skipped": [{"day": d.isoformat(), "reason": r} for d, r in report.skipped],
        "strategies": {
            name: {
                "energy_cny": str(s.energy_cny),
                "export_revenue_cny": str(s.export_revenue_cny),
                "demand_charge_cny": str(s.demand_charge_cny),
                "total_cny": str(s.total_cny),
                "saving_cny": str(report.saving_cny(name)),
                "import_kwh": round(s.import_kwh, 3),
                "peak_kw_by_month": {str(k): round(v, 3) for k, v in s.peak_kw_by_month.items()},
            }
            for name, s in report.settlements.items()
        },
        "capture": report.capture(),
        "daily_peak_kw": daily_peak,
    }
