"""Aggregation of line results: totals per method, by any combination of dimensions.

Gross = scope 1 + scope 2 (+ scope 3 where declared); removals (sinks, CCUS) and retired
offsets are kept apart; net = gross − removals − offsets. The zero-carbon park method deducts
neither removals nor offsets (its core indicator counts emissions only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from zeropark.domain.accounting.periods import Granularity
from zeropark.domain.accounting.trace import EnergyClass, LineResult, Method

__all__ = [
    "DIMENSIONS",
    "Dimension",
    "EnergyTotals",
    "MethodTotals",
    "energy_totals",
    "method_totals",
    "pivot",
]

Dimension = Literal["period", "entity", "scope", "category", "sector", "gas", "item"]
DIMENSIONS: tuple[Dimension, ...] = (
    "period",
    "entity",
    "scope",
    "category",
    "sector",
    "gas",
    "item",
)


def _key_function(dimension: Dimension, granularity: Granularity) -> Callable[[LineResult], str]:
    if dimension == "period":
        return lambda r: r.line.period.rolled_up(granularity).label
    if dimension == "sector":
        return lambda r: r.sector or "unassigned"
    if dimension == "scope":
        return lambda r: r.scope
    if dimension == "gas":
        return lambda r: r.gas
    if dimension == "entity":
        return lambda r: r.line.entity
    if dimension == "item":
        return lambda r: r.line.item
    return lambda r: r.line.category


def pivot(
    results: Iterable[LineResult],
    method: Method,
    by: Sequence[Dimension],
    granularity: Granularity = "year",
) -> dict[tuple[str, ...], float]:
    """Sum tCO2e under ``method`` by the dimensions ``by``; only lines the method counts."""
    keys = [_key_function(d, granularity) for d in by]
    totals: dict[tuple[str, ...], float] = defaultdict(float)
    for r in results:
        if method in r.co2e_t:
            totals[tuple(k(r) for k in keys)] += r.co2e_t[method]
    return dict(sorted(totals.items()))


def _single(
    results: Sequence[LineResult], method: Method, by: Dimension, granularity: Granularity
) -> dict[str, float]:
    return {key[0]: value for key, value in pivot(results, method, (by,), granularity).items()}


@dataclass(frozen=True, slots=True)
class MethodTotals:
    """Totals of one method [tCO2e]: gross, removals, offsets, net, and one-way breakdowns."""

    method: Method
    gross_t: float
    removals_t: float
    offsets_t: float
    net_t: float
    by_scope: dict[str, float]
    by_category: dict[str, float]
    by_gas: dict[str, float]
    by_entity: dict[str, float]
    by_sector: dict[str, float]
    by_period: dict[str, float]


def method_totals(
    results: Sequence[LineResult], method: Method, granularity: Granularity = "year"
) -> MethodTotals:
    """Totals of ``results`` under ``method`` at the period ``granularity``."""
    gross = sum(r.co2e_t.get(method, 0.0) for r in results)
    deducts = method != "zero_carbon_park"
    removals = sum(r.removal_t for r in results) if deducts else 0.0
    offsets = sum(r.offset_t for r in results) if deducts else 0.0
    return MethodTotals(
        method=method,
        gross_t=gross,
        removals_t=removals,
        offsets_t=offsets,
        net_t=gross - removals - offsets,
        by_scope=_single(results, method, "scope", granularity),
        by_category=_single(results, method, "category", granularity),
        by_gas=_single(results, method, "gas", granularity),
        by_entity=_single(results, method, "entity", granularity),
        by_sector=_single(results, method, "sector", granularity),
        by_period=_single(results, method, "period", granularity),
    )


@dataclass(frozen=True, slots=True)
class EnergyTotals:
    """综合能耗 [tce] and its split. Green electricity is a subset of grid electricity."""

    total_tce: float
    fossil_fuel_tce: float
    grid_electricity_tce: float
    heat_tce: float
    onsite_renewable_tce: float
    green_electricity_tce: float
    non_fossil_electricity_tce: float
    electricity_basis: str
    by_entity: dict[str, float]
    by_period: dict[str, float]


def energy_totals(
    results: Sequence[LineResult], electricity_basis: str, granularity: Granularity = "year"
) -> EnergyTotals:
    """Sum the energy of ``results`` [tce] with the fossil / non-fossil / renewable split."""
    by_class: dict[EnergyClass, float] = defaultdict(float)
    by_entity: dict[str, float] = defaultdict(float)
    by_period: dict[str, float] = defaultdict(float)
    for r in results:
        by_class[r.energy_class] += r.energy_tce
        if r.energy_class not in ("green_electricity", "none"):
            by_entity[r.line.entity] += r.energy_tce
            by_period[r.line.period.rolled_up(granularity).label] += r.energy_tce
    counted: tuple[EnergyClass, ...] = ("fossil_fuel", "electricity", "heat", "onsite_renewable")
    return EnergyTotals(
        total_tce=sum(by_class[c] for c in counted),
        fossil_fuel_tce=by_class["fossil_fuel"],
        grid_electricity_tce=by_class["electricity"],
        heat_tce=by_class["heat"],
        onsite_renewable_tce=by_class["onsite_renewable"],
        green_electricity_tce=by_class["green_electricity"],
        non_fossil_electricity_tce=by_class["onsite_renewable"] + by_class["green_electricity"],
        electricity_basis=electricity_basis,
        by_entity=dict(sorted(by_entity.items())),
        by_period=dict(sorted(by_period.items())),
    )
