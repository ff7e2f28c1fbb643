"""Carbon accounting: pure functions and frozen dataclasses, no I/O (DESIGN.md section 4).

Tiers, after pvlib: formulas per category (:mod:`.combustion`, :mod:`.scope2`,
:mod:`.other_sources`, :mod:`.energy`), data objects (:class:`ActivityLine`, :class:`FactorSet`,
:class:`LineResult`), and the orchestrator :func:`account` returning an :class:`Inventory`.
Formulas, sources and fallbacks are documented in ``docs/methodology.md``.
"""

from zeropark.domain.accounting.aggregate import (
    DIMENSIONS,
    EnergyTotals,
    MethodTotals,
    energy_totals,
    method_totals,
    pivot,
)
from zeropark.domain.accounting.context import (
    GWP_SETS,
    AccountingContext,
    AccountingOptions,
)
from zeropark.domain.accounting.engine import (
    DEFAULT_SECTORS,
    Inventory,
    NotQuantified,
    account,
    account_line,
    gross_by_method,
)
from zeropark.domain.accounting.factors import Factor, FactorChoice, FactorSet
from zeropark.domain.accounting.hashing import canonical_json, input_hash
from zeropark.domain.accounting.indicator import ParkIndicator, park_indicator
from zeropark.domain.accounting.items import Item, ItemCatalogue
from zeropark.domain.accounting.lines import (
    ActivityLine,
    MeasuredParameters,
    MeterMapping,
    metered_lines,
    period_of,
)
from zeropark.domain.accounting.periods import Period, parse_period
from zeropark.domain.accounting.reconcile import DoubleCount, find_double_counting, reconcile
from zeropark.domain.accounting.regions import (
    GRID_REGIONS,
    PROVINCE_GRID,
    grid_region_of,
    normalise_region,
)
from zeropark.domain.accounting.trace import METHOD_LABELS, METHODS, FactorUse, LineResult, Method

__all__ = [
    "DEFAULT_SECTORS",
    "DIMENSIONS",
    "GRID_REGIONS",
    "GWP_SETS",
    "METHODS",
    "METHOD_LABELS",
    "PROVINCE_GRID",
    "AccountingContext",
    "AccountingOptions",
    "ActivityLine",
    "DoubleCount",
    "EnergyTotals",
    "Factor",
    "FactorChoice",
    "FactorSet",
    "FactorUse",
    "Inventory",
    "Item",
    "ItemCatalogue",
    "LineResult",
    "MeasuredParameters",
    "MeterMapping",
    "Method",
    "MethodTotals",
    "NotQuantified",
    "ParkIndicator",
    "Period",
    "account",
    "account_line",
    "canonical_json",
    "energy_totals",
    "find_double_counting",
    "grid_region_of",
    "gross_by_method",
    "input_hash",
    "metered_lines",
    "method_totals",
    "normalise_region",
    "park_indicator",
    "parse_period",
    "period_of",
    "pivot",
    "reconcile",
]
