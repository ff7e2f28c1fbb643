"""Power ↔ energy: the one conversion between a mean power and the energy of a duration.

``energy [kWh] = power [kW] × duration [s] / 3600``. The functions take scalars or numpy arrays
(element-wise) and work for any power unit and its energy unit (MW ↔ MWh alike); the ``_kw`` /
``_kwh`` names say which side is which. The operation order is fixed (the demo park's figures
depend on it to the last bit): ``kw_to_kwh`` multiplies by ``duration_s / 3600``,
``kwh_to_kw`` multiplies by 3600 and then divides by the duration.

A meter that reports power (unit ``kW``) rolls up to energy (``kWh``): :func:`energy_unit` names
the unit of its rollups and :func:`kwh_per_unit` the factor from that unit to kWh.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from zeropark.units import conversion_factor, dimension_of

__all__ = ["SECONDS_PER_HOUR", "energy_unit", "kw_to_kwh", "kwh_per_unit", "kwh_to_kw"]

SECONDS_PER_HOUR = 3600.0

FloatArray = npt.NDArray[np.float64]
Duration = float | npt.NDArray[np.int64] | npt.NDArray[np.float64]


@overload
def kw_to_kwh(power_kw: float, duration_s: float) -> float: ...
@overload
def kw_to_kwh(power_kw: FloatArray, duration_s: Duration) -> FloatArray: ...
@overload
def kw_to_kwh(power_kw: float, duration_s: Duration) -> float | FloatArray: ...


def kw_to_kwh(power_kw: float | FloatArray, duration_s: Duration) -> float | FloatArray:
    """Energy [kWh] of a mean power [kW] held for ``duration_s`` seconds."""
    return power_kw * (duration_s / SECONDS_PER_HOUR)


@overload
def kwh_to_kw(energy_kwh: float, duration_s: float) -> float: ...
@overload
def kwh_to_kw(energy_kwh: FloatArray, duration_s: Duration) -> FloatArray: ...


def kwh_to_kw(energy_kwh: float | FloatArray, duration_s: Duration) -> float | FloatArray:
    """Mean power [kW] of ``energy_kwh`` delivered over ``duration_s`` seconds."""
    return energy_kwh * SECONDS_PER_HOUR / duration_s


def energy_unit(unit: str) -> str:
    """The unit of a meter's energy: ``kW`` → ``kWh``, ``MW`` → ``MWh``; any other unit as is."""
    return unit + "h" if dimension_of(unit) == "power" else unit


def kwh_per_unit(unit: str) -> float:
    """kWh per unit of a meter's rollups (power meters roll up to energy: kW → kWh)."""
    return conversion_factor(energy_unit(unit), "kWh")
