"""Response schemas of inventories and indicators (``routes/inventories.py``).

Emissions are in tCO2e, energy (综合能耗) in tce. Breakdowns (``by_scope``, ``by_category``,
``by_gas``, ``by_entity``, ``by_sector``, ``by_period``) map a key to a figure; the methods are
``cn_national``, ``ghg_location``, ``ghg_market`` and ``zero_carbon_park``
(``docs/methodology.md``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zeropark.api.energy_schemas import HeadlineFiguresPublic
from zeropark.api.schema_types import Number
from zeropark.store.inventories import PublishedInventory

__all__ = [
    "InventoryPublic",
    "InventoryVersionPublic",
    "ParkIndicatorsPublic",
    "PublishedVersionPublic",
    "TenantIndicatorsPublic",
]

Breakdown = dict[str, Number]


class OptionsPublic(BaseModel):
    """The accounting options the figures were computed with (part of the input hash)."""

    reporting_year: int | None
    region: str
    gwp_set: str
    fuel_dataset: str
    grid_data_year: int | None
    electricity_basis: str
    equal_value_kgce_per_kwh: Number | None
    granularity: Literal["month", "quarter", "year"]


class UnitsPublic(BaseModel):
    """Units of the figures."""

    emissions: str
    energy: str


class HeadlinePublic(BaseModel):
    """GHG Protocol headline totals (breakdowns location-based)."""

    basis: str
    gwp_set: str
    by_scope: Breakdown = Field(
        description="keys 1, 2_location_based, 2_market_based, 3",
    )
    by_category: Breakdown
    by_gas: Breakdown
    by_entity: Breakdown
    gross_location_based_tco2e: Number
    gross_market_based_tco2e: Number
    removals_tco2e: Number
    offsets_tco2e: Number
    net_location_based_tco2e: Number
    net_market_based_tco2e: Number


class MethodSummaryPublic(BaseModel):
    """One method's totals: gross, removals, retired offsets, net."""

    label_zh: str
    label_en: str
    gross_tco2e: Number
    removals_tco2e: Number
    offsets_tco2e: Number
    net_tco2e: Number


class MethodTotalsPublic(MethodSummaryPublic):
    """One method's totals and their one-way breakdowns."""

    by_scope: Breakdown
    by_category: Breakdown
    by_gas: Breakdown
    by_entity: Breakdown
    by_sector: Breakdown
    by_period: Breakdown


class MethodsPublic(BaseModel):
    """Totals per accounting method."""

    cn_national: MethodTotalsPublic
    ghg_location: MethodTotalsPublic
    ghg_market: MethodTotalsPublic
    zero_carbon_park: MethodTotalsPublic


class MethodSummariesPublic(BaseModel):
    """Totals per accounting method, without breakdowns (park aggregates)."""

    cn_national: MethodSummaryPublic
    ghg_location: MethodSummaryPublic
    ghg_market: MethodSummaryPublic
    zero_carbon_park: MethodSummaryPublic


class EnergySplitPublic(BaseModel):
    """综合能耗 [tce] and its split; green electricity is a subset of grid electricity."""

    total_tce: Number
    fossil_fuel_tce: Number
    grid_electricity_tce: Number
    heat_tce: Number
    onsite_renewable_tce: Number
    green_electricity_tce: Number
    non_fossil_electricity_tce: Number
    electricity_basis: str


class InventoryEnergyPublic(EnergySplitPublic):
    """综合能耗 [tce], its split, and by entity and period."""

    by_entity: Breakdown
    by_period: Breakdown


class IndicatorPublic(BaseModel):
    """The zero-carbon park core indicator: CO2 per unit of energy [tCO2/tce] and its band.

    ``notes`` are English (same as ``notes_en``), ``notes_zh`` Chinese.
    """

    co2_t: Number
    energy_tce: Number
    intensity_tco2_per_tce: Number | None
    threshold_tco2_per_tce: Number | None
    gap_t: Number | None
    meets: bool | None
    electricity_basis: str
    notes: list[str]
    notes_zh: list[str]
    notes_en: list[str]


class DoubleCountPublic(BaseModel):
    """An activity record duplicating metered data: reported, not counted."""

    entity: str
    category: str
    item: str
    record_period: str
    record_quantity: Number
    record_unit: str
    record_ref: str
    meter_periods: list[str]
    meter_refs: list[str]
    coverage: Literal["full", "partial"]


class NotQuantifiedPublic(BaseModel):
    """A scope-3 line set aside for want of an emission factor (in no total)."""

    ref: str
    entity: str
    period: str
    category: str
    item: str
    quantity: Number
    unit: str
    supply: str


class ActivityPublic(BaseModel):
    """A line's activity data in the unit of its factors (``quantity`` × ``unit_conversion``)."""

    value: Number
    unit: str
    unit_conversion: Number


class FactorUsePublic(BaseModel):
    """One factor as used on a line, with its provenance (or ``measured``)."""

    role: str
    value: Number
    unit: str
    dataset: str
    version: str
    source: str
    clause: str
    verification: str
    year: int | None
    region: str | None
    measured: bool
    fallbacks: list[str]


class LinePublic(BaseModel):
    """One accounted line with everything needed to trace it.

    ``measured``: the parameters given on the line (``ncv``, ``ncv_unit``,
    ``carbon_content_tc_per_gj``, ``oxidation_rate``, ``emission_factor``, ``ef_unit``), only
    those given; ``tco2e``: the result per method.
    """

    ref: str
    entity: str
    period: str
    category: str
    item: str
    quantity: Number
    unit: str
    origin: Literal["record", "meter"]
    scope: str
    sector: str | None
    measured: dict[str, Number | str]
    activity: ActivityPublic
    gas: str
    gas_mass_t: Number
    tco2e: Breakdown
    removal_tco2e: Number
    offset_tco2e: Number
    energy_tce: Number
    energy_class: str
    formula: str
    factors: list[FactorUsePublic]
    warnings: list[str]


class InventoryScopePublic(BaseModel):
    """Whose inventory: the park, or one tenant of it, and the year."""

    park_id: str
    park_name: str
    tenant_id: str | None
    tenant_name: str | None
    entity: str
    year: int


class BoundaryMeterPublic(BaseModel):
    """A meter inside the boundary, its role and its totals for the year (``unit``: energy for
    power meters); ``coverage``: the share of the year its data cover [0-1]."""

    meter: str
    name: str | None
    tenant: str | None
    parent: str | None
    carrier: str
    category: str | None
    item: str | None
    role: Literal["counted", "sub_meter", "unmapped"]
    quantity: Number
    unit: str
    estimated: Number
    coverage: Number


class DataQualityPublic(BaseModel):
    """Records counted, mean coverage and estimated share of the counted meters [0-1]."""

    records: int
    coverage: Number
    estimated_share: Number


class InventoryPublic(BaseModel):
    """An inventory from stored data (schema ``zeropark.inventory/…``, as ``zeropark account``
    prints it) with its scope, meter boundary and data quality."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    input_hash: str
    options: OptionsPublic
    factor_versions: dict[str, list[str]]
    units: UnitsPublic
    totals: HeadlinePublic
    methods: MethodsPublic
    energy: InventoryEnergyPublic
    zero_carbon_park_indicator: IndicatorPublic
    double_counting: list[DoubleCountPublic]
    not_quantified: list[NotQuantifiedPublic]
    warnings: list[str]
    lines: list[LinePublic]
    scope: InventoryScopePublic
    boundary: list[BoundaryMeterPublic]
    data_quality: DataQualityPublic
    headline_figures: HeadlineFiguresPublic | None = None


class InventoryVersionPublic(BaseModel):
    """One published version of an inventory (the result itself is kept in the store)."""

    id: int
    park_id: str
    tenant_id: str | None
    entity: str
    period: str
    version: int
    input_hash: str
    result_sha256: str
    published_at: str = Field(description="ISO 8601")
    published_by: str
    superseded: bool

    @classmethod
    def of(cls, v: PublishedInventory) -> InventoryVersionPublic:
        """A stored version."""
        return cls(
            id=v.id,
            park_id=v.park_id,
            tenant_id=v.tenant_id,
            entity=v.entity,
            period=v.period,
            version=v.version,
            input_hash=v.input_hash,
            result_sha256=v.result_sha256,
            published_at=v.published_at.isoformat(),
            published_by=v.published_by,
            superseded=v.superseded,
        )


class PublishedVersionPublic(BaseModel):
    """The outcome of a publish: ``created`` false when the inputs were unchanged (the
    existing version is returned)."""

    created: bool
    id: int
    park_id: str
    tenant_id: str | None
    entity: str
    period: str
    version: int
    input_hash: str
    result_sha256: str
    published_at: str = Field(description="ISO 8601")
    published_by: str
    superseded: bool


class GuidingPublic(BaseModel):
    """A guiding indicator: its value [fraction] and state, or ``no_data`` and what it needs.

    ``requirement``, ``definition`` and ``needs`` are English (as their ``*_en``); ``inputs``
    are the numerator and denominator [tce] of a computed share.
    """

    code: str
    label_zh: str
    label_en: str
    requirement: str
    requirement_zh: str
    requirement_en: str
    threshold: Number | None
    value: Number | None
    state: str
    definition: str
    definition_zh: str
    definition_en: str
    needs: str | None
    needs_zh: str | None
    needs_en: str | None
    inputs: Breakdown
    source: str


class ParkIndicatorsPublic(BaseModel):
    """The park-level aggregates for a year (schema ``zeropark.park_indicators/1``): no line,
    entity, meter or record."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["zeropark.park_indicators/1"] = Field(alias="schema")
    park_id: str
    park_name: str
    year: int
    options: OptionsPublic
    input_hash: str
    units: UnitsPublic
    methods: MethodSummariesPublic
    energy: EnergySplitPublic
    zero_carbon_park_indicator: IndicatorPublic
    not_quantified_lines: int
    guiding: list[GuidingPublic]
    headline_figures: HeadlineFiguresPublic | None = None


class TenantIndicatorsPublic(BaseModel):
    """A tenant's own indicator, energy and totals for a year (from its inventory)."""

    park_id: str
    tenant_id: str | None
    year: int
    zero_carbon_park_indicator: IndicatorPublic
    energy: InventoryEnergyPublic
    totals: HeadlinePublic
    headline_figures: HeadlineFiguresPublic | None = None
