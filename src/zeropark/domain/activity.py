"""Activity records (活动数据): everything that is not metered, one row per entity, period, item.

Fuel purchases, process inputs, refrigerant top-ups, waste, retired green certificates, output
values. A row names its ``entity`` (a tenant id, or the park id for park-level data), ``period``
(``2024-03`` for a month, ``2024-Q1``, or ``2024`` for a year), ``category`` (the codes of
:mod:`zeropark.domain.categories`), ``item`` (as users write it: 柴油, 石灰石, R-410A), ``quantity``
and ``unit`` (吨, 万Nm3, kg, MWh, 万元), and optional measured parameters that override defaults.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from zeropark.domain.categories import CATEGORIES
from zeropark.errors import UnitError
from zeropark.units import dimension_of, parse_unit

__all__ = [
    "ACTIVITY_COLUMNS",
    "MAX_CHARS",
    "OPTIONAL_PARAMETERS",
    "ActivityIssue",
    "ActivityRecord",
    "parse_activity_row",
    "period_bounds",
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
    "evidence": 2000,
}
#: Fields that may hold line breaks and tabs (free text); the others are names and codes.
_FREE_TEXT = frozenset({"evidence"})
_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """One validated activity row; ``params`` holds the measured parameters given on it."""

    entity: str
    period: str
    category: str
    item: str
    quantity: float
    unit: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class ActivityIssue:
    """Why a row was refused: the field, its value and the reason, with a stable code."""

    field: str
    value: str
    code: str
    reason: str


def period_bounds(period: str) -> tuple[int, int, int]:
    """Year, first month and last month (1-12) of a period ``2024``, ``2024-03``, ``2024-Q2``."""
    match = _PERIOD.match(period.strip())
    if match is None:
        raise ValueError(f"period {period!r} is not YYYY, YYYY-MM or YYYY-Qn")
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        return year, month, month
    if match.group(3):
        quarter = int(match.group(3))
        return year, 3 * quarter - 2, 3 * quarter
    return year, 1, 12


def _number(raw: str) -> float | None:
    try:
        value = float(raw.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _text_issues(row: dict[str, str]) -> list[ActivityIssue]:
    """Text no field may hold: a NUL anywhere, control characters in names and codes, and text
    longer than the field's column (:data:`MAX_CHARS`)."""
    issues = []
    for name, raw in row.items():
        value = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        if "\x00" in value:
            reason = "contains a NUL character (U+0000), which no text field may hold"
            issues.append(ActivityIssue(str(name), value, "bad_text", reason))
        elif name not in _FREE_TEXT and any(unicodedata.category(c) == "Cc" for c in value):
            reason = "contains a control character (a line break or the like)"
            issues.append(ActivityIssue(str(name), value, "bad_text", reason))
        elif name in MAX_CHARS and len(value.strip()) > MAX_CHARS[name]:
            reason = f"longer than {MAX_CHARS[name]} characters ({len(value.strip())})"
            issues.append(ActivityIssue(str(name), value, "too_long", reason))
    return issues


def parse_activity_row(
    row: dict[str, str], known_entities: set[str] | None = None
) -> tuple[ActivityRecord | None, list[ActivityIssue]]:
    """Validate one row of strings; return the record, or None and every issue found."""
    issues = _text_issues(row)
    if issues:  # text that cannot be stored or read is not checked further
        return None, issues

    def text(name: str) -> str:
        return (row.get(name) or "").strip()

    for name in ACTIVITY_COLUMNS:
        if not text(name):
            issues.append(ActivityIssue(name, "", "missing", f"{name} is empty"))
    entity, period, category = text("entity"), text("period"), text("category")
    if entity and known_entities is not None and entity not in known_entities:
        issues.append(
            ActivityIssue("entity", entity, "unknown_entity", f"no tenant or park {entity!r}")
        )
    if period:
        try:
            period_bounds(period)
        except ValueError as exc:
            issues.append(ActivityIssue("period", period, "bad_period", str(exc)))
    if category and category not in CATEGORIES:
        issues.append(
            ActivityIssue(
                "category",
                category,
                "unknown_category",
                f"unknown category; use one of {', '.join(CATEGORIES)}",
            )
        )
    quantity = _number(text("quantity")) if text("quantity") else None
    if text("quantity") and quantity is None:
        issues.append(
            ActivityIssue("quantity", text("quantity"), "bad_number", "not a finite number")
        )
    elif quantity is not None and quantity < 0 and category not in ("exported_electricity",):
        issues.append(
            ActivityIssue("quantity", text("quantity"), "negative", "quantities are not negative")
        )
    unit = text("unit")
    if unit:
        try:
            dimension_of(unit)
        except UnitError as exc:
            issues.append(ActivityIssue("unit", unit, "bad_unit", exc.reason))
    params: dict[str, Any] = {}
    for name in OPTIONAL_PARAMETERS:
        raw = text(name)
        if not raw:
            continue
        if name.endswith("_unit"):
            try:
                parse_unit(raw)
            except UnitError as exc:
                issues.append(ActivityIssue(name, raw, "bad_unit", exc.reason))
            params[name] = raw
            continue
        value = _number(raw)
        if value is None or value < 0:
            issues.append(ActivityIssue(name, raw, "bad_number", "not a non-negative number"))
        else:
            params[name] = value
    if issues or quantity is None:
        return None, issues
    record = ActivityRecord(
        entity, period, category, text("item"), quantity, unit, params, text("evidence") or None
    )
    return record, []
