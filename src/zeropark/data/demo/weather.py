"""Real weather for the demo: pvlib's TMY3 of Greensboro NC, on the demo year's 15-minute clock.

Source: NSRDB TMY3 file ``723170TYA.CSV`` shipped in ``pvlib/data`` (Greensboro Piedmont Triad
Intl., 36.1°N 79.95°W, 273 m, humid subtropical like Jiangsu). Each TMY hour is placed on the
same month, day and hour of the demo year (29 February repeats 28 February).

Sun and irradiance must agree, so solar geometry is computed at the TMY station, not at the park.
The park sees the station's *solar-time* weather: park clock time ``t`` reads the station at the
same local apparent solar time, i.e. ``t + solar_offset_s`` on the station's standard clock.

Hourly to 15 minutes: the hour's clear-sky index (GHI / Haurwitz clear-sky GHI averaged over the
hour) multiplies the clear-sky GHI of each quarter hour, which keeps the hour's energy and the
sun's shape; the hour's diffuse fraction splits it, and DNI follows from closure. Temperature and
wind are interpolated linearly between the hourly readings.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pvlib

from zeropark.data.demo.days import STEP_S, TimeGrid

__all__ = ["TMY_FILE", "QuarterWeather", "quarter_weather", "tmy_path"]

TMY_FILE = "723170TYA.CSV"
_SUBSTEPS = 12  # 5-minute samples per hour for the hourly clear-sky mean
_MIN_CLEAR_W_M2 = 5.0
_MAX_CLEARNESS = 1.6


@dataclass(frozen=True)
class QuarterWeather:
    """Weather at each 15-minute step's midpoint; irradiance in W/m2, temperature in °C."""

    times_utc: pd.DatetimeIndex
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    solar_offset_s: int
    ghi_w_m2: npt.NDArray[np.float64]
    dni_w_m2: npt.NDArray[np.float64]
    dhi_w_m2: npt.NDArray[np.float64]
    temp_air_c: npt.NDArray[np.float64]
    wind_speed_m_s: npt.NDArray[np.float64]
    apparent_zenith_deg: npt.NDArray[np.float64]
    zenith_deg: npt.NDArray[np.float64]
    azimuth_deg: npt.NDArray[np.float64]


def tmy_path() -> Path:
    """Path of the TMY3 file inside the installed pvlib."""
    return Path(pvlib.__file__).parent / "data" / TMY_FILE


def _hourly_for_year(data: pd.DataFrame, year: int) -> dict[str, npt.NDArray[np.float64]]:
    """TMY columns as hour-of-year arrays for ``year`` (leap years repeat 28 February)."""
    out: dict[str, npt.NDArray[np.float64]] = {}
    leap = calendar.isleap(year)
    for column in ("ghi", "dhi", "temp_air", "wind_speed"):
        values = data[column].to_numpy(dtype=np.float64)
        if leap:
            values = np.concatenate(
                [values[: 59 * 24], values[58 * 24 : 59 * 24], values[59 * 24 :]]
            )
        out[column] = values
    return out


def _solar_offset_s(
    park_longitude_deg: float, park_utc_offset_h: float, tmy_meta: dict[str, float]
) -> int:
    """Seconds to add to the park's clock to reach the same solar time on the station's clock."""
    park_s = 240.0 * (park_longitude_deg - 15.0 * park_utc_offset_h)
    station_s = 240.0 * (float(tmy_meta["longitude"]) - 15.0 * float(tmy_meta["TZ"]))
    return round(park_s - station_s)


def quarter_weather(
    grid: TimeGrid, park_longitude_deg: float, park_utc_offset_h: float
) -> QuarterWeather:
    """TMY weather on the demo grid: station solar geometry, 15-minute irradiance (see module)."""
    data, meta = pvlib.iotools.read_tmy3(tmy_path(), map_variables=True)
    hourly = _hourly_for_year(data, grid.year)
    hours = hourly["ghi"].size
    lat, lon, alt = float(meta["latitude"]), float(meta["longitude"]), float(meta["altitude"])
    offset_s = _solar_offset_s(park_longitude_deg, park_utc_offset_h, meta)
    # Station standard-time clock: seconds since its local 1 January 00:00 (UTC + TZ hours).
    station_start_s = grid.start_s + int(park_utc_offset_h * 3600) - int(float(meta["TZ"]) * 3600)
    clock_s = (grid.ts_s - STEP_S // 2 - grid.start_s + offset_s).astype(np.float64)

    sub_clock_s = (np.arange(hours * _SUBSTEPS) + 0.5) * (3600.0 / _SUBSTEPS)
    sub_times = pd.to_datetime(station_start_s + sub_clock_s, unit="s", utc=True)
    sub_zenith = pvlib.solarposition.get_solarposition(sub_times, lat, lon, altitude=alt)
    sub_clear = pvlib.clearsky.haurwitz(sub_zenith["apparent_zenith"])["ghi"].to_numpy()
    clear_hour = sub_clear.reshape(hours, _SUBSTEPS).mean(axis=1)
    ghi_h, dhi_h = hourly["ghi"], hourly["dhi"]
    clearness = np.where(clear_hour > _MIN_CLEAR_W_M2, ghi_h / np.maximum(clear_hour, 1e-9), 0.0)
    clearness = np.clip(clearness, 0.0, _MAX_CLEARNESS)
    diffuse_frac = np.where(ghi_h > 0, dhi_h / np.maximum(ghi_h, 1e-9), 1.0).clip(0.0, 1.0)

    times = pd.to_datetime(station_start_s + clock_s, unit="s", utc=True)
    solpos = pvlib.solarposition.get_solarposition(times, lat, lon, altitude=alt)
    apparent_zenith = solpos["apparent_zenith"].to_numpy(dtype=np.float64)
    clear_q = pvlib.clearsky.haurwitz(solpos["apparent_zenith"])["ghi"].to_numpy(dtype=np.float64)
    hour = np.clip((clock_s // 3600).astype(np.int64), 0, hours - 1)
    ghi = clearness[hour] * clear_q
    dhi = diffuse_frac[hour] * ghi
    cos_zenith = np.cos(np.radians(apparent_zenith))
    dni = np.where(apparent_zenith < 87.0, (ghi - dhi) / np.maximum(cos_zenith, 0.05), 0.0)
    dni = np.clip(dni, 0.0, 1100.0)

    hour_end_s = 3600.0 * np.arange(1, hours + 1)
    return QuarterWeather(
        times_utc=pd.DatetimeIndex(pd.to_datetime(grid.ts_s - STEP_S // 2, unit="s", utc=True)),
        latitude_deg=lat,
        longitude_deg=lon,
        altitude_m=alt,
        solar_offset_s=offset_s,
        ghi_w_m2=ghi,
        dni_w_m2=dni,
        dhi_w_m2=dhi,
        temp_air_c=np.interp(clock_s, hour_end_s, hourly["temp_air"]),
        wind_speed_m_s=np.interp(clock_s, hour_end_s, hourly["wind_speed"]),
        apparent_zenith_deg=apparent_zenith,
        zenith_deg=solpos["zenith"].to_numpy(dtype=np.float64),
        azimuth_deg=solpos["azimuth"].to_numpy(dtype=np.float64),
    )
