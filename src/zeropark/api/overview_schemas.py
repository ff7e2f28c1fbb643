"""Response schema of the park overview (``GET /parks/{id}/overview``, ``docs/api.md``).

The overview is served as pre-serialised JSON from a per-scope cache; this schema documents it
(and the API's schema tests hold the answers to it). Flows are in kWh per period and kW per hour;
emissions in tCO2e. ``today`` and ``month`` are absent when the year has no data.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from zeropark.api.energy_schemas import HeadlineFiguresPublic
from zeropark.api.schema_types import LocalTime, Number

__all__ = ["OverviewPublic"]


class OverviewScopePublic(BaseModel):
    """Whose figures: the park, or the calling tenant."""

    level: Literal["park", "tenant"]
    tenant_id: str | None


class BoundsPublic(BaseModel):
    """A park-local period ``[start, end)``."""

    start: LocalTime
    end: LocalTime


class PeriodsPublic(BaseModel):
    """The day of the newest data, its month, and the year."""

    today: BoundsPublic | None = None
    month: BoundsPublic | None = None
    year: BoundsPublic


class PowerFlowPublic(BaseModel):
    """Mean power [kW] of each flow over the newest hour with data."""

    start: LocalTime
    end: LocalTime
    unit: Literal["kW"]
    grid_import_kw: Number
    grid_export_kw: Number
    pv_kw: Number
    green_kw: Number
    battery_charge_kw: Number
    battery_discharge_kw: Number
    load_kw: Number


class FlowsPublic(BaseModel):
    """Energy [kWh] of each flow; load = import + PV + discharge − export − charge; ``consumed``
    the metered electricity consumed, import + PV − export (the headline definition,
    ``docs/energy.md``; the year's headline figure is ``headline_figures``)."""

    grid_import: Number
    grid_export: Number
    pv: Number
    green: Number
    battery_charge: Number
    battery_discharge: Number
    load: Number
    consumed: Number | None = None


class OverviewEnergyPublic(BaseModel):
    """The flows over the day, its month and the year."""

    unit: Literal["kWh"]
    today: FlowsPublic | None = None
    month: FlowsPublic | None = None
    year: FlowsPublic


class RenewableSharePublic(BaseModel):
    """The headline renewable share (``docs/energy.md``) of the year and the month; the day's
    from its metered flows. Null without electricity consumed."""

    definition: str
    definition_zh: str | None = None
    today: Number | None = None
    month: Number | None = None
    year: Number | None


class ProfileHourPublic(BaseModel):
    """The flows [kW] of one hour of the day (mean power)."""

    start: LocalTime
    grid_import_kw: Number
    grid_export_kw: Number
    pv_kw: Number
    green_kw: Number
    battery_charge_kw: Number
    battery_discharge_kw: Number
    load_kw: Number


class CarbonMethodPublic(BaseModel):
    """Gross emissions [tCO2e] of one method: the day (metered sources only), the month and
    the year from the inventory, and the year net of removals and offsets."""

    today: Number | None
    month: Number | None
    year: Number
    year_net: Number


class CarbonMethodsPublic(BaseModel):
    """Emissions per accounting method."""

    cn_national: CarbonMethodPublic
    ghg_location: CarbonMethodPublic
    ghg_market: CarbonMethodPublic
    zero_carbon_park: CarbonMethodPublic


class CarbonIndicatorPublic(BaseModel):
    """The zero-carbon park intensity [tCO2/tce] and its threshold."""

    intensity_tco2_per_tce: Number | None
    threshold_tco2_per_tce: Number | None
    meets: bool | None


class CarbonPublic(BaseModel):
    """Gross emissions per method; ``default_method`` names the headline one."""

    unit: Literal["tCO2e"]
    basis: str
    default_method: Literal["cn_national", "ghg_location", "ghg_market", "zero_carbon_park"]
    methods: CarbonMethodsPublic
    indicator: CarbonIndicatorPublic


class OverviewQualityPublic(BaseModel):
    """Coverage and estimated share of the counted meters [0-1], records counted."""

    coverage: Number
    estimated_share: Number
    records: int


class PvPublic(BaseModel):
    """PV capacity [kWp] and the year's yield [kWh/kWp] (null without PV)."""

    capacity_kwp: Number
    yield_kwh_per_kwp: Number | None


class OverviewPublic(BaseModel):
    """What the caller may see of one park: flows, energy, carbon, renewable share, alerts.

    ``day`` is the park-local day of the newest data (null without data in ``year``), ``live``
    whether it is today, ``data_until`` the end of the newest hour. ``data_quality`` is null
    for regulators, who read park aggregates only.
    """

    park_id: str
    park_name: str
    timezone: str
    scope: OverviewScopePublic
    year: int
    day: str | None
    live: bool
    data_until: LocalTime | None
    open_alerts: int
    periods: PeriodsPublic
    power_flow: PowerFlowPublic | None
    energy: OverviewEnergyPublic
    renewable_share: RenewableSharePublic
    headline_figures: HeadlineFiguresPublic
    profile: list[ProfileHourPublic]
    carbon: CarbonPublic
    data_quality: OverviewQualityPublic | None
    pv: PvPublic
