"""The park model (园区模型): park, tenants, buildings, meters, virtual meters, assets, sinks.

These are validated dataclasses (pydantic dataclasses: plain dataclass semantics, with type
checking of a parsed document). A whole park is one :class:`ParkSpec`, the in-memory form of the
park YAML file documented in ``docs/park-file.md``. Cross-reference rules (unknown parents, cycles,
units that do not fit the carrier) live in :mod:`zeropark.domain.park_rules`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.dataclasses import dataclass

from zeropark.domain.billing.tariff_spec import Tariffs
from zeropark.domain.timeseries.expression import MAX_EXPRESSION_CHARS
from zeropark.errors import InputError

__all__ = [
    "MAX_NAME_CHARS",
    "MAX_NOTE_CHARS",
    "PARK_TYPES",
    "SINK_TYPES",
    "TOU_PERIODS",
    "AccountingMapping",
    "Asset",
    "AssetControl",
    "Building",
    "Meter",
    "ModbusPoint",
    "Park",
    "ParkSpec",
    "Sink",
    "Tenant",
    "TimeOfUse",
    "TouSeason",
    "VirtualMeter",
]

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

#: Identifier of anything in a park: letters, digits and underscores, starting with a letter.
#: Meter ids appear in virtual-meter expressions and MQTT topics, so they must be plain names.
Ident = Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]

#: Longest name of a park, tenant, building, meter, asset or sink (the database's column).
MAX_NAME_CHARS = 200
#: Longest free text (a time-of-use schedule's note).
MAX_NOTE_CHARS = 2000

#: A name: 1 to :data:`MAX_NAME_CHARS` characters.
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
#: Short codes and labels (carrier, unit, province, category...): at most their database column.
Code16 = Annotated[str, StringConstraints(min_length=1, max_length=16)]
Code32 = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Code40 = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Code64 = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Code80 = Annotated[str, StringConstraints(min_length=1, max_length=80)]
#: A host name or address (at most 253 characters, as DNS allows).
Host = Annotated[str, StringConstraints(min_length=1, max_length=253)]
#: Free text.
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE_CHARS)]
#: A virtual meter's expression (the expression parser's own limit).
Expression = Annotated[str, StringConstraints(min_length=1, max_length=MAX_EXPRESSION_CHARS)]
#: Longest text of an asset parameter (a fuel's code).
MAX_PARAM_CHARS = 80


# Validators raise InputError (a ValueError, so pydantic reports it as ``value_error``) with the
# reason's catalogue code, which words pydantic's message ("Value error, " and the reason).


def _param_value(value: Any) -> Any:
    if value is not None and not isinstance(value, bool | int | float | str):
        raise InputError(
            "a parameter is a number, a flag or a short text",
            reason_code="park_schema_param_value",
        )
    if isinstance(value, str) and len(value) > MAX_PARAM_CHARS:
        raise InputError(
            f"a text parameter has at most {MAX_PARAM_CHARS} characters",
            reason_code="park_schema_param_too_long",
            params={"limit": MAX_PARAM_CHARS},
        )
    return value


#: An asset parameter: a number, a flag or a short text (a fuel's code).
ParamValue = Annotated[Any, AfterValidator(_param_value)]


def _date_text(value: Any) -> Any:
    """A YAML date (``2023-05-01`` unquoted) as its ISO text; a date and time is refused."""
    if isinstance(value, datetime):
        raise InputError(
            "a date (YYYY-MM-DD) is expected, not a date and time",
            reason_code="park_schema_date_and_time",
        )
    return value.isoformat() if isinstance(value, date) else value


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(
            f"{text!r} is not a date YYYY-MM-DD",
            reason_code="park_schema_bad_date",
            params={"text": repr(text)},
        ) from None


#: A calendar date kept as ISO text (``2023-05-01``), so the stored park file stays plain JSON.
IsoDate = Annotated[str, BeforeValidator(_date_text), AfterValidator(_iso_date)]


ParkType = Literal["manufacturing", "logistics", "office", "special", "mixed"]
PARK_TYPES: dict[str, tuple[str, str]] = {
    "manufacturing": ("生产制造型", "manufacturing"),
    "logistics": ("物流仓储型", "logistics and warehousing"),
    "office": ("商务办公型", "business and office"),
    "special": ("特色功能型", "special function (campus, hospital, venue, scenic area)"),
    "mixed": ("产城融合型", "industry-city integration"),
}

MeterKind = Literal["cumulative", "interval", "instantaneous"]
AssetType = Literal[
    "pv",
    "battery",
    "ev_charger",
    "chp",
    "heat_pump",
    "boiler",
    "electrolyser",
    "fuel_cell",
    "vehicle_fleet",
]
#: Each type's parameters (unit, default, bounds, meaning) are data: the asset-type table,
#: ``data/asset_types.csv`` (:mod:`zeropark.domain.asset_types`, ``docs/asset-types.md``).

SinkType = Literal["forest", "green_space", "grassland", "wetland", "ccus"]
SINK_TYPES: dict[str, tuple[str, str]] = {
    "forest": ("林地", "forest"),
    "green_space": ("城市绿地", "urban green space"),
    "grassland": ("草地", "grassland"),
    "wetland": ("湿地", "wetland"),
    "ccus": ("碳捕集封存", "CCUS storage"),
}


#: Time-of-use period codes (分时电价时段), most to least expensive.
TOU_PERIODS: dict[str, tuple[str, str]] = {
    "critical_peak": ("尖峰", "critical peak"),
    "peak": ("峰", "peak"),
    "flat": ("平", "flat"),
    "valley": ("谷", "valley"),
}

#: Park-local hours ``[start, end)`` of a day: whole hours, ``0 <= start < end <= 24``.
HourRange = list[int]


@dataclass(config=_STRICT)
class TouSeason:
    """The time-of-use hours of the months in ``months`` (1-12, default all twelve).

    Each period lists ranges of park-local whole hours ``[start, end)``; ``flat`` defaults to
    every hour no other period names. Rules (each hour of a day exactly once; each month at most
    once per schedule) are in :mod:`zeropark.domain.park_rules`.
    """

    months: list[int] = Field(default_factory=lambda: list(range(1, 13)))
    peak: list[HourRange] = Field(default_factory=list)
    valley: list[HourRange] = Field(default_factory=list)
    critical_peak: list[HourRange] = Field(default_factory=list)
    flat: list[HourRange] | None = None


@dataclass(config=_STRICT)
class TimeOfUse:
    """A park's time-of-use schedule (分时时段): seasons by month; ``note`` says its source."""

    periods: list[TouSeason]
    note: Note | None = None


@dataclass(config=_STRICT)
class Park:
    """The park itself (园区): where it is, what kind, how big; its time-of-use schedule."""

    id: Ident
    name: Name
    type: ParkType
    province: Code32
    name_en: Name | None = None
    timezone: Code64 = "Asia/Shanghai"
    latitude_deg: float | None = Field(default=None, ge=-90, le=90)
    longitude_deg: float | None = Field(default=None, ge=-180, le=180)
    land_area_m2: float | None = Field(default=None, gt=0)
    floor_area_m2: float | None = Field(default=None, gt=0)
    output_value_cny: float | None = Field(default=None, ge=0)
    factor_version: Code32 | None = None
    time_of_use: TimeOfUse | None = None
    tariffs: Tariffs | None = None


@dataclass(config=_STRICT)
class Tenant:
    """An enterprise in the park (入驻企业); ``industry_code`` per GB/T 4754."""

    id: Ident
    name: Name
    industry_code: Code16 | None = None
    industry: Name | None = None
    name_en: Name | None = None


@dataclass(config=_STRICT)
class Building:
    """A building or site; optionally owned by one tenant."""

    id: Ident
    name: Name
    tenant: Ident | None = None
    floor_area_m2: float | None = Field(default=None, gt=0)
    use: Name | None = None


@dataclass(config=_STRICT)
class AccountingMapping:
    """What a meter measures, for accounting: category, scope, sector and accounting item."""

    category: Code40
    sector: Code16
    scope: Code16 | None = None
    item: Code80 | None = None


@dataclass(config=_STRICT)
class ModbusPoint:
    """Where a meter's value sits in a Modbus TCP device (read by ``zeropark ingest modbus``)."""

    host: Host
    address: int = Field(ge=0, le=65535)
    port: int = Field(default=502, ge=1, le=65535)
    unit_id: int = Field(default=1, ge=0, le=255)
    function: Literal["holding", "input"] = "holding"
    data_type: Literal["uint16", "int16", "uint32", "int32", "float32", "uint64", "float64"] = (
        "float32"
    )
    word_order: Literal["big", "little"] = "big"
    scale: float = 1.0
    poll_s: float = Field(default=60.0, gt=0)


@dataclass(config=_STRICT)
class Meter:
    """A physical meter: carrier, unit, kind, CT/PT multiplier, register maximum, tree, owner."""

    id: Ident
    carrier: Code32
    unit: Code32
    kind: MeterKind
    name: Name | None = None
    interval_s: int | None = Field(default=None, gt=0)
    multiplier: float = Field(default=1.0, gt=0)
    register_max: float | None = Field(default=None, gt=0)
    max_power: float | None = Field(default=None, gt=0)
    parent: Ident | None = None
    tenant: Ident | None = None
    building: Ident | None = None
    accounting: AccountingMapping | None = None
    modbus: ModbusPoint | None = None
    commissioned: IsoDate | None = None
    """Park-local date the meter was commissioned: readings before it are refused."""


@dataclass(config=_STRICT)
class VirtualMeter:
    """A meter computed from others by an expression such as ``main - pv_export + chp_out``."""

    id: Ident
    expression: Expression
    carrier: Code32
    unit: Code32
    name: Name | None = None
    tenant: Ident | None = None
    accounting: AccountingMapping | None = None


@dataclass(config=_STRICT)
class AssetControl:
    """How a dispatch plan reaches the asset's device (``zeropark dispatch publish``).

    ``mqtt``: the plan's schedule is published on the asset's command topic
    (``zeropark-control/<park>/<asset>/setpoints``); ``modbus``: the setpoint in force [kW,
    positive delivered to the site] is written to these holding registers (value = raw × scale).
    """

    mqtt: bool = True
    modbus: ModbusPoint | None = None


@dataclass(config=_STRICT)
class Asset:
    """An energy asset (PV, battery, charger, CHP, ...) with the parameters its type needs."""

    id: Ident
    type: AssetType
    name: Name | None = None
    tenant: Ident | None = None
    building: Ident | None = None
    meter: Ident | None = None
    params: dict[Code64, ParamValue] = Field(default_factory=dict)
    control: AssetControl | None = None


@dataclass(config=_STRICT)
class Sink:
    """A carbon sink (碳汇): green space or forest by area, or CCUS storage."""

    id: Ident
    type: SinkType
    name: Name | None = None
    area_m2: float | None = Field(default=None, gt=0)
    stored_t_per_year: float | None = Field(default=None, ge=0)


@dataclass(config=_STRICT)
class ParkSpec:
    """A whole park as described by one park file."""

    park: Park
    version: int = 1
    tenants: list[Tenant] = Field(default_factory=list)
    buildings: list[Building] = Field(default_factory=list)
    meters: list[Meter] = Field(default_factory=list)
    virtual_meters: list[VirtualMeter] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    sinks: list[Sink] = Field(default_factory=list)
    #: Alert rules and notification channels as written (docs/monitoring.md); checked by
    #: zeropark.domain.monitoring.entries, stored by the monitor (not in the park's sections).
    alert_rules: list[dict[str, Any]] = Field(default_factory=list)
    notification_channels: list[dict[str, Any]] = Field(default_factory=list)
