"""Double counting between metered quantities and activity records.

A metered total and an activity record for the same entity, category, item and an overlapping
period describe the same energy twice. The metered value is kept (measured data is the better
tier); the record is excluded from the inventory and reported as a :class:`DoubleCount`, with
``coverage`` telling whether the meters cover the record's whole period (``full``) or only part
of it (``partial`` — split the record by period to keep the uncovered part).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from zeropark.domain.accounting.lines import ActivityLine

__all__ = ["DoubleCount", "find_double_counting", "reconcile"]


@dataclass(frozen=True, slots=True)
class DoubleCount:
    """One activity record that duplicates metered data (reported, not counted)."""

    entity: str
    category: str
    item: str
    record_period: str
    record_quantity: float
    record_unit: str
    record_ref: str
    meter_periods: tuple[str, ...]
    meter_refs: tuple[str, ...]
    coverage: Literal["full", "partial"]

    def message(self) -> str:
        """One readable line for reports."""
        return (
            f"{self.entity} / {self.category} / {self.item}: record {self.record_ref or '?'} "
            f"({self.record_quantity:g} {self.record_unit}, {self.record_period}) duplicates "
            f"metered data for {', '.join(self.meter_periods)} ({self.coverage} coverage); "
            "the record is not counted"
        )


def _key(line: ActivityLine) -> tuple[str, str, str]:
    return (line.entity, line.category, line.item)


def _matches(
    metered: Sequence[ActivityLine], records: Sequence[ActivityLine]
) -> list[tuple[int, DoubleCount]]:
    by_key: dict[tuple[str, str, str], list[ActivityLine]] = defaultdict(list)
    for line in metered:
        by_key[_key(line)].append(line)
    found = []
    for index, record in enumerate(records):
        hits = [m for m in by_key.get(_key(record), ()) if m.period.overlaps(record.period)]
        if not hits:
            continue
        metered_months = {month for m in hits for month in range(m.period.start, m.period.end)}
        covered = metered_months >= set(range(record.period.start, record.period.end))
        found.append(
            (
                index,
                DoubleCount(
                    entity=record.entity,
                    category=record.category,
                    item=record.item,
                    record_period=record.period.label,
                    record_quantity=record.quantity,
                    record_unit=record.unit,
                    record_ref=record.ref,
                    meter_periods=tuple(sorted({m.period.label for m in hits})),
                    meter_refs=tuple(sorted({m.ref for m in hits if m.ref})),
                    coverage="full" if covered else "partial",
                ),
            )
        )
    return found


def find_double_counting(
    metered: Sequence[ActivityLine], records: Sequence[ActivityLine]
) -> list[DoubleCount]:
    """Every record that overlaps metered lines of the same entity, category and item."""
    return [issue for _, issue in _matches(metered, records)]


def reconcile(
    metered: Sequence[ActivityLine], records: Sequence[ActivityLine]
) -> tuple[list[ActivityLine], list[DoubleCount]]:
    """Lines to account (all metered, plus records not duplicating them) and the duplicates."""
    matches = _matches(metered, records)
    excluded = {index for index, _ in matches}
    kept = [*metered, *(r for i, r in enumerate(records) if i not in excluded)]
    return kept, [issue for _, issue in matches]
