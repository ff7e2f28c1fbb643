"""Indicator systems (指标体系): the national trial system and provincial staged systems.

A system gives the core indicator's energy bands and thresholds, the guiding indicators'
thresholds [fraction] and the grade of the GB unit-energy limit standards a product must reach.

- ``national``: 《国家级零碳园区建设指标体系（试行）》, 发改环资〔2025〕910号 附件3
  (``reference/zero_carbon_park_standard.md`` §2 and §5 item 6-7): core ≤ 0.20 tCO2/tce for
  20–100万 tce/yr, ≤ 0.30 for ≥ 100万; clean energy ≥ 90 %, solid waste ≥ 80 %, waste heat ≥ 50 %,
  water reuse ≥ 80 %, products at or better than grade 2.
- ``hunan_2027``, ``hunan_2030``, ``hunan_2035``: 《湖南省零碳园区建设指标体系》 (tanpaifang
  mirror, 2026-01; same reference §4, SINGLE-SECONDARY): core for 2–100万 tce ≤ 1.0 / 0.7 / 0.3,
  for ≥ 100万 tce ≤ 1.1 / 0.8 / 0.5; clean energy ≥ 60 / 70 / 90 %; solid waste ≥ 80 / 85 / 95 %;
  waste heat ≥ 50 / 55 / 60 %; water reuse ≥ 80 / 85 / 90 %; products ≤ grade 2. The document says
  values may be "fine-tuned at acceptance".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zeropark.domain.indicators.core import NATIONAL_BANDS, Band

__all__ = ["DEFAULT_SYSTEM", "SYSTEMS", "IndicatorSystem"]

_INF = float("inf")


@dataclass(frozen=True, slots=True)
class IndicatorSystem:
    """One indicator system: core bands, guiding thresholds [fraction], product grade."""

    code: str
    name_zh: str
    name_en: str
    source: str
    core_bands: tuple[Band, ...]
    guiding: dict[str, float] = field(default_factory=dict)
    product_grade: int = 2


def _hunan(year: int, core: tuple[float, float], guiding: tuple[float, ...]) -> IndicatorSystem:
    clean, waste, heat, water = guiding
    return IndicatorSystem(
        code=f"hunan_{year}",
        name_zh=f"湖南省零碳园区建设指标体系（{year} 年目标）",
        name_en=f"Hunan zero-carbon park indicator system ({year} targets)",
        source="《湖南省零碳园区建设指标体系》 (2026-01, tanpaifang mirror); "
        "reference/zero_carbon_park_standard.md §4",
        core_bands=((20_000.0, 1_000_000.0, core[0]), (1_000_000.0, _INF, core[1])),
        guiding={
            "clean_energy_share": clean,
            "solid_waste_utilisation": waste,
            "waste_heat_utilisation": heat,
            "water_reuse": water,
        },
    )


SYSTEMS: dict[str, IndicatorSystem] = {
    s.code: s
    for s in (
        IndicatorSystem(
            code="national",
            name_zh="国家级零碳园区建设指标体系（试行）",
            name_en="National zero-carbon park indicator system (trial)",
            source="发改环资〔2025〕910号 附件3; reference/zero_carbon_park_standard.md §2, §5",
            core_bands=NATIONAL_BANDS,
            guiding={
                "clean_energy_share": 0.90,
                "solid_waste_utilisation": 0.80,
                "waste_heat_utilisation": 0.50,
                "water_reuse": 0.80,
            },
        ),
        _hunan(2027, (1.0, 1.1), (0.60, 0.80, 0.50, 0.80)),
        _hunan(2030, (0.7, 0.8), (0.70, 0.85, 0.55, 0.85)),
        _hunan(2035, (0.3, 0.5), (0.90, 0.95, 0.60, 0.90)),
    )
}
DEFAULT_SYSTEM = "national"
