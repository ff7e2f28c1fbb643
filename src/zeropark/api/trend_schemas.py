"""Response schemas of the trend operations (``routes/trends.py``): time-of-use, monthly trend.

Times are ISO 8601 with the park's offset; periods (``YYYY-MM``, ``YYYY-MM-DD``) are park-local.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = ["EnergyTouPublic", "InventoryMonthlyPublic", "MonthlyMethodPublic", "TouPeriodPublic"]


class TouPeriodPublic(BaseModel):
    """Electricity of one time-of-use period (``critical_peak``, ``peak``, ``flat``, ``valley``)."""

    code: str
    label_zh: str
    label_en: str
    kwh: float


class EnergyTouPublic(BaseModel):
    """Electricity consumption [kWh] by time-of-use period over ``[start, end)``.

    ``configured`` is false when the park has no schedule (``park.time_of_use``): then there are
    no figures (periods are never guessed). ``uncovered_kwh`` is consumption in months the
    schedule does not cover. ``rows`` holds, per park-local day or month (``bucket``), the kWh
    of each period code and ``uncovered`` (empty for ``bucket=total``).
    """

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    park_id: str
    tenant_id: str | None
    timezone: str
    start: AwareDatetime
    end: AwareDatetime
    bucket: str
    configured: bool
    note: str | None
    unit: str
    meters: list[str]
    periods: list[TouPeriodPublic]
    uncovered_kwh: float | None
    estimated_kwh: float | None
    total_kwh: float | None
    rows: list[dict[str, str | float]]


class MonthlyMethodPublic(BaseModel):
    """One accounting method's gross emissions [tCO2e] per month (twelve, in ``months`` order).

    ``by_scope`` splits each month by scope; ``other_periods_tco2e`` holds records of a whole
    year or quarter (``2024``, ``2024-Q3``), not split into months. The months plus those equal
    ``year_gross_tco2e``.
    """

    label_zh: str
    label_en: str
    gross_tco2e: list[float]
    by_scope: list[dict[str, float]]
    other_periods_tco2e: dict[str, float]
    year_gross_tco2e: float


class InventoryMonthlyPublic(BaseModel):
    """The inventory of a year per park-local month: gross per method, scope split, tce."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    park_id: str
    tenant_id: str | None
    year: int
    units: dict[str, str]
    months: list[str]
    methods: dict[str, MonthlyMethodPublic]
    energy_tce: list[float]
    other_periods_energy_tce: dict[str, float]
    input_hash: str
