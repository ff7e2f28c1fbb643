"""Accounting periods: a year (``2024``), a quarter (``2024-Q1``) or a month (``2024-03``).

Periods are half-open month ranges so overlap and aggregation are exact; a period can be rolled
up to a coarser granularity (month → quarter → year) but never split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from zeropark.errors import InputError

__all__ = ["Granularity", "Period", "parse_period"]

Granularity = Literal["month", "quarter", "year"]
_RANK: dict[str, int] = {"month": 0, "quarter": 1, "year": 2}

_YEAR = re.compile(r"^(\d{4})(?:年)?$")
_QUARTER = re.compile(r"^(\d{4})[-/ ]?(?:Q|q|年第?)([1-4])(?:季度)?$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:月)?$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """Months ``[start, end)`` counted as ``year * 12 + month - 1``, with their granularity."""

    start: int
    end: int
    granularity: Granularity

    @property
    def year(self) -> int:
        """The calendar year the period starts in."""
        return self.start // 12

    @property
    def months(self) -> int:
        """Number of months covered."""
        return self.end - self.start

    @property
    def year_fraction(self) -> float:
        """Share of a year covered (1 for a year, 0.25 for a quarter)."""
        return self.months / 12

    @property
    def label(self) -> str:
        """Canonical text: ``2024``, ``2024-Q1`` or ``2024-03``."""
        if self.granularity == "year":
            return f"{self.year:04d}"
        if self.granularity == "quarter":
            return f"{self.year:04d}-Q{(self.start % 12) // 3 + 1}"
        return f"{self.year:04d}-{self.start % 12 + 1:02d}"

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share a month."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies entirely inside this period."""
        return self.start <= other.start and other.end <= self.end

    def rolled_up(self, granularity: Granularity) -> Period:
        """The coarser period containing this one; itself when already as coarse or coarser."""
        if _RANK[granularity] <= _RANK[self.granularity]:
            return self
        if granularity == "year":
            return _make_year(self.year)
        quarter_start = self.start - (self.start % 12) % 3
        return Period(quarter_start, quarter_start + 3, "quarter")

    def __str__(self) -> str:
        return self.label


def _make_year(year: int) -> Period:
    return Period(year * 12, year * 12 + 12, "year")


def parse_period(text: str) -> Period:
    """Parse ``2024``, ``2024-Q1``, ``2024Q1``, ``2024-03``, ``2024/3``, ``2024年3月``.

    Raises :class:`InputError` (field ``period``) for anything else.
    """
    raw = text.strip()
    if match := _YEAR.match(raw):
        return _make_year(int(match.group(1)))
    if match := _QUARTER.match(raw):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = year * 12 + (quarter - 1) * 3
        return Period(start, start + 3, "quarter")
    if match := _MONTH.match(raw):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            start = year * 12 + month - 1
            return Period(start, start + 1, "month")
    raise InputError(f"cannot read period {text!r}: use 2024, 2024-Q1 or 2024-03", field="period")
