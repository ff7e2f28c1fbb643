"""The scorecard's periods: live (today, month to date, year to date) or any stated period.

Live periods end at the newest hour with data of the boundary's meters (the overview's rule: with
historical data, "today" is the latest day that has data), so "to date" never counts hours that
have not happened. Stated periods: ``2024`` (a year), ``2024-Q1``, ``2024-03``, ``2024-03-05``
(a day) or ``2024-03-01..2024-03-15`` (first day to last day, inclusive), park-local.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from zeropark.errors import InputError

__all__ = ["LIVE", "ScorePeriod", "resolve_period"]

#: Live period names → (Chinese, English).
LIVE = {
    "today": ("今日", "today"),
    "month": ("本月累计", "month to date"),
    "year": ("本年累计", "year to date"),
}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True)
class ScorePeriod:
    """A resolved period: its label, local first day and day after its last, UTC bounds [s].

    ``hi_s`` is where data end for a live period (the newest data hour's end) and the period's
    end otherwise; ``full_hi_s`` is always the period's end.
    """

    label: str
    first: date
    after: date
    lo_s: int
    hi_s: int
    full_hi_s: int
    live: bool

    @property
    def year(self) -> int:
        """The year the period starts in (factors and bands are chosen by it)."""
        return self.first.year

    @property
    def year_fraction(self) -> float:
        """Share of a year of the hours counted (live: to date)."""
        days = (date(self.year + 1, 1, 1) - date(self.year, 1, 1)).days
        return (self.hi_s - self.lo_s) / (days * 86400.0)


def _at(d: date, zone: ZoneInfo) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp())


def _month_after(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _stated(text: str) -> tuple[date, date]:
    if ".." in text:
        a, b = (_stated(part.strip()) for part in text.split("..", 1))
        if b[1] <= a[0]:
            raise InputError(f"period {text!r} ends before it starts", field="period")
        return a[0], b[1]
    if m := _DAY.match(text):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d + timedelta(days=1)
    if m := _MONTH.match(text):
        d = date(int(m[1]), int(m[2]), 1)
        return d, _month_after(d)
    if m := _QUARTER.match(text):
        d = date(int(m[1]), 3 * int(m[2]) - 2, 1)
        return d, _month_after(_month_after(_month_after(d)))
    if m := _YEAR.match(text):
        return date(int(m[1]), 1, 1), date(int(m[1]) + 1, 1, 1)
    raise InputError(
        f"cannot read period {text!r}: use today, month, year, 2024, 2024-Q1, 2024-03, "
        "2024-03-05 or 2024-03-01..2024-03-15",
        field="period",
    )


def resolve_period(text: str, timezone: str, newest_hour_s: int | None, today: date) -> ScorePeriod:
    """The period ``text`` names; live names count to the newest data hour (else ``today``)."""
    zone = ZoneInfo(timezone)
    text = text.strip()
    if text in LIVE:
        day = today if newest_hour_s is None else datetime.fromtimestamp(newest_hour_s, zone).date()
        first = {"today": day, "month": day.replace(day=1), "year": date(day.year, 1, 1)}[text]
        after = day + timedelta(days=1)
        full = {"today": after, "month": _month_after(first), "year": date(day.year + 1, 1, 1)}
        end = _at(after, zone) if newest_hour_s is None else newest_hour_s + 3600
        lo = _at(first, zone)
        label = f"{first.isoformat()}..{day.isoformat()}"
        return ScorePeriod(label, first, after, lo, max(lo, end), _at(full[text], zone), True)
    try:
        first, after = _stated(text)
    except ValueError as exc:  # a month 13, a day 31 of April
        raise InputError(f"cannot read period {text!r}: {exc}", field="period") from None
    if after > date(first.year + 1, 1, 1):
        raise InputError(f"period {text!r} spans two calendar years", field="period")
    lo, hi = _at(first, zone), _at(after, zone)
    return ScorePeriod(text, first, after, lo, hi, hi, False)
