"""Time-of-use periods (分时时段): which period (尖峰/峰/平/谷) each hour falls in.

A park's schedule (:class:`~zeropark.domain.park.TimeOfUse`, the park file's
``park.time_of_use``) names the park-local hours of each period per group of months; ``flat``
is every hour the others leave. These functions are pure: they map UTC hour starts to period
codes through the park's timezone and never guess — an hour in a month the schedule does not
cover maps to ``None``. The schedule's validity (each hour once, each month at most once) is
checked by :mod:`zeropark.domain.park_rules`; these functions assume a valid schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.domain.park import TOU_PERIODS, TimeOfUse, TouSeason

__all__ = ["TOU_PERIODS", "day_periods", "month_table", "tou_periods"]

_HOURS = 24


def day_periods(season: TouSeason) -> tuple[str | None, ...]:
    """The period code of each park-local hour 0-23 of a day in ``season``.

    Hours named by no period are ``flat`` when ``flat`` is implicit; when ``flat`` is listed
    they are ``None`` (a rule violation, reported by the park rules).
    """
    day: list[str | None] = [None] * _HOURS
    named = {
        "critical_peak": season.critical_peak,
        "peak": season.peak,
        "valley": season.valley,
        "flat": season.flat or [],
    }
    for code, ranges in named.items():
        for start, end in _ranges(ranges):
            for hour in range(start, end):
                if day[hour] is None:
                    day[hour] = code
    if season.flat is None:
        day = [code or "flat" for code in day]
    return tuple(day)


def _ranges(ranges: Iterable[Sequence[int]]) -> Iterable[tuple[int, int]]:
    for r in ranges:
        if len(r) == 2:
            yield max(0, int(r[0])), min(_HOURS, int(r[1]))


def month_table(schedule: TimeOfUse) -> dict[int, tuple[str | None, ...]]:
    """Month (1-12) → the period code of each hour 0-23; months no season covers are absent."""
    table: dict[int, tuple[str | None, ...]] = {}
    for season in schedule.periods:
        day = day_periods(season)
        for month in season.months:
            table.setdefault(month, day)
    return table


def tou_periods(
    hour_starts_s: Sequence[int] | np.ndarray, timezone: str, schedule: TimeOfUse
) -> list[str | None]:
    """The period code of each hour starting at ``hour_starts_s`` [UTC epoch s].

    The hour is placed by its park-local start (month and hour of ``timezone``); an hour in a
    month the schedule does not cover is ``None``.
    """
    zone = ZoneInfo(timezone)
    table = month_table(schedule)
    starts = np.asarray(hour_starts_s, dtype=np.int64)
    unique, inverse = np.unique(starts, return_inverse=True)
    codes: list[str | None] = []
    for ts in unique.tolist():
        local = datetime.fromtimestamp(ts, UTC).astimezone(zone)
        day = table.get(local.month)
        codes.append(None if day is None else day[local.hour])
    return [codes[i] for i in inverse.reshape(-1).tolist()]
