"""The park battery: two charge-discharge cycles a day on the demo's time-of-use periods.

Periods are the park's schedule (:data:`DEMO_TIME_OF_USE`, the park file's ``time_of_use``),
banded by :func:`zeropark.domain.energy.tariffs.local_periods`: a simplified form of Jiangsu's
industrial TOU tariff (modelled, not the tariff table) — valley 00:00-08:00, peak 08:00-11:00
and 17:00-22:00, flat otherwise. The battery charges in the valley and again in the midday flat
period (when the roof PV is strongest), and discharges in both peaks, at rated power within its
state-of-charge window (the battery asset type's ``soc_min`` / ``soc_max`` defaults,
``docs/asset-types.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.data.asset_types import load_asset_types
from zeropark.data.demo.days import STEP_S, TimeGrid
from zeropark.domain.energy.power import kw_to_kwh
from zeropark.domain.energy.tariffs import local_periods
from zeropark.domain.park import TimeOfUse, TouSeason

__all__ = ["BESS", "DEMO_TIME_OF_USE", "Battery", "BatteryFlows", "battery_flows"]

#: The demo's time-of-use periods: the simplified Jiangsu-style split its battery dispatch
#: assumes — valley 00-08, peak 08-11 and 17-22, flat otherwise, all year.
#: A modelling assumption of the demo, not a citation of a tariff table.
DEMO_TIME_OF_USE = TimeOfUse(
    periods=[TouSeason(months=list(range(1, 13)), peak=[[8, 11], [17, 22]], valley=[[0, 8]])],
    note="demo assumption (simplified Jiangsu-style periods), not a tariff table",
)
_BATTERY = load_asset_types()["battery"]


@dataclass(frozen=True, slots=True)
class Battery:
    """A battery: energy capacity, power, round-trip efficiency and usable SOC window."""

    capacity_kwh: float
    power_kw: float
    roundtrip_efficiency: float
    soc_min: float = _BATTERY.default_number("soc_min")
    soc_max: float = _BATTERY.default_number("soc_max")


#: 4 MWh / 2 MW lithium-iron-phosphate container at the 10 kV switchroom.
BESS = Battery(capacity_kwh=4000.0, power_kw=2000.0, roundtrip_efficiency=0.88)


@dataclass(frozen=True)
class BatteryFlows:
    """AC energy per step [kWh] into and out of the battery, and its state of charge [kWh]."""

    charge_kwh: npt.NDArray[np.float64]
    discharge_kwh: npt.NDArray[np.float64]
    soc_kwh: npt.NDArray[np.float64]


def battery_flows(
    grid: TimeGrid, battery: Battery = BESS, schedule: TimeOfUse = DEMO_TIME_OF_USE
) -> BatteryFlows:
    """Rule-based dispatch: charge in valley and midday flat, discharge in the peaks."""
    hour = grid.slot // 4
    period = local_periods(grid.month, hour, schedule)
    charging = (period == "valley") | ((period == "flat") & (hour >= 11) & (hour < 17))
    eta = float(np.sqrt(battery.roundtrip_efficiency))
    low, high = battery.soc_min * battery.capacity_kwh, battery.soc_max * battery.capacity_kwh
    charge = np.zeros(grid.steps)
    discharge = np.zeros(grid.steps)
    soc = np.empty(grid.steps)
    level = low
    max_step_kwh = kw_to_kwh(battery.power_kw, STEP_S)
    for k, (is_charge, is_peak) in enumerate(
        zip(charging.tolist(), (period == "peak").tolist(), strict=True)
    ):
        if is_charge and level < high:
            charge[k] = min(max_step_kwh, (high - level) / eta)
            level += charge[k] * eta
        elif is_peak and level > low:
            discharge[k] = min(max_step_kwh, (level - low) * eta)
            level -= discharge[k] / eta
        soc[k] = level
    return BatteryFlows(charge, discharge, soc)
