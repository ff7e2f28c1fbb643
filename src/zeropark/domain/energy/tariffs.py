"""Time-of-use banding (分时时段): which period (尖峰/峰/平/谷) each hour falls in.

A park's schedule (:class:`~zeropark.domain.park.TimeOfUse`, the park file's
``park.time_of_use``) names the park-local hours of each period per group of months; ``flat``
is every hour the others leave. These functions are pure: they map UTC hour starts to period
codes through the park's timezone and never guess — an hour in a month the schedule does not
cover maps to ``None`` (``""`` in the array form, :func:`local_periods`). The schedule's
validity (each hour once, each month at most once) is checked by
:mod:`zeropark.domain.park_rules`; these functions assume a valid schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.domain.park import TOU_PERIODS, TimeOfUse, TouSeason
from zeropark.errors import InputError

__all__ = ["TOU_PERIODS", "day_periods", "local_periods", "month_table", "tou_periods"]

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


def local_periods(
    month: npt.ArrayLike, hour: npt.ArrayLike, schedule: TimeOfUse
) -> npt.NDArray[np.str_]:
    """The period code of each park-local (month 1-12, hour 0-23), element-wise.

    ``""`` where the schedule does not cover the month. The array form of :func:`tou_periods`
    for callers that already hold park-local clocks (the demo's 15-minute grid, a forecast).
    """
    table = month_table(schedule)
    width = max((len(code) for code in TOU_PERIODS), default=1)
    lookup = np.full((13, _HOURS), "", dtype=f"<U{width}")
    for m, day in table.items():
        if 1 <= m <= 12:
            lookup[m] = [code or "" for code in day]
    months = np.asarray(month, dtype=np.int64)
    hours = np.asarray(hour, dtype=np.int64)
    if months.size and (months.min() < 1 or months.max() > 12):
        raise InputError("months are 1-12", field="month")
    if hours.size and (hours.min() < 0 or hours.max() >= _HOURS):
        raise InputError("hours are 0-23", field="hour")
    codes: npt.NDArray[np.str_] = lookup[months, hours]
    return codes


def tou_periods(
    hour_starts_s: Sequence[int] | np.ndarray, timezone: str, schedule: TimeOfUse
) -> list[str | None]:
    """The period code of each hour starting at ``hour_starts_s`` [UTC epoch s].

    The hour is placed by its park-local start (month and hour of ``timezone``); an hour in a
    month the schedule does not cover is ``None``.
    """
    zone = ZoneInfo(timezone)
    starts = np.asarray(hour_starts_s, dtype=np.int64)
    unique, inverse = np.unique(starts, return_inverse=True)
    clocks = [datetime.fromtimestamp(ts, UTC).astimezone(zone) for ts in unique.tolist()]
    found = local_periods([c.month for c in clocks], [c.hour for c in clocks], schedule).tolist()
    codes: list[str | None] = [code or None for code in found]
    return [codes[i] for i in inverse.reshape(-1).tolist()]
