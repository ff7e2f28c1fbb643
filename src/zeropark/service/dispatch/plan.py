"""Day-ahead dispatch plans (日前调度计划): forecast the site, optimise, store the plan.

:func:`plan_day` forecasts a park-local day's demand and PV from the stored history before it
(never from the day itself), builds the site model (``site.py``), solves it with HiGHS
(:mod:`zeropark.optimize.dispatch`) and stores the plan as the next version of the day, sealed
and audited. A battery starts and ends each day at its lowest allowed state of charge, so days
chain; the month's highest import so far is the floor of its demand-charge peak, so a plan
never pays to shave a peak the month has already set.

Stored schedules [kW, hourly means]: per battery its setpoint (discharge − charge: positive is
delivered to the site), its charge, discharge and state of charge [kWh]; the planned grid import
and export; the demand and PV forecasts the plan was made from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from zeropark.clock import Clock
from zeropark.domain.access import Principal
from zeropark.domain.park import ParkSpec
from zeropark.optimize.dispatch import DispatchResult, SiteModel, solve
from zeropark.optimize.dispatch.model import Objective
from zeropark.service.database import Database
from zeropark.service.dispatch.site import (
    SiteHistory,
    SiteParts,
    day_hours,
    grid_carbon_kg_per_kwh,
    grid_model,
    month_labels,
    pv_plants,
    site_batteries,
    site_history,
    site_parts,
)
from zeropark.store.dispatch import StoredPlan, insert_plan
from zeropark.store.parks import ParkRepository

__all__ = [
    "HISTORY_DAYS",
    "DayInputs",
    "Forecaster",
    "day_inputs",
    "plan_day",
    "plan_schedules",
    "solve_day",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Series = Literal["demand", "pv"]
#: Days of history a day-ahead forecast is made from.
HISTORY_DAYS = 120
DAY_S = 86400


class Forecaster(Protocol):
    """Day-ahead forecast of a site series [kW per hour of ``target_s``] from its history
    (hours ``history_s`` with values ``history_kw``; NaN where missing)."""

    @property
    def name(self) -> str:
        """The model's name, stored with the plan."""
        ...

    def __call__(
        self,
        series: Series,
        history_s: IntArray,
        history_kw: FloatArray,
        target_s: IntArray,
        timezone: str,
    ) -> FloatArray:
        """The forecast over ``target_s``."""
        ...


@dataclass(frozen=True, slots=True)
class DayInputs:
    """What one day's plan is made from: its hours, the forecasts, the month's peak so far."""

    day: date
    hours_s: IntArray
    demand_kw: FloatArray
    pv_kw: FloatArray
    peak_floor_kw: dict[int, float]
    carbon_kg_per_kwh: float
    forecaster: str


def day_inputs(
    history: SiteHistory,
    parts: SiteParts,
    day: date,
    timezone: str,
    forecaster: Forecaster,
    carbon_kg_per_kwh: float,
) -> DayInputs:
    """The inputs of ``day`` from ``history`` (only its hours before the day are used)."""
    hours = day_hours(day, timezone)
    before = history.hours_s < hours[0]
    past_s = history.hours_s[before]
    recent = past_s >= hours[0] - HISTORY_DAYS * DAY_S
    past_s = past_s[recent]
    demand = forecaster("demand", past_s, history.demand_kw[before][recent], hours, timezone)
    pv = np.zeros(hours.size)
    if parts.pv:
        pv = forecaster("pv", past_s, history.pv_kw[before][recent], hours, timezone)
    month = int(month_labels(hours[:1], timezone)[0])
    same_month = month_labels(past_s, timezone) == month if past_s.size else np.zeros(0, bool)
    imports = history.import_kw[before][recent][same_month]
    floor = {month: float(np.nanmax(imports))} if np.isfinite(imports).any() else {}
    return DayInputs(
        day, hours, np.maximum(np.nan_to_num(demand), 0.0), np.maximum(np.nan_to_num(pv), 0.0),
        floor, carbon_kg_per_kwh, forecaster.name,
    )  # fmt: skip


def solve_day(
    spec: ParkSpec, parts: SiteParts, inputs: DayInputs, objective: Objective = "cost"
) -> DispatchResult:
    """The optimal dispatch of one day's inputs (with the no-dispatch baseline and KPIs)."""
    grid = grid_model(
        spec, inputs.hours_s, carbon_kg_per_kwh=inputs.carbon_kg_per_kwh,
        peak_floor_kw=inputs.peak_floor_kw,
    )  # fmt: skip
    model = SiteModel(
        interval_h=1.0,
        load_kw=inputs.demand_kw,
        grid=grid,
        pv=pv_plants(parts, inputs.pv_kw),
        batteries=site_batteries(spec),
        objective=objective,
    )
    return solve(model)


def plan_schedules(result: DispatchResult, inputs: DayInputs) -> dict[str, list[float]]:
    """The schedules a plan stores (see the module doc)."""
    out: dict[str, list[float]] = {
        "grid_import_kw": result.grid_import_kw.tolist(),
        "grid_export_kw": result.grid_export_kw.tolist(),
        "demand_forecast_kw": inputs.demand_kw.tolist(),
        "pv_forecast_kw": inputs.pv_kw.tolist(),
    }
    charge = result.schedules.get("battery_charge_kw", {})
    discharge = result.schedules.get("battery_discharge_kw", {})
    soc = result.schedules.get("battery_soc_kwh", {})
    for name in charge:
        out[f"setpoint_kw:{name}"] = (discharge[name] - charge[name]).tolist()
        out[f"charge_kw:{name}"] = charge[name].tolist()
        out[f"discharge_kw:{name}"] = discharge[name].tolist()
        out[f"soc_kwh:{name}"] = soc[name].tolist()
    return out


def _kpis(result: DispatchResult) -> dict[str, float]:
    assert result.kpis is not None and result.baseline is not None
    return {
        "cost_cny": result.costs.total_cny,
        "baseline_cost_cny": result.baseline.costs.total_cny,
        "cost_saved_cny": result.kpis.cost_saved_cny,
        "peak_kw": float(result.grid_import_kw.max(initial=0.0)),
        "peak_reduced_kw": result.kpis.peak_reduced_kw,
        "pv_self_consumption": result.kpis.pv_self_consumption,
        "co2_avoided_t": result.kpis.co2_avoided_t,
        "emissions_t": result.costs.emissions_t,
    }


def _read_site(conn: Connection, principal: Principal, park_id: str) -> tuple[ParkSpec, SiteParts]:
    spec = ParkRepository(conn, principal).export(park_id)
    return spec, site_parts(spec)


def plan_day(
    db: Database,
    principal: Principal,
    park_id: str,
    day: date,
    forecaster: Forecaster,
    clock: Clock,
    *,
    objective: Objective = "cost",
) -> StoredPlan:
    """Plan ``day`` from the stored history before it and store the plan (next version)."""
    with db.transaction() as conn:
        spec, parts = _read_site(conn, principal, park_id)
        tz = spec.park.timezone
        start = int(day_hours(day, tz)[0])
        history = site_history(
            conn, principal, park_id, parts, tz, start - HISTORY_DAYS * DAY_S, start
        )
        carbon = grid_carbon_kg_per_kwh(spec, day.year)
        inputs = day_inputs(history, parts, day, tz, forecaster, carbon)
        result = solve_day(spec, parts, inputs, objective)
        return insert_plan(
            conn,
            principal,
            park_id=park_id,
            plan_date=day.isoformat(),
            start_s=int(inputs.hours_s[0]),
            interval_s=3600,
            objective=objective,
            inputs={
                "forecaster": forecaster.name,
                "history_days": HISTORY_DAYS,
                "carbon_kg_per_kwh": carbon,
                "peak_floor_kw": {str(k): v for k, v in inputs.peak_floor_kw.items()},
                "batteries": [b.name for b in site_batteries(spec)],
                "tariff": spec.park.tariffs is not None,
                "day_before": (day - timedelta(days=1)).isoformat(),
            },
            schedules=plan_schedules(result, inputs),
            kpis=_kpis(result),
            created_at=clock.now(),
        )
