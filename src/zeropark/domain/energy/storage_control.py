"""A battery following its plan, with a peak guard (储能计划跟踪与需量保护).

Devices run the plan's setpoints, but the day turns out different from its forecast. The guard
is the real-time rule a battery controller applies on top of the plan: when following the plan
would take the grid import above the peak target (the highest import the plan itself allows
that month, or the month's peak already set, whichever is higher), the battery first charges
less, then discharges more — by just enough, as far as its power and state of charge allow.
Otherwise the planned charge or discharge is followed, clipped to power and state of charge.

One interval of ``interval_h`` hours (:func:`guard_step`): with net load ``L − S`` (load minus
PV) the import is ``L − S + charge − discharge`` (its positive part; the rest is exported), and
``soc' = soc + η_c · charge · Δt − discharge · Δt / η_d`` within ``[soc_min, soc_max]`` [kWh].
Both the replay of stored days (``service/dispatch``) and the rolling re-optimisation of the
engine (``optimize/rolling.py``) execute plans with this one rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BatteryLimits", "follow_plan", "guard_step"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BatteryLimits:
    """What a controller must respect: power [kW], SOC window [kWh], one-way efficiencies."""

    power_kw: float
    soc_min_kwh: float
    soc_max_kwh: float
    charge_efficiency: float
    discharge_efficiency: float


def guard_step(
    planned_charge_kw: float,
    planned_discharge_kw: float,
    net_load_kw: float,
    soc_kwh: float,
    battery: BatteryLimits,
    target_kw: float = math.inf,
    interval_h: float = 1.0,
) -> tuple[float, float, float]:
    """(charge [kW], discharge [kW], state of charge after [kWh]) of one interval."""
    max_dis = max(0.0, min(battery.power_kw, (soc_kwh - battery.soc_min_kwh)
                           * battery.discharge_efficiency / interval_h))  # fmt: skip
    max_ch = max(0.0, min(battery.power_kw, (battery.soc_max_kwh - soc_kwh)
                          / (battery.charge_efficiency * interval_h)))  # fmt: skip
    charge, discharge = min(planned_charge_kw, max_ch), min(planned_discharge_kw, max_dis)
    net = net_load_kw + charge - discharge
    if net > target_kw:  # the guard: charge less, then discharge more
        cut = min(charge, net - target_kw)
        charge -= cut
        net -= cut
        discharge += min(max_dis - discharge, max(0.0, net - target_kw))
    soc_after = (
        soc_kwh
        + charge * battery.charge_efficiency * interval_h
        - discharge * interval_h / battery.discharge_efficiency
    )
    return charge, discharge, soc_after


def follow_plan(
    setpoint_kw: npt.ArrayLike,
    demand_kw: npt.ArrayLike,
    pv_kw: npt.ArrayLike,
    battery: BatteryLimits,
    initial_soc_kwh: float,
    peak_target_kw: float,
    interval_h: float = 1.0,
) -> tuple[FloatArray, FloatArray]:
    """The battery power actually run [kW, + discharging] and the SOC after each interval, for
    a plan of setpoints (+ discharging) run under the guard with ``peak_target_kw``."""
    plan = np.asarray(setpoint_kw, np.float64)
    net = np.asarray(demand_kw, np.float64) - np.asarray(pv_kw, np.float64)
    run = np.empty(plan.size)
    soc_after = np.empty(plan.size)
    soc = float(initial_soc_kwh)
    for t in range(plan.size):
        b = float(plan[t])
        charge, discharge, soc = guard_step(
            max(-b, 0.0), max(b, 0.0), float(net[t]), soc, battery, peak_target_kw, interval_h
        )
        run[t] = discharge - charge
        soc_after[t] = soc
    return run, soc_after
