"""The scorecard (零碳园区指标看板): every indicator of one entity and period in one list.

:func:`build_scorecard` turns the figures of an inventory and the energy flows of one park,
tenant or building and one period into :class:`ScoreEntry` rows: the core indicator (against
the system's band for the period's energy scaled to a year), the five guiding indicators, and
the operating indicators (no threshold). Each row with a threshold gets its state from
:func:`~zeropark.domain.indicators.verdict.judge`, with the undetermined band
``margin = |value| × (1 − coverage)``: the share of meter-time without data could move the value
by about that much (``docs/indicators.md``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zeropark.domain.accounting import EnergyTotals, LineResult
from zeropark.domain.energy.flows import renewable_share
from zeropark.domain.indicators import operating as op
from zeropark.domain.indicators.core import park_indicator
from zeropark.domain.indicators.gaps import Gap
from zeropark.domain.indicators.guiding import (
    CleanEnergyDefinition,
    GuidingIndicator,
    guiding_indicators,
)
from zeropark.domain.indicators.products import ProductResult
from zeropark.domain.indicators.systems import SYSTEMS
from zeropark.domain.indicators.verdict import State, judge

__all__ = ["ScoreEntry", "ScorecardInputs", "build_scorecard"]

Group = Literal["core", "guiding", "operating"]


@dataclass(frozen=True, slots=True)
class ScoreEntry:
    """One indicator of the scorecard.

    ``state`` is None for operating indicators (no threshold); ``reason`` names why a state is
    undetermined; ``gaps`` the physical ways to reach the threshold; ``comparison`` ``≤``/``≥``.
    """

    code: str
    group: Group
    label_zh: str
    label_en: str
    value: float | None
    unit: str
    threshold: float | None = None
    comparison: str | None = None
    state: State | None = None
    reason: str | None = None
    gaps: tuple[Gap, ...] = ()
    definition_zh: str = ""
    definition_en: str = ""
    source: str = ""
    inputs: dict[str, float] = field(default_factory=dict)
    products: tuple[ProductResult, ...] = ()


@dataclass(frozen=True, slots=True)
class ScorecardInputs:
    """The figures of one entity and period the scorecard is built from.

    ``co2_t``: the core indicator's CO2 (zero-carbon-park method, 附件4 boundary) [t];
    ``carbon_t``: gross emissions of the overview's default method [tCO2e];
    ``year_fraction``: the period's share of a year (energy bands are annual);
    ``flows_kwh``: the period's energy of each flow of :data:`~zeropark.domain.energy.flows.FLOWS`
    and ``load``; ``hourly_load_kwh``: the load per hour; ``coverage``: data completeness [0-1];
    ``ef_fossil_t_per_mwh`` and ``tce_per_mwh``: the electricity factors the inventory used;
    ``green_kwh``: green electricity of the inventory's lines (meters and certificates);
    ``renewable_share``: the headline renewable share when the caller has it
    (:func:`zeropark.domain.energy.headline.headline_figures`), so the figure has one definition.
    """

    co2_t: float
    carbon_t: float
    energy: EnergyTotals
    results: Sequence[LineResult]
    year_fraction: float
    flows_kwh: Mapping[str, float]
    hourly_load_kwh: npt.NDArray[np.float64]
    coverage: float
    output_wan_cny: float | None = None
    floor_area_m2: float | None = None
    grid_mwh: float = 0.0
    ef_fossil_t_per_mwh: float | None = None
    tce_per_mwh: float | None = None
    product_params: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    green_kwh: float = 0.0
    entity_energy_tce: Mapping[str, float] | None = None
    renewable_share: float | None = None


def _margin(value: float | None, coverage: float) -> float:
    return 0.0 if value is None else abs(value) * max(0.0, 1.0 - coverage)


def _core(inp: ScorecardInputs, system: str) -> ScoreEntry:
    spec = SYSTEMS[system]
    scale = 1.0 / inp.year_fraction if inp.year_fraction > 0 else 1.0
    annual = park_indicator(
        inp.co2_t * scale,
        inp.energy.total_tce * scale,
        inp.energy.electricity_basis,
        spec.core_bands,
    )
    value = annual.intensity_tco2_per_tce
    threshold = annual.threshold_tco2_per_tce
    state, reason = judge(
        value, threshold, higher_is_better=False, margin=_margin(value, inp.coverage)
    )
    gaps: tuple[Gap, ...] = ()
    if threshold is not None and value is not None and value > threshold:
        excess_t = inp.co2_t - threshold * inp.energy.total_tce
        gaps = (Gap("CO2", "二氧化碳排放", excess_t, "tCO2", False),)
        if inp.ef_fossil_t_per_mwh:
            green = excess_t / inp.ef_fossil_t_per_mwh
            if green <= inp.grid_mwh:  # only grid power at the fossil factor can be replaced
                gaps = (Gap("green electricity", "绿色电力", green, "MWh", True), *gaps)
    return ScoreEntry(
        "core_carbon_per_energy",
        "core",
        "单位能耗碳排放",
        "carbon emission per unit of energy consumption",
        value,
        "tCO2/tce",
        threshold,
        "≤",
        state,
        reason,
        gaps,
        "园区二氧化碳排放（能源活动+工业过程，附件4）÷ 综合能耗；能耗分档按年化综合能耗",
        "park CO2 (energy activities + industrial processes, 附件4) / 综合能耗; band by "
        "annualised energy",
        spec.source,
        {
            "co2_t": inp.co2_t,
            "energy_tce": inp.energy.total_tce,
            "annual_energy_tce": inp.energy.total_tce * scale,
        },
    )


def _guiding_entry(g: GuidingIndicator, coverage: float) -> ScoreEntry:
    higher = True
    if g.value is None:
        state: State = "undetermined"
        reason: str | None = "no_data"
    else:
        state, reason = judge(
            g.value, g.threshold, higher_is_better=higher, margin=_margin(g.value, coverage)
        )
    return ScoreEntry(
        g.code,
        "guiding",
        g.label_zh,
        g.label_en,
        g.value,
        "%",
        g.threshold,
        "≥",
        state,
        reason,
        g.gaps,
        g.definition_zh + ("" if g.needs_zh is None else f"；需要：{g.needs_zh}"),
        g.definition + ("" if g.needs is None else f"; needs: {g.needs}"),
        g.source,
        dict(g.inputs),
        g.products,
    )


def _op(
    code: str, zh: str, en: str, value: float | None, unit: str, definition: tuple[str, str]
) -> ScoreEntry:
    return ScoreEntry(
        code,
        "operating",
        zh,
        en,
        value,
        unit,
        definition_zh=definition[0],
        definition_en=definition[1],
        source="docs/indicators.md",
    )


def _operating(inp: ScorecardInputs) -> list[ScoreEntry]:
    e, f = inp.energy, inp.flows_kwh
    tce, co2 = e.total_tce, inp.carbon_t
    load = f.get("load", 0.0)
    out = [
        _op(
            "energy_per_output",
            "万元产值综合能耗",
            "energy per output value",
            op.per_unit(tce, inp.output_wan_cny),
            "tce/万元",
            ("综合能耗 ÷ 产值", "total energy (综合能耗) / output"),
        ),
        _op(
            "carbon_per_output",
            "万元产值碳排放",
            "carbon per output value",
            op.per_unit(co2, inp.output_wan_cny),
            "tCO2e/万元",
            ("碳排放（零碳园区口径）÷ 产值", "emissions (zero-carbon-park method) / output"),
        ),
        _op(
            "energy_per_floor_area",
            "单位建筑面积能耗",
            "energy per floor area",
            op.per_unit(tce, inp.floor_area_m2, 1000.0),
            "kgce/m²",
            ("综合能耗 ÷ 建筑面积", "total energy (综合能耗) / floor area"),
        ),
        _op(
            "carbon_per_floor_area",
            "单位建筑面积碳排放",
            "carbon per floor area",
            op.per_unit(co2, inp.floor_area_m2, 1000.0),
            "kgCO2e/m²",
            ("碳排放 ÷ 建筑面积", "emissions / floor area"),
        ),
        _op(
            "renewable_share",
            "可再生能源电力占比",
            "renewable electricity share",
            inp.renewable_share
            if inp.renewable_share is not None
            else renewable_share(f.get("pv", 0.0), f.get("green", 0.0), load),
            "%",
            ("（光伏 + 绿电）÷ 用电量", "(on-site PV + green electricity) / electricity load"),
        ),
        _op(
            "non_fossil_share",
            "非化石能源消费占比",
            "non-fossil energy share",
            op.non_fossil_share(
                e.onsite_renewable_tce, min(e.green_electricity_tce, e.grid_electricity_tce), tce
            ),
            "%",
            (
                "（可再生 + 绿电）÷ 综合能耗（tce）",
                "(on-site renewable + green electricity) / 综合能耗 (tce)",
            ),
        ),
        _op(
            "green_electricity_share",
            "绿色电力占比",
            "green-electricity share",
            op.green_electricity_share(inp.green_kwh, load),
            "%",
            (
                "绿电（绿证、绿电交易，计量与记录，不超过外购电量）÷ 用电量",
                "green electricity (certificates, green-power trades; metered and recorded, "
                "at most the grid purchase) / electricity load",
            ),
        ),
        _op(
            "pv_self_consumption",
            "光伏自发自用率",
            "PV self-consumption",
            op.pv_self_consumption(f.get("pv", 0.0), f.get("grid_export", 0.0)),
            "%",
            ("（光伏发电 − 上网）÷ 光伏发电", "(PV − export) / PV"),
        ),
        _op(
            "pv_self_sufficiency",
            "光伏自给率",
            "PV self-sufficiency",
            op.pv_self_sufficiency(f.get("pv", 0.0), f.get("grid_export", 0.0), load),
            "%",
            ("（光伏发电 − 上网）÷ 用电量", "(PV − export) / load"),
        ),
        _op(
            "peak_demand",
            "最大需量（小时）",
            "peak demand (hourly)",
            op.peak_demand_kw(inp.hourly_load_kwh),
            "kW",
            ("最大小时平均负荷", "highest hourly mean load"),
        ),
        _op(
            "load_factor",
            "负荷率",
            "load factor",
            op.load_factor(inp.hourly_load_kwh),
            "%",
            ("平均负荷 ÷ 最大负荷", "mean load / peak demand"),
        ),
    ]
    return out


def _per_product(inp: ScorecardInputs, products: Sequence[ProductResult]) -> list[ScoreEntry]:
    """Energy and carbon per product unit, for an entity with exactly one product."""
    entities = {p.entity for p in products}
    if len(products) != 1 or len(entities) != 1:
        return []
    p = products[0]
    return [
        _op(
            "energy_per_product",
            f"单位产品能耗（{p.product}）",
            f"energy per unit ({p.product})",
            op.per_unit(inp.energy.total_tce, p.output, 1000.0),
            f"kgce/{p.output_unit}",
            ("综合能耗 ÷ 产量", "综合能耗 / output"),
        ),
        _op(
            "carbon_per_product",
            f"单位产品碳排放（{p.product}）",
            f"carbon per unit ({p.product})",
            op.per_unit(inp.carbon_t, p.output, 1000.0),
            f"kgCO2e/{p.output_unit}",
            ("碳排放 ÷ 产量", "emissions / output"),
        ),
    ]


def build_scorecard(
    inp: ScorecardInputs,
    *,
    system: str = "national",
    clean_energy: CleanEnergyDefinition = "non_fossil",
) -> tuple[ScoreEntry, ...]:
    """The scorecard rows: core, guiding, operating (see the module's description)."""
    guiding = guiding_indicators(
        inp.energy,
        inp.results,
        clean_energy=clean_energy,
        system=system,
        product_params=inp.product_params,
        tce_per_mwh=inp.tce_per_mwh,
        entity_energy_tce=inp.entity_energy_tce,
    )
    products = next(g.products for g in guiding if g.code == "product_energy_intensity")
    return (
        _core(inp, system),
        *(_guiding_entry(g, inp.coverage) for g in guiding),
        *_operating(inp),
        *_per_product(inp, products),
    )
