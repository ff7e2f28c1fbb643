"""Replay a strategy over a past period (数字孪生推演): what would dispatch have saved?

For each park-local day from ``start`` to ``end``, the day is planned as it would have been: the
demand and PV forecasts are made from the stored history *before* the day (never the day's own
data), the optimiser plans the batteries, and the plan's battery schedule is then run against the
day's *actual* demand and PV. Four strategies are settled with one settlement
(:func:`zeropark.domain.energy.settlement.settle_grid`, every part to the fen):

- ``baseline``: no battery dispatch (import = max(demand − PV, 0), export the surplus);
- ``as_operated``: what the intake and export meters recorded (the battery as it really ran);
- ``optimised``: the day-ahead plans made from forecasts, run on the actual days by the
  batteries' controllers: setpoints followed under the peak guard
  (:mod:`zeropark.domain.energy.storage_control`), each day from the plan's initial state of
  charge;
- ``perfect``: the same optimiser given the actual days (perfect foresight, the upper bound),
  run the same way.

``saving = baseline − strategy`` holds to the fen because both sides are sums of the same rounded
parts. A day with a missing or incomplete hour in its actual data, or with too little history
before it to forecast from, is skipped and named, never filled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from zeropark.domain.access import Principal
from zeropark.domain.energy.settlement import GridSettlement, settle_grid
from zeropark.domain.energy.storage_control import BatteryLimits, follow_plan
from zeropark.domain.park import ParkSpec
from zeropark.errors import InputError
from zeropark.i18n import t
from zeropark.optimize.dispatch import Battery, DispatchResult
from zeropark.service.database import Database
from zeropark.service.dispatch.plan import (
    DAY_S,
    HISTORY_DAYS,
    Forecaster,
    day_inputs,
    solve_day,
)
from zeropark.service.dispatch.site import (
    SiteHistory,
    SiteParts,
    day_hours,
    grid_carbon_kg_per_kwh,
    grid_prices,
    month_labels,
    site_batteries,
    site_history,
    site_parts,
)
from zeropark.store.parks import ParkRepository

__all__ = ["STRATEGIES", "ReplayReport", "replay"]

FloatArray = npt.NDArray[np.float64]
STRATEGIES = ("baseline", "as_operated", "optimised", "perfect")
MAX_DAYS = 400


@dataclass(frozen=True)
class ReplayReport:
    """The settled strategies of a replay and the days it covered or skipped."""

    park_id: str
    start: date
    end: date
    forecaster: str
    timezone: str
    days: list[date]
    skipped: list[tuple[date, str]]
    settlements: dict[str, GridSettlement]
    hours_s: npt.NDArray[np.int64] = field(repr=False)
    import_kw: dict[str, FloatArray] = field(repr=False)

    def saving_cny(self, strategy: str) -> Decimal:
        """Baseline total − the strategy's total [CNY], to the fen."""
        return self.settlements["baseline"].total_cny - self.settlements[strategy].total_cny

    def capture(self) -> float | None:
        """The share of the perfect-foresight saving the forecast plans achieved."""
        perfect = self.saving_cny("perfect")
        return float(self.saving_cny("optimised") / perfect) if perfect > 0 else None


def _net(
    demand: FloatArray, pv: FloatArray, battery_kw: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Grid import and export [kW] of a day: demand − PV − battery (discharge positive)."""
    net = demand - pv - battery_kw
    return np.maximum(net, 0.0), np.maximum(-net, 0.0)


def _run_batteries(
    result: DispatchResult,
    batteries: list[Battery],
    demand: FloatArray,
    pv: FloatArray,
    peak_so_far_kw: float,
) -> FloatArray:
    """The batteries' power as their controllers run the plan on the actual day [kW, +
    discharging]: each follows its setpoints under the peak guard
    (:func:`~zeropark.domain.energy.storage_control.follow_plan`), the target being the highest
    import the plan allows or the month's peak so far, whichever is higher."""
    target = max(float(result.grid_import_kw.max(initial=0.0)), peak_so_far_kw)
    total = np.zeros(demand.size)
    for b in batteries:
        setpoint = (
            result.schedules["battery_discharge_kw"][b.name]
            - result.schedules["battery_charge_kw"][b.name]
        )
        limits = BatteryLimits(
            power_kw=b.power_kw, soc_min_kwh=b.soc_min * b.capacity_kwh,
            soc_max_kwh=b.soc_max * b.capacity_kwh, charge_efficiency=b.charge_efficiency,
            discharge_efficiency=b.discharge_efficiency,
        )  # fmt: skip
        run, _soc = follow_plan(
            setpoint, demand - total, pv, limits, b.initial_soc * b.capacity_kwh, target
        )
        total += run
    return total


def _actual(history: SiteHistory, hours: npt.NDArray[np.int64]) -> dict[str, FloatArray] | None:
    at = np.searchsorted(history.hours_s, hours)
    if at.size == 0 or at[-1] >= history.hours_s.size or not (history.hours_s[at] == hours).all():
        return None
    parts = {
        "demand": history.demand_kw[at],
        "pv": history.pv_kw[at],
        "import": history.import_kw[at],
        "export": history.export_kw[at],
    }
    if not all(np.isfinite(v).all() for v in parts.values()):
        return None
    return parts


def replay(
    db: Database,
    principal: Principal,
    park_id: str,
    start: date,
    end: date,
    forecaster: Forecaster,
    *,
    progress: Callable[[date], None] | None = None,
) -> ReplayReport:
    """Replay the days ``start`` … ``end`` (inclusive) with ``forecaster`` (see module doc)."""
    days = (end - start).days + 1
    if days < 1 or days > MAX_DAYS:
        raise InputError(
            t(f"推演区间须为 1 至 {MAX_DAYS} 天", f"a replay covers 1 to {MAX_DAYS} days"),
            field="end",
        )
    with db.transaction() as conn:
        spec = ParkRepository(conn, principal).export(park_id)
        parts = site_parts(spec)
        tz = spec.park.timezone
        lo = int(day_hours(start, tz)[0]) - HISTORY_DAYS * DAY_S
        hi = int(day_hours(end, tz)[-1]) + 3600
        history = site_history(conn, principal, park_id, parts, tz, lo, hi)
    return _replay(spec, parts, history, start, days, forecaster, progress)


def _replay(
    spec: ParkSpec,
    parts: SiteParts,
    history: SiteHistory,
    start: date,
    days: int,
    forecaster: Forecaster,
    progress: Callable[[date], None] | None,
) -> ReplayReport:
    tz = spec.park.timezone
    carbon: dict[int, float] = {}
    covered: list[date] = []
    skipped: list[tuple[date, str]] = []
    hours_all: list[npt.NDArray[np.int64]] = []
    current_month, month_peak = -1, dict.fromkeys(STRATEGIES, 0.0)
    series: dict[str, list[FloatArray]] = {
        f"{s}_{k}": [] for s in STRATEGIES for k in ("imp", "exp")
    }
    for offset in range(days):
        day = start + timedelta(days=offset)
        if progress is not None:
            progress(day)
        hours = day_hours(day, tz)
        actual = _actual(history, hours)
        if actual is None:
            skipped.append((day, t("当日实测数据不完整", "the day's measured data is incomplete")))
            continue
        if day.year not in carbon:
            carbon[day.year] = grid_carbon_kg_per_kwh(spec, day.year)
        month = int(month_labels(hours[:1], tz)[0])
        if month != current_month:
            current_month, month_peak = month, dict.fromkeys(STRATEGIES, 0.0)
        try:
            forecast = day_inputs(history, parts, day, tz, forecaster, carbon[day.year])
        except InputError as exc:  # too little history before the day to forecast from
            skipped.append((day, t(f"无法预测：{exc}", f"cannot forecast: {exc}")))
            continue
        # Each strategy's own peak of the month so far (within the replay) is its floor: the
        # settlement bills the peaks of the replayed days, not the history's.
        inputs = replace(forecast, peak_floor_kw={month: month_peak["optimised"]})
        planned = solve_day(spec, parts, inputs)
        perfect_inputs = replace(
            forecast, demand_kw=actual["demand"], pv_kw=actual["pv"],
            peak_floor_kw={month: month_peak["perfect"]}, forecaster="perfect",
        )  # fmt: skip
        ideal = solve_day(spec, parts, perfect_inputs)
        zero = np.zeros(hours.size)
        batteries = site_batteries(spec)
        demand, pv = actual["demand"], actual["pv"]
        runs = {
            "baseline": _net(demand, pv, zero),
            "as_operated": (actual["import"], actual["export"]),
            "optimised": _net(
                demand, pv,
                _run_batteries(planned, batteries, demand, pv, month_peak["optimised"]),
            ),
            "perfect": _net(
                demand, pv, _run_batteries(ideal, batteries, demand, pv, month_peak["perfect"])
            ),
        }  # fmt: skip
        for name, (imp, exp) in runs.items():
            month_peak[name] = max(month_peak[name], float(imp.max(initial=0.0)))
            series[f"{name}_imp"].append(imp)
            series[f"{name}_exp"].append(exp)
        hours_all.append(hours)
        covered.append(day)
    if not covered:
        raise InputError(
            t(
                "推演区间内没有实测数据完整的日子",
                "no day of the period has complete measured data",
            ),
            field="start",
        )
    hours_s = np.concatenate(hours_all)
    prices, labels, demand_charge = grid_prices(spec, hours_s)
    settlements = {
        name: settle_grid(
            np.concatenate(series[f"{name}_imp"]),
            np.concatenate(series[f"{name}_exp"]),
            1.0,
            prices,
            0.0,
            labels,
            demand_charge,
        )
        for name in STRATEGIES
    }
    return ReplayReport(
        park_id=spec.park.id,
        start=start,
        end=start + timedelta(days=days - 1),
        forecaster=forecaster.name,
        timezone=tz,
        days=covered,
        skipped=skipped,
        settlements=settlements,
        hours_s=hours_s,
        import_kw={name: np.concatenate(series[f"{name}_imp"]) for name in STRATEGIES},
    )
