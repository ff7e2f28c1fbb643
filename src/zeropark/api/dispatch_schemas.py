"""Response schemas of dispatch: plan summaries, one plan with actuals and deliveries, replays."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = [
    "DeliveryPublic",
    "ForecastPublic",
    "PlanPublic",
    "PlanSummaryPublic",
    "ReplayPublic",
    "StrategyPublic",
]


class PlanSummaryPublic(BaseModel):
    """A plan in force: its day, version and KPIs against no dispatch."""

    plan_date: str
    version: int
    objective: str
    created_at: str
    created_by: str
    kpis: dict[str, float]


class DeliveryPublic(BaseModel):
    """What became of one setpoint message or register write."""

    asset_id: str
    channel: str
    target: str
    ok: bool
    error: str | None
    at: str


class PlanPublic(PlanSummaryPublic):
    """A plan: hourly schedules [kW; state of charge kWh], its inputs, the day's actuals."""

    park_id: str
    timezone: str
    interval_s: int
    hours: list[str]
    schedules: dict[str, list[float]]
    inputs: dict[str, object]
    actual: dict[str, list[float | None]]
    deliveries: list[DeliveryPublic]


class StrategyPublic(BaseModel):
    """One strategy of a replay settled at the grid connection [CNY as exact decimal text]."""

    energy_cny: str
    export_revenue_cny: str
    demand_charge_cny: str
    total_cny: str
    saving_cny: str
    import_kwh: float
    peak_kw_by_month: dict[str, float]


class SkippedDay(BaseModel):
    """A day the replay left out, and why."""

    day: str
    reason: str


class ReplayPublic(BaseModel):
    """A replay of a past period: every strategy settled, the saving and the capture share."""

    park_id: str
    start: str
    end: str
    forecaster: str
    timezone: str
    days: list[str]
    skipped: list[SkippedDay]
    strategies: dict[str, StrategyPublic]
    capture: float | None
    daily_peak_kw: dict[str, list[float]]


class ForecastPublic(BaseModel):
    """The newest stored forecast of a series, what was measured since, and the backtest that
    chose its model (empty when the caller reads none)."""

    park_id: str
    series: str
    unit: str
    model: str
    origin: str
    interval_s: int
    hours: list[str]
    values: list[float]
    quantiles: dict[str, list[float]]
    actual: list[float | None]
    created_at: str
    scores: list[dict[str, float | str | bool]]
