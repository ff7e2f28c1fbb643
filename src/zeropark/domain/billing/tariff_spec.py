"""The park's tariffs as data (园区能源价格): the park file's ``park.tariffs`` section.

Electricity is priced by time-of-use band (尖峰/峰/平/谷) per season of months, plus a demand
(需量) or capacity (容量) charge and fixed monthly charges; every other carrier (natural gas,
water, heat, ...) by a single price per unit. Prices are exclusive of VAT (不含税); each
carrier has its VAT rate (增值税率). How the costs no tenant meter measures (公摊: common areas,
losses, park buildings) are shared is ``common_costs``. The hours of the bands are the park's
time-of-use schedule (``park.time_of_use``); cross-checks are in
:mod:`zeropark.domain.billing.rules`. This module imports nothing of the park model (the park
model imports it).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints
from pydantic.dataclasses import dataclass

__all__ = [
    "BAND_CODES",
    "CommonCosts",
    "DemandCharge",
    "ElectricityTariff",
    "FlatTariff",
    "OnsitePv",
    "TariffSeason",
    "Tariffs",
]

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
_Code = Annotated[str, StringConstraints(min_length=1, max_length=32)]
_Ident = Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
_Note = Annotated[str, StringConstraints(max_length=2000)]

#: Band codes a season may price (the park model's ``TOU_PERIODS``).
BAND_CODES = ("critical_peak", "peak", "flat", "valley")
#: A price per unit [CNY], exclusive of VAT.
Price = Annotated[float, Field(ge=0, le=1_000_000)]
#: A VAT rate as a fraction (0.13 for 13 %).
VatRate = Annotated[float, Field(ge=0, lt=1)]


@dataclass(config=_STRICT)
class TariffSeason:
    """The band prices [CNY/kWh, excl. VAT] in ``months`` (1-12)."""

    months: list[int]
    prices_cny_per_kwh: dict[_Code, Price]


@dataclass(config=_STRICT)
class DemandCharge:
    """The monthly demand (需量, on the intake's maximum demand [kW]) or capacity (容量, on
    the contracted transformer capacity [kVA]) charge.

    ``allocation``: ``coincident_peak`` shares it by each consumer's load in the hour of the
    park's maximum demand; ``common`` adds it to the common costs.
    """

    basis: Literal["max_demand", "capacity"]
    price_cny_per_kw_month: Price | None = None
    price_cny_per_kva_month: Price | None = None
    capacity_kva: float | None = Field(default=None, gt=0)
    allocation: Literal["coincident_peak", "common"] = "coincident_peak"


@dataclass(config=_STRICT)
class OnsitePv:
    """What a tenant pays for its share of the park's on-site PV (自发自用光伏).

    Either ``price_factor`` (a fraction of the band price of the same hour: 0.85 is the common
    "15 % off the grid price" of an energy-performance contract) or a flat ``price_cny_per_kwh``.
    """

    price_factor: float | None = Field(default=None, ge=0, le=2)
    price_cny_per_kwh: Price | None = None


@dataclass(config=_STRICT)
class ElectricityTariff:
    """Electricity (电力): band prices by season, demand or capacity charge, fixed charges."""

    seasons: list[TariffSeason]
    vat_rate: VatRate = 0.13
    demand: DemandCharge | None = None
    fixed_cny_per_month: Price = 0.0
    onsite_pv: OnsitePv | None = None


@dataclass(config=_STRICT)
class FlatTariff:
    """Any other carrier (natural gas, water, heat, steam): one price per ``unit``."""

    carrier: _Code
    unit: _Code
    price_cny_per_unit: Price
    vat_rate: VatRate = 0.09
    fixed_cny_per_month: Price = 0.0


@dataclass(config=_STRICT)
class CommonCosts:
    """How costs that no tenant meter measures (公摊) are shared.

    ``key``: ``floor_area`` (the floor area of each tenant's buildings; the park keeps the
    share of its own buildings), ``consumption`` (each consumer's metered consumption of the
    carrier in the month; the park keeps the share of its own meters) or ``fixed`` (``shares``:
    tenant id or ``park`` → fraction, summing to 1).
    """

    key: Literal["floor_area", "consumption", "fixed"] = "floor_area"
    shares: dict[_Ident, Annotated[float, Field(ge=0, le=1)]] | None = None


@dataclass(config=_STRICT)
class Tariffs:
    """The park's tariffs (``park.tariffs``); ``note`` (``note_en`` in English) names the tariff
    notice or says it is illustrative."""

    electricity: ElectricityTariff | None = None
    others: list[FlatTariff] = Field(default_factory=list)
    common_costs: CommonCosts = Field(default_factory=CommonCosts)
    currency: Literal["CNY"] = "CNY"
    note: _Note | None = None
    note_en: _Note | None = None
