"""Why a dispatch has no solution: the constraint, the asset and the interval, in words.

Two steps. First, direct checks of the inputs that name the obvious conflicts exactly (an EV
session that cannot get its energy before departure, an interval whose load exceeds every
source together, an unreachable terminal state of charge). Then, for whatever those miss, the
elastic program: every constraint row gets a non-negative slack on each side and HiGHS
minimises their sum; the rows left with slack in that least-violation solution are the
conflicting constraints, mapped back to their family, asset and interval (the same phase-1
idea solvers use to prove infeasibility, made readable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from zeropark.errors import InputError
from zeropark.i18n import Lang, get_lang
from zeropark.optimize.dispatch.build import BuiltModel
from zeropark.optimize.dispatch.highs import new_highs
from zeropark.optimize.dispatch.lp import to_csc
from zeropark.optimize.dispatch.model import SiteModel

__all__ = ["DispatchInfeasible", "Infeasibility", "diagnose", "precheck"]

_TOL = 1e-6

#: Constraint family → (Chinese, English) name used in explanations.
CONSTRAINTS: dict[str, tuple[str, str]] = {
    "electric_balance": ("电力平衡", "electric balance"),
    "heat_balance": ("热力平衡", "heat balance"),
    "ev_energy": ("电动汽车充电需求", "EV charging requirement"),
    "shiftable_energy": ("可调负荷用电需求", "shiftable-load energy requirement"),
    "battery_soc_balance": ("储能荷电状态", "battery state of charge"),
    "battery_terminal_soc": ("储能期末荷电状态", "battery terminal state of charge"),
    "battery_initial_soc": ("储能初始荷电状态", "battery initial state of charge"),
    "h2_tank_balance": ("储氢罐平衡", "hydrogen tank balance"),
    "h2_terminal_level": ("储氢罐期末储量", "hydrogen tank terminal level"),
    "demand_peak": ("需量峰值", "demand peak"),
}


@dataclass(frozen=True, slots=True)
class Infeasibility:
    """One conflicting constraint: ``constraint`` (a family of :data:`CONSTRAINTS`), the
    ``asset`` ("" for site-wide), the ``interval`` index and its ``label`` (-1 / "" for none),
    the ``shortfall`` (how much the constraint misses by, in its own unit: kW for balances,
    kWh for energies) and the numbers behind the reason in ``params``."""

    constraint: str
    asset: str
    interval: int
    label: str
    shortfall: float
    params: Mapping[str, float] = field(default_factory=dict)

    def reason(self, lang: Lang | None = None) -> str:
        """One sentence naming the constraint, the asset and the interval."""
        zh = (lang or get_lang()) == "zh"
        names = CONSTRAINTS.get(self.constraint, (self.constraint, self.constraint))
        values = {
            **self.params,
            "name": names[0] if zh else names[1],
            "asset": self.asset,
            "label": self.label or ("整个时段" if zh else "the whole horizon"),
            "shortfall": self.shortfall,
        }
        key = _message_key(self.constraint, self.params)
        template = _MESSAGES[key][0 if zh else 1]
        if key == "generic" and self.asset:
            template = template.replace(
                "{name}", "{name} '{asset}'" if not zh else "{name}「{asset}」"
            )
        return template.format(**values)


def _message_key(constraint: str, params: Mapping[str, float]) -> str:
    if constraint == "electric_balance" and "max_supply_kw" in params:
        return "short"
    if constraint == "electric_balance" and "min_surplus_kw" in params:
        return "surplus"
    if constraint in ("ev_energy", "shiftable_energy") and "max_kwh" in params:
        return "energy"
    if constraint == "battery_terminal_soc" and "max_kwh" in params:
        return "terminal"
    if constraint == "battery_initial_soc":
        return "initial"
    return "generic"


#: Reason templates (Chinese, English), filled with the params, label, asset and shortfall.
_MESSAGES: dict[str, tuple[str, str]] = {
    "short": (
        "{label}：负荷 {load_kw:.1f} kW 超过所有电源之和 {max_supply_kw:.1f} kW"
        "（缺 {shortfall:.1f} kW；合同容量 {import_limit_kw:.1f} kW）",
        "{label}: the load of {load_kw:.1f} kW exceeds every source together "
        "({max_supply_kw:.1f} kW, short by {shortfall:.1f} kW; contract capacity "
        "{import_limit_kw:.1f} kW)",
    ),
    "surplus": (
        "{label}：不可弃的发电超出用电与外送上限 {shortfall:.1f} kW",
        "{label}: generation that cannot be curtailed exceeds every use and the export limit "
        "by {shortfall:.1f} kW",
    ),
    "energy": (
        "{name}「{asset}」：需要 {need_kwh:.1f} kWh，"
        "但在 {label} 之前最多只能提供 {max_kwh:.1f} kWh",
        "{name} '{asset}': {need_kwh:.1f} kWh are needed but at most {max_kwh:.1f} kWh can be "
        "delivered by {label}",
    ),
    "terminal": (
        "{name}「{asset}」：期末需 {need_kwh:.1f} kWh，最多只能达到 {max_kwh:.1f} kWh",
        "{name} '{asset}': {need_kwh:.1f} kWh are required at the end but at most "
        "{max_kwh:.1f} kWh can be reached",
    ),
    "initial": (
        "{name}「{asset}」：初始荷电状态 {initial_soc:.2f} 不在 [{soc_min:.2f}, {soc_max:.2f}] 内",
        "{name} '{asset}': the initial SOC {initial_soc:.2f} is outside "
        "[{soc_min:.2f}, {soc_max:.2f}]",
    ),
    "generic": (
        "{name}在 {label} 无法满足（差 {shortfall:.3g}）",
        "{name} cannot hold at {label} (misses by {shortfall:.3g})",
    ),
}


class DispatchInfeasible(InputError):
    """No schedule satisfies the site model; ``explanations`` say which constraint, where."""

    def __init__(self, explanations: list[Infeasibility]) -> None:
        self.explanations = explanations
        first = explanations[0].reason() if explanations else "the dispatch has no solution"
        more = len(explanations) - 1
        super().__init__(first + (f" (+{more} more)" if more > 0 else ""), field="site_model")


def _energy_checks(m: SiteModel) -> list[Infeasibility]:
    found: list[Infeasibility] = []
    dt = m.interval_h
    jobs = [("ev_energy", s.name, s.arrival, s.departure, s.energy_kwh, s.charger_kw * s.efficiency)
            for s in m.ev_sessions]  # fmt: skip
    jobs += [
        ("shiftable_energy", j.name, j.earliest, j.latest, j.energy_kwh, j.max_kw)
        for j in m.shiftable
    ]
    for family, name, start, end, need, pmax in jobs:
        most = pmax * dt * (end - start)
        if need > most * (1 + _TOL) + _TOL:
            found.append(
                Infeasibility(
                    family,
                    name,
                    end - 1,
                    m.label(end - 1),
                    need - most,
                    {"need_kwh": need, "max_kwh": most},
                )
            )
    for b in m.batteries:
        if not b.soc_min - _TOL <= b.initial_soc <= b.soc_max + _TOL:
            found.append(
                Infeasibility("battery_initial_soc", b.name, 0, m.label(0), 0.0,
                              {"initial_soc": b.initial_soc, "soc_min": b.soc_min,
                               "soc_max": b.soc_max})
            )  # fmt: skip
            continue
        target = b.initial_soc if b.terminal_soc is None else b.terminal_soc
        p_ch = b.charge_power_kw if b.charge_power_kw is not None else b.power_kw
        most = min(
            b.soc_max, b.initial_soc + p_ch * b.charge_efficiency * dt * m.n / b.capacity_kwh
        )
        if target > most + _TOL:
            found.append(
                Infeasibility("battery_terminal_soc", b.name, m.n - 1, m.label(m.n - 1),
                              (target - most) * b.capacity_kwh,
                              {"need_kwh": target * b.capacity_kwh,
                               "max_kwh": most * b.capacity_kwh})
            )  # fmt: skip
    return found


def _balance_checks(m: SiteModel) -> list[Infeasibility]:
    n, g = m.n, m.grid
    load = np.asarray(m.load_kw, dtype=np.float64)
    supply = np.full(n, g.import_limit_kw)
    surplus = np.zeros(n)
    sink = np.full(n, g.export_limit_kw)
    for pv in m.pv:
        avail = np.asarray(pv.available_kw, dtype=np.float64)
        supply += avail
        if not pv.curtailable:
            surplus += avail
    for b in m.batteries:
        supply += b.discharge_power_kw if b.discharge_power_kw is not None else b.power_kw
        sink += b.charge_power_kw if b.charge_power_kw is not None else b.power_kw
    for chp in m.chps:
        supply += chp.electric_kw
    for h in m.hydrogen:
        supply += h.fuel_cell_kw
        sink += h.electrolyser_kw
    for hp in m.heat_pumps:
        sink += hp.heat_kw / hp.cop
    for s in m.ev_sessions:
        sink[s.arrival : s.departure] += s.charger_kw
    for j in m.shiftable:
        sink[j.earliest : j.latest] += j.max_kw
    found: list[Infeasibility] = []
    for t in np.flatnonzero(load > supply + _TOL)[:5].tolist():
        found.append(
            Infeasibility("electric_balance", "", t, m.label(t), float(load[t] - supply[t]),
                          {"load_kw": float(load[t]), "max_supply_kw": float(supply[t]),
                           "import_limit_kw": float(g.import_limit_kw)})
        )  # fmt: skip
    excess = surplus - load - sink
    for t in np.flatnonzero(excess > _TOL)[:5].tolist():
        found.append(
            Infeasibility("electric_balance", "", t, m.label(t), float(excess[t]),
                          {"min_surplus_kw": float(excess[t])})
        )  # fmt: skip
    return found


def precheck(model: SiteModel) -> list[Infeasibility]:
    """Conflicts visible in the inputs alone (empty when none is found)."""
    return _energy_checks(model) + _balance_checks(model)


def diagnose(built: BuiltModel, limit: int = 10) -> list[Infeasibility]:
    """The constraints the least-violation (elastic) solution of ``built`` cannot meet."""
    lp = built.lp
    _, col_lo, col_hi, row_lo, row_hi = lp.arrays()
    m_rows, n_cols = lp.n_rows, lp.n_cols
    total = n_cols + 2 * m_rows
    r, cidx, v = lp.triplets()
    diag = np.arange(m_rows, dtype=np.int64)
    elastic = to_csc(
        np.concatenate([r, diag, diag]),
        np.concatenate([cidx, n_cols + diag, n_cols + m_rows + diag]),
        np.concatenate([v, np.ones(m_rows), -np.ones(m_rows)]),
        m_rows,
        total,
    )
    c = np.concatenate([np.zeros(n_cols), np.ones(2 * m_rows)])
    lo = np.concatenate([col_lo, np.zeros(2 * m_rows)])
    hi = np.concatenate([col_hi, np.full(2 * m_rows, np.inf)])
    h = new_highs()
    h.passModel(
        total, m_rows, elastic.nnz, 1, 1, 0.0, c, lo, hi, row_lo, row_hi,
        elastic.indptr, elastic.indices, elastic.data,
        np.zeros(total, dtype=np.int32),
    )  # fmt: skip
    h.run()
    x = np.asarray(h.getSolution().col_value)
    slack = x[n_cols : n_cols + m_rows] + x[n_cols + m_rows :]
    found: list[Infeasibility] = []
    for row in np.argsort(-slack)[:limit].tolist():
        if slack[row] <= _TOL:
            break
        block = lp.row_block(row)
        t = block.interval_of(row)
        label = built.model.label(t) if t >= 0 else ""
        found.append(Infeasibility(block.family, block.asset, t, label, float(slack[row])))
    return found
