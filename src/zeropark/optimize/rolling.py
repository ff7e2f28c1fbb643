"""Rolling re-optimisation (model-predictive dispatch) of a battery site, replayed on actuals.

Every ``step`` intervals the site is re-planned over the next ``lookahead`` intervals with
*forecast* load and PV (the caller's forecaster), from the battery's actual state of charge
and the month's actual peak import so far; the first ``step`` intervals of the plan are then
executed against the *actual* load and PV:

- the battery follows the planned charge / discharge power, within its limits and SOC;
- a peak guard keeps the import at or below the billing target (the higher of the planned and
  the already reached monthly peak) by discharging more or charging less when the actual net
  load is higher than forecast (a setpoint controller's usual protection of the demand charge);
- the grid takes the rest: export up to its limit, PV curtailed beyond it.

:func:`settle` prices any executed schedule the way the LP does (energy, export, monthly
demand charge, battery wear), so perfect foresight, the re-optimisation, a rule-based policy
and the no-battery baseline are compared on the same bill. The planning model is a
:class:`~zeropark.optimize.dispatch.SiteModel` with one PV plant and one battery.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.settlement import grid_cost
from zeropark.domain.energy.storage_control import BatteryLimits, guard_step
from zeropark.errors import InputError
from zeropark.optimize.dispatch import Battery, Grid, PvPlant, SiteModel, solve

__all__ = ["Forecaster", "Operation", "rolling_dispatch", "rule_based_dispatch", "settle"]

FloatArray = npt.NDArray[np.float64]
#: ``forecaster(start, length) -> (load_kw, pv_kw)``: forecasts for intervals
#: ``[start, start + length)`` made with data before ``start`` only.
Forecaster = Callable[[int, int], tuple[FloatArray, FloatArray]]


@dataclass(frozen=True)
class Operation:
    """An executed schedule over the actual series, and its bill (:func:`settle`)."""

    import_kw: FloatArray
    export_kw: FloatArray
    charge_kw: FloatArray
    discharge_kw: FloatArray
    soc_kwh: FloatArray
    curtailed_kw: FloatArray
    cost_cny: float
    energy_cny: float
    demand_charge_cny: float


def _series(value: npt.ArrayLike | float, n: int) -> FloatArray:
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


def _months(grid: Grid, n: int) -> npt.NDArray[np.int64]:
    if grid.month_of_interval is None:
        return np.zeros(n, dtype=np.int64)
    return np.asarray(grid.month_of_interval, dtype=np.int64)


def settle(
    model: SiteModel, import_kw: FloatArray, export_kw: FloatArray, throughput_kw: FloatArray
) -> tuple[float, float, float]:
    """``(total, energy, demand charge)`` [CNY] of a schedule under ``model.grid``: energy
    bought − export revenue, the monthly peak import × the demand charge, and battery wear on
    ``throughput_kw`` (charge + discharge) at the battery's degradation cost."""
    g, n, dt = model.grid, model.n, model.interval_h
    cost = grid_cost(
        import_kw, export_kw, dt, _series(g.import_price_cny_per_kwh, n),
        _series(g.export_price_cny_per_kwh, n), _months(g, n), g.demand_charge_cny_per_kw_month,
    )  # fmt: skip
    energy = cost.energy_cny - cost.export_revenue_cny
    demand = cost.demand_charge_cny
    wear_rate = model.batteries[0].degradation_cny_per_mwh / 1000.0 if model.batteries else 0.0
    wear = wear_rate * float(np.sum(throughput_kw)) * dt
    return energy + demand + wear, energy, demand


def _one(model: SiteModel) -> tuple[Battery, float]:
    if len(model.batteries) != 1 or len(model.pv) > 1:
        raise InputError(
            "rolling dispatch takes one battery and at most one PV plant", field="batteries"
        )
    pv = np.asarray(model.pv[0].available_kw, dtype=np.float64) if model.pv else np.zeros(model.n)
    return model.batteries[0], float(pv.sum())


def _execute(
    model: SiteModel,
    t: int,
    soc: float,
    planned_ch: float,
    planned_dis: float,
    target_kw: float,
) -> tuple[float, float, float, float, float, float]:
    """One interval: (charge, discharge, import, export, curtailed, new soc)."""
    b = model.batteries[0]
    dt = model.interval_h
    load = float(np.asarray(model.load_kw)[t])
    pv = float(np.asarray(model.pv[0].available_kw)[t]) if model.pv else 0.0
    limits = BatteryLimits(
        power_kw=b.power_kw, soc_min_kwh=b.soc_min * b.capacity_kwh,
        soc_max_kwh=b.soc_max * b.capacity_kwh, charge_efficiency=b.charge_efficiency,
        discharge_efficiency=b.discharge_efficiency,
    )  # fmt: skip
    ch, dis, soc = guard_step(planned_ch, planned_dis, load - pv, soc, limits, target_kw, dt)
    net = load - pv + ch - dis
    imp, exp = max(net, 0.0), max(-net, 0.0)
    export_limit = model.grid.export_limit_kw
    curtailed = max(0.0, exp - export_limit)
    exp -= curtailed
    return ch, dis, imp, exp, curtailed, soc


def _operation(model: SiteModel, imp: FloatArray, exp: FloatArray, ch: FloatArray, dis: FloatArray,
               soc: FloatArray, cur: FloatArray) -> Operation:  # fmt: skip
    total, energy, demand = settle(model, imp, exp, ch + dis)
    return Operation(imp, exp, ch, dis, soc, cur, total, energy, demand)


def _window_model(model: SiteModel, start: int, end: int, load: FloatArray, pv: FloatArray,
                  soc: float, peaks: dict[int, float], reserve: float) -> SiteModel:  # fmt: skip
    g, b = model.grid, model.batteries[0]
    months = _months(g, model.n)[start:end]
    grid = replace(
        g,
        import_price_cny_per_kwh=_series(g.import_price_cny_per_kwh, model.n)[start:end],
        export_price_cny_per_kwh=_series(g.export_price_cny_per_kwh, model.n)[start:end],
        carbon_kg_per_kwh=_series(g.carbon_kg_per_kwh, model.n)[start:end],
        month_of_interval=months,
        peak_floor_kw={int(m): peaks.get(int(m), 0.0) for m in np.unique(months)},
    )
    battery = replace(b, initial_soc=soc / b.capacity_kwh, terminal_soc=b.soc_min)
    return SiteModel(
        interval_h=model.interval_h,
        load_kw=load * (1.0 + reserve),
        grid=grid,
        pv=[PvPlant("pv", np.clip(pv, 0.0, None))],
        batteries=[battery],
    )


def rolling_dispatch(
    model: SiteModel,
    forecaster: Forecaster,
    *,
    step: int = 24,
    lookahead: int = 48,
    peak_reserve: float = 0.0,
    guard: bool = True,
    on_step: Callable[[int], None] | None = None,
) -> Operation:
    """Re-plan every ``step`` intervals over ``lookahead`` with the forecasts and execute on the
    actuals of ``model`` (see the module doc). ``peak_reserve`` inflates the forecast load by
    that share in the plan (room for forecast errors at the peak); ``on_step(start)`` reports
    progress."""
    b, _ = _one(model)
    n = model.n
    months = _months(model.grid, n)
    soc = b.initial_soc * b.capacity_kwh
    peaks: dict[int, float] = {}
    out = {k: np.zeros(n) for k in ("imp", "exp", "ch", "dis", "soc", "cur")}
    for start in range(0, n, step):
        end = min(n, start + lookahead)
        load_fc, pv_fc = forecaster(start, end - start)
        plan = solve(
            _window_model(model, start, end, load_fc, pv_fc, soc, peaks, peak_reserve),
            baseline=False,
        )
        ch_plan = plan.schedules["battery_charge_kw"][b.name]
        dis_plan = plan.schedules["battery_discharge_kw"][b.name]
        for k, t in enumerate(range(start, min(n, start + step))):
            month = int(months[t])
            target = (
                max(plan.monthly_peak_kw.get(month, math.inf), peaks.get(month, 0.0))
                if guard
                else math.inf
            )
            ch, dis, imp, exp, cur, soc = _execute(
                model, t, soc, float(ch_plan[k]), float(dis_plan[k]), target
            )
            peaks[month] = max(peaks.get(month, 0.0), imp)
            for key, value in zip(
                ("imp", "exp", "ch", "dis", "soc", "cur"),
                (imp, exp, ch, dis, soc, cur),
                strict=True,
            ):
                out[key][t] = value
        if on_step is not None:
            on_step(start)
    return _operation(model, out["imp"], out["exp"], out["ch"], out["dis"], out["soc"], out["cur"])


def rule_based_dispatch(
    model: SiteModel, charge: npt.ArrayLike, discharge: npt.ArrayLike
) -> Operation:
    """A fixed-schedule battery (the usual time-of-use rule): full charging power in the
    intervals flagged by ``charge``, full discharge (never beyond the net load, no export from
    the battery) in those flagged by ``discharge``, executed on the actuals."""
    b, _ = _one(model)
    n = model.n
    charge_at = np.asarray(charge, dtype=bool)
    discharge_at = np.asarray(discharge, dtype=bool)
    load = np.asarray(model.load_kw, dtype=np.float64)
    pv = np.asarray(model.pv[0].available_kw, dtype=np.float64) if model.pv else np.zeros(n)
    soc = b.initial_soc * b.capacity_kwh
    out = {k: np.zeros(n) for k in ("imp", "exp", "ch", "dis", "soc", "cur")}
    for t in range(n):
        want_ch = b.power_kw if charge_at[t] else 0.0
        want_dis = min(b.power_kw, max(0.0, load[t] - pv[t])) if discharge_at[t] else 0.0
        ch, dis, imp, exp, cur, soc = _execute(model, t, soc, want_ch, want_dis, math.inf)
        for key, value in zip(
            ("imp", "exp", "ch", "dis", "soc", "cur"), (imp, exp, ch, dis, soc, cur), strict=True
        ):
            out[key][t] = value
    return _operation(model, out["imp"], out["exp"], out["ch"], out["dis"], out["soc"], out["cur"])
