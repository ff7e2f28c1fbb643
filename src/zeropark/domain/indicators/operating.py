"""Operating indicators a park manager reads daily (运行指标): intensities, shares, PV, demand.

Each is a plain function of numbers with its unit in the name; the scorecard service feeds them
the figures the rest of zeropark already computes (the inventory's 综合能耗 and CO2, the
overview's flows), so a figure has one definition (``docs/indicators.md``):

- intensity per output value: energy [tce/万元] and carbon [tCO2/万元];
- intensity per floor area: energy [kgce/m²] and carbon [kgCO2/m²];
- intensity per product unit: energy [kgce/unit] and carbon [kgCO2/unit] (one product);
- renewable share: :func:`zeropark.domain.energy.flows.renewable_share` (the overview's);
- non-fossil share = (on-site renewable + green electricity) [tce] ÷ 综合能耗 [tce];
- green-electricity share = green electricity ÷ electricity consumption (the load) [kWh];
- PV self-consumption = (PV − export) ÷ PV; PV self-sufficiency = (PV − export) ÷ load;
  export is charged to PV first (the battery is charged behind the meter);
- peak demand [kW] = the highest hourly mean load; load factor = mean load ÷ peak demand.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "green_electricity_share",
    "load_factor",
    "non_fossil_share",
    "peak_demand_kw",
    "per_unit",
    "pv_self_consumption",
    "pv_self_sufficiency",
]


def per_unit(amount: float, denominator: float | None, scale: float = 1.0) -> float | None:
    """``amount × scale / denominator``; None without a positive denominator.

    E.g. energy [tce] per output [万元]; ``scale=1000`` for kgce/m² from tce and m².
    """
    if denominator is None or denominator <= 0:
        return None
    return amount * scale / denominator


def non_fossil_share(
    onsite_renewable_tce: float, green_electricity_tce: float, total_tce: float
) -> float | None:
    """(on-site renewable + green electricity, capped at the total) ÷ 综合能耗 [fraction]."""
    if total_tce <= 0:
        return None
    return min(1.0, (onsite_renewable_tce + green_electricity_tce) / total_tce)


def green_electricity_share(green_kwh: float, load_kwh: float) -> float | None:
    """Green electricity (certificates, green-power trades) ÷ electricity consumption, ≤ 1."""
    return None if load_kwh <= 0 else min(1.0, green_kwh / load_kwh)


def pv_self_consumption(pv_kwh: float, export_kwh: float) -> float | None:
    """Share of PV generation used in the park: (PV − export) ÷ PV; None without PV."""
    if pv_kwh <= 0:
        return None
    return max(0.0, min(1.0, (pv_kwh - export_kwh) / pv_kwh))


def pv_self_sufficiency(pv_kwh: float, export_kwh: float, load_kwh: float) -> float | None:
    """Share of the load met by the park's own PV: (PV − export) ÷ load; None without load."""
    if load_kwh <= 0:
        return None
    return max(0.0, min(1.0, (pv_kwh - export_kwh) / load_kwh))


def peak_demand_kw(hourly_load_kwh: npt.ArrayLike) -> float | None:
    """The highest hourly mean power [kW] of an hourly energy series [kWh]; None if empty."""
    values = np.asarray(hourly_load_kwh, dtype=np.float64)
    return float(values.max()) if values.size else None


def load_factor(hourly_load_kwh: npt.ArrayLike) -> float | None:
    """Mean load ÷ peak demand over the hours given [fraction]; None without a positive peak."""
    values = np.asarray(hourly_load_kwh, dtype=np.float64)
    if not values.size or values.max() <= 0:
        return None
    return float(values.mean() / values.max())
