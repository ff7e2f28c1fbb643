"""Rooftop PV of the demo park: the domain's PV chain (:mod:`zeropark.domain.energy.pv`) on the
real TMY weather (:mod:`.weather`), with a DC/AC ratio of 1.2."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.weather import QuarterWeather
from zeropark.domain.energy.pv import PvSystem, pv_ac_power_kw

__all__ = ["PV_ROOF", "pv_power_kw"]

#: 8 MWp on the tenants' workshop roofs, facing south at 20°, 6.67 MW of inverters.
PV_ROOF = PvSystem(capacity_kwp=8000.0, tilt_deg=20.0, azimuth_deg=180.0, inverter_kw=6667.0)


def pv_power_kw(weather: QuarterWeather, system: PvSystem = PV_ROOF) -> npt.NDArray[np.float64]:
    """AC power [kW] of ``system`` at each step of ``weather`` (mean over the 15 minutes)."""
    return pv_ac_power_kw(
        weather.times_utc,
        weather.apparent_zenith_deg,
        weather.azimuth_deg,
        weather.dni_w_m2,
        weather.ghi_w_m2,
        weather.dhi_w_m2,
        weather.temp_air_c,
        weather.wind_speed_m_s,
        system,
    )
