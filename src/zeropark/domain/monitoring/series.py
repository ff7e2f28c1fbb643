"""Rules over whole hourly series at once: the back-evaluation (回溯评估) of a period.

The same tests as :mod:`zeropark.domain.monitoring.evaluate`, on arrays of hourly rates (one
value per park-local hour, NaN where unknown), so a year of a rule is a few array operations;
the lifecycle then runs only where something breached (:func:`transitions`). Each function
returns ``(raise_, stay)``: float arrays of 1 (breached), 0 (clean) or NaN (undetermined) —
``raise_`` decides a new alert, ``stay`` whether an open one still counts as breached (they
differ only for the threshold's clear margin).

Hour grid: hour ``i`` starts at ``start_s + 3600 i`` [UTC epoch s]. Comparable days step whole
days back in hours (24 h per day), exact for time zones without daylight saving (China's).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.calendar import cn_day_classes, is_working_day
from zeropark.domain.monitoring.evaluate import MAD_TO_SIGMA
from zeropark.domain.monitoring.lifecycle import SubjectState, Transition, step
from zeropark.domain.monitoring.rules import Observation, Rule

__all__ = [
    "comparable_offsets",
    "estimated_share_series",
    "no_data_series",
    "profile_deviation_series",
    "rate_of_change_series",
    "threshold_series",
    "transitions",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _flag(mask: npt.NDArray[np.bool_], known: npt.NDArray[np.bool_]) -> FloatArray:
    out = mask.astype(np.float64)
    out[~known] = np.nan
    return out


def threshold_series(rule: Rule, rate: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``threshold`` on hourly rates [unit/h]."""
    limit, margin = rule.param("limit"), rule.param("clear_margin")
    known = np.isfinite(rate)
    with np.errstate(invalid="ignore"):
        if rule.text("direction") == "above":
            return _flag(rate > limit, known), _flag(rate > limit - margin, known)
        return _flag(rate < limit, known), _flag(rate < limit + margin, known)


def rate_of_change_series(rule: Rule, rate: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``rate_of_change``: each hour against the one before."""
    prev = np.r_[np.nan, rate[:-1]]
    base = np.maximum(np.abs(prev), rule.param("min_base"))
    with np.errstate(invalid="ignore"):
        change = (rate - prev) / base * 100.0
        flag = _flag(np.abs(change) > rule.param("max_change_pct"), np.isfinite(change))
    return flag, flag


def comparable_offsets(
    start_s: int, hours: int, timezone: str, *, days: int, lookback_days: int = 42
) -> IntArray:
    """For each hour of the grid, the offsets [hours back] of the same hour on its ``days``
    most recent comparable days (same working status, Chinese day classes), −1 where fewer.

    Shape ``(hours, days)``.
    """
    zone = ZoneInfo(timezone)
    first = dt.datetime.fromtimestamp(start_s, zone).date() - dt.timedelta(days=lookback_days)
    last = dt.datetime.fromtimestamp(start_s + 3600 * max(hours - 1, 0), zone).date()
    dates = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    working = is_working_day(cn_day_classes(dates))
    per_day = np.full((len(dates), days), -1, np.int64)
    for d in range(len(dates)):
        found = 0
        for back in range(1, lookback_days + 1):
            if d - back < 0 or found >= days:
                break
            if working[d - back] == working[d]:
                per_day[d, found] = 24 * back
                found += 1
    hour_dates = [
        (dt.datetime.fromtimestamp(start_s + 3600 * i, zone).date() - first).days
        for i in range(0, hours, 1)
    ]
    return per_day[np.asarray(hour_dates, np.int64)]


def _row_median(values: FloatArray, count: IntArray) -> FloatArray:
    """The median of each row's finite values (NaN where none): sort puts NaN last."""
    ordered = np.sort(values, axis=1)
    lo = np.clip((count - 1) // 2, 0, None)[:, None]
    hi = np.clip(count // 2, 0, None)[:, None]
    out = (np.take_along_axis(ordered, lo, 1) + np.take_along_axis(ordered, hi, 1))[:, 0] / 2
    out[count == 0] = np.nan
    return out


def profile_deviation_series(
    rule: Rule, rate: FloatArray, offsets: IntArray, history: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """``profile_deviation``: each hour against the median of its comparable hours.

    ``offsets`` from :func:`comparable_offsets` (its first ``days`` columns are used);
    ``history``: rates of the hours before the grid (oldest first, any length) so the first
    days have references.
    """
    past = np.zeros(0) if history is None else np.asarray(history, np.float64)
    full = np.r_[past, rate]
    n, lead = rate.size, past.size
    cols = offsets[:, : int(rule.param("days"))]
    idx = lead + np.arange(n)[:, None] - cols
    valid = (cols >= 0) & (idx >= 0)
    ref = np.where(valid, full[np.clip(idx, 0, max(full.size - 1, 0))], np.nan)
    count = np.isfinite(ref).sum(axis=1)
    median = _row_median(ref, count)
    mad = _row_median(np.abs(ref - median[:, None]), count)
    band = np.maximum.reduce(
        [
            rule.param("max_deviation_pct") / 100.0 * np.abs(median),
            rule.param("k_mad") * MAD_TO_SIGMA * mad,
            np.full(n, rule.param("min_abs")),
        ]
    )
    known = np.isfinite(rate) & (count >= int(rule.param("min_days")))
    with np.errstate(invalid="ignore"):
        flag = _flag(np.abs(rate - median) > band, known)
    return flag, flag


def estimated_share_series(
    rule: Rule, estimated: FloatArray, quantity: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``estimated_share`` over a trailing window of ``window_hours`` (missing hours count 0)."""
    w = int(rule.param("window_hours"))
    e = np.cumsum(np.r_[0.0, np.nan_to_num(np.abs(estimated))])
    q = np.cumsum(np.r_[0.0, np.nan_to_num(np.abs(quantity))])
    lo = np.maximum(np.arange(1, estimated.size + 1) - w, 0)
    est, qty = e[1:] - e[lo], q[1:] - q[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = est / qty * 100.0
    flag = _flag(share > rule.param("max_share_pct"), qty > 0)
    return flag, flag


def no_data_series(rule: Rule, covered: npt.NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
    """``no_data`` at hour resolution: breached from the end of the hour in which the silence
    reaches ``minutes`` (hours without any covered interval count as silent)."""
    need = int(np.ceil(rule.param("minutes") / 60.0))
    silent = ~np.asarray(covered, bool)
    # Length of the silent run ending at each hour: position minus the last covered position.
    pos = np.arange(silent.size)
    last_covered = np.maximum.accumulate(np.where(silent, -1, pos))
    run = pos - last_covered
    flag = (run >= max(need, 1)).astype(np.float64)
    return flag, flag


def transitions(
    rule: Rule, start_s: int, raise_: FloatArray, stay: FloatArray
) -> list[tuple[int, Transition]]:
    """The raises and recoveries of one subject over the grid, as ``(hour start, event)``.

    The lifecycle runs from the first breached hour on (before it nothing can happen).
    """
    hits = np.flatnonzero(raise_ == 1.0)
    if hits.size == 0:
        return []
    state, out = SubjectState(), []
    for i in range(int(hits[0]), raise_.size):
        value = stay[i] if state.alert_open else raise_[i]
        breached = None if np.isnan(value) else bool(value)
        at = start_s + 3600 * i
        state, event = step(state, Observation("s", at, breached), rule)
        if event:
            out.append((at, event))
    return out
