"""PV forecasts from weather: the physical chain of :mod:`zeropark.domain.energy.pv` (pvlib),
calibrated on measured output when there is any.

:func:`pv_physical_kw` runs the PVWatts-style chain of the array's park-file parameters
(:class:`~zeropark.domain.energy.pv.PvSystem`) on a weather frame (measured or forecast):
solar position from pvlib's SPA at the site, DNI and DHI from GHI by Erbs' decomposition when
only GHI is given. :func:`calibration_factor` is the least-squares scale between modelled and
measured output over daylight instants (soiling, shading and nameplate errors the parameters
miss); :func:`pv_forecast_kw` applies both.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import pvlib

from zeropark.domain.energy.pv import PvSystem, pv_ac_power_kw
from zeropark.errors import InputError

__all__ = ["calibration_factor", "pv_forecast_kw", "pv_physical_kw"]

FloatArray = npt.NDArray[np.float64]


def pv_physical_kw(
    times_utc: pd.DatetimeIndex,
    weather: pd.DataFrame,
    latitude_deg: float,
    longitude_deg: float,
    system: PvSystem,
) -> FloatArray:
    """AC power [kW] of ``system`` at ``times_utc`` (interval centres for interval means).

    ``weather`` columns: ``ghi_w_m2`` (required), ``dni_w_m2`` and ``dhi_w_m2`` (optional,
    else from Erbs), ``temp_air_c`` (default 20), ``wind_speed_m_s`` (default 1).
    """
    if "ghi_w_m2" not in weather:
        raise InputError("weather needs a ghi_w_m2 column", field="weather")
    times = pd.DatetimeIndex(times_utc)
    if times.tz is None:
        raise InputError("times must carry a time zone (UTC)", field="times_utc")
    sun = pvlib.solarposition.get_solarposition(times, latitude_deg, longitude_deg)
    ghi = weather["ghi_w_m2"].to_numpy(dtype=np.float64)
    if "dni_w_m2" in weather and "dhi_w_m2" in weather:
        dni = weather["dni_w_m2"].to_numpy(dtype=np.float64)
        dhi = weather["dhi_w_m2"].to_numpy(dtype=np.float64)
    else:
        parts = pvlib.irradiance.erbs(ghi, sun["zenith"].to_numpy(), times.dayofyear.to_numpy())
        dni = np.asarray(parts["dni"], dtype=np.float64)
        dhi = np.asarray(parts["dhi"], dtype=np.float64)
    n = len(times)
    temp = (
        weather["temp_air_c"].to_numpy(dtype=np.float64)
        if "temp_air_c" in weather
        else np.full(n, 20.0)
    )
    wind = (
        weather["wind_speed_m_s"].to_numpy(dtype=np.float64)
        if "wind_speed_m_s" in weather
        else np.ones(n)
    )
    return pv_ac_power_kw(
        times,
        sun["apparent_zenith"].to_numpy(),
        sun["azimuth"].to_numpy(),
        dni,
        ghi,
        dhi,
        temp,
        wind,
        system,
    )


def calibration_factor(measured_kw: npt.ArrayLike, modelled_kw: npt.ArrayLike) -> float:
    """Least-squares scale ``k`` minimising ``Σ (measured − k · modelled)²`` over instants where
    both are finite and the model sees daylight; 1 when there is nothing to fit."""
    meas = np.asarray(measured_kw, dtype=np.float64)
    mod = np.asarray(modelled_kw, dtype=np.float64)
    ok = np.isfinite(meas) & np.isfinite(mod) & (mod > 0)
    denom = float(np.sum(mod[ok] ** 2))
    return float(np.sum(meas[ok] * mod[ok]) / denom) if denom > 0 else 1.0


def pv_forecast_kw(
    future_times_utc: pd.DatetimeIndex,
    future_weather: pd.DataFrame,
    latitude_deg: float,
    longitude_deg: float,
    system: PvSystem,
    *,
    past_times_utc: pd.DatetimeIndex | None = None,
    past_weather: pd.DataFrame | None = None,
    past_measured_kw: npt.ArrayLike | None = None,
) -> tuple[FloatArray, float]:
    """PV forecast [kW] from forecast weather and the factor it was calibrated by: the
    physical model, scaled by :func:`calibration_factor` on the past when measured output and
    the weather of the same past are given (factor 1 otherwise)."""
    factor = 1.0
    if past_times_utc is not None and past_weather is not None and past_measured_kw is not None:
        past_model = pv_physical_kw(
            past_times_utc, past_weather, latitude_deg, longitude_deg, system
        )
        factor = calibration_factor(past_measured_kw, past_model)
    future = pv_physical_kw(future_times_utc, future_weather, latitude_deg, longitude_deg, system)
    return factor * future, factor
