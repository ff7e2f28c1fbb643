"""Dispatch: zeropark's HiGHS LP against PyPSA, linopy and the bare solve; and the rolling
re-optimisation with the project's own forecasts against perfect foresight and a rule.

    .venv/bin/python benchmarks/dispatch.py                 # both parts
    .venv/bin/python benchmarks/dispatch.py --part speed --repeat 5
    .venv/bin/python benchmarks/dispatch.py --part rolling

Speed (8,760 hours of the demo park: load, PV, a 4 MWh battery, time-of-use tariff, export,
monthly demand charge; ``tests/optimize/sites.py``): end-to-end seconds (build + solve + read
the schedules back) of zeropark, of PyPSA (``Network.optimize`` with HiGHS), of linopy (the
same LP written in linopy), and of the bare HiGHS solve (``Highs.run`` on the LP already
passed), each ``--repeat`` times in turn, the minimum (and median) printed with the
objectives. Targets (issue #13): zeropark ≥ 3× faster than PyPSA, faster than linopy, within
1.5× of the bare solve.

Rolling (the demo park's 2024, hourly, forecasts made from 2023 and the days before): each
day re-planned over 48 h with day-ahead forecasts (load: LightGBM on China's calendar, refit
weekly; PV: the persistence/climatology blend), executed on the actuals with a peak guard
(``zeropark.optimize.rolling``). Printed: the share of the perfect-foresight saving (one LP
over the year on the actuals) captured under time-of-use prices alone and with the demand
charge, next to the same re-optimisation with naive forecasts (yesterday) and a rule-based
battery (charge in the valley, discharge in the peaks). Targets: ≥ 0.90 under time-of-use,
and with the demand charge at least the rule's share.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.optimize.sites import (
    PEAK_HOURS,
    VALLEY_HOURS,
    linopy_model,
    pypsa_network,
    site_model,
)

from zeropark.optimize.dispatch import SiteModel, build, solve
from zeropark.optimize.rolling import Operation, rolling_dispatch, rule_based_dispatch, settle

HOURS = 8760


def _timed(fn: Callable[[], float]) -> tuple[float, float]:
    t0 = time.perf_counter()
    objective = fn()
    return time.perf_counter() - t0, objective


def run_zeropark(model: SiteModel) -> float:
    result = solve(model, baseline=False)
    _ = result.schedules["battery_soc_kwh"]["bess"].sum()
    return result.objective


def run_pypsa(model: SiteModel) -> float:
    net = pypsa_network(model)
    net.optimize(solver_name="highs", solver_options={"output_flag": False})
    _ = net.stores_t.e.sum().sum()
    return float(net.objective)


def run_linopy(model: SiteModel) -> float:
    m = linopy_model(model)
    m.solve("highs", output_flag=False, progress=False)
    _ = m.solution["soc_bess"].values.sum()
    return float(m.objective.value)


def bare_solve(model: SiteModel) -> tuple[float, float]:
    """Seconds of ``Highs.run`` alone on zeropark's LP already passed to HiGHS."""
    import highspy

    lp = build(model).lp
    matrix = lp.csc()
    cost, col_lo, col_hi, row_lo, row_hi = lp.arrays()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(
        lp.n_cols, lp.n_rows, matrix.nnz, 1, 1, 0.0, cost, col_lo, col_hi, row_lo, row_hi,
        matrix.indptr, matrix.indices, matrix.data, np.zeros(lp.n_cols, dtype=np.int32),
    )  # fmt: skip
    t0 = time.perf_counter()
    h.run()
    return time.perf_counter() - t0, float(h.getInfo().objective_function_value)


def speed(repeat: int) -> None:
    model = site_model(HOURS)
    runs: dict[str, list[float]] = {"zeropark": [], "pypsa": [], "linopy": [], "bare HiGHS": []}
    objectives: dict[str, float] = {}
    run_zeropark(model)  # warm imports once for every contender
    run_linopy(model)
    run_pypsa(model)
    for _ in range(repeat):
        for name, fn in (("zeropark", run_zeropark), ("pypsa", run_pypsa), ("linopy", run_linopy)):
            seconds, objective = _timed(lambda fn=fn: fn(model))
            runs[name].append(seconds)
            objectives[name] = objective
        seconds, objective = bare_solve(model)
        runs["bare HiGHS"].append(seconds)
        objectives["bare HiGHS"] = objective
    print(f"\n8,760-hour site LP ({repeat} runs each, interleaved; seconds end to end)")
    print(f"{'':12s} {'min':>8s} {'median':>8s}  objective [CNY]")
    for name, values in runs.items():
        print(
            f"{name:12s} {min(values):8.3f} {statistics.median(values):8.3f}  "
            f"{objectives[name]:.6f}"
        )
    z, p, lin, bare = (min(runs[k]) for k in ("zeropark", "pypsa", "linopy", "bare HiGHS"))
    ref = objectives["bare HiGHS"]
    spread = max(abs(v - ref) / abs(ref) for v in objectives.values())
    print(f"PyPSA / zeropark   {p / z:5.2f}x   (target >= 3)")
    print(f"linopy / zeropark  {lin / z:5.2f}x   (target > 1)")
    print(f"zeropark / bare    {z / bare:5.2f}x   (target <= 1.5)")
    print(f"objectives agree to {spread:.1e} relative")


# ---------------------------------------------------------------- rolling re-optimisation


def _two_years() -> tuple[np.ndarray, np.ndarray, object]:
    """Hourly load and PV [kW] of the demo park's 2023 then 2024, and their local instants."""
    import pandas as pd

    from zeropark.data.demo.build import demo_quantities

    loads, pvs, stamps = [], [], []
    for year in (2023, 2024):
        _, q = demo_quantities(year, 20240101)
        site = (
            q["grid_main"] - q["grid_export"] + q["pv_gen"] + q["bess_discharge"] - q["bess_charge"]
        )
        loads.append(site.reshape(-1, 4).sum(axis=1))
        pvs.append(q["pv_gen"].reshape(-1, 4).sum(axis=1))
        stamps.append(pd.date_range(f"{year}-01-01", periods=loads[-1].size, freq="1h"))
    return np.concatenate(loads), np.concatenate(pvs), stamps[0].append(stamps[1])


class NaiveForecaster:
    """Yesterday's load and PV, repeated (the forecasts that fail)."""

    def __init__(self, load: np.ndarray, pv: np.ndarray, offset: int) -> None:
        self.load, self.pv, self.offset = load, pv, offset

    def __call__(self, start: int, length: int) -> tuple[np.ndarray, np.ndarray]:
        o = self.offset + start
        reps = -(-length // 24)
        return np.tile(self.load[o - 24 : o], reps)[:length], np.tile(self.pv[o - 24 : o], reps)[
            :length
        ]


class CachedForecaster:
    """Forecasts computed once, reused by several scenarios of the same year."""

    def __init__(self, inner: Callable[[int, int], tuple[np.ndarray, np.ndarray]]) -> None:
        self.inner = inner
        self.cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, start: int, length: int) -> tuple[np.ndarray, np.ndarray]:
        key = (start, length)
        if key not in self.cache:
            self.cache[key] = self.inner(start, length)
        return self.cache[key]


def _share(base: float, achieved: float, best: float) -> float:
    return (base - achieved) / (base - best)


def rolling() -> None:
    from zeropark.forecast import RollingForecaster, metrics

    load, pv, index = _two_years()
    offset = int(np.flatnonzero(index.year == 2024)[0])  # type: ignore[attr-defined]
    n = site_model(None).n
    assert np.allclose(np.asarray(site_model(None).load_kw), load[offset:])
    hour = np.arange(n) % 24
    t0 = time.perf_counter()
    project = RollingForecaster(load, pv, index, offset)  # type: ignore[arg-type]
    naive = CachedForecaster(NaiveForecaster(load, pv, offset))
    charge = np.isin(hour, [h for a, b in VALLEY_HOURS for h in range(a, b)])
    discharge = np.isin(hour, [h for a, b in PEAK_HOURS for h in range(a, b)])
    print(
        "\nRolling re-optimisation, demo park 2024 (8,784 h): share of the perfect-foresight saving"
    )
    head = ("scenario", "perfect", "project", "naive", "rule", "perfect saving CNY")
    print(f"{head[0]:20s} {head[1]:>8s} {head[2]:>8s} {head[3]:>8s} {head[4]:>8s}  {head[5]:>18s}")
    for label, with_demand in (("time-of-use", False), ("with demand charge", True)):
        model = site_model(None, demand_charge=with_demand)
        # the re-planning ends its last window at the lowest SOC: so does perfect foresight
        battery = model.batteries[0]
        model = replace(model, batteries=[replace(battery, terminal_soc=battery.soc_min)])
        imp, exp = _no_battery(model)
        base_total, _, _ = settle(model, imp, exp, np.zeros(n))
        best = solve(model, baseline=False).objective
        ops: dict[str, Operation] = {
            "project": rolling_dispatch(model, project),
            "naive": rolling_dispatch(model, naive),
            "rule": rule_based_dispatch(model, charge, discharge),
        }
        share = {k: _share(base_total, op.cost_cny, best) for k, op in ops.items()}
        print(
            f"{label:20s} {1.0:8.3f} {share['project']:8.3f} {share['naive']:8.3f} "
            f"{share['rule']:8.3f}  {base_total - best:18,.0f}"
        )
    fc = np.concatenate([project(s, 24)[0] for s in range(0, n, 24)])[:n]
    yesterday = load[offset - 24 : offset - 24 + n]
    print(
        f"day-ahead load forecast over 2024: MAPE {metrics.mape(load[offset:], fc):.2f} % "
        f"(project) vs {metrics.mape(load[offset:], yesterday):.2f} % (yesterday)"
    )
    print("targets: time-of-use share >= 0.90; with demand charge project >= rule")
    print(f"rolling part took {time.perf_counter() - t0:.0f} s")


def _no_battery(model: SiteModel) -> tuple[np.ndarray, np.ndarray]:
    """Import and export [kW] without the battery (PV self-consumed first, export to its limit)."""
    net = np.asarray(model.load_kw) - np.asarray(model.pv[0].available_kw)
    return np.clip(net, 0, None), np.clip(np.clip(-net, 0, None), 0, model.grid.export_limit_kw)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=("speed", "rolling", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("pypsa").setLevel(logging.ERROR)
    logging.getLogger("linopy").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    if args.part in ("speed", "all"):
        speed(args.repeat)
    if args.part in ("rolling", "all"):
        rolling()


if __name__ == "__main__":
    main()
