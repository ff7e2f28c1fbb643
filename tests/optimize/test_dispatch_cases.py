"""Hand-checked dispatch cases: each optimum is worked out on paper in the docstring."""

from __future__ import annotations

import numpy as np
import pytest

from zeropark.optimize.dispatch import (
    Battery,
    Boiler,
    DispatchInfeasible,
    EvSession,
    Grid,
    HeatPump,
    HydrogenChain,
    PvPlant,
    ShiftableLoad,
    SiteModel,
    solve,
)


def test_four_hour_arbitrage_on_paper() -> None:
    """Prices 0.3, 0.3, 1.0, 1.0 CNY/kWh; load 0, 0, 60, 60 kW; a 100 kWh / 50 kW battery,
    0.9 each way, empty at start and end.

    On paper: charge 50 kW in hours 0 and 1 → 2 × 50 × 0.9 = 90 kWh stored; discharging it all
    delivers 90 × 0.9 = 81 kWh, 40.5 kW in each of hours 2 and 3 (within 50 kW), so the grid
    imports 19.5 kW then (39 kWh in all). Cost = 0.3 × 100 + 1.0 × 2 × 19.5 = 69 CNY; each kWh
    bought at 0.3 returns 0.81 kWh worth 0.81 > 0.3, so charging fully is optimal. Without the
    battery the cost is 1.0 × 120 = 120 CNY: 51 CNY saved.
    """
    model = SiteModel(
        interval_h=1.0,
        load_kw=[0.0, 0.0, 60.0, 60.0],
        grid=Grid(import_price_cny_per_kwh=[0.3, 0.3, 1.0, 1.0], export_limit_kw=0.0),
        batteries=[Battery("b", 100.0, 50.0, 0.9, 0.9, initial_soc=0.0, terminal_soc=0.0)],
    )
    r = solve(model)
    assert r.objective == pytest.approx(69.0, rel=1e-9)
    np.testing.assert_allclose(r.schedules["battery_charge_kw"]["b"], [50, 50, 0, 0], atol=1e-7)
    # hours 2 and 3 cost the same: any split of the 81 kWh between them is optimal
    dis = r.schedules["battery_discharge_kw"]["b"]
    assert dis[:2].sum() == pytest.approx(0.0, abs=1e-7) and dis.sum() == pytest.approx(81.0)
    assert r.grid_import_kw[2:].sum() == pytest.approx(39.0)
    assert r.kpis is not None and r.baseline is not None
    assert r.baseline.costs.total_cny == pytest.approx(120.0)
    assert r.kpis.cost_saved_cny == pytest.approx(51.0)
    assert r.kpis.cost_saved_cny == pytest.approx(r.baseline.costs.total_cny - r.costs.total_cny)


def test_ev_session_finishes_by_departure() -> None:
    """A 30 kWh session on a 20 kW charger, plugged in hours 0-3 (departure at 4); prices
    1, 1, 0.2, 0.25, 1, 1. Cheapest: 20 kW in hour 2 (4 CNY) and 10 kW in hour 3 (2.5 CNY) =
    6.5 CNY; uncontrolled charging (20 then 10 kW from arrival) costs 30 CNY. Nothing after
    departure."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=np.zeros(6),
        grid=Grid(import_price_cny_per_kwh=[1, 1, 0.2, 0.25, 1, 1]),
        ev_sessions=[EvSession("car", arrival=0, departure=4, energy_kwh=30.0, charger_kw=20.0)],
    )
    r = solve(model)
    ev = r.schedules["ev_kw"]["car"]
    np.testing.assert_allclose(ev, [0, 0, 20, 10, 0, 0], atol=1e-7)
    assert r.objective == pytest.approx(6.5)
    assert r.baseline is not None
    np.testing.assert_allclose(r.baseline.schedules["ev_kw"]["car"], [20, 10, 0, 0, 0, 0])
    assert r.kpis is not None and r.kpis.cost_saved_cny == pytest.approx(23.5)


def test_ev_session_leaving_before_cheap_hours_pays_the_price() -> None:
    """Departure at 2: the cheap hours 2-3 are out of reach, 30 kWh at 1 CNY = 30 CNY."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=np.zeros(4),
        grid=Grid(import_price_cny_per_kwh=[1, 1, 0.2, 0.2]),
        ev_sessions=[EvSession("car", 0, 2, 30.0, 20.0)],
    )
    r = solve(model, baseline=False)
    assert r.objective == pytest.approx(30.0)
    assert r.schedules["ev_kw"]["car"][2:].sum() == pytest.approx(0.0, abs=1e-9)


def test_demand_charge_flattens_the_peak() -> None:
    """Load 100, 100, 400, 100 kW; flat 0.5 CNY/kWh; demand charge 10 CNY/kW·month; a lossless
    300 kWh / 200 kW battery at 100 kWh, ending at least there.

    On paper: the energy cost is 0.5 × 700 = 350 CNY whatever the battery does (lossless, back
    to its start). The peak hour can shed at most 200 kW (the power limit), so the least peak
    is 200 kW (the other hours recharge 200 kWh within 3 × (200 − 100) = 300 kWh of room):
    350 + 10 × 200 = 2,350 CNY against 350 + 10 × 400 = 4,350 CNY without.
    """
    model = SiteModel(
        interval_h=1.0,
        load_kw=[100.0, 100.0, 400.0, 100.0],
        grid=Grid(import_price_cny_per_kwh=0.5, demand_charge_cny_per_kw_month=10.0),
        batteries=[Battery("b", 300.0, 200.0, 1.0, 1.0, initial_soc=1 / 3)],
    )
    r = solve(model)
    assert r.objective == pytest.approx(2350.0)
    assert r.monthly_peak_kw == {0: pytest.approx(200.0)}
    assert r.grid_import_kw.max() == pytest.approx(200.0)
    assert r.kpis is not None and r.kpis.peak_reduced_kw == pytest.approx(200.0)
    assert r.costs.demand_charge_cny == pytest.approx(2000.0)


def test_heat_merit_order_on_paper() -> None:
    """100 kW of heat for one hour: a 60 kW heat pump (COP 4) at 0.5 CNY/kWh makes heat at
    0.125 CNY/kWh, a gas boiler (0.9) at 0.3 CNY/kWh of fuel at 0.333: the pump runs flat out
    (15 kW electric, 7.5 CNY) and the boiler makes 40 kW (44.44 kW of fuel, 13.33 CNY)."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=[0.0],
        heat_load_kw=[100.0],
        grid=Grid(import_price_cny_per_kwh=0.5),
        heat_pumps=[HeatPump("hp", heat_kw=60.0, cop=4.0)],
        boilers=[Boiler("boiler", heat_kw=200.0, efficiency=0.9, fuel_cny_per_kwh=0.3)],
    )
    r = solve(model, baseline=False)
    assert r.schedules["heat_pump_electric_kw"]["hp"][0] == pytest.approx(15.0)
    assert r.schedules["boiler_fuel_kw"]["boiler"][0] == pytest.approx(40 / 0.9)
    assert r.objective == pytest.approx(7.5 + 0.3 * 40 / 0.9)


def test_hydrogen_chain_stores_cheap_hydrogen() -> None:
    """10 kW of H2 taken every hour for 4 hours; a 50 kW electrolyser at 0.5 (25 kW of H2); an
    empty 100 kWh tank. Prices 0.2, 1, 1, 1: make 25 kWh of H2 in hour 0 (50 kWh, 10 CNY) and
    the remaining 15 kWh later at 1 CNY (30 kWh, 30 CNY) = 40 CNY. Without storage every
    hour makes its own 10 kWh (20 kWh electric): 0.2 × 20 + 3 × 20 = 64 CNY."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=np.zeros(4),
        grid=Grid(import_price_cny_per_kwh=[0.2, 1, 1, 1]),
        hydrogen=[HydrogenChain("h2", 50.0, 0.5, 100.0, 0.0, 0.5, offtake_kw=10.0)],
    )
    r = solve(model)
    assert r.objective == pytest.approx(40.0)
    assert r.schedules["electrolyser_kw"]["h2"][0] == pytest.approx(50.0)
    assert r.baseline is not None and r.baseline.objective == pytest.approx(64.0)


def test_shiftable_load_runs_in_the_cheapest_hours() -> None:
    """30 kWh within hours 0-3 at up to 10 kW; prices 1, 0.5, 0.2, 0.3 → hours 2, 3, 1:
    2 + 3 + 5 = 10 CNY (uncontrolled, hours 0-2: 10 + 5 + 2 = 17 CNY)."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=np.zeros(4),
        grid=Grid(import_price_cny_per_kwh=[1, 0.5, 0.2, 0.3]),
        shiftable=[ShiftableLoad("wash", 0, 4, 30.0, 10.0)],
    )
    r = solve(model)
    np.testing.assert_allclose(r.schedules["shiftable_kw"]["wash"], [0, 10, 10, 10], atol=1e-7)
    assert r.objective == pytest.approx(10.0)
    assert r.kpis is not None and r.kpis.cost_saved_cny == pytest.approx(7.0)


def test_pv_curtailed_only_beyond_the_export_limit() -> None:
    """150 kW of PV, 50 kW load, export capped at 60 kW and paid 0.4: 40 kW must be curtailed."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=[50.0],
        grid=Grid(import_price_cny_per_kwh=1.0, export_price_cny_per_kwh=0.4, export_limit_kw=60.0),
        pv=[PvPlant("roof", [150.0])],
    )
    r = solve(model)
    assert r.schedules["pv_curtailed_kw"]["roof"][0] == pytest.approx(40.0)
    assert r.objective == pytest.approx(-24.0)
    assert r.kpis is not None and r.kpis.pv_self_consumption == pytest.approx(50 / 150)


def test_carbon_objective_charges_in_clean_hours() -> None:
    """Same prices everywhere, intensity 0.2 then 0.8 kgCO2/kWh: the carbon objective moves the
    load of hour 1 into hour 0 through a lossless battery: 2 × 50 kWh × 0.2 kg = 0.02 t."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=[50.0, 50.0],
        grid=Grid(import_price_cny_per_kwh=1.0, carbon_kg_per_kwh=[0.2, 0.8]),
        batteries=[Battery("b", 100.0, 100.0, 1.0, 1.0, initial_soc=0.0, terminal_soc=0.0)],
        objective="carbon",
    )
    r = solve(model)
    assert r.costs.emissions_t == pytest.approx(0.02)
    assert r.kpis is not None and r.kpis.co2_avoided_t == pytest.approx(0.05 - 0.02)


def test_ev_session_impossible_is_explained() -> None:
    """100 kWh through a 20 kW charger in 3 hours (at most 60 kWh): named session and hour."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=np.zeros(4),
        grid=Grid(import_price_cny_per_kwh=1.0),
        ev_sessions=[EvSession("bus-7", 0, 3, 100.0, 20.0)],
        labels=["08:00", "09:00", "10:00", "11:00"],
    )
    with pytest.raises(DispatchInfeasible) as err:
        solve(model)
    first = err.value.explanations[0]
    assert (first.constraint, first.asset, first.interval, first.label) == (
        "ev_energy",
        "bus-7",
        2,
        "10:00",
    )
    assert first.shortfall == pytest.approx(40.0)
    assert "bus-7" in first.reason("en") and "60.0 kWh" in first.reason("en")
    assert "bus-7" in first.reason("zh") and "电动汽车" in first.reason("zh")


def test_load_beyond_contract_capacity_is_explained() -> None:
    """A 500 kW load at hour 2 behind a 300 kW contract, no other source: hour 2, 200 kW short."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=[100.0, 100.0, 500.0, 100.0],
        grid=Grid(import_price_cny_per_kwh=1.0, import_limit_kw=300.0),
    )
    with pytest.raises(DispatchInfeasible) as err:
        solve(model)
    first = err.value.explanations[0]
    assert (first.constraint, first.interval) == ("electric_balance", 2)
    assert first.shortfall == pytest.approx(200.0)
    assert "300.0" in str(err.value)


def test_coupled_infeasibility_found_by_the_elastic_program() -> None:
    """Each input is fine alone, together they conflict: the battery must gain 50 kWh (0.4 →
    0.9 of 100 kWh) but a 100 kW contract over a 90 kW load leaves 10 kW × 4 h = 40 kWh. The
    least-violation program misses by exactly 10 kWh and names the rows that conflict."""
    model = SiteModel(
        interval_h=1.0,
        load_kw=np.full(4, 90.0),
        grid=Grid(import_price_cny_per_kwh=1.0, import_limit_kw=100.0),
        batteries=[Battery("b", 100.0, 50.0, 1.0, 1.0, initial_soc=0.4, terminal_soc=0.9)],
    )
    with pytest.raises(DispatchInfeasible) as err:
        solve(model)
    found = err.value.explanations
    assert found and sum(f.shortfall for f in found) == pytest.approx(10.0, abs=1e-6)
    assert {f.constraint for f in found} <= {
        "battery_terminal_soc",
        "electric_balance",
        "battery_soc_balance",
    }
    assert all(f.interval >= 0 for f in found)


def test_tou_prices_follow_the_domain_banding() -> None:
    """The demo schedule (peak 8-11 and 17-22, valley 0-8; summer 20-21 critical peak)."""
    from tests.optimize.sites import SCHEDULE, tou_prices
    from zeropark.errors import InputError
    from zeropark.optimize.dispatch import tou_price_series

    month = np.array([1, 1, 1, 7, 7, 7, 7])
    hour = np.array([3, 9, 12, 3, 9, 20, 21])
    np.testing.assert_allclose(tou_prices(month, hour), [0.27, 1.05, 0.63, 0.28, 1.11, 1.33, 1.11])
    with pytest.raises(InputError, match="no critical_peak price for month 7"):
        tou_price_series(
            [7], [20], SCHEDULE, [(range(1, 13), {"peak": 1, "flat": 0.6, "valley": 0.3})]
        )
