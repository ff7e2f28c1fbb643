"""Solve a site model with HiGHS and read the schedules back: build → solve → read, separately.

:func:`solve` is the entry point: it checks the inputs (:func:`~.explain.precheck`), builds the
LP (:func:`~.build.build`), hands the sparse matrix straight to ``highspy`` (no modelling layer
in between), reads the columns back into per-asset schedules and, unless told not to, solves
the no-dispatch baseline of the same site to report the savings (:class:`Kpis`). An infeasible
model raises :class:`~.explain.DispatchInfeasible` with the constraint, asset and interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

from zeropark.errors import ZeroparkError
from zeropark.optimize.dispatch.build import BuiltModel, Mode, build
from zeropark.optimize.dispatch.explain import DispatchInfeasible, diagnose, precheck
from zeropark.optimize.dispatch.highs import new_highs
from zeropark.optimize.dispatch.lp import FloatArray, LinearProgram
from zeropark.optimize.dispatch.model import SiteModel

__all__ = ["Costs", "DispatchResult", "Kpis", "Schedule", "solve", "solve_built", "solve_lp"]

#: Schedules: variable family (``battery_soc_kwh``...) → asset name ("" site-wide) → series.
Schedule = dict[str, dict[str, FloatArray]]

_FAMILY_COST = {
    "grid_import_kw": "energy_cny",
    "grid_export_kw": "export_revenue_cny",
    "monthly_peak_kw": "demand_charge_cny",
    "battery_charge_kw": "degradation_cny",
    "battery_discharge_kw": "degradation_cny",
    "chp_fuel_kw": "fuel_cny",
    "boiler_fuel_kw": "fuel_cny",
}


@dataclass(frozen=True, slots=True)
class Costs:
    """Money of a schedule [CNY] by part, and its emissions [tCO2].

    ``export_revenue_cny`` is counted negative in ``total_cny`` (a revenue);
    ``carbon_cost_cny`` = carbon price × ``emissions_t``; ``total_cny`` is the sum of the
    parts: energy − export revenue + demand charge + degradation + fuel + carbon cost.
    """

    energy_cny: float
    export_revenue_cny: float
    demand_charge_cny: float
    degradation_cny: float
    fuel_cny: float
    carbon_cost_cny: float
    total_cny: float
    emissions_t: float


@dataclass(frozen=True, slots=True)
class Kpis:
    """The dispatch against the no-dispatch baseline of the same site.

    ``cost_saved_cny`` = baseline total − dispatch total; ``peak_reduced_kw`` = baseline
    highest import − dispatch highest import; ``pv_self_consumption`` share of available PV
    energy used on site (not exported, not curtailed) with dispatch and without;
    ``co2_avoided_t`` = baseline emissions − dispatch emissions.
    """

    cost_saved_cny: float
    peak_reduced_kw: float
    pv_self_consumption: float
    pv_self_consumption_baseline: float
    co2_avoided_t: float


@dataclass(frozen=True)
class DispatchResult:
    """A solved dispatch: objective, schedules per asset, costs, and KPIs against the baseline.

    ``grid_import_kw`` / ``grid_export_kw`` per interval; ``schedules`` every variable family
    by asset (see :data:`Schedule`; ``pv_curtailed_kw`` is derived); ``monthly_peak_kw`` the
    billed peak per month label; ``baseline`` the no-dispatch result (None when not asked).
    """

    objective: float
    grid_import_kw: FloatArray
    grid_export_kw: FloatArray
    schedules: Schedule
    costs: Costs
    monthly_peak_kw: Mapping[int, float]
    baseline: DispatchResult | None = None
    kpis: Kpis | None = None
    solver: Mapping[str, Any] = field(default_factory=dict)


def solve_lp(
    lp: LinearProgram, options: Mapping[str, Any] | None = None
) -> tuple[str, FloatArray, float, highspy.Highs]:
    """Pass ``lp`` to HiGHS as a column-wise sparse matrix, solve, and return
    ``(status, x, objective, highs)``; ``status`` is HiGHS' model status text."""
    matrix = lp.csc()
    cost, col_lo, col_hi, row_lo, row_hi = lp.arrays()
    h = new_highs()
    for key, value in (options or {}).items():
        h.setOptionValue(key, value)
    h.passModel(
        lp.n_cols, lp.n_rows, matrix.nnz, 1, 1, 0.0, cost, col_lo, col_hi, row_lo, row_hi,
        matrix.indptr, matrix.indices, matrix.data,
        np.zeros(lp.n_cols, dtype=np.int32),
    )  # fmt: skip
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return status, np.empty(0), float("nan"), h
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    return status, x, float(h.getInfo().objective_function_value), h


def _schedules(built: BuiltModel, x: FloatArray) -> Schedule:
    n = built.model.n
    out: Schedule = {}
    for block in built.lp.columns:
        values = x[block.start : block.start + block.size]
        if block.family in ("ev_kw", "shiftable_kw"):
            series = np.zeros(n)
            series[block.intervals] = values
            values = series
        out.setdefault(block.family, {})[block.asset] = values
    for pv in built.model.pv:
        used = out["pv_kw"][pv.name]
        avail = np.asarray(pv.available_kw, dtype=np.float64)
        out.setdefault("pv_curtailed_kw", {})[pv.name] = np.clip(avail - used, 0.0, None)
    return out


def _costs(built: BuiltModel, x: FloatArray) -> Costs:
    parts = dict.fromkeys(
        ("energy_cny", "export_revenue_cny", "demand_charge_cny", "degradation_cny", "fuel_cny"),
        0.0,
    )
    for block in built.lp.columns:
        key = _FAMILY_COST.get(block.family)
        if key is None:
            continue
        sl = slice(block.start, block.start + block.size)
        parts[key] += float(built.money[sl] @ x[sl])
    parts["export_revenue_cny"] = -parts["export_revenue_cny"]
    emissions = float(built.carbon_t @ x)
    carbon_cost = built.model.carbon_price_cny_per_t * emissions
    total = (
        parts["energy_cny"] - parts["export_revenue_cny"] + parts["demand_charge_cny"]
        + parts["degradation_cny"] + parts["fuel_cny"] + carbon_cost
    )  # fmt: skip
    return Costs(**parts, carbon_cost_cny=carbon_cost, total_cny=total, emissions_t=emissions)


def _self_consumption(m: SiteModel, schedules: Schedule, export_kw: FloatArray) -> float:
    if not m.pv:
        return 0.0
    avail = sum(float(np.sum(np.asarray(pv.available_kw, dtype=np.float64))) for pv in m.pv)
    if avail <= 0:
        return 0.0
    used = sum(schedules["pv_kw"].values(), np.zeros(m.n))
    return float(np.sum(np.clip(used - export_kw, 0.0, None)) / avail)


def solve_built(built: BuiltModel, options: Mapping[str, Any] | None = None) -> DispatchResult:
    """Solve a built program and read it back (no baseline); raises on infeasibility."""
    status, x, objective, h = solve_lp(built.lp, options)
    if x.size == 0:
        if status.lower().startswith("infeasible") or "infeasible" in status.lower():
            raise DispatchInfeasible(diagnose(built))
        raise ZeroparkError(f"HiGHS could not solve the dispatch: {status}")
    schedules = _schedules(built, x)
    peaks: dict[int, float] = {}
    if "monthly_peak_kw" in schedules:
        values = schedules["monthly_peak_kw"][""]
        peaks = {int(label): float(v) for label, v in zip(built.month_labels, values, strict=True)}
    info = h.getInfo()
    return DispatchResult(
        objective=objective,
        grid_import_kw=schedules["grid_import_kw"][""],
        grid_export_kw=schedules["grid_export_kw"][""],
        schedules=schedules,
        costs=_costs(built, x),
        monthly_peak_kw=peaks,
        solver={"status": status, "iterations": int(info.simplex_iteration_count),
                "columns": built.lp.n_cols, "rows": built.lp.n_rows},
    )  # fmt: skip


def _run(model: SiteModel, mode: Mode, options: Mapping[str, Any] | None) -> DispatchResult:
    return solve_built(build(model, mode), options)


def solve(
    model: SiteModel, *, baseline: bool = True, options: Mapping[str, Any] | None = None
) -> DispatchResult:
    """Optimal dispatch of ``model``; with ``baseline`` the no-dispatch reference and the KPIs.

    ``options`` are HiGHS options (``{"time_limit": 60}``). Raises
    :class:`~.explain.DispatchInfeasible` naming the constraint, asset and interval when no
    schedule meets the model.
    """
    found = precheck(model)
    if found:
        raise DispatchInfeasible(found)
    result = _run(model, "dispatch", options)
    if not baseline:
        return result
    base = _run(model, "baseline", options)
    kpis = Kpis(
        cost_saved_cny=base.costs.total_cny - result.costs.total_cny,
        peak_reduced_kw=float(np.max(base.grid_import_kw) - np.max(result.grid_import_kw)),
        pv_self_consumption=_self_consumption(model, result.schedules, result.grid_export_kw),
        pv_self_consumption_baseline=_self_consumption(model, base.schedules, base.grid_export_kw),
        co2_avoided_t=base.costs.emissions_t - result.costs.emissions_t,
    )
    return DispatchResult(
        objective=result.objective,
        grid_import_kw=result.grid_import_kw,
        grid_export_kw=result.grid_export_kw,
        schedules=result.schedules,
        costs=result.costs,
        monthly_peak_kw=result.monthly_peak_kw,
        baseline=base,
        kpis=kpis,
        solver=result.solver,
    )
