"""The guiding indicators of the zero-carbon park scorecard (引导性指标), with honest states.

Thresholds come from the indicator system (:mod:`.systems`; national by default: 附件3
《国家级零碳园区建设指标体系（试行）》, 发改环资〔2025〕910号: clean-energy share ≥ 90 %;
product unit energy at or better than grade 2 of the GB limit standards; industrial solid-waste
utilisation ≥ 80 %; waste heat/cold/pressure utilisation ≥ 50 %; industrial water reuse ≥ 80 %).

Definitions (``docs/indicators.md``):

- **Clean-energy share** (清洁能源消费占比): not defined by the attachment (UNVERIFIED); our
  documented, configurable choice: ``non_fossil`` (default) = (on-site renewable + green
  electricity [certificates, green-power trades, capped at grid electricity]) ÷ 综合能耗, both in
  tce on the inventory's electricity basis; ``non_fossil_and_natural_gas`` also counts natural
  gas and LNG. Grid electricity's own non-fossil share is not counted, so the share is a floor.
- **Solid-waste utilisation** (工业固体废弃物综合利用率) = utilised ÷ generated [t]
  (``industrial_solid_waste`` records), at most 1 (utilisation of stock from earlier years is
  capped, as the standard ratio counts this year's generation).
- **Waste heat/cold/pressure utilisation** (余热余冷余压综合利用率) = Σ recovered ÷ Σ available
  [GJ] over heat, cold and pressure (``waste_energy`` records) — weighted over the three by
  energy, as the attachment says "weighted".
- **Industrial water reuse** (工业用水重复利用率) = reused ÷ (reused + intake) [m³]
  (``industrial_water`` records; GB/T 7119 节水型企业评价导则's 重复利用率 definition: repeated
  use over total use, total = repeated + fresh intake).
- **Product unit energy** (园区企业产出产品单位能耗): every product with a limit at or better
  than the system's grade (:mod:`.products`); value = share of evaluated products that do.

An indicator without data is ``no_data`` with what would be needed; no value is invented.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from zeropark.domain.accounting import EnergyTotals, LineResult
from zeropark.domain.categories import INDICATOR_ITEMS
from zeropark.domain.indicators.gaps import Gap
from zeropark.domain.indicators.products import ProductResult, product_results
from zeropark.domain.indicators.systems import DEFAULT_SYSTEM, SYSTEMS, IndicatorSystem
from zeropark.errors import InputError, UnitError
from zeropark.units import conversion_factor

__all__ = [
    "CLEAN_ENERGY_DEFINITIONS",
    "GUIDING_INDICATORS",
    "CleanEnergyDefinition",
    "GuidingIndicator",
    "GuidingInputs",
    "guiding_indicators",
    "guiding_inputs",
]

CleanEnergyDefinition = Literal["non_fossil", "non_fossil_and_natural_gas"]
#: definition code → its formula in English (the Chinese text: :data:`_DEFINITIONS_ZH`).
CLEAN_ENERGY_DEFINITIONS: dict[str, str] = {
    "non_fossil": "(on-site renewable + green electricity) / total energy (综合能耗), tce",
    "non_fossil_and_natural_gas": "(on-site renewable + green electricity + natural gas, LNG) "
    "/ total energy (综合能耗), tce",
}
_DEFINITIONS_ZH: dict[str, str] = {
    "non_fossil": "（园区内可再生能源 + 绿色电力）÷ 综合能耗，tce",
    "non_fossil_and_natural_gas": "（园区内可再生能源 + 绿色电力 + 天然气、LNG）÷ 综合能耗，tce",
}
_BASIS_ZH = {"equal_value": "等价值", "equivalent": "当量值"}
GuidingState = Literal["met", "not_met", "no_data"]
_GAS_ITEMS = frozenset({"natural_gas", "lng"})
_SOURCE = "发改环资〔2025〕910号 附件3 (trial), guiding indicators"

#: code → (中文, English, requirement (zh, en) at the national thresholds, national threshold
#: [fraction] or None, data that are needed (zh, en)).
_Pair = tuple[str, str]
GUIDING_INDICATORS: dict[str, tuple[str, str, _Pair, float | None, _Pair]] = {
    "clean_energy_share": (
        "清洁能源消费占比",
        "clean-energy consumption share",
        ("≥ 90%", "≥ 90%"),
        0.90,
        (
            "综合能耗及园区内可再生能源、绿色电力数据（表计与证书）",
            "total energy (综合能耗) with on-site renewable and green electricity (meters and "
            "certificates)",
        ),
    ),
    "product_energy_intensity": (
        "园区企业产出产品单位能耗",
        "product unit energy consumption of the park's enterprises",
        (
            "达到国家单位产品能耗限额标准 2 级及以上",
            "≤ grade 2 of the GB unit-product energy limit standards",
        ),
        None,
        (
            "产品产量（product_output，实物量）及其能耗限额标准等级值",
            "physical product output (product_output records) with its limit standard grades",
        ),
    ),
    "solid_waste_utilisation": (
        "工业固体废弃物综合利用率",
        "industrial solid-waste comprehensive utilisation",
        ("≥ 80%", "≥ 80%"),
        0.80,
        (
            "工业固体废物产生量与综合利用量（industrial_solid_waste，吨）",
            "tonnes of industrial solid waste generated and utilised "
            "(industrial_solid_waste records)",
        ),
    ),
    "waste_heat_utilisation": (
        "余热/余冷/余压综合利用率",
        "waste heat / cold / pressure utilisation",
        ("≥ 50%", "≥ 50%"),
        0.50,
        (
            "余热、余冷、余压资源量与利用量（waste_energy，GJ）",
            "waste heat, cold and pressure available and recovered (waste_energy records, GJ)",
        ),
    ),
    "water_reuse": (
        "工业用水重复利用率",
        "industrial water reuse",
        ("≥ 80%", "≥ 80%"),
        0.80,
        (
            "工业取水量与重复利用水量（industrial_water，m³）",
            "industrial water intake and reused water (industrial_water records, m3)",
        ),
    ),
}
_FORMULAS: dict[str, _Pair] = {
    "solid_waste_utilisation": ("综合利用量 ÷ 产生量（吨）", "utilised / generated (t)"),
    "waste_heat_utilisation": (
        "Σ余热余冷余压利用量 ÷ Σ资源量（GJ）",
        "Σ recovered / Σ available heat, cold, pressure (GJ)",
    ),
    "water_reuse": (
        "重复利用水量 ÷（重复利用水量 + 取水量）（m³）",
        "reused / (reused + intake) (m3)",
    ),
    "product_energy_intensity": (
        "达到限额 {g} 级的产品数 ÷ 有限额的产品数",
        "products at or better than grade {g} / products with a limit",
    ),
}


@dataclass(frozen=True, slots=True)
class GuidingIndicator:
    """One guiding indicator: its value [fraction] and state, or ``no_data`` with what is needed.

    ``requirement``, ``definition`` and ``needs`` are English; the ``*_zh`` fields are the same
    texts in Chinese. ``inputs`` are the numerator and denominator of a computed share;
    ``gaps`` the physical ways to reach the threshold; ``products`` the product results.
    """

    code: str
    label_zh: str
    label_en: str
    requirement: str
    threshold: float | None
    value: float | None
    state: GuidingState
    definition: str
    needs: str | None
    requirement_zh: str = ""
    definition_zh: str = ""
    needs_zh: str | None = None
    source: str = _SOURCE
    inputs: dict[str, float] = field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()
    products: tuple[ProductResult, ...] = ()


@dataclass(frozen=True, slots=True)
class GuidingInputs:
    """The quantities of the four record-fed indicators, summed over the lines given."""

    solid_waste_t: dict[str, float]
    waste_energy_gj: dict[str, float]
    water_m3: dict[str, float]
    products: list[tuple[str, str, float, str, Mapping[str, Any]]]


_TARGET = {"industrial_solid_waste": "t", "waste_energy": "GJ", "industrial_water": "m3"}


def _item_code(category: str, item: str) -> str:
    """The item code of an indicator-data line stored by its name (产生量 → generated)."""
    key = item.strip().casefold()
    for i in INDICATOR_ITEMS.get(category, ()):
        if key in {n.casefold() for n in (i.code, i.name_zh, i.name_en, *i.aliases)}:
            return i.code
    return item


def guiding_inputs(
    lines: Iterable[tuple[str, str, str, float, str, Mapping[str, Any]]],
) -> GuidingInputs:
    """Sum ``lines`` (entity, category, item, quantity, unit, params) of the indicator-data
    categories: solid waste [t], waste energy [GJ], water [m3] by item; products as given."""
    sums: dict[str, dict[str, float]] = {c: {} for c in _TARGET}
    products: list[tuple[str, str, float, str, Mapping[str, Any]]] = []
    for entity, category, item, quantity, unit, params in lines:
        if category == "product_output":
            products.append((entity, item, quantity, unit, params))
        elif category in _TARGET:
            value = quantity * conversion_factor(unit, _TARGET[category])
            code = _item_code(category, item)
            sums[category][code] = sums[category].get(code, 0.0) + value
    return GuidingInputs(
        sums["industrial_solid_waste"], sums["waste_energy"], sums["industrial_water"], products
    )


def _make(
    code: str,
    system: IndicatorSystem,
    value: float | None,
    *,
    definition: _Pair,
    inputs: dict[str, float] | None = None,
    gaps: tuple[Gap, ...] = (),
    products: tuple[ProductResult, ...] = (),
) -> GuidingIndicator:
    zh, en, _, national, needs = GUIDING_INDICATORS[code]
    threshold = system.guiding.get(code, national)
    if code == "product_energy_intensity":
        requirement = (
            f"达到国家单位产品能耗限额标准 {system.product_grade} 级及以上",
            f"≤ grade {system.product_grade} of the GB unit-product energy limit standards",
        )
        threshold = 1.0
    else:
        assert threshold is not None
        requirement = (f"≥ {threshold:.0%}", f"≥ {threshold:.0%}")
    state: GuidingState = "no_data"
    if value is not None:
        state = "met" if value >= threshold - 1e-12 else "not_met"
    return GuidingIndicator(
        code,
        zh,
        en,
        requirement[1],
        threshold,
        value,
        state,
        definition[1],
        needs[1] if value is None else None,
        requirement_zh=requirement[0],
        definition_zh=definition[0],
        needs_zh=needs[0] if value is None else None,
        source=f"{_SOURCE}; {system.name_en}" if system.code != DEFAULT_SYSTEM else _SOURCE,
        inputs=inputs or {},
        gaps=gaps,
        products=products,
    )


def _clean_energy(
    energy: EnergyTotals,
    results: Sequence[LineResult],
    definition: CleanEnergyDefinition,
    system: IndicatorSystem,
    tce_per_mwh: float | None,
) -> GuidingIndicator:
    green = min(energy.green_electricity_tce, energy.grid_electricity_tce)
    clean = energy.onsite_renewable_tce + green
    inputs = {"onsite_renewable_tce": energy.onsite_renewable_tce, "green_electricity_tce": green}
    if definition == "non_fossil_and_natural_gas":
        gas = sum(
            r.energy_tce
            for r in results
            if r.energy_class == "fossil_fuel" and r.line.item in _GAS_ITEMS
        )
        inputs["natural_gas_tce"] = gas
        clean += gas
    inputs["total_tce"] = energy.total_tce
    basis = energy.electricity_basis
    text = (
        f"{definition}：{_DEFINITIONS_ZH[definition]}（{_BASIS_ZH.get(basis, basis)}）",
        f"{definition}: {CLEAN_ENERGY_DEFINITIONS[definition]} ({basis})",
    )
    if energy.total_tce <= 0:
        return _make("clean_energy_share", system, None, definition=text)
    value = clean / energy.total_tce
    threshold = system.guiding["clean_energy_share"]
    gaps: tuple[Gap, ...] = ()
    missing_tce = max(0.0, threshold * energy.total_tce - clean)
    room_tce = max(0.0, energy.grid_electricity_tce - green)  # grid power not yet green
    if missing_tce > 0 and tce_per_mwh and missing_tce <= room_tce:
        gaps = (Gap("green electricity", "绿色电力", missing_tce / tce_per_mwh, "MWh", True),)
    elif missing_tce > 0:  # green power alone cannot close it: fossil fuels must go too
        gaps = (Gap("clean energy", "清洁能源", missing_tce, "tce", True),)
    return _make("clean_energy_share", system, value, definition=text, inputs=inputs, gaps=gaps)


def _ratio(
    code: str, system: IndicatorSystem, done: float, base: float, unit: str, what: _Pair
) -> GuidingIndicator:
    if base <= 0:
        return _make(code, system, None, definition=_FORMULAS[code])
    value = min(1.0, done / base)
    threshold = system.guiding[code]
    more = max(0.0, threshold * base - done)
    gaps = (Gap(what[1], what[0], more, unit, True),) if more > 0 else ()
    inputs = {"numerator": done, "denominator": base}
    return _make(code, system, value, definition=_FORMULAS[code], inputs=inputs, gaps=gaps)


def _water(system: IndicatorSystem, water: Mapping[str, float]) -> GuidingIndicator:
    code = "water_reuse"
    reused, intake = water.get("reused", 0.0), water.get("intake", 0.0)
    if reused + intake <= 0:
        return _make(code, system, None, definition=_FORMULAS[code])
    threshold = system.guiding[code]
    value = reused / (reused + intake)
    # reused / (reused + intake) ≥ r  ⇔  reused ≥ r / (1 − r) × intake
    more = max(0.0, threshold / (1.0 - threshold) * intake - reused)
    gaps = (Gap("reused water", "重复利用水量", more, "m3", True),) if more > 0 else ()
    inputs = {"reused_m3": reused, "intake_m3": intake}
    return _make(code, system, value, definition=_FORMULAS[code], inputs=inputs, gaps=gaps)


def _products(system: IndicatorSystem, results: list[ProductResult]) -> GuidingIndicator:
    code, grade = "product_energy_intensity", system.product_grade
    zh, en = _FORMULAS[code]
    definition = (zh.format(g=grade), en.format(g=grade))
    judged = [p for p in results if p.unit_energy is not None and p.required(grade) is not None]
    if not judged:
        return _make(code, system, None, definition=definition, products=tuple(results))
    meeting = [p for p in judged if p.unit_energy <= (p.required(grade) or 0.0) + 1e-12]  # type: ignore[operator]
    excess = sum(p.excess_tce(grade) or 0.0 for p in judged)
    gaps = (Gap("product energy", "产品能耗", excess, "tce", False),) if excess > 0 else ()
    inputs = {"products_meeting": float(len(meeting)), "products_judged": float(len(judged))}
    return _make(
        code,
        system,
        len(meeting) / len(judged),
        definition=definition,
        inputs=inputs,
        gaps=gaps,
        products=tuple(results),
    )


def guiding_indicators(
    energy: EnergyTotals,
    results: Sequence[LineResult],
    *,
    clean_energy: CleanEnergyDefinition = "non_fossil",
    system: str = DEFAULT_SYSTEM,
    product_params: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
    tce_per_mwh: float | None = None,
    entity_energy_tce: Mapping[str, float] | None = None,
) -> tuple[GuidingIndicator, ...]:
    """The five guiding indicators from an inventory's energy totals and line results.

    ``product_params``: the stored parameters of each (entity, product) record (limit standard,
    grades, product energy), which accounting lines do not carry. ``tce_per_mwh``: the
    electricity coefficient of the inventory, to state the clean-energy gap in MWh.
    ``entity_energy_tce``: each tenant's 综合能耗 [tce] for products without their own energy
    (default: the inventory's energy by entity, right for a tenant's own inventory).
    """
    if clean_energy not in CLEAN_ENERGY_DEFINITIONS:
        raise InputError(
            f"clean_energy must be one of {', '.join(CLEAN_ENERGY_DEFINITIONS)}",
            field="clean_energy",
        )
    if system not in SYSTEMS:
        raise InputError(f"system must be one of {', '.join(SYSTEMS)}", field="system")
    spec = SYSTEMS[system]
    params = product_params or {}
    try:
        inputs = guiding_inputs(
            (
                r.line.entity,
                r.line.category,
                r.line.item,
                r.line.quantity,
                r.line.unit,
                params.get((r.line.entity, r.line.item), {}),
            )
            for r in results
        )
    except UnitError as exc:
        raise InputError(f"indicator data: {exc.reason}", field="unit") from None
    waste, heat = inputs.solid_waste_t, inputs.waste_energy_gj
    available = sum(v for k, v in heat.items() if k.endswith("_available"))
    recovered = sum(v for k, v in heat.items() if k.endswith("_recovered"))
    return (
        _clean_energy(energy, results, clean_energy, spec, tce_per_mwh),
        _products(spec, product_results(inputs.products, entity_energy_tce or energy.by_entity)),
        _ratio(
            "solid_waste_utilisation",
            spec,
            waste.get("utilised", 0.0),
            waste.get("generated", 0.0),
            "t",
            ("固废综合利用量", "solid waste utilised"),
        ),
        _ratio(
            "waste_heat_utilisation",
            spec,
            recovered,
            available,
            "GJ",
            ("余热余冷余压利用量", "waste heat/cold/pressure recovered"),
        ),
        _water(spec, inputs.water_m3),
    )
