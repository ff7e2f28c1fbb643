"""The accounting engine: one line → :class:`LineResult`; many lines → :class:`Inventory`.

:func:`account` takes metered lines and activity records separately, so that a record that
duplicates metered data is reported, not counted twice (:mod:`.reconcile`).

One rule for lines without a factor: a scope-3 line (waste, water, travel…) with neither a
measured ``emission_factor`` nor a factor in the set is set aside in
:attr:`Inventory.not_quantified` — scope 3 is optional, and no verified national default exists
for these items — and named there with what to supply; it is never silently dropped. Every other
missing factor raises :class:`FactorNotFound` naming the line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from zeropark.domain.accounting.aggregate import (
    EnergyTotals,
    MethodTotals,
    energy_totals,
    method_totals,
)
from zeropark.domain.accounting.combustion import account_combustion
from zeropark.domain.accounting.context import AccountingContext, AccountingOptions
from zeropark.domain.accounting.factors import FactorSet
from zeropark.domain.accounting.green_cap import cap_green
from zeropark.domain.accounting.hashing import input_hash
from zeropark.domain.accounting.indicator import ParkIndicator, park_indicator
from zeropark.domain.accounting.lines import ActivityLine
from zeropark.domain.accounting.other_sources import (
    SCOPE3_CATEGORIES,
    account_fugitive,
    account_output,
    account_process,
    account_removal_or_offset,
    account_scope3,
)
from zeropark.domain.accounting.reconcile import DoubleCount, reconcile
from zeropark.domain.accounting.scope2 import account_electricity, account_heat
from zeropark.domain.accounting.trace import METHODS, LineResult, Method
from zeropark.domain.categories import INDICATOR_CATEGORIES
from zeropark.domain.issues import Issue
from zeropark.errors import FactorNotFound, InputError

__all__ = [
    "DEFAULT_SECTORS",
    "Inventory",
    "NotQuantified",
    "account",
    "account_line",
    "gross_by_method",
]

Calculator = Callable[[ActivityLine, AccountingContext], LineResult]

_CALCULATORS: dict[str, Calculator] = {
    "fuel_combustion": account_combustion,
    "mobile_combustion": account_combustion,
    "process": account_process,
    "fugitive": account_fugitive,
    "purchased_electricity": account_electricity,
    "exported_electricity": account_electricity,
    "green_electricity": account_electricity,
    "onsite_renewable": account_electricity,
    "purchased_heat": account_heat,
    "exported_heat": account_heat,
    "sink": account_removal_or_offset,
    "ccus": account_removal_or_offset,
    "offset": account_removal_or_offset,
    "output": account_output,
    # Guiding-indicator data (domain.categories.INDICATOR_CATEGORIES): no emission, no energy.
    **dict.fromkeys(INDICATOR_CATEGORIES, account_output),
    **dict.fromkeys(SCOPE3_CATEGORIES, account_scope3),
}

DEFAULT_SECTORS: dict[str, str] = {
    "fuel_combustion": "industry",
    "mobile_combustion": "transport",
    "process": "industry",
    "fugitive": "industry",
    "purchased_electricity": "energy",
    "exported_electricity": "energy",
    "green_electricity": "energy",
    "onsite_renewable": "energy",
    "purchased_heat": "energy",
    "exported_heat": "energy",
    "waste": "life",
    "water": "life",
    "travel": "transport",
    "purchased_goods": "industry",
    "transport_upstream": "transport",
}

_WEAK_EVIDENCE = ("UNVERIFIED", "PROXY", "CONFLICT")


def account_line(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account one line; errors name the line's ``ref`` (file:row or meter)."""
    calculator = _CALCULATORS[line.category]
    try:
        result = calculator(line, ctx)
    except InputError as exc:
        raise type(exc)(exc.reason, source=exc.source, location=line.ref, field=exc.field) from None
    except FactorNotFound as exc:
        raise FactorNotFound(f"{line.ref or line.entity}: {exc}") from None
    warnings = list(result.warnings)
    for factor in result.factors:
        if factor.verification.startswith(_WEAK_EVIDENCE):
            warnings.append(f"{factor.role} of {factor.dataset} is {factor.verification}")
        warnings.extend(f"{factor.role}: {note}" for note in factor.fallbacks)
    return replace(
        result,
        sector=result.sector or DEFAULT_SECTORS.get(line.category),
        warnings=tuple(dict.fromkeys(warnings)),
    )


@dataclass(frozen=True, slots=True)
class NotQuantified:
    """A scope-3 line set aside: no emission factor on the line or in the factor set."""

    ref: str
    entity: str
    period: str
    category: str
    item: str
    quantity: float
    unit: str
    supply: str

    def message(self) -> str:
        """One readable line for reports and warnings."""
        return (
            f"{self.ref or self.entity}: {self.category} {self.item} {self.quantity:g} "
            f"{self.unit} ({self.period}) not quantified — {self.supply}"
        )


_SUPPLY = (
    "no emission factor: give emission_factor and ef_unit on the line, or a custom factor set "
    "(--factors) with parameter 'ef' for this item"
)


@dataclass(frozen=True, slots=True)
class Inventory:
    """An accounted inventory: line results, totals per method, energy, checks and hash.

    ``not_quantified`` lists the scope-3 lines set aside for want of a factor (in no total).
    """

    options: AccountingOptions
    results: tuple[LineResult, ...]
    totals: dict[Method, MethodTotals]
    energy: EnergyTotals
    park: ParkIndicator
    double_counting: tuple[DoubleCount, ...]
    input_hash: str
    factor_versions: dict[str, list[str]]
    warnings: tuple[str, ...]
    not_quantified: tuple[NotQuantified, ...] = ()
    issues: tuple[Issue, ...] = ()


def _account_or_set_aside(
    lines: Sequence[ActivityLine], ctx: AccountingContext
) -> tuple[list[LineResult], list[NotQuantified]]:
    results: list[LineResult] = []
    aside: list[NotQuantified] = []
    for line in lines:
        try:
            results.append(account_line(line, ctx))
        except FactorNotFound:
            if line.category not in SCOPE3_CATEGORIES or line.measured.emission_factor is not None:
                raise
            aside.append(
                NotQuantified(
                    line.ref,
                    line.entity,
                    line.period.label,
                    line.category,
                    line.item,
                    line.quantity,
                    line.unit,
                    _SUPPLY,
                )
            )
    return results, aside


def account(
    records: Sequence[ActivityLine],
    factors: FactorSet,
    options: AccountingOptions | None = None,
    *,
    metered: Sequence[ActivityLine] = (),
    boundary: str | None = None,
) -> Inventory:
    """Account activity ``records`` and ``metered`` lines with ``factors`` under ``options``.

    Records duplicating metered data are excluded and listed in ``double_counting``; scope-3
    lines without a factor are listed in ``not_quantified``. ``boundary`` names the reporting
    entity (the park or tenant) in the inventory-level consistency warnings.
    """
    options = options or AccountingOptions()
    ctx = AccountingContext(factors, options)
    lines, duplicates = reconcile(metered, records)
    accounted, aside = _account_or_set_aside(lines, ctx)
    capped, issues = cap_green(accounted, boundary)
    results = tuple(capped)
    totals = {m: method_totals(results, m, options.granularity) for m in METHODS}
    energy = energy_totals(results, options.electricity_basis, options.granularity)
    park = park_indicator(
        totals["zero_carbon_park"].gross_t, energy.total_tce, energy.electricity_basis
    )
    warnings = [d.message() for d in duplicates] + [i.message for i in issues]
    if aside:
        warnings.append(
            f"{len(aside)} scope-3 line(s) not quantified for want of an emission factor "
            "(listed under not_quantified; in no total)"
        )
    return Inventory(
        options=options,
        results=results,
        totals=totals,
        energy=energy,
        park=park,
        double_counting=tuple(duplicates),
        input_hash=input_hash([*metered, *records], factors, options),
        factor_versions=factors.versions(),
        warnings=tuple(warnings),
        not_quantified=tuple(aside),
        issues=tuple(issues),
    )


def gross_by_method(
    lines: Sequence[ActivityLine], factors: FactorSet, options: AccountingOptions
) -> dict[Method, float]:
    """Gross emissions [tCO2e] per method of ``lines`` accounted line by line.

    The ``gross_t`` that :func:`account` would total for these lines alone (scope-3 lines
    without a factor set aside the same way), without reconciliation, breakdowns or the input
    hash: for a slice of an inventory already accounted, such as the overview's day.
    """
    results, _ = _account_or_set_aside(lines, AccountingContext(factors, options))
    return {m: sum(r.co2e_t.get(m, 0.0) for r in results) for m in METHODS}
