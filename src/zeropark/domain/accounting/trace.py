"""What every result line carries: the factors used, the formula, the conversions and results.

Results are given per accounting *method* side by side (DESIGN.md section 4):

- ``cn_national`` — Chinese national enterprise method: CO2 only, net purchased electricity and
  heat (exports subtracted), guideline defaults, the national enterprise-reporting grid factor;
- ``ghg_location`` / ``ghg_market`` — GHG Protocol scopes 1, 2 and 3 in CO2e with the chosen GWP
  set; scope 2 location-based (MEE/NBS average grid factor) or market-based (green electricity at
  zero, residual grid power at the factor excluding market-traded non-fossil power);
- ``zero_carbon_park`` — the zero-carbon park core-indicator boundary (发改环资〔2025〕910号
  附件4): CO2 of energy activities and industrial processes, net electricity at the national
  fossil-power factor, qualifying green electricity at zero, heat at 0.11 tCO2/GJ or measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from zeropark.domain.accounting.factors import FactorChoice
from zeropark.domain.accounting.lines import ActivityLine

__all__ = [
    "METHODS",
    "METHOD_LABELS",
    "EnergyClass",
    "FactorUse",
    "LineResult",
    "Method",
]

Method = Literal["cn_national", "ghg_location", "ghg_market", "zero_carbon_park"]
METHODS: tuple[Method, ...] = ("cn_national", "ghg_location", "ghg_market", "zero_carbon_park")
METHOD_LABELS: dict[Method, tuple[str, str]] = {
    "cn_national": (
        "国家企业核算方法（净购入，仅CO2）",
        "Chinese national method (net purchase, CO2)",
    ),
    "ghg_location": ("温室气体核算体系 范围二基于位置", "GHG Protocol, scope 2 location-based"),
    "ghg_market": ("温室气体核算体系 范围二基于市场", "GHG Protocol, scope 2 market-based"),
    "zero_carbon_park": ("零碳园区核心指标口径（仅CO2）", "zero-carbon park core indicator (CO2)"),
}

EnergyClass = Literal[
    "fossil_fuel", "electricity", "green_electricity", "onsite_renewable", "heat", "none"
]


@dataclass(frozen=True, slots=True)
class FactorUse:
    """One factor as used on a line: its role, value, unit and provenance (or 'measured')."""

    role: str
    value: float
    unit: str
    dataset: str
    version: str
    source: str
    clause: str
    verification: str
    year: int | None = None
    region: str | None = None
    measured: bool = False
    fallbacks: tuple[str, ...] = ()

    @classmethod
    def from_choice(cls, role: str, choice: FactorChoice) -> FactorUse:
        """Record a looked-up factor with the fallbacks taken."""
        f = choice.factor
        return cls(
            role=role,
            value=f.value,
            unit=f.unit,
            dataset=f.dataset,
            version=f.version,
            source=f.source,
            clause=f.clause,
            verification=f.verification,
            year=f.year,
            region=f.region,
            fallbacks=choice.fallbacks,
        )

    @classmethod
    def measured_value(cls, role: str, value: float, unit: str) -> FactorUse:
        """Record a parameter measured or supplied on the line itself."""
        return cls(
            role=role,
            value=value,
            unit=unit,
            dataset="measured",
            version="line",
            source="activity line (measured or supplier value)",
            clause="",
            verification="MEASURED",
            measured=True,
        )

    @classmethod
    def constant(cls, role: str, value: float, unit: str, source: str) -> FactorUse:
        """Record an exact constant (44/12, 0 for green electricity)."""
        return cls(role, value, unit, "constant", "-", source, "", "VERIFIED-COMPUTED")

    def as_dict(self) -> dict[str, object]:
        """The factor use as a plain mapping (for JSON)."""
        return {
            "role": self.role,
            "value": self.value,
            "unit": self.unit,
            "dataset": self.dataset,
            "version": self.version,
            "source": self.source,
            "clause": self.clause,
            "verification": self.verification,
            "year": self.year,
            "region": self.region,
            "measured": self.measured,
            "fallbacks": list(self.fallbacks),
        }


@dataclass(frozen=True, slots=True)
class LineResult:
    """The accounted result of one line, with everything needed to trace it.

    ``activity_value`` is the quantity converted into ``activity_unit`` by multiplying with
    ``unit_conversion``; ``gas`` is the one gas the line emits (``CO2e`` for a mixed factor) and
    ``gas_mass_t`` its physical mass [t]; ``co2e_t`` the result per method [tCO2e];
    ``removal_t`` and ``offset_t`` are removals and retired offsets [tCO2e, positive];
    ``energy_tce`` the line's contribution to 综合能耗 [tce].
    """

    line: ActivityLine
    scope: str
    sector: str | None
    activity_value: float
    activity_unit: str
    unit_conversion: float
    formula: str
    gas: str = "CO2"
    gas_mass_t: float = 0.0
    co2e_t: Mapping[Method, float] = field(default_factory=dict)
    removal_t: float = 0.0
    offset_t: float = 0.0
    energy_tce: float = 0.0
    energy_class: EnergyClass = "none"
    factors: tuple[FactorUse, ...] = ()
    warnings: tuple[str, ...] = ()

    def result(self, method: Method) -> float:
        """tCO2e of this line under ``method`` (0 when the method excludes it)."""
        return self.co2e_t.get(method, 0.0)
