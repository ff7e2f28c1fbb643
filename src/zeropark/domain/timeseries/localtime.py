"""Park-local hours on a UTC time axis, correct in any IANA zone.

A *local hour* is the set of instants whose local wall-clock time falls in one ``HH:00``–``HH:59``
hour under one UTC offset. It is keyed by its first instant in UTC epoch seconds. In whole-hour
zones (Asia/Shanghai, Europe/Berlin) local hours are UTC hours — DST only relabels them and gives a
local day 23 or 25 of them. In Asia/Kolkata (UTC+5:30) they start at UTC ``:30``. Where an offset
changes by a fraction of an hour (Australia/Lord_Howe, ±30 min) the hour around the change is cut
at the change, so one bucket lasts 30 min or the label would be ambiguous.

Offset changes are found from :mod:`zoneinfo` by daily sampling and bisection to the second, and
cached per zone and year; zones that change offset twice within one UTC day are not supported.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries._arrays import IntArray, as_ts_array
from zeropark.errors import InputError

__all__ = ["local_hour_bounds", "utc_offsets_s", "zone"]

HOUR_S = 3600
DAY_S = 86_400


@lru_cache(maxsize=64)
def zone(tz: str) -> ZoneInfo:
    """The :class:`ZoneInfo` named ``tz``; raises :class:`InputError` for an unknown name."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"unknown timezone {tz!r}", field="tz") from exc


def _offset_at(tz: ZoneInfo, ts_s: int) -> int:
    offset = datetime.fromtimestamp(ts_s, UTC).astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


@lru_cache(maxsize=1024)
def _year_transitions(tz_name: str, year: int) -> tuple[tuple[int, int], ...]:
    """Offset changes ``(instant_s, offset_after_s)`` in ``(Jan 1 year, Jan 1 year+1]`` UTC."""
    tz = zone(tz_name)
    first = calendar.timegm((year, 1, 1, 0, 0, 0))
    last = calendar.timegm((year + 1, 1, 1, 0, 0, 0))
    samples = list(range(first, last + 1, DAY_S))
    offsets = [_offset_at(tz, t) for t in samples]
    found: list[tuple[int, int]] = []
    for lo, hi, off_lo, off_hi in zip(samples, samples[1:], offsets, offsets[1:], strict=False):
        if off_lo == off_hi:
            continue
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _offset_at(tz, mid) == off_lo:
                lo = mid
            else:
                hi = mid
        found.append((hi, _offset_at(tz, hi)))
    return tuple(found)


def _segments(lo_s: int, hi_s: int, tz: str) -> tuple[IntArray, IntArray]:
    """Constant-offset segments covering ``[lo_s, hi_s]``: their start instants and offsets."""
    starts, offsets = [lo_s], [_offset_at(zone(tz), lo_s)]
    year_lo = datetime.fromtimestamp(lo_s, UTC).year - 1
    year_hi = datetime.fromtimestamp(hi_s, UTC).year
    for year in range(year_lo, year_hi + 1):
        for instant, offset in _year_transitions(tz, year):
            if lo_s < instant <= hi_s:
                starts.append(instant)
                offsets.append(offset)
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def utc_offsets_s(ts_s: npt.ArrayLike, tz: str) -> IntArray:
    """The UTC offset in seconds (local − UTC) in force at each instant of ``ts_s``."""
    ts = as_ts_array(ts_s)
    if ts.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts, offsets = _segments(int(ts.min()), int(ts.max()), tz)
    return offsets[np.searchsorted(starts, ts, side="right") - 1]


def local_hour_bounds(first_s: int, last_s: int, tz: str) -> IntArray:
    """Sorted local-hour boundaries (UTC epoch s) from the last at or before ``first_s`` to the
    first at or after ``last_s``; consecutive entries delimit one local hour."""
    if last_s < first_s:
        raise InputError(f"last_s {last_s} is before first_s {first_s}")
    lo, hi = int(first_s) - 2 * HOUR_S, int(last_s) + 2 * HOUR_S
    starts, offsets = _segments(lo, hi, tz)
    if starts.size == 1:  # one offset throughout (no DST change near): whole hours of it
        offset = int(offsets[0])
        first_bound = (int(first_s) + offset) // HOUR_S * HOUR_S - offset
        last_bound = -((-(int(last_s) + offset)) // HOUR_S) * HOUR_S - offset
        return np.arange(first_bound, last_bound + 1, HOUR_S, dtype=np.int64)
    ends = np.append(starts[1:], hi + 1)
    parts = [starts[1:]]  # every offset change starts a new local hour
    for start, end, offset in zip(starts.tolist(), ends.tolist(), offsets.tolist(), strict=True):
        first_bound = -((-(start + offset)) // HOUR_S) * HOUR_S - offset
        parts.append(np.arange(first_bound, end, HOUR_S, dtype=np.int64))
    bounds = np.unique(np.concatenate(parts))
    i0 = int(np.searchsorted(bounds, first_s, side="right")) - 1
    i1 = int(np.searchsorted(bounds, last_s, side="left"))
    return bounds[i0 : i1 + 1]
