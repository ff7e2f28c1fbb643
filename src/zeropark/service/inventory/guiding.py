"""The guiding indicators of the zero-carbon park scorecard (引导性指标), with honest states.

Thresholds: 附件3 《国家级零碳园区建设指标体系（试行）》 (发改环资〔2025〕910号), as kept in
public copies (``reference/zero_carbon_park_standard.md`` §2 and the later §5 item 7): clean-energy
consumption share ≥ 90 %; product unit energy at or better than grade 2 of the GB limit
standards; industrial solid-waste utilisation ≥ 80 %; waste heat/cold/pressure utilisation ≥ 50 %;
industrial water reuse ≥ 80 %. A park may explain why one does not apply.

What is computed, and what is not:

- **Clean-energy share** (清洁能源消费占比): the attachment does not define it and its national
  definition text was not found (UNVERIFIED). Our documented, configurable choice:
  ``non_fossil`` (default) = (on-site renewable + green electricity [certificates, green-power
  trades, capped at grid electricity]) ÷ 综合能耗, both in tce on the inventory's electricity basis;
  ``non_fossil_and_natural_gas`` also counts natural gas and LNG as clean. Grid electricity's own
  non-fossil share is not counted (the data hold no such split), so the share is a floor.
- **The other four** need quantities zeropark does not record (utilised solid waste, recovered
  waste heat, reused water, physical product output against a GB limit value): they are
  ``no_data`` with what would be needed. Waste records give generation only. No value is
  invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from zeropark.domain.accounting import EnergyTotals, LineResult
from zeropark.errors import InputError

__all__ = [
    "CLEAN_ENERGY_DEFINITIONS",
    "GUIDING_INDICATORS",
    "CleanEnergyDefinition",
    "GuidingIndicator",
    "guiding_indicators",
]

CleanEnergyDefinition = Literal["non_fossil", "non_fossil_and_natural_gas"]
#: definition code → its formula in English (the Chinese text: :data:`_DEFINITIONS_ZH`).
CLEAN_ENERGY_DEFINITIONS: dict[str, str] = {
    "non_fossil": "(on-site renewable + green electricity) / 综合能耗, tce",
    "non_fossil_and_natural_gas": "(on-site renewable + green electricity + natural gas, LNG) "
    "/ 综合能耗, tce",
}
_DEFINITIONS_ZH: dict[str, str] = {
    "non_fossil": "（园区内可再生能源 + 绿色电力）÷ 综合能耗，tce",
    "non_fossil_and_natural_gas": "（园区内可再生能源 + 绿色电力 + 天然气、LNG）÷ 综合能耗，tce",
}
_BASIS_ZH = {"equal_value": "等价值", "equivalent": "当量值"}
GuidingState = Literal["met", "not_met", "no_data"]
_GAS_ITEMS = frozenset({"natural_gas", "lng"})
_SOURCE = "发改环资〔2025〕910号 附件3 (trial), guiding indicators"
_NOT_COMPUTED = ("未计算", "not computed")

#: code → (中文, English, requirement (zh, en), threshold [fraction] or None,
#: data that are needed (zh, en)).
_Pair = tuple[str, str]
GUIDING_INDICATORS: dict[str, tuple[str, str, _Pair, float | None, _Pair]] = {
    "clean_energy_share": (
        "清洁能源消费占比",
        "clean-energy consumption share",
        ("≥ 90%", "≥ 90%"),
        0.90,
        (
            "综合能耗及园区内可再生能源、绿色电力数据（表计与证书）",
            "综合能耗 with on-site renewable and green electricity (meters and certificates)",
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
            "各产品的实物产量及其国家能耗限额标准 2 级值；产值仅以万元记录",
            "physical output per product and its GB limit-standard grade-2 value; output is "
            "recorded in 万元 only",
        ),
    ),
    "solid_waste_utilisation": (
        "工业固体废弃物综合利用率",
        "industrial solid-waste comprehensive utilisation",
        ("≥ 80%", "≥ 80%"),
        0.80,
        (
            "工业固体废弃物产生量与综合利用量（吨）；废弃物记录仅含产生量",
            "tonnes of industrial solid waste generated and utilised; waste records give "
            "generation only",
        ),
    ),
    "waste_heat_utilisation": (
        "余热/余冷/余压综合利用率",
        "waste heat / cold / pressure utilisation",
        ("≥ 50%", "≥ 50%"),
        0.50,
        (
            "可回收及已回收的余热、余冷、余压（GJ）；未记录",
            "recoverable and recovered waste heat, cold and pressure (GJ); not recorded",
        ),
    ),
    "water_reuse": (
        "工业用水重复利用率",
        "industrial water reuse",
        ("≥ 80%", "≥ 80%"),
        0.80,
        (
            "工业重复用水量与总用水量（m³）；仅计量新水取用量",
            "repeated-use and total industrial water (m3); only fresh-water intake is metered",
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class GuidingIndicator:
    """One guiding indicator: its value [fraction] and state, or ``no_data`` with what is needed.

    ``requirement``, ``definition`` and ``needs`` are English; the ``*_zh`` fields are the same
    texts in Chinese. ``inputs`` are the numerator and denominator [tce] of a computed share.
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


def _clean_energy(
    energy: EnergyTotals, results: Sequence[LineResult], definition: CleanEnergyDefinition
) -> GuidingIndicator:
    zh, en, requirement, threshold, needs = GUIDING_INDICATORS["clean_energy_share"]
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
    text = f"{definition}: {CLEAN_ENERGY_DEFINITIONS[definition]} ({basis})"
    text_zh = f"{definition}：{_DEFINITIONS_ZH[definition]}（{_BASIS_ZH.get(basis, basis)}）"
    if energy.total_tce <= 0:
        return GuidingIndicator(
            "clean_energy_share",
            zh,
            en,
            requirement[1],
            threshold,
            None,
            "no_data",
            text,
            needs[1],
            requirement_zh=requirement[0],
            definition_zh=text_zh,
            needs_zh=needs[0],
        )
    value = clean / energy.total_tce
    assert threshold is not None
    state: GuidingState = "met" if value >= threshold else "not_met"
    return GuidingIndicator(
        "clean_energy_share",
        zh,
        en,
        requirement[1],
        threshold,
        value,
        state,
        text,
        None,
        requirement_zh=requirement[0],
        definition_zh=text_zh,
        inputs=inputs,
    )


def guiding_indicators(
    energy: EnergyTotals,
    results: Sequence[LineResult],
    *,
    clean_energy: CleanEnergyDefinition = "non_fossil",
) -> tuple[GuidingIndicator, ...]:
    """The five guiding indicators from an inventory's energy totals and line results."""
    if clean_energy not in CLEAN_ENERGY_DEFINITIONS:
        raise InputError(
            f"clean_energy must be one of {', '.join(CLEAN_ENERGY_DEFINITIONS)}",
            field="clean_energy",
        )
    out = [_clean_energy(energy, results, clean_energy)]
    for code, (zh, en, requirement, threshold, needs) in GUIDING_INDICATORS.items():
        if code == "clean_energy_share":
            continue
        out.append(
            GuidingIndicator(
                code,
                zh,
                en,
                requirement[1],
                threshold,
                None,
                "no_data",
                _NOT_COMPUTED[1],
                needs[1],
                requirement_zh=requirement[0],
                definition_zh=_NOT_COMPUTED[0],
                needs_zh=needs[0],
            )
        )
    return tuple(out)
