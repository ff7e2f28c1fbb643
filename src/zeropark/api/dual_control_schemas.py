"""Response and request schemas of energy-carbon dual control (能碳双控, #12): the scorecard,
budgets and waste findings (``routes/scorecard.py``, ``routes/budgets.py``, ``routes/waste.py``).
Shares are fractions (0.93 = 93 %); units are named on every figure."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from zeropark.api.schema_types import Number

__all__ = [
    "BudgetIn",
    "BudgetPublic",
    "ScorecardPublic",
    "WastePublic",
]


class GapPublic(BaseModel):
    """One way to close a gap: ``quantity`` [``unit``] more (``more``) or less of ``what``."""

    what: str
    what_zh: str
    quantity: Number
    unit: str
    more: bool


class LimitPublic(BaseModel):
    """A product's unit-energy limit (GB 单位产品能耗限额): grades in ``unit``."""

    standard: str
    unit: str
    grade1: Number | None
    grade2: Number | None
    grade3: Number | None
    table: str
    row: str
    source: str


class ProductPublic(BaseModel):
    """One product of one tenant: output, energy [tce], unit energy [limit unit], grade."""

    entity: str
    product: str
    output: Number
    output_unit: str
    energy_tce: Number | None
    unit_energy: Number | None
    grade: int | None
    reason: str | None
    limit: LimitPublic | None


class ScoreEntryPublic(BaseModel):
    """One indicator: value, threshold, state (pass / fail / undetermined) and gap."""

    code: str
    group: Literal["core", "guiding", "operating"]
    label_zh: str
    label_en: str
    value: Number | None
    unit: str
    threshold: Number | None
    comparison: str | None
    state: Literal["pass", "fail", "undetermined"] | None
    reason: str | None
    gaps: list[GapPublic]
    gap_zh: str | None
    gap_en: str | None
    definition_zh: str
    definition_en: str
    source: str
    inputs: dict[str, Number]
    products: list[ProductPublic]


class PeriodPublic(BaseModel):
    """The period: label, park-local start and end (end: where data end for a live period)."""

    label: str
    start: str
    end: str
    live: bool


class SystemPublic(BaseModel):
    """The indicator system the thresholds come from."""

    code: str
    name_zh: str
    name_en: str
    source: str


class ScorecardPublic(BaseModel):
    """The scorecard of a park, tenant or building for a period (``zeropark.scorecard/1``)."""

    schema_: str = Field(alias="schema")
    park_id: str
    park_name: str
    level: Literal["park", "tenant", "building"]
    entity_id: str
    entity_name: str
    entity_name_en: str
    period: PeriodPublic
    system: SystemPublic
    clean_energy: str
    coverage: Number
    electricity_basis: str
    entries: list[ScoreEntryPublic]


class BudgetMonthPublic(BaseModel):
    """One month: budget, actual (None after the data end) and projection, in the unit."""

    month: str
    budget: Number
    actual: Number | None
    projected: Number


class BudgetPublic(BaseModel):
    """A budget against consumption with its year-end projection (``zeropark.budget/1``)."""

    schema_: str = Field(alias="schema")
    id: int
    park_id: str
    tenant_id: str | None
    year: int
    kind: Literal["energy", "carbon"]
    label_zh: str
    label_en: str
    unit: str
    annual: Number
    split: str
    method: str
    profile_year: int | None
    months: list[BudgetMonthPublic]
    as_of: str
    used: Number
    remaining: Number
    used_share: Number | None
    year_end: Number
    projected_overrun: Number
    run_out: str | None
    summary_zh: str
    summary_en: str


class BudgetIn(BaseModel):
    """Set the energy (tce) or carbon (tCO2) budget of the park or a tenant for a year."""

    year: int = Field(ge=2000, le=2100)
    kind: Literal["energy", "carbon"]
    annual: float = Field(ge=0, allow_inf_nan=False)
    tenant_id: str | None = Field(default=None, max_length=64)
    split: Literal["even", "profile", "given"] = "even"
    months: list[float] | None = Field(default=None, min_length=12, max_length=12)
    method: Literal["seasonal", "run_rate"] = "seasonal"


class AnomalyPublic(BaseModel):
    """One sustained anomaly of a signal (``night_base`` or ``closed_day``)."""

    signal: str
    start: str
    end: str
    observations: int
    baseline: Number
    observed: Number
    excess: Number
    rise: Number
    waste_per_year: Number
    ongoing: bool


class WasteFindingPublic(BaseModel):
    """A meter's waste finding: when, how much, the yearly cost if it continues."""

    meter_id: str
    meter_name: str | None
    tenant_id: str | None
    carrier: str
    unit: str
    start: str
    ongoing: bool
    waste_per_year: Number
    tco2_per_year: Number | None
    explanation_zh: str
    explanation_en: str
    anomalies: list[AnomalyPublic]


class WastePublic(BaseModel):
    """Waste findings of a park's year (``zeropark.waste/1``)."""

    schema_: str = Field(alias="schema")
    park_id: str
    year: int
    meters_checked: int
    ef_tco2_per_mwh: Number | None
    findings: list[WasteFindingPublic]
