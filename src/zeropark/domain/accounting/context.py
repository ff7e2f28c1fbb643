"""Options of an accounting run and the factor lookups every calculator shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from zeropark.domain.accounting.factors import FactorSet
from zeropark.domain.accounting.lines import ActivityLine
from zeropark.domain.accounting.regions import NATIONAL, fallback_chain, normalise_region
from zeropark.domain.accounting.trace import FactorUse
from zeropark.errors import InputError

__all__ = ["GWP_SETS", "AccountingContext", "AccountingOptions", "ElectricityBasis"]

GWP_SETS: tuple[str, ...] = ("SAR", "AR4", "AR5", "AR6")
ElectricityBasis = Literal["equivalent", "equal_value"]

DEFAULT_FUEL_DATASET = "cn_guideline_fuels"


@dataclass(frozen=True, slots=True)
class AccountingOptions:
    """How to account: year, region, GWP set, datasets and energy basis.

    - ``reporting_year``: selects factors by year; ``None`` uses each line's own year.
    - ``region``: province or grid region for location-based grid factors (default 全国).
    - ``gwp_set``: SAR, AR4, AR5 (default) or AR6, 100-year values.
    - ``fuel_dataset``: ``cn_guideline_fuels`` (default) or ``ipcc_2006_fuels``.
    - ``grid_data_year``: pin the data year of every grid factor (else latest ≤ reporting year).
    - ``electricity_basis``: 综合能耗 with electricity at the equivalent value (当量值, default)
      or the equal value (等价值, needs ``equal_value_kgce_per_kwh``).
    - ``granularity``: period granularity of the aggregated inventory.
    """

    reporting_year: int | None = None
    region: str = NATIONAL
    gwp_set: str = "AR5"
    fuel_dataset: str = DEFAULT_FUEL_DATASET
    grid_data_year: int | None = None
    electricity_basis: ElectricityBasis = "equivalent"
    equal_value_kgce_per_kwh: float | None = None
    granularity: Literal["month", "quarter", "year"] = "year"

    def __post_init__(self) -> None:
        if self.gwp_set not in GWP_SETS:
            raise InputError(
                f"unknown GWP set {self.gwp_set!r}; one of {', '.join(GWP_SETS)}", field="gwp"
            )
        object.__setattr__(self, "region", normalise_region(self.region))
        if self.electricity_basis == "equal_value" and not self.equal_value_kgce_per_kwh:
            raise InputError(
                "the equal-value (等价值) basis needs equal_value_kgce_per_kwh, the year's "
                "thermal-power standard-coal consumption rate (about 0.30 kgce/kWh)",
                field="equal_value_kgce_per_kwh",
            )

    def canonical(self) -> dict[str, object]:
        """The options as a plain mapping (for the input hash and the report)."""
        return {
            "reporting_year": self.reporting_year,
            "region": self.region,
            "gwp_set": self.gwp_set,
            "fuel_dataset": self.fuel_dataset,
            "grid_data_year": self.grid_data_year,
            "electricity_basis": self.electricity_basis,
            "equal_value_kgce_per_kwh": self.equal_value_kgce_per_kwh,
            "granularity": self.granularity,
        }


# (role, code, parameter, year, variant, dataset, region)
_LookupKey = tuple[str, str, str, int, str, str | None, str]


@dataclass(frozen=True, slots=True)
class AccountingContext:
    """Factors and options, with lookups that record the factor and its fallbacks.

    Lookups are memoised per context (one accounting run): a park's thousand electricity lines
    share the same few factor rows, so each (role, code, parameter, year, variant, dataset) is
    chosen once, and the same :class:`FactorUse`, fallbacks included, is put on every line.
    """

    factors: FactorSet
    options: AccountingOptions
    _cache: dict[_LookupKey, FactorUse] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def year_of(self, line: ActivityLine) -> int:
        """The reporting year used for ``line``'s factors."""
        return self.options.reporting_year or line.period.year

    def national(
        self,
        role: str,
        code: str,
        parameter: str,
        line: ActivityLine,
        *,
        variant: str = "default",
        dataset: str | None = None,
        year: int | None = None,
    ) -> FactorUse:
        """Look up a national (or global) factor for ``line``'s reporting year."""
        year = year or self.year_of(line)
        key = (role, code, parameter, year, variant, dataset, NATIONAL)
        found = self._cache.get(key)
        if found is None:
            choice = self.factors.lookup(
                code, parameter, year=year, region=NATIONAL, variant=variant, dataset=dataset
            )
            found = self._cache[key] = FactorUse.from_choice(role, choice)
        return found

    def regional(self, role: str, code: str, parameter: str, line: ActivityLine) -> FactorUse:
        """Look up a factor for the run's region, falling back to its grid, then national."""
        region, year = self.options.region, self.grid_year(line)
        key = (role, code, parameter, year, "default", None, region)
        found = self._cache.get(key)
        if found is None:
            choice = self.factors.lookup(
                code, parameter, year=year, region=region, fallback_regions=fallback_chain(region)
            )
            found = self._cache[key] = FactorUse.from_choice(role, choice)
        return found

    def grid_year(self, line: ActivityLine) -> int:
        """The year used to choose grid factors (pinned data year, else reporting year)."""
        return self.options.grid_data_year or self.year_of(line)
