"""Rolling re-optimisation and the bill of executed schedules."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from zeropark.optimize.dispatch import Battery, Grid, PvPlant, SiteModel, solve
from zeropark.optimize.rolling import rolling_dispatch, rule_based_dispatch, settle

PRICE_DAY = np.array([0.3] * 8 + [1.0] * 4 + [0.6] * 6 + [1.0] * 4 + [0.6] * 2)


def _site(days: int, demand: float = 0.0) -> SiteModel:
    hours = 24 * days
    rng = np.random.default_rng(3)
    load = 300 + 100 * np.sin(np.arange(hours) / 24 * 2 * np.pi) + rng.normal(0, 20, hours)
    pv = np.clip(200 * np.sin((np.arange(hours) % 24 - 6) / 12 * np.pi), 0, None)
    return SiteModel(
        interval_h=1.0,
        load_kw=load,
        pv=[PvPlant("pv", pv)],
        batteries=[Battery("b", 400.0, 100.0, 0.95, 0.95, 0.1, 0.9, 0.5, terminal_soc=0.1)],
        grid=Grid(
            import_price_cny_per_kwh=np.tile(PRICE_DAY, days),
            export_price_cny_per_kwh=0.2,
            demand_charge_cny_per_kw_month=demand,
            month_of_interval=np.zeros(hours, dtype=int),
        ),
    )


def test_settle_prices_a_schedule_like_the_lp() -> None:
    model = _site(3, demand=30.0)
    r = solve(model, baseline=False)
    s = r.schedules
    through = s["battery_charge_kw"]["b"] + s["battery_discharge_kw"]["b"]
    total, _, demand = settle(model, r.grid_import_kw, r.grid_export_kw, through)
    assert total == pytest.approx(r.objective, rel=1e-9)
    assert demand == pytest.approx(r.costs.demand_charge_cny, rel=1e-9)


def test_rolling_with_perfect_forecasts_reaches_the_perfect_foresight_cost() -> None:
    """With the actuals as forecasts, re-planning daily over 48 h loses nothing under
    time-of-use prices: each day's cycle is independent of the days after the next."""
    model = _site(5)
    load = np.asarray(model.load_kw)
    pv = np.asarray(model.pv[0].available_kw)
    op = rolling_dispatch(model, lambda s, n: (load[s : s + n], pv[s : s + n]))
    assert op.cost_cny == pytest.approx(solve(model, baseline=False).objective, rel=1e-6)
    assert (op.soc_kwh >= 40 - 1e-6).all() and (op.soc_kwh <= 360 + 1e-6).all()


def test_peak_guard_holds_the_billed_peak_when_the_forecast_is_low() -> None:
    """Forecasts 10 % low: without the guard the realised peak overshoots the plan; the guard
    discharges more and bills a lower demand charge."""
    model = _site(4, demand=40.0)
    load = np.asarray(model.load_kw)
    pv = np.asarray(model.pv[0].available_kw)

    def low(s: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        return 0.9 * load[s : s + n], pv[s : s + n]

    guarded = rolling_dispatch(model, low)
    blind = rolling_dispatch(model, low, guard=False)
    assert guarded.demand_charge_cny < blind.demand_charge_cny
    assert guarded.cost_cny < blind.cost_cny


def test_rule_based_charges_in_the_valley_and_discharges_in_the_peak() -> None:
    """One day, a lossless 400 kWh / 100 kW battery at 10 %: charging at 100 kW in hours 0-7
    fills it to 90 % (320 kWh more) by hour 3.2; discharge at 100 kW in the peak hours 8-11
    empties 320 kWh... until 10 % again (hours 8, 9, 10 and 20 kWh of hour 11)."""
    model = replace(
        _site(1),
        batteries=[Battery("b", 400.0, 100.0, 1.0, 1.0, 0.1, 0.9, 0.1)],
        load_kw=np.full(24, 500.0),
        pv=[PvPlant("pv", np.zeros(24))],
    )
    hour = np.arange(24)
    op = rule_based_dispatch(model, hour < 8, (hour >= 8) & (hour < 12))
    np.testing.assert_allclose(op.charge_kw[:5], [100, 100, 100, 20, 0])
    np.testing.assert_allclose(op.discharge_kw[8:12], [100, 100, 100, 20])
    assert op.soc_kwh[-1] == pytest.approx(40.0)
