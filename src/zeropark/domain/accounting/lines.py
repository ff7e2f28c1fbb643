"""Accounting input lines: activity records and metered quantities, in one shape.

An :class:`ActivityLine` is what every calculator takes: entity, period, category, item code,
quantity and unit, optional measured parameters, and its ``origin`` — ``record`` (an activity
record: a fuel purchase, a refrigerant top-up) or ``meter`` (a metered total of a mapped meter).
:func:`metered_lines` turns hourly metered quantities and a meter mapping into lines.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from zeropark.domain.accounting.periods import Granularity, Period
from zeropark.domain.categories import CATEGORIES, SECTORS
from zeropark.errors import InputError

__all__ = [
    "ActivityLine",
    "MeasuredParameters",
    "MeterMapping",
    "Origin",
    "metered_lines",
    "period_of",
]

Origin = Literal["record", "meter"]


@dataclass(frozen=True, slots=True)
class MeasuredParameters:
    """Parameters measured or supplied for one line; each, when given, overrides the default.

    ``carbon_content_tc_per_gj`` is carbon per unit heat [tC/GJ]; ``oxidation_rate`` a fraction
    [0–1]; ``emission_factor`` is in ``ef_unit`` (a supplier's or measured factor).
    """

    ncv: float | None = None
    ncv_unit: str | None = None
    carbon_content_tc_per_gj: float | None = None
    oxidation_rate: float | None = None
    emission_factor: float | None = None
    ef_unit: str | None = None

    def __post_init__(self) -> None:
        for name in ("ncv", "carbon_content_tc_per_gj", "oxidation_rate", "emission_factor"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise InputError(f"{name} must be a finite number ≥ 0, got {value}", field=name)
        if self.ncv is not None and not self.ncv_unit:
            raise InputError("ncv given without ncv_unit (e.g. GJ/t)", field="ncv_unit")
        if self.emission_factor is not None and not self.ef_unit:
            raise InputError("emission_factor given without ef_unit", field="ef_unit")
        if self.oxidation_rate is not None and self.oxidation_rate > 1:
            raise InputError(
                f"oxidation_rate {self.oxidation_rate} > 1: give a fraction (0.98) or 98%",
                field="oxidation_rate",
            )

    def canonical(self) -> dict[str, object]:
        """The given parameters only, as a plain mapping."""
        return {
            name: getattr(self, name)
            for name in (
                "ncv",
                "ncv_unit",
                "carbon_content_tc_per_gj",
                "oxidation_rate",
                "emission_factor",
                "ef_unit",
            )
            if getattr(self, name) is not None
        }


@dataclass(frozen=True, slots=True)
class ActivityLine:
    """One input line. ``item`` is a catalogue code (free text allowed for scope 3)."""

    entity: str
    period: Period
    category: str
    item: str
    quantity: float
    unit: str
    measured: MeasuredParameters = field(default_factory=MeasuredParameters)
    sector: str | None = None
    origin: Origin = "record"
    ref: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise InputError(
                f"unknown category {self.category!r}; one of {', '.join(CATEGORIES)}",
                field="category",
            )
        if not math.isfinite(self.quantity):
            raise InputError(f"quantity must be finite, got {self.quantity}", field="quantity")
        if self.sector is not None and self.sector not in SECTORS:
            raise InputError(
                f"unknown sector {self.sector!r}; one of {', '.join(SECTORS)}", field="sector"
            )
        if not self.entity.strip():
            raise InputError("entity is empty", field="entity")

    def canonical(self) -> dict[str, object]:
        """Everything that determines the result (not ``ref``), for the input hash."""
        return {
            "entity": self.entity,
            "period": self.period.label,
            "category": self.category,
            "item": self.item,
            "quantity": self.quantity,
            "unit": self.unit,
            "measured": self.measured.canonical(),
            "sector": self.sector,
            "origin": self.origin,
        }


@dataclass(frozen=True, slots=True)
class MeterMapping:
    """What a meter measures, for accounting: entity, category, item, unit and sector."""

    meter: str
    entity: str
    category: str
    item: str
    unit: str
    sector: str | None = None


def period_of(local_time: datetime, granularity: Granularity) -> Period:
    """The month, quarter or year containing a park-local timestamp."""
    start = local_time.year * 12 + local_time.month - 1
    return Period(start, start + 1, "month").rolled_up(granularity)


def metered_lines(
    mapping: Mapping[str, MeterMapping],
    hourly: Iterable[tuple[str, datetime, float]],
    granularity: Granularity = "month",
) -> list[ActivityLine]:
    """Sum hourly metered quantities ``(meter, park-local hour, quantity)`` into lines.

    Quantities are in the mapped meter's unit. Raises :class:`InputError` for an unmapped meter.
    """
    totals: dict[tuple[str, Period], float] = defaultdict(float)
    for meter, local_hour, quantity in hourly:
        if meter not in mapping:
            raise InputError(f"meter {meter!r} has no accounting mapping", field="meter")
        totals[(meter, period_of(local_hour, granularity))] += quantity
    lines = []
    for (meter, period), quantity in sorted(totals.items()):
        m = mapping[meter]
        lines.append(
            ActivityLine(
                entity=m.entity,
                period=period,
                category=m.category,
                item=m.item,
                quantity=quantity,
                unit=m.unit,
                sector=m.sector,
                origin="meter",
                ref=f"meter:{meter}",
            )
        )
    return lines
