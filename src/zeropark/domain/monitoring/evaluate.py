"""Evaluating one rule kind on numbers: each function returns an :class:`Observation`.

Pure functions; the service reads the stored data (hourly rollups, last reading times,
quarantine counts, provider projections) and hands them here. Rates are per hour in the
target's unit (kWh/h = kW); times are UTC epoch seconds. See docs/monitoring.md for the
formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.calendar import cn_day_classes, is_working_day
from zeropark.domain.monitoring.rules import Observation, Projection, Rule

__all__ = [
    "MAD_TO_SIGMA",
    "comparable_hours",
    "estimated_share",
    "hour_rate",
    "no_data",
    "open_quarantine",
    "profile_deviation",
    "projected_exceedance",
    "rate_of_change",
    "threshold",
]

#: Scale of the median absolute deviation to the standard deviation of a normal distribution
#: (1/Φ⁻¹(3/4); Rousseeuw & Croux 1993, JASA 88:1273).
MAD_TO_SIGMA = 1.4826


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def hour_rate(quantity: float, coverage_s: float) -> float | None:
    """The mean rate of an hour [unit/h]: its quantity over the covered time (None: nothing
    covered)."""
    if coverage_s <= 0:
        return None
    return quantity * 3600.0 / coverage_s


def threshold(
    rule: Rule, subject: str, at_s: int, rate: float | None, unit: str, *, is_open: bool
) -> Observation:
    """``threshold``: the latest hour's rate against ``limit`` with the clear margin.

    While an alert is open the rate must pass back beyond ``limit ∓ clear_margin`` to count as
    clean (hysteresis in value).
    """
    if rate is None:
        return Observation(subject, at_s, None, unit=f"{unit}/h")
    limit = rule.param("limit")
    margin = rule.param("clear_margin")
    above = rule.text("direction") == "above"
    if above:
        breached = rate > (limit - margin if is_open else limit)
    else:
        breached = rate < (limit + margin if is_open else limit)
    word_zh, word_en = ("高于", "above") if above else ("低于", "below")
    return Observation(
        subject,
        at_s,
        breached,
        value=rate,
        limit=limit,
        unit=f"{unit}/h",
        explanation_zh=f"最近一小时平均 {_fmt(rate)} {unit}/h，{word_zh}限值 {_fmt(limit)}",
        explanation_en=f"latest hour averages {_fmt(rate)} {unit}/h, limit {word_en} {_fmt(limit)}",
    )


def rate_of_change(
    rule: Rule, subject: str, at_s: int, latest: float | None, previous: float | None, unit: str
) -> Observation:
    """``rate_of_change``: the latest hour's rate against the hour before, in per cent."""
    if latest is None or previous is None:
        return Observation(subject, at_s, None, unit="%")
    base = max(abs(previous), rule.param("min_base"))
    change_pct = (latest - previous) / base * 100.0
    limit = rule.param("max_change_pct")
    return Observation(
        subject,
        at_s,
        abs(change_pct) > limit,
        value=change_pct,
        limit=limit,
        unit="%",
        explanation_zh=(
            f"小时平均由 {_fmt(previous)} 变为 {_fmt(latest)} {unit}/h（{change_pct:+.1f}%），"
            f"允许 ±{_fmt(limit)}%"
        ),
        explanation_en=(
            f"hourly mean went from {_fmt(previous)} to {_fmt(latest)} {unit}/h "
            f"({change_pct:+.1f} %), allowed ±{_fmt(limit)} %"
        ),
    )


def comparable_hours(
    hour_s: int, timezone: str, *, days: int, lookback_days: int = 42
) -> list[int]:
    """The same park-local hour on the ``days`` most recent comparable days before ``hour_s``.

    Comparable: the same working status per the Chinese day classes (workday and make-up
    workday vs weekend and statutory holiday, :mod:`zeropark.domain.energy.calendar`), looked
    for within ``lookback_days``. Hours are found by stepping whole local days back in the
    park's time zone (DST-safe), each the start of that local hour [UTC epoch s].
    """
    zone = ZoneInfo(timezone)
    local = dt.datetime.fromtimestamp(hour_s, zone)
    dates = [local.date() - dt.timedelta(days=k) for k in range(lookback_days + 1)]
    working = is_working_day(cn_day_classes(dates))
    out: list[int] = []
    for k in range(1, lookback_days + 1):
        if working[k] != working[0]:
            continue
        moment = dt.datetime.combine(dates[k], local.time().replace(tzinfo=None), tzinfo=zone)
        out.append(int(moment.timestamp()))
        if len(out) >= days:
            break
    return out


def profile_deviation(
    rule: Rule,
    subject: str,
    at_s: int,
    rate: float | None,
    reference: Sequence[float] | npt.NDArray[np.float64],
    unit: str,
) -> Observation:
    """``profile_deviation``: the latest hour against the median of the same hour on comparable
    days (``reference``, rates [unit/h]; NaN = no data that day)."""
    ref = np.asarray(reference, dtype=np.float64)
    ref = ref[np.isfinite(ref)]
    if rate is None or ref.size < int(rule.param("min_days")):
        return Observation(subject, at_s, None, unit=f"{unit}/h")
    median = float(np.median(ref))
    mad = float(np.median(np.abs(ref - median)))
    band = max(
        rule.param("max_deviation_pct") / 100.0 * abs(median),
        rule.param("k_mad") * MAD_TO_SIGMA * mad,
        rule.param("min_abs"),
    )
    deviation = rate - median
    return Observation(
        subject,
        at_s,
        abs(deviation) > band,
        value=rate,
        limit=median,
        unit=f"{unit}/h",
        explanation_zh=(
            f"本小时 {_fmt(rate)} {unit}/h，近 {ref.size} 个同类日同时段中位数 {_fmt(median)}，"
            f"偏差 {deviation:+,.4g}，允许 ±{_fmt(band)}"
        ),
        explanation_en=(
            f"this hour {_fmt(rate)} {unit}/h against a median of {_fmt(median)} over the same "
            f"hour of {ref.size} comparable days, deviation {deviation:+,.4g}, "
            f"allowed ±{_fmt(band)}"
        ),
        details={"median": median, "mad": mad, "band": band, "reference_days": int(ref.size)},
    )


def no_data(
    rule: Rule, subject: str, at_s: int, last_reading_s: int | None, since_s: int | None
) -> Observation:
    """``no_data``: more than ``minutes`` since the last reading (``since_s``: when watching
    began — a meter that never sent counts from then; None: from the epoch)."""
    limit_s = int(rule.param("minutes") * 60)
    seen = last_reading_s if last_reading_s is not None else since_s
    silent_s = at_s - (seen or 0)
    minutes = limit_s // 60
    return Observation(
        subject,
        at_s,
        silent_s > limit_s,
        value=silent_s / 60.0,
        limit=float(minutes),
        unit="min",
        explanation_zh=f"超过 {minutes} 分钟无数据",
        explanation_en=f"no data for over {minutes} min",
        details={"last_reading_s": last_reading_s, "silent_after_s": limit_s, "checked_at_s": at_s},
    )


def estimated_share(
    rule: Rule, subject: str, at_s: int, estimated: float, quantity: float
) -> Observation:
    """``estimated_share``: estimated over total quantity of the window, in per cent."""
    if quantity <= 0:
        return Observation(subject, at_s, None, unit="%")
    share = estimated / quantity * 100.0
    limit = rule.param("max_share_pct")
    hours = int(rule.param("window_hours"))
    return Observation(
        subject,
        at_s,
        share > limit,
        value=share,
        limit=limit,
        unit="%",
        explanation_zh=f"近 {hours} 小时估算数据占 {share:.1f}%，上限 {_fmt(limit)}%",
        explanation_en=f"{share:.1f} % of the last {hours} h is estimated, limit {_fmt(limit)} %",
    )


def open_quarantine(rule: Rule, subject: str, at_s: int, records: int) -> Observation:
    """``open_quarantine``: open quarantine records above ``max_records``."""
    limit = rule.param("max_records")
    return Observation(
        subject,
        at_s,
        records > limit,
        value=float(records),
        limit=limit,
        unit="",
        explanation_zh=f"{records} 条隔离记录待处理",
        explanation_en=f"{records} quarantined record(s) wait for review",
        details={"open_records": records},
    )


def projected_exceedance(
    rule: Rule, subject: str, at_s: int, projection: Projection | None
) -> Observation:
    """``projected_exceedance``: the provider's projection against its limit."""
    if projection is None:
        return Observation(subject, at_s, None)
    return Observation(
        subject,
        at_s,
        projection.exceeds(rule.param("margin_pct")),
        value=projection.projected_value,
        limit=projection.limit,
        unit=projection.unit,
        explanation_zh=projection.explanation_zh,
        explanation_en=projection.explanation_en,
        details={"direction": projection.direction, **dict(projection.details)},
    )
