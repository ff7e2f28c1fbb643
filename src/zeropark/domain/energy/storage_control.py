"""A battery following its day-ahead plan, with a peak guard (储能计划跟踪与需量保护).

Devices run the plan's setpoints, but the day turns out different from its forecast. The guard
is the real-time rule a battery controller applies on top of the plan: when following the plan
would take the grid import above the peak target (the highest import the plan itself allows
that month, or the month's peak already set, whichever is higher), the battery discharges more —
or charges less — by just enough, as far as its power and state of charge allow. Otherwise the
plan's setpoint is followed, clipped to what the state of charge allows. Charging below the
target never sets a new peak.

Per interval of ``interval_h`` hours with demand ``D``, PV ``S`` and setpoint ``b`` [kW,
positive discharging]: import = max(D − S − b, 0). State of charge [kWh]:
``soc' = soc + η_c · charge · Δt − discharge · Δt / η_d`` within ``[soc_min, soc_max]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BatteryLimits", "follow_plan"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BatteryLimits:
    """What a controller must respect: power [kW], SOC window [kWh], one-way efficiencies."""

    power_kw: float
    soc_min_kwh: float
    soc_max_kwh: float
    charge_efficiency: float
    discharge_efficiency: float


def follow_plan(
    setpoint_kw: npt.ArrayLike,
    demand_kw: npt.ArrayLike,
    pv_kw: npt.ArrayLike,
    battery: BatteryLimits,
    initial_soc_kwh: float,
    peak_target_kw: float,
    interval_h: float = 1.0,
) -> tuple[FloatArray, FloatArray]:
    """The battery power actually run [kW, + discharging] and the SOC after each interval."""
    plan = np.asarray(setpoint_kw, np.float64)
    net = np.asarray(demand_kw, np.float64) - np.asarray(pv_kw, np.float64)
    run = np.empty(plan.size)
    soc_after = np.empty(plan.size)
    soc = float(initial_soc_kwh)
    for t in range(plan.size):
        b = float(plan[t])
        excess = net[t] - b - peak_target_kw
        if excess > 0:
            b += excess  # discharge more / charge less, just enough
        # Limits: power, then the energy the SOC window holds.
        b = min(max(b, -battery.power_kw), battery.power_kw)
        if b > 0:
            b = min(b, (soc - battery.soc_min_kwh) * battery.discharge_efficiency / interval_h)
            b = max(b, 0.0)
            soc -= b * interval_h / battery.discharge_efficiency
        else:
            room = (battery.soc_max_kwh - soc) / (battery.charge_efficiency * interval_h)
            b = -min(-b, max(room, 0.0))
            soc += -b * interval_h * battery.charge_efficiency
        run[t] = b
        soc_after[t] = soc
    return run, soc_after
