"""Response schemas of energy: by group and period (``GET /parks/{id}/energy``), the year
across all carriers (``GET /parks/{id}/energy/summary``) and the headline figures block shared
by the overview, energy, indicators and inventory answers (``docs/energy.md``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zeropark.api.schema_types import LocalTime, Number
from zeropark.service.energy_groups import EnergyAggregate
from zeropark.service.readings_query import local_iso

__all__ = [
    "EnergyGroupPublic",
    "EnergyPeriodPublic",
    "EnergyPublic",
    "EnergySummaryPublic",
    "HeadlineFiguresPublic",
]


class EnergyPeriodPublic(BaseModel):
    """A group's quantity over ``[start, end)`` in the group's unit.

    ``estimated``: the part flagged estimated; ``missing_meters``: the group's meters with no
    data in the period (counted as zero).
    """

    start: LocalTime
    end: LocalTime
    quantity: float
    estimated: float
    missing_meters: int


class EnergyGroupPublic(BaseModel):
    """One tenant, building or carrier (``group`` null: meters of no tenant or building)."""

    group: str | None
    unit: str
    rows: list[EnergyPeriodPublic]


class EnergyPublic(BaseModel):
    """Energy by park-local period (``interval``) and group (``group_by``), each quantity
    counted once (the meter hierarchy rule)."""

    park_id: str
    timezone: str
    interval: Literal["hour", "day", "month"]
    group_by: Literal["tenant", "building", "carrier"]
    groups: list[EnergyGroupPublic]

    @classmethod
    def of(cls, energy: EnergyAggregate) -> EnergyPublic:
        """The answer of the service's aggregate (times park-local)."""
        tz = energy.timezone
        return cls(
            park_id=energy.park_id,
            timezone=tz,
            interval=energy.interval,
            group_by=energy.group_by,
            groups=[
                EnergyGroupPublic(
                    group=g.group,
                    unit=g.unit,
                    rows=[
                        EnergyPeriodPublic(
                            start=local_iso(r.start_s, tz),
                            end=local_iso(r.end_s, tz),
                            quantity=r.quantity,
                            estimated=r.estimated,
                            missing_meters=r.missing_meters,
                        )
                        for r in g.rows
                    ],
                )
                for g in energy.groups
            ],
        )


class DefinitionPublic(BaseModel):
    """A figure's definition in Chinese and English."""

    zh: str
    en: str


class HeadlineFiguresPublic(BaseModel):
    """The one definition of each headline figure (``domain/energy/headline.py``).

    ``electricity_consumed_kwh`` = grid import + on-site generation − export;
    ``renewable_share`` = (on-site renewable kept + green electricity, at most the grid import)
    ÷ electricity consumed (null without consumption); ``emissions_tco2e`` the gross emissions
    under ``emissions_method``; ``energy_tce`` 综合能耗 on ``electricity_basis``.
    """

    period: str | None
    electricity_consumed_kwh: Number
    renewable_electricity_kwh: Number
    renewable_share: Number | None
    emissions_tco2e: Number
    emissions_method: Literal["cn_national", "ghg_location", "ghg_market", "zero_carbon_park"]
    emissions_method_zh: str
    emissions_method_en: str
    energy_tce: Number
    electricity_basis: str
    grid_import_kwh: Number
    onsite_generation_kwh: Number
    grid_export_kwh: Number
    green_kwh: Number
    definitions: dict[str, DefinitionPublic]


class QuantityPublic(BaseModel):
    """A quantity in its own unit."""

    unit: str
    quantity: Number


class CarrierEnergyPublic(BaseModel):
    """One carrier of the year: its quantities, tce, share of 综合能耗 and year-on-year change."""

    carrier: str
    name_zh: str
    name_en: str
    quantities: list[QuantityPublic]
    tce: Number
    share: Number | None
    previous_tce: Number
    yoy: Number | None


class MonthsPublic(BaseModel):
    """tce per park-local month: by carrier, total, the year before, and the changes."""

    months: list[str]
    tce_by_carrier: dict[str, list[Number]]
    total_tce: list[Number]
    previous_year_tce: list[Number]
    yoy: list[Number | None]
    mom: list[Number | None]
    electricity_consumed_kwh: list[Number]
    renewable_share: list[Number | None]
    other_periods_tce: dict[str, Number]


class BalancePublic(BaseModel):
    """grid + PV + discharge − export − charge = load; consumed = load + storage loss, checked
    against the headline (``records_kwh``: electricity entered as records)."""

    unit: Literal["kWh"]
    grid_import_kwh: Number
    pv_kwh: Number
    battery_discharge_kwh: Number
    grid_export_kwh: Number
    battery_charge_kwh: Number
    load_kwh: Number
    storage_loss_kwh: Number
    consumed_kwh: Number
    headline_consumed_kwh: Number
    records_kwh: Number
    closes: bool


class CarrierPartsPublic(BaseModel):
    """park = tenants + common metered + storage loss + unmetered, in the carrier's unit."""

    carrier: str
    unit: str
    park: Number
    tenants: Number
    common_metered: Number
    storage_loss: Number
    unmetered: Number


class ReconciliationPublic(BaseModel):
    """The electricity balance and each carrier's parts."""

    balance: BalancePublic
    groups: list[CarrierPartsPublic]


class SankeyLinkPublic(BaseModel):
    """A flow [tce] between two node codes."""

    source: str
    target: str
    value: Number


class SankeyPublic(BaseModel):
    """Sources → carriers → tenants and uses [tce]; ``negative``: residuals below zero."""

    unit: Literal["tce"]
    nodes: list[str]
    links: list[SankeyLinkPublic]
    negative: list[SankeyLinkPublic]


class IntensityBoundaryPublic(BaseModel):
    """The boundary's 综合能耗, output value and their ratio."""

    entity: str
    tce: Number
    output_wan_cny: Number | None
    tce_per_wan_cny: Number | None


class IntensityTenantPublic(BaseModel):
    """One tenant's energy per output value [tce/万元]."""

    tenant_id: str
    name: str
    name_en: str | None
    tce: Number
    output_wan_cny: Number | None
    tce_per_wan_cny: Number | None


class IntensityPublic(BaseModel):
    """Energy per output value (tce/万元) of the boundary and per tenant."""

    unit: str
    definition_zh: str
    definition_en: str
    boundary: IntensityBoundaryPublic
    tenants: list[IntensityTenantPublic]


class TenantNamePublic(BaseModel):
    """A tenant's names."""

    name: str
    name_en: str | None


class EnergySummaryPublic(BaseModel):
    """A year's energy across all carriers (schema ``zeropark.energy_summary/1``).

    ``scope``: ``park``, ``tenant`` (the caller's own) or ``aggregate`` (a regulator: no tenant
    named). tce on ``electricity_basis`` (GB/T 2589-2020).
    """

    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["zeropark.energy_summary/1"] = Field(alias="schema")
    park_id: str
    tenant_id: str | None
    scope: Literal["park", "tenant", "aggregate"]
    year: int
    timezone: str
    electricity_basis: str
    units: dict[str, str]
    total_tce: Number
    previous_total_tce: Number
    headline_figures: HeadlineFiguresPublic
    carriers: list[CarrierEnergyPublic]
    months: MonthsPublic
    reconciliation: ReconciliationPublic
    sankey: SankeyPublic
    intensity: IntensityPublic
    tenants: dict[str, TenantNamePublic]
