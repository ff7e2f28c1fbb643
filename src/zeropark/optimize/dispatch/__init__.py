"""Site dispatch (源网荷储协同调度): an LP of PV, storage, EVs, flexible loads, heat and
hydrogen against the grid's tariffs, solved with HiGHS.

Entry point: ``solve(SiteModel(...)) -> DispatchResult`` (schedules per asset, costs, KPIs
against the no-dispatch baseline); infeasible models raise :class:`DispatchInfeasible` whose
``explanations`` name the constraint, asset and interval. ``build`` / ``solve_built`` expose the
steps (build → solve → read back). Equations and sources: ``docs/dispatch.md``.
"""

from zeropark.optimize.dispatch.build import BuiltModel, build, front_loaded_profile
from zeropark.optimize.dispatch.explain import DispatchInfeasible, Infeasibility, diagnose, precheck
from zeropark.optimize.dispatch.model import (
    Battery,
    Boiler,
    Chp,
    EvSession,
    Grid,
    HeatPump,
    HydrogenChain,
    PvPlant,
    ShiftableLoad,
    SiteModel,
    battery_from_params,
)
from zeropark.optimize.dispatch.solve import (
    Costs,
    DispatchResult,
    Kpis,
    solve,
    solve_built,
    solve_lp,
)
from zeropark.optimize.dispatch.tariff import tou_price_series

__all__ = [
    "Battery",
    "Boiler",
    "BuiltModel",
    "Chp",
    "Costs",
    "DispatchInfeasible",
    "DispatchResult",
    "EvSession",
    "Grid",
    "HeatPump",
    "HydrogenChain",
    "Infeasibility",
    "Kpis",
    "PvPlant",
    "ShiftableLoad",
    "SiteModel",
    "battery_from_params",
    "build",
    "diagnose",
    "front_loaded_profile",
    "precheck",
    "solve",
    "solve_built",
    "solve_lp",
    "tou_price_series",
]
