"""The park battery: two charge-discharge cycles a day on Jiangsu time-of-use periods.

Periods follow a simplified form of Jiangsu's industrial TOU tariff (modelled, not the tariff
table): valley 00:00-08:00, peak 08:00-11:00 and 17:00-22:00, flat otherwise. The battery charges
in the valley and again in the midday flat period (when the roof PV is strongest), and discharges
in both peaks, at rated power within its state-of-charge window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.days import STEP_S, TimeGrid

__all__ = ["BESS", "Battery", "BatteryFlows", "battery_flows", "tou_period"]

VALLEY, FLAT, PEAK = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Battery:
    """A battery: energy capacity, power, round-trip efficiency and usable SOC window."""

    capacity_kwh: float
    power_kw: float
    roundtrip_efficiency: float
    soc_min: float = 0.1
    soc_max: float = 0.95


#: 4 MWh / 2 MW lithium-iron-phosphate container at the 10 kV switchroom.
BESS = Battery(capacity_kwh=4000.0, power_kw=2000.0, roundtrip_efficiency=0.88)


@dataclass(frozen=True)
class BatteryFlows:
    """AC energy per step [kWh] into and out of the battery, and its state of charge [kWh]."""

    charge_kwh: npt.NDArray[np.float64]
    discharge_kwh: npt.NDArray[np.float64]
    soc_kwh: npt.NDArray[np.float64]


def tou_period(slot: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """TOU period of each quarter-hour slot of the day (0 valley, 1 flat, 2 peak)."""
    hour = slot // 4
    period = np.full(slot.shape, FLAT, dtype=np.int64)
    period[hour < 8] = VALLEY
    period[((hour >= 8) & (hour < 11)) | ((hour >= 17) & (hour < 22))] = PEAK
    return period


def battery_flows(grid: TimeGrid, battery: Battery = BESS) -> BatteryFlows:
    """Rule-based dispatch: charge in valley and midday flat, discharge in the peaks."""
    period = tou_period(grid.slot)
    hour = grid.slot // 4
    charging = (period == VALLEY) | ((period == FLAT) & (hour >= 11) & (hour < 17))
    step_h = STEP_S / 3600.0
    eta = float(np.sqrt(battery.roundtrip_efficiency))
    low, high = battery.soc_min * battery.capacity_kwh, battery.soc_max * battery.capacity_kwh
    charge = np.zeros(grid.steps)
    discharge = np.zeros(grid.steps)
    soc = np.empty(grid.steps)
    level = low
    max_step_kwh = battery.power_kw * step_h
    for k, (is_charge, is_peak) in enumerate(
        zip(charging.tolist(), (period == PEAK).tolist(), strict=True)
    ):
        if is_charge and level < high:
            charge[k] = min(max_step_kwh, (high - level) / eta)
            level += charge[k] * eta
        elif is_peak and level > low:
            discharge[k] = min(max_step_kwh, (level - low) * eta)
            level -= discharge[k] / eta
        soc[k] = level
    return BatteryFlows(charge, discharge, soc)
