"""Forecasts, backtest scores, dispatch plans and setpoint deliveries (all SQL of #13).

Who reads what: forecasts follow their series' owner (a tenant reads the forecasts of its own
meters; park roles all of the park's); plans, scores and deliveries are park-level operations
data read by the park's admins and auditors. Writing a plan or a forecast needs
:meth:`~zeropark.domain.access.Principal.can_configure` of the park. A plan is written once:
planning the same day again is version n+1 (only ``superseded`` of version n is set), in one
transaction with its audit entry, which seals the rows it wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from zeropark.domain.access import Principal
from zeropark.store import audit, seal
from zeropark.store.dispatch_schema import (
    backtest_scores,
    dispatch_plans,
    forecasts,
    setpoint_deliveries,
)
from zeropark.store.scope import require, row_filter

__all__ = [
    "StoredForecast",
    "StoredPlan",
    "forecast_series_list",
    "insert_plan",
    "latest_forecast",
    "list_plans",
    "plan_deliveries",
    "read_plan",
    "record_deliveries",
    "save_backtests",
    "save_forecast",
    "scores",
]


@dataclass(frozen=True, slots=True)
class StoredForecast:
    """A stored forecast: point values and quantiles per interval from ``origin_s``."""

    id: int
    park_id: str
    series: str
    unit: str
    model: str
    origin_s: int
    interval_s: int
    values: list[float]
    quantiles: dict[str, list[float]]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A stored dispatch plan (one version of one park-local day)."""

    id: int
    park_id: str
    plan_date: str
    version: int
    start_s: int
    interval_s: int
    objective: str
    inputs: dict[str, Any]
    inputs_sha256: str
    schedules: dict[str, list[float]]
    kpis: dict[str, Any]
    created_at: datetime
    created_by: str
    superseded: bool


def _writer(principal: Principal, park_id: str, what: str) -> None:
    require(principal.can_configure(park_id), principal, f"{what} in park {park_id!r}")


def save_forecast(
    conn: Connection,
    principal: Principal,
    *,
    park_id: str,
    tenant_id: str | None,
    series: str,
    unit: str,
    model: str,
    origin_s: int,
    interval_s: int,
    values: Sequence[float],
    quantiles: Mapping[str, Sequence[float]],
    created_at: datetime,
) -> int:
    """Store one forecast; returns its id."""
    _writer(principal, park_id, "store forecasts")
    inserted = conn.execute(
        forecasts.insert().values(
            park_id=park_id,
            tenant_id=tenant_id,
            series=series,
            unit=unit,
            model=model,
            origin_s=origin_s,
            interval_s=interval_s,
            values=[float(v) for v in values],
            quantiles={q: [float(v) for v in vs] for q, vs in quantiles.items()},
            created_at=created_at,
            created_by=principal.subject,
        )
    )
    assert inserted.inserted_primary_key is not None
    return int(inserted.inserted_primary_key[0])


def latest_forecast(
    conn: Connection, principal: Principal, park_id: str, series: str, origin_s: int | None = None
) -> StoredForecast | None:
    """The newest forecast of ``series`` (from ``origin_s`` when given) the caller may read."""
    query = select(forecasts).where(
        forecasts.c.park_id == park_id,
        forecasts.c.series == series,
        _forecast_filter(principal),
    )
    if origin_s is not None:
        query = query.where(forecasts.c.origin_s == origin_s)
    row = conn.execute(query.order_by(forecasts.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return StoredForecast(
        row.id, row.park_id, row.series, row.unit, row.model, int(row.origin_s),
        int(row.interval_s), list(row.values), dict(row.quantiles), row.created_at,
    )  # fmt: skip


def _forecast_filter(principal: Principal) -> Any:
    # A forecast of a park-level series (no tenant) is park data: the regulator reads none.
    return row_filter(principal, forecasts)


def save_backtests(
    conn: Connection,
    principal: Principal,
    park_id: str,
    rows: Sequence[Mapping[str, Any]],
    created_at: datetime,
) -> None:
    """Store backtest scores (series, model, horizon, interval_s, origins, mape, mase, nmae,
    chosen) of one run."""
    _writer(principal, park_id, "store backtests")
    if rows:
        conn.execute(
            backtest_scores.insert(),
            [{**dict(r), "park_id": park_id, "created_at": created_at} for r in rows],
        )


def scores(
    conn: Connection, principal: Principal, park_id: str, series: str
) -> list[dict[str, Any]]:
    """The newest backtest scores of ``series`` (one run: every model it compared)."""
    where = (
        backtest_scores.c.park_id == park_id,
        backtest_scores.c.series == series,
        row_filter(principal, backtest_scores),
    )
    newest = conn.execute(select(func.max(backtest_scores.c.created_at)).where(*where)).scalar()
    if newest is None:
        return []
    rows = conn.execute(
        select(backtest_scores)
        .where(*where, backtest_scores.c.created_at == newest)
        .order_by(backtest_scores.c.id)
    )
    return [dict(r._mapping) for r in rows]


def insert_plan(
    conn: Connection,
    principal: Principal,
    *,
    park_id: str,
    plan_date: str,
    start_s: int,
    interval_s: int,
    objective: str,
    inputs: Mapping[str, Any],
    schedules: Mapping[str, Sequence[float]],
    kpis: Mapping[str, Any],
    created_at: datetime,
) -> StoredPlan:
    """Store a plan as the next version of its day (the previous one superseded), audited."""
    _writer(principal, park_id, "store dispatch plans")
    t = dispatch_plans
    scope = (t.c.park_id == park_id, t.c.plan_date == plan_date)
    version = int(conn.execute(select(func.max(t.c.version)).where(*scope)).scalar() or 0) + 1
    inputs_sha = audit.sha256_hex(audit.canonical_json(dict(inputs)))
    previous = list(conn.execute(select(t.c.id).where(*scope, t.c.superseded.is_(False))).scalars())
    conn.execute(update(t).where(*scope, t.c.superseded.is_(False)).values(superseded=True))
    inserted = conn.execute(
        t.insert().values(
            park_id=park_id,
            plan_date=plan_date,
            version=version,
            start_s=start_s,
            interval_s=interval_s,
            objective=objective,
            inputs=dict(inputs),
            inputs_sha256=inputs_sha,
            schedules={k: [float(v) for v in vs] for k, vs in schedules.items()},
            kpis=dict(kpis),
            created_at=created_at,
            created_by=principal.subject,
            superseded=False,
        )
    )
    assert inserted.inserted_primary_key is not None
    row_id = int(inserted.inserted_primary_key[0])
    audit.append(
        conn,
        actor=principal.subject,
        action="dispatch.plan",
        park_id=park_id,
        entity=f"dispatch:{plan_date}/v{version}",
        payload={
            "id": row_id,
            "plan_date": plan_date,
            "version": version,
            "inputs_sha256": inputs_sha,
            "supersedes": version - 1 if version > 1 else None,
            "sealed": {
                "dispatch_plans": seal.seal_rows(
                    conn, "dispatch_plans", [str(i) for i in (*previous, row_id)]
                )
            },
        },
    )
    plan = read_plan(conn, principal, park_id, plan_date, version)
    assert plan is not None
    return plan


def _plan(row: Any) -> StoredPlan:
    return StoredPlan(
        row.id, row.park_id, row.plan_date, int(row.version), int(row.start_s),
        int(row.interval_s), row.objective, dict(row.inputs), row.inputs_sha256,
        dict(row.schedules), dict(row.kpis), row.created_at, row.created_by, bool(row.superseded),
    )  # fmt: skip


def read_plan(
    conn: Connection,
    principal: Principal,
    park_id: str,
    plan_date: str,
    version: int | None = None,
) -> StoredPlan | None:
    """A plan of ``plan_date`` (the version in force when ``version`` is None)."""
    t = dispatch_plans
    query = select(t).where(
        t.c.park_id == park_id, t.c.plan_date == plan_date, row_filter(principal, t)
    )
    if version is None:
        query = query.where(t.c.superseded.is_(False))
    else:
        query = query.where(t.c.version == version)
    row = conn.execute(query).first()
    return None if row is None else _plan(row)


def list_plans(
    conn: Connection, principal: Principal, park_id: str, start: str, end: str
) -> list[StoredPlan]:
    """Plans in force for the park-local days ``[start, end]`` (ISO dates), by day."""
    t = dispatch_plans
    rows = conn.execute(
        select(t)
        .where(
            t.c.park_id == park_id,
            t.c.plan_date >= start,
            t.c.plan_date <= end,
            t.c.superseded.is_(False),
            row_filter(principal, t),
        )
        .order_by(t.c.plan_date)
    )
    return [_plan(r) for r in rows]


def record_deliveries(
    conn: Connection,
    principal: Principal,
    park_id: str,
    plan_id: int,
    deliveries: Sequence[Mapping[str, Any]],
    at: datetime,
) -> None:
    """Record what became of each setpoint message or write (asset_id, channel, target, ok,
    error)."""
    _writer(principal, park_id, "send setpoints")
    if deliveries:
        conn.execute(
            setpoint_deliveries.insert(),
            [{**dict(d), "plan_id": plan_id, "park_id": park_id, "at": at} for d in deliveries],
        )


def plan_deliveries(
    conn: Connection, principal: Principal, park_id: str, plan_id: int
) -> list[dict[str, Any]]:
    """The deliveries of a plan, oldest first."""
    t = setpoint_deliveries
    rows = conn.execute(
        select(t)
        .where(t.c.park_id == park_id, t.c.plan_id == plan_id, row_filter(principal, t))
        .order_by(t.c.id)
    )
    return [dict(r._mapping) for r in rows]


def forecast_series_list(conn: Connection, principal: Principal, park_id: str) -> list[str]:
    """The series with at least one stored forecast the caller may read."""
    rows = conn.execute(
        select(forecasts.c.series)
        .where(forecasts.c.park_id == park_id, _forecast_filter(principal))
        .distinct()
        .order_by(forecasts.c.series)
    )
    return [r.series for r in rows]
