"""Build the dispatch LP from a :class:`~.model.SiteModel`: one short function per family.

Each ``_define_*`` function adds its variables and constraints to the program and its terms to
the electric balance (and the heat balance); ``build`` runs them and assembles the balances and
the objective. ``mode="baseline"`` builds the no-dispatch reference of the same site: storage
idle (battery power 0, hydrogen tank level held), EV sessions charging at full power from
arrival, shiftable loads running at full power from their earliest interval; the grid, PV and
heat assets still meet the loads at least cost interval by interval. The equations are in
``docs/dispatch.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from zeropark.optimize.dispatch.lp import FloatArray, IntArray, LinearProgram
from zeropark.optimize.dispatch.model import SiteModel, month_index

__all__ = ["BuiltModel", "Mode", "build", "front_loaded_profile"]

Mode = Literal["dispatch", "baseline"]
_KG_PER_T = 1000.0
_KWH_PER_MWH = 1000.0


@dataclass
class BuiltModel:
    """The program and, per column, its money [CNY] and emissions [tCO2] per unit value."""

    model: SiteModel
    mode: Mode
    lp: LinearProgram
    money: FloatArray
    carbon_t: FloatArray
    month_labels: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


@dataclass
class _Ctx:
    m: SiteModel
    mode: Mode
    lp: LinearProgram
    n: int
    dt: float
    money: list[FloatArray] = field(default_factory=list)
    carbon: list[FloatArray] = field(default_factory=list)
    elec: list[tuple[IntArray, IntArray, FloatArray]] = field(default_factory=list)
    heat: list[tuple[IntArray, IntArray, FloatArray]] = field(default_factory=list)

    def var(
        self,
        family: str,
        asset: str,
        size: int,
        lo: npt.ArrayLike,
        hi: npt.ArrayLike,
        money: npt.ArrayLike = 0.0,
        carbon_t: npt.ArrayLike = 0.0,
        intervals: IntArray | None = None,
    ) -> IntArray:
        cols = self.lp.add_cols(family, asset, size, lo, hi, 0.0, intervals)
        self.money.append(np.broadcast_to(np.asarray(money, dtype=np.float64), (size,)))
        self.carbon.append(np.broadcast_to(np.asarray(carbon_t, dtype=np.float64), (size,)))
        return cols

    @property
    def t(self) -> IntArray:
        return np.arange(self.n, dtype=np.int64)


def front_loaded_profile(
    start: int, end: int, energy_kwh: float, max_kw: float, dt: float
) -> FloatArray:
    """Power [kW] over ``[start, end)`` running at ``max_kw`` from ``start`` until
    ``energy_kwh`` is delivered (the last interval partly): the uncontrolled profile."""
    size = end - start
    full = max_kw * dt
    done = np.minimum(np.arange(1, size + 1) * full, energy_kwh)
    energy = np.diff(np.concatenate(([0.0], done)))
    return np.asarray(energy / dt, dtype=np.float64)


def _define_grid(c: _Ctx) -> None:
    g = c.m.grid
    dt, n = c.dt, c.n
    price = np.broadcast_to(np.asarray(g.import_price_cny_per_kwh, dtype=np.float64), (n,))
    export_price = np.broadcast_to(np.asarray(g.export_price_cny_per_kwh, dtype=np.float64), (n,))
    intensity = np.broadcast_to(np.asarray(g.carbon_kg_per_kwh, dtype=np.float64), (n,))
    imp = c.var(
        "grid_import_kw", "", n, 0.0, g.import_limit_kw, price * dt, intensity * dt / _KG_PER_T
    )
    exp = c.var("grid_export_kw", "", n, 0.0, g.export_limit_kw, -export_price * dt)
    c.elec.append((c.t, imp, np.ones(n)))
    c.elec.append((c.t, exp, -np.ones(n)))


def _define_demand_charge(c: _Ctx) -> IntArray:
    g = c.m.grid
    if g.demand_charge_cny_per_kw_month <= 0:
        return np.empty(0, dtype=np.int64)
    months = (
        g.month_of_interval if g.month_of_interval is not None else np.zeros(c.n, dtype=np.int64)
    )
    labels, pos = month_index(months)
    floor = np.array([float(g.peak_floor_kw.get(int(label), 0.0)) for label in labels])
    peak = c.var(
        "monthly_peak_kw", "", labels.size, floor, math.inf, g.demand_charge_cny_per_kw_month,
        intervals=np.full(labels.size, -1, dtype=np.int64),
    )  # fmt: skip
    imp = c.lp.cols_of("grid_import_kw").start + c.t
    rows = c.lp.add_rows("demand_peak", "", c.n, 0.0, math.inf)
    c.lp.add_coefs(rows, peak[pos], 1.0)
    c.lp.add_coefs(rows, imp, -1.0)
    return labels


def _define_pv(c: _Ctx) -> None:
    for pv in c.m.pv:
        avail = np.asarray(pv.available_kw, dtype=np.float64)
        lo = 0.0 if pv.curtailable else avail
        cols = c.var("pv_kw", pv.name, c.n, lo, avail)
        c.elec.append((c.t, cols, np.ones(c.n)))


def _define_batteries(c: _Ctx) -> None:
    dt, n = c.dt, c.n
    for b in c.m.batteries:
        idle = c.mode == "baseline"
        p_ch = 0.0 if idle else (b.charge_power_kw if b.charge_power_kw is not None else b.power_kw)
        p_dis = (
            0.0
            if idle
            else (b.discharge_power_kw if b.discharge_power_kw is not None else b.power_kw)
        )
        wear = b.degradation_cny_per_mwh / _KWH_PER_MWH * dt
        ch = c.var("battery_charge_kw", b.name, n, 0.0, p_ch, wear)
        dis = c.var("battery_discharge_kw", b.name, n, 0.0, p_dis, wear)
        soc = c.var(
            "battery_soc_kwh", b.name, n, b.soc_min * b.capacity_kwh, b.soc_max * b.capacity_kwh
        )
        e0 = b.initial_soc * b.capacity_kwh
        rhs = np.zeros(n)
        rhs[0] = e0
        rows = c.lp.add_rows("battery_soc_balance", b.name, n, rhs, rhs)
        c.lp.add_coefs(rows, soc, 1.0)
        c.lp.add_coefs(rows[1:], soc[:-1], -1.0)
        c.lp.add_coefs(rows, ch, -b.charge_efficiency * dt)
        c.lp.add_coefs(rows, dis, dt / b.discharge_efficiency)
        target = e0 if (b.terminal_soc is None or idle) else b.terminal_soc * b.capacity_kwh
        end = c.lp.add_rows("battery_terminal_soc", b.name, 1, target, math.inf, np.array([n - 1]))
        c.lp.add_coefs(end, soc[-1:], 1.0)
        c.elec.append((c.t, ch, -np.ones(n)))
        c.elec.append((c.t, dis, np.ones(n)))


def _define_windowed(c: _Ctx) -> None:
    """EV sessions and shiftable loads: power in a window, an energy to deliver by its end."""
    dt = c.dt
    jobs = [
        ("ev", s.name, s.arrival, s.departure, s.energy_kwh, s.charger_kw, s.efficiency)
        for s in c.m.ev_sessions
    ] + [
        ("shiftable", j.name, j.earliest, j.latest, j.energy_kwh, j.max_kw, 1.0)
        for j in c.m.shiftable
    ]
    for family, name, start, end, energy, pmax, eff in jobs:
        t = np.arange(start, end, dtype=np.int64)
        if c.mode == "baseline":
            profile = front_loaded_profile(start, end, energy / eff, pmax, dt)
            cols = c.var(f"{family}_kw", name, t.size, profile, profile, intervals=t)
        else:
            cols = c.var(f"{family}_kw", name, t.size, 0.0, pmax, intervals=t)
        row = c.lp.add_rows(f"{family}_energy", name, 1, energy, energy, np.array([end - 1]))
        c.lp.add_coefs(row, cols, eff * dt)
        c.elec.append((t, cols, -np.ones(t.size)))


def _define_heat(c: _Ctx) -> None:
    dt, n = c.dt, c.n
    for chp in c.m.chps:
        fuel = c.var(
            "chp_fuel_kw", chp.name, n, 0.0, chp.electric_kw / chp.electric_efficiency,
            chp.fuel_cny_per_kwh * dt, chp.fuel_kg_co2_per_kwh * dt / _KG_PER_T,
        )  # fmt: skip
        c.elec.append((c.t, fuel, np.full(n, chp.electric_efficiency)))
        c.heat.append((c.t, fuel, np.full(n, chp.thermal_efficiency)))
    for hp in c.m.heat_pumps:
        el = c.var("heat_pump_electric_kw", hp.name, n, 0.0, hp.heat_kw / hp.cop)
        c.elec.append((c.t, el, -np.ones(n)))
        c.heat.append((c.t, el, np.full(n, hp.cop)))
    for bo in c.m.boilers:
        fuel = c.var(
            "boiler_fuel_kw", bo.name, n, 0.0, bo.heat_kw / bo.efficiency,
            bo.fuel_cny_per_kwh * dt, bo.fuel_kg_co2_per_kwh * dt / _KG_PER_T,
        )  # fmt: skip
        c.heat.append((c.t, fuel, np.full(n, bo.efficiency)))


def _define_hydrogen(c: _Ctx) -> None:
    dt, n = c.dt, c.n
    for h in c.m.hydrogen:
        held = c.mode == "baseline"
        offtake = np.broadcast_to(np.asarray(h.offtake_kw, dtype=np.float64), (n,))
        el = c.var("electrolyser_kw", h.name, n, 0.0, h.electrolyser_kw)
        fc = c.var("fuel_cell_kw", h.name, n, 0.0, 0.0 if held else h.fuel_cell_kw)
        lo, hi = (h.initial_kwh, h.initial_kwh) if held else (0.0, h.tank_kwh)
        level = c.var("h2_tank_kwh", h.name, n, lo, hi)
        rhs = -offtake * dt
        rhs = rhs.copy()
        rhs[0] += h.initial_kwh
        rows = c.lp.add_rows("h2_tank_balance", h.name, n, rhs, rhs)
        c.lp.add_coefs(rows, level, 1.0)
        c.lp.add_coefs(rows[1:], level[:-1], -1.0)
        c.lp.add_coefs(rows, el, -h.electrolyser_efficiency * dt)
        c.lp.add_coefs(rows, fc, dt / h.fuel_cell_efficiency)
        target = h.initial_kwh if h.terminal_kwh is None or held else h.terminal_kwh
        end = c.lp.add_rows("h2_terminal_level", h.name, 1, target, math.inf, np.array([n - 1]))
        c.lp.add_coefs(end, level[-1:], 1.0)
        c.elec.append((c.t, el, -np.ones(n)))
        c.elec.append((c.t, fc, np.ones(n)))


def _define_balances(c: _Ctx) -> None:
    load = np.asarray(c.m.load_kw, dtype=np.float64)
    rows = c.lp.add_rows("electric_balance", "", c.n, load, load)
    for t, cols, coef in c.elec:
        c.lp.add_coefs(rows[t], cols, coef)
    heat_load = np.broadcast_to(np.asarray(c.m.heat_load_kw, dtype=np.float64), (c.n,))
    if c.heat or (heat_load > 0).any():
        hrows = c.lp.add_rows("heat_balance", "", c.n, heat_load, math.inf)
        for t, cols, coef in c.heat:
            c.lp.add_coefs(hrows[t], cols, coef)


def _objective(m: SiteModel, money: FloatArray, carbon_t: FloatArray) -> FloatArray:
    if m.objective == "carbon":
        return carbon_t.copy()
    weight = m.carbon_price_cny_per_t + (
        m.carbon_weight_cny_per_t if m.objective == "weighted" else 0.0
    )
    return money + weight * carbon_t if weight else money.copy()


def build(model: SiteModel, mode: Mode = "dispatch") -> BuiltModel:
    """The LP of ``model`` (``mode="baseline"``: its no-dispatch reference, see the module doc)."""
    model.validate()
    c = _Ctx(model, mode, LinearProgram(), model.n, float(model.interval_h))
    _define_grid(c)
    _define_pv(c)
    _define_batteries(c)
    _define_windowed(c)
    _define_heat(c)
    _define_hydrogen(c)
    labels = _define_demand_charge(c)
    _define_balances(c)
    money = np.concatenate(c.money) if c.money else np.empty(0)
    carbon = np.concatenate(c.carbon) if c.carbon else np.empty(0)
    c.lp.set_cost(_objective(model, money, carbon))
    return BuiltModel(model, mode, c.lp, money, carbon, labels)
