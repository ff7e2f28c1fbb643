"""Modelled load shapes: shifts, calendar, temperature and daylight, with seeded noise.

A shape is a non-negative array over the year's 15-minute steps; :func:`scale_to_annual` turns it
into the quantity per step whose yearly sum is the end use's budget. Noise is an AR(1)-like
smoothed Gaussian (about ±4 %, 2-hour memory) drawn from a generator seeded per meter, so a
meter's series does not depend on which other meters exist.
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.days import (
    DAY_HOLIDAY,
    DAY_REST,
    DAY_SPRING,
    DAY_SPRING_EDGE,
    DAY_WORK,
    TimeGrid,
    shift_profile,
)
from zeropark.data.demo.tenants import TenantProfile, Use
from zeropark.data.demo.weather import QuarterWeather

__all__ = [
    "activity",
    "canteen_shape",
    "end_use_shape",
    "ev_power_kw",
    "meter_rng",
    "noisy",
    "office_activity",
    "scale_to_annual",
    "temperature_drivers",
]

Array = npt.NDArray[np.float64]

_COOLING_BASE_C = 20.0
_HEATING_BASE_C = 12.0


def meter_rng(seed: int, meter_id: str) -> np.random.Generator:
    """A generator for one meter: the demo seed and a stable hash of the meter id."""
    return np.random.default_rng([seed, zlib.crc32(meter_id.encode("utf-8"))])


def noisy(shape: Array, rng: np.random.Generator, sigma: float = 0.04) -> Array:
    """``shape`` times (1 + smoothed Gaussian noise of standard deviation ``sigma``)."""
    taps = np.exp(-np.arange(24) / 8.0)
    taps /= np.sqrt(np.sum(taps**2))
    white = rng.standard_normal(shape.size + taps.size - 1)
    smooth = np.convolve(white, taps, mode="valid")
    return np.clip(shape * (1.0 + sigma * smooth), 0.0, None)


def activity(grid: TimeGrid, tenant: TenantProfile, rng: np.random.Generator) -> Array:
    """Production activity (0-1) of a tenant at each step: shifts × day factor × daily variation."""
    factor = np.empty(len(grid.dates))
    own = np.where(grid.day_class == DAY_WORK, 1.0, tenant.weekend_factor)
    factor[:] = own
    factor[grid.day_class == DAY_REST] = tenant.weekend_factor
    factor[grid.day_class == DAY_HOLIDAY] = tenant.holiday_factor
    factor[grid.day_class == DAY_SPRING] = tenant.spring_factor
    edge = grid.day_class == DAY_SPRING_EDGE
    factor[edge] = 0.5 * (tenant.spring_factor + own[edge])
    daily = factor * (1.0 + 0.03 * rng.standard_normal(factor.size))
    return np.clip(shift_profile(tenant.shifts)[grid.slot] * daily[grid.day], 0.0, 1.05)


def office_activity(grid: TimeGrid) -> Array:
    """Occupancy (0-1) of an office building: one day shift on workdays, light on other days."""
    workday = grid.day_class[grid.day] == DAY_WORK
    return shift_profile(1)[grid.slot] * np.where(workday, 1.0, 0.1)


def temperature_drivers(weather: QuarterWeather, grid: TimeGrid) -> tuple[Array, Array]:
    """Cooling and heating degree drivers [K] from a blend of hourly and daily-mean temperature."""
    temp = weather.temp_air_c
    daily_mean = np.bincount(grid.day, weights=temp) / np.bincount(grid.day)
    felt = 0.5 * temp + 0.5 * daily_mean[grid.day]
    return np.clip(felt - _COOLING_BASE_C, 0.0, None), np.clip(_HEATING_BASE_C - felt, 0.0, None)


def end_use_shape(
    use: Use,
    act: Array,
    base_frac: float,
    weather: QuarterWeather,
    grid: TimeGrid,
) -> Array:
    """Unitless shape of one end use of a tenant with production activity ``act``."""
    cooling, heating = temperature_drivers(weather, grid)
    if use == "process":
        return base_frac + (1.0 - base_frac) * act
    if use == "const":
        return 0.9 + 0.1 * act
    if use == "hvac":
        occupied = 0.5 + 0.5 * act
        return 0.25 + occupied * (0.12 * cooling + 0.05 * heating + 0.3)
    if use == "lighting":
        daylight = np.clip(weather.ghi_w_m2 / 500.0, 0.0, 1.0)
        return 0.08 + act * (1.0 - 0.5 * daylight)
    if use == "boiler":
        return 0.1 + 0.6 * act + 0.08 * heating * (0.4 + 0.6 * act)
    return canteen_shape(grid)


def canteen_shape(grid: TimeGrid) -> Array:
    """Canteen gas: breakfast, lunch and dinner peaks; quieter on rest days and holidays."""
    hour = (grid.slot + 0.5) / 4.0
    meals = (
        0.5 * np.exp(-(((hour - 7.0) / 0.7) ** 2))
        + 1.0 * np.exp(-(((hour - 11.3) / 0.9) ** 2))
        + 0.7 * np.exp(-(((hour - 17.3) / 0.9) ** 2))
    )
    day = np.where(grid.day_class[grid.day] == DAY_WORK, 1.0, 0.35)
    day = np.where(grid.day_class[grid.day] == DAY_SPRING, 0.05, day)
    return np.asarray(0.03 + meals * day, dtype=np.float64)


def ev_power_kw(grid: TimeGrid, rated_kw: float) -> Array:
    """Commuter charging: plug-in after 08:00 arrival, tailing off by early afternoon."""
    hour = (grid.slot + 0.5) / 4.0
    morning = np.clip((hour - 7.75) / 1.0, 0.0, 1.0) * np.exp(-np.clip(hour - 9.5, 0.0, None) / 1.8)
    evening = 0.12 * np.exp(-(((hour - 19.5) / 1.5) ** 2))
    workday = grid.day_class[grid.day] == DAY_WORK
    day = np.where(workday, 1.0, 0.2)
    day = np.where(grid.day_class[grid.day] == DAY_SPRING, 0.05, day)
    share = np.clip(0.02 + 0.7 * morning * day + evening * day, 0.0, 1.0)
    return np.asarray(rated_kw * share, dtype=np.float64)


def scale_to_annual(shape: Array, annual: float) -> Array:
    """Quantity per step so that the steps sum to ``annual``."""
    return shape * (annual / float(np.sum(shape)))
