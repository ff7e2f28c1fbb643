"""Activity records (活动数据): everything that is not metered, one row per entity, period, item.

Fuel purchases, process inputs, refrigerant top-ups, waste, retired green certificates, output
values. A record names its ``entity`` (a tenant id, or the park id for park-level data), ``period``
(canonical: ``2024-03`` for a month, ``2024-Q1``, or ``2024`` for a year), ``category`` (the codes
of :mod:`zeropark.domain.categories`), ``item`` (a catalogue code, or text as users write it for
scope 3), ``quantity`` and ``unit`` (吨, 万Nm3, kg, MWh, 万元), and ``params``: the optional columns
given on the row (measured parameters, ``sector``, ``origin``).

Records are parsed and validated by the one parser of the contract
(:func:`zeropark.ingest.activities_format.parse_activity_row`); :func:`record_line` is the one
mapping from a record to the accounting line every calculator takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zeropark.domain.accounting import ActivityLine, MeasuredParameters, parse_period

__all__ = [
    "ACTIVITY_COLUMNS",
    "MAX_CHARS",
    "OPTIONAL_PARAMETERS",
    "ActivityRecord",
    "record_line",
]

ACTIVITY_COLUMNS = ("entity", "period", "category", "item", "quantity", "unit")
OPTIONAL_PARAMETERS = (
    "ncv",
    "ncv_unit",
    "carbon_content",
    "oxidation_rate",
    "emission_factor",
    "ef_unit",
)
#: The longest text of each field (the database's columns); longer text is refused, not cut.
MAX_CHARS: dict[str, int] = {
    "entity": 64,
    "period": 16,
    "category": 40,
    "item": 80,
    "unit": 32,
    "ncv_unit": 32,
    "ef_unit": 32,
    "sector": 40,
    "origin": 16,
    "evidence": 2000,
}


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """One validated activity row; ``params`` holds the optional columns given on it (measured
    parameters; ``sector`` and ``origin`` when given)."""

    entity: str
    period: str
    category: str
    item: str
    quantity: float
    unit: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: str | None = None


def record_line(
    record: ActivityRecord, ref: str, item_code: Callable[[str], str] | None = None
) -> ActivityLine:
    """The accounting line of a record (the one mapping: files, imports and stored records).

    ``item_code`` maps the stored item text to its catalogue code (records stored before items
    were kept as codes hold names such as 柴油); by default the item is taken as it is.
    """
    p = record.params
    measured = MeasuredParameters(
        ncv=_float(p.get("ncv")),
        ncv_unit=p.get("ncv_unit"),
        carbon_content_tc_per_gj=_float(p.get("carbon_content")),
        oxidation_rate=_float(p.get("oxidation_rate")),
        emission_factor=_float(p.get("emission_factor")),
        ef_unit=p.get("ef_unit"),
    )
    return ActivityLine(
        entity=record.entity,
        period=parse_period(record.period),
        category=record.category,
        item=item_code(record.item) if item_code is not None else record.item,
        quantity=float(record.quantity),
        unit=record.unit,
        measured=measured,
        sector=p.get("sector"),
        origin="meter" if p.get("origin") == "meter" else "record",
        ref=ref,
    )


def _float(value: object) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, int | float) else float(str(value))
