"""Assemble the demo park: quantities per meter from the models, then readings and activities."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.activities import monthly_activities
from zeropark.data.demo.days import STEP_S, TimeGrid, time_grid
from zeropark.data.demo.leak import LEAK_METER, leak_kwh
from zeropark.data.demo.loads import (
    activity,
    canteen_shape,
    end_use_shape,
    ev_power_kw,
    meter_rng,
    noisy,
    office_activity,
    scale_to_annual,
    temperature_drivers,
)
from zeropark.data.demo.model import DemoPark, MeterSeries
from zeropark.data.demo.pv import pv_power_kw
from zeropark.data.demo.registers import meter_series
from zeropark.data.demo.spec import (
    EV_AC_COUNT,
    EV_AC_KW,
    EV_DC_COUNT,
    EV_DC_KW,
    demo_spec,
    electric_main_id,
    gas_id,
    sub_id,
    water_id,
)
from zeropark.data.demo.storage import battery_flows
from zeropark.data.demo.tenants import TENANTS
from zeropark.data.demo.weather import QuarterWeather, quarter_weather
from zeropark.domain.energy.flows import grid_exchange_kwh
from zeropark.domain.energy.power import kw_to_kwh

__all__ = ["OUTAGE", "OUTAGE_METER", "ROLLOVER_METER", "build_demo", "demo_quantities"]

Array = npt.NDArray[np.float64]
TIMEZONE = "Asia/Shanghai"
PARK_LONGITUDE_DEG = 120.6
#: The meter whose register wraps once in the year, and the fraction of its year before the wrap.
ROLLOVER_METER, _ROLLOVER_AT = "e_glass_main", 0.55
#: The meter with a 3-hour communication outage: local date and hours (readings missing).
OUTAGE_METER = "e_auto_main"
OUTAGE = ((6, 18), 9, 12)
_PARK_LOSS_FRAC = 0.012
_STREET_LIGHT_KW = 60.0
_ADMIN_MWH = 900.0
_CANTEEN_NM3 = 120_000.0
_WATER_MAIN_EXTRA = 0.035
_GAS_MAIN_EXTRA = 0.004
_STEAM_GJ = 80_000.0
_DIESEL_L = 60_000.0


def _electric(grid: TimeGrid, weather: QuarterWeather, seed: int) -> dict[str, Array]:
    q: dict[str, Array] = {}
    for t in TENANTS:
        act = activity(grid, t, meter_rng(seed, t.id))
        subs = []
        for e in t.electric:
            mid = sub_id(t, e.suffix)
            shape = end_use_shape(e.use, act, t.base_frac, weather, grid)
            q[mid] = scale_to_annual(noisy(shape, meter_rng(seed, mid)), e.annual)
            if mid == LEAK_METER:  # the planted compressed-air leak (data/demo/leak.py)
                q[mid] = q[mid] + leak_kwh(grid, TIMEZONE)
            subs.append(q[mid])
        total = np.sum(subs, axis=0)
        q[electric_main_id(t)] = total * (1.0 + t.unmetered_frac)
        for g in t.gas:
            mid = gas_id(t, g.suffix)
            shape = end_use_shape(g.use, act, t.base_frac, weather, grid)
            q[mid] = scale_to_annual(noisy(shape, meter_rng(seed, mid), 0.03), g.annual)
        q[water_id(t)] = scale_to_annual(
            noisy(0.2 + act, meter_rng(seed, water_id(t)), 0.08), t.water_m3
        )
        q[f"act_{t.short}"] = act
    return q


def _park_level(grid: TimeGrid, weather: QuarterWeather, q: dict[str, Array], seed: int) -> None:
    cooling, heating = temperature_drivers(weather, grid)
    admin = end_use_shape("hvac", office_activity(grid), 0.2, weather, grid)
    q["e_admin"] = scale_to_annual(noisy(admin, meter_rng(seed, "e_admin")), _ADMIN_MWH * 1000)
    rated_kw = EV_AC_COUNT * EV_AC_KW + EV_DC_COUNT * EV_DC_KW
    q["ev_charging"] = kw_to_kwh(
        noisy(ev_power_kw(grid, rated_kw), meter_rng(seed, "ev_charging"), 0.1), STEP_S
    )
    flows = battery_flows(grid)
    q["bess_charge"], q["bess_discharge"] = flows.charge_kwh, flows.discharge_kwh
    q["pv_gen"] = kw_to_kwh(pv_power_kw(weather), STEP_S)
    children = q["bess_charge"] + q["ev_charging"] + q["e_admin"]
    children = children + np.sum([q[electric_main_id(t)] for t in TENANTS], axis=0)
    dark = (weather.ghi_w_m2 < 5.0).astype(np.float64)
    q["loss"] = children * _PARK_LOSS_FRAC + kw_to_kwh(_STREET_LIGHT_KW * dark, STEP_S)
    # The park bus: demand (loads, losses, battery charging) against PV and battery discharge.
    q["grid_main"], q["grid_export"] = grid_exchange_kwh(
        children + q["loss"], q["pv_gen"], q["bess_discharge"]
    )

    q["g_canteen"] = scale_to_annual(
        noisy(canteen_shape(grid), meter_rng(seed, "g_canteen")), _CANTEEN_NM3
    )
    gas = [q["g_canteen"]] + [q[gas_id(t, g.suffix)] for t in TENANTS for g in t.gas]
    q["gas_main"] = np.sum(gas, axis=0) * (1.0 + _GAS_MAIN_EXTRA)
    q["water_main"] = np.sum([q[water_id(t)] for t in TENANTS], axis=0) * (1.0 + _WATER_MAIN_EXTRA)
    pharma = q["act_pharma"]
    steam = 0.35 + 0.65 * pharma + 0.06 * heating - 0.01 * cooling
    q["heat_pharma_steam"] = scale_to_annual(
        noisy(np.clip(steam, 0.1, None), meter_rng(seed, "heat")), _STEAM_GJ
    )
    q["diesel_logis"] = _diesel(grid, q["act_logis"], meter_rng(seed, "diesel_logis"))


def _diesel(grid: TimeGrid, act: Array, rng: np.random.Generator) -> Array:
    """Dispenser flow: forklifts refuel at 06:00-06:45 and 14:00-14:30 on days with activity."""
    daily_act = np.bincount(grid.day, weights=act) / np.bincount(grid.day)
    refuel = np.isin(grid.slot, (24, 25, 26, 56, 57)).astype(np.float64)
    litres = refuel * daily_act[grid.day] * (1.0 + 0.25 * rng.standard_normal(grid.steps))
    return scale_to_annual(np.clip(litres, 0.0, None), _DIESEL_L)


def demo_quantities(year: int, seed: int) -> tuple[TimeGrid, dict[str, Array]]:
    """Quantity per 15-minute step of every meter (meter units; ``act_*``: tenant activity)."""
    grid = time_grid(year, TIMEZONE)
    offset = ZoneInfo(TIMEZONE).utcoffset(dt.datetime(year, 1, 1))
    assert offset is not None
    weather = quarter_weather(grid, PARK_LONGITUDE_DEG, offset.total_seconds() / 3600.0)
    q = _electric(grid, weather, seed)
    _park_level(grid, weather, q, seed)
    return grid, q


def _outage_window(year: int) -> tuple[int, int]:
    (month, day), first_h, last_h = OUTAGE
    zone = ZoneInfo(TIMEZONE)
    start = dt.datetime(year, month, day, first_h, tzinfo=zone)
    end = dt.datetime(year, month, day, last_h, tzinfo=zone)
    return int(start.timestamp()), int(end.timestamp())


def build_demo(year: int = 2024, *, seed: int = 20240101) -> DemoPark:
    """Generate the demo park for ``year``: spec, 15-minute readings of every meter, activities.

    Deterministic: the same ``year`` and ``seed`` give identical arrays. ``year`` must be one that
    ``chinese_calendar`` knows (an :class:`~zeropark.errors.InputError` otherwise).
    """
    grid, q = demo_quantities(year, seed)
    rows, output_cny = monthly_activities(grid, q, seed)
    spec = demo_spec(output_cny)
    series: list[MeterSeries] = []
    for meter in spec.meters:
        start_raw = 0.0
        if meter.kind == "cumulative" and meter.register_max is not None:
            annual_raw = float(np.sum(q[meter.id])) / meter.multiplier
            if meter.id == ROLLOVER_METER:
                start_raw = meter.register_max - _ROLLOVER_AT * annual_raw
            else:
                room = max(meter.register_max - 1.2 * annual_raw, 0.0)
                start_raw = float(
                    np.floor(meter_rng(seed, "start_" + meter.id).uniform(0.05, 0.6) * room)
                )
        outage = _outage_window(year) if meter.id == OUTAGE_METER else None
        series.append(
            meter_series(meter, grid.ts_s, q[meter.id], start_raw=start_raw, outage=outage)
        )
    return DemoPark(spec=spec, series=tuple(series), activities=tuple(rows), year=year)
