"""Waste detection (跑冒滴漏): a meter's load while the site is closed, against its own history.

Daily signals per meter, from hourly energy [kWh] = mean power [kW] of each park-local hour:

- ``night_base``: the median power of the night hours (default 00:00-05:00): the base load that
  runs when nobody works (a one-shift plant's compressors, lighting left on, leaks);
- ``closed_day``: the mean power of a whole non-working day (weekend or public holiday: the
  Chinese calendar's day classes, :mod:`zeropark.domain.energy.calendar`);
- the *activity level*: the median daytime power (09:00-17:00) of the last five working days
  (:func:`activity_reference`); a day whose level is under half its 60-day median is a shutdown
  (the Spring Festival) and is not judged.

Each day's signal is compared with a robust baseline from the meter's own recent history of the
*same kind of day* (working days, weekends and public holidays apart; days already flagged left
out, so a leak does not become "normal"): the median ``m`` and the scaled median absolute
deviation ``s = 1.4826 × MAD`` (at least 2 % of ``m``) of the days of the last ``window_days``
(while an anomaly lasts, the latest normal days, up to ``max_lookback_days`` back). A day is
flagged when the signal ``x`` and its ratio to the activity level both rise: ``x > m + k·s`` and
``x > m·(1 + min_rise)``, and the same for the ratio against its own median and MAD. Weather
(cooling at night in summer) or more production moves the load *with* the activity and raises
only one of the two; a leak raises both. ``sustain`` flagged observations (at most ``max_gap``
normal ones between them) make an anomaly, so a single odd night raises nothing.

The anomaly states when it began, how much above normal it is (``excess_kw`` = median of
``x − m`` over the episode) and what it costs per year if it continues: ``excess_kw × closed
hours per year`` [kWh], counting only the hours the calendar says the site is closed (where the
excess is seen: a conservative estimate).

Median and MAD ignore up to half of the history being odd (a holiday week, a broken meter), which
is why they are used rather than the mean and standard deviation (Rousseeuw & Croux 1993;
Leys et al. 2013 suggest 2.5-3 MADs for outliers: we use 4 and a sustained run, and the demo
park's normal year raises nothing).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.calendar import HOLIDAY, cn_day_classes, is_working_day

__all__ = [
    "DailyBase",
    "WasteAnomaly",
    "WasteSettings",
    "activity_reference",
    "closed_hours_per_year",
    "daily_base",
    "detect_waste",
]

FloatArray = npt.NDArray[np.float64]
_MAD_SCALE = 1.4826


@dataclass(frozen=True, slots=True)
class WasteSettings:
    """Parameters of the detector (defaults documented in ``docs/waste-detection.md``)."""

    night_start_h: int = 0
    night_end_h: int = 5
    day_start_h: int = 9
    day_end_h: int = 17
    reference_days: int = 5
    shutdown_below: float = 0.5
    window_days: int = 42
    max_lookback_days: int = 120
    min_history: int = 6
    max_gap: int = 3
    k_mad: float = 4.0
    min_rise: float = 0.15
    min_excess_kw: float = 1.0
    sustain: int = 5


@dataclass(frozen=True, slots=True)
class DailyBase:
    """A meter's daily signals: ``night_kw``, ``closed_kw`` and the working-day daytime power
    ``day_kw`` (NaN where not defined)."""

    dates: tuple[dt.date, ...]
    working: npt.NDArray[np.bool_]
    stratum: npt.NDArray[np.int8]
    night_kw: FloatArray
    closed_kw: FloatArray
    day_kw: FloatArray


@dataclass(frozen=True, slots=True)
class WasteAnomaly:
    """A sustained rise of a closed-site load: when, how much, and the cost if it continues.

    Powers in kW; ``waste_kwh_per_year`` = ``excess_kw`` × closed hours per year.
    """

    signal: str
    start: dt.date
    end: dt.date
    observations: int
    baseline_kw: float
    observed_kw: float
    excess_kw: float
    waste_kwh_per_year: float
    ongoing: bool

    @property
    def rise(self) -> float:
        """How much above normal [fraction of the baseline]."""
        return self.excess_kw / self.baseline_kw if self.baseline_kw > 0 else float("inf")


def daily_base(
    day_ordinal: npt.ArrayLike,
    hour: npt.ArrayLike,
    energy_kwh: npt.ArrayLike,
    settings: WasteSettings | None = None,
) -> DailyBase:
    """Daily signals from hourly energy: ``day_ordinal`` (``date.toordinal()``) and ``hour``
    (0-23) are park-local, one per value; hours without data are simply absent.

    A night needs all its hours, a closed day at least 20 of its hours (DST-free China has 24).
    """
    s = settings or WasteSettings()
    days = np.asarray(day_ordinal, dtype=np.int64)
    hours = np.asarray(hour, dtype=np.int64)
    kw = np.asarray(energy_kwh, dtype=np.float64)
    if not days.size:
        empty = np.zeros(0)
        none = np.zeros(0, dtype=np.int8)
        return DailyBase((), np.zeros(0, dtype=bool), none, empty, empty.copy(), empty.copy())
    first, last = int(days.min()), int(days.max())
    dates = tuple(dt.date.fromordinal(d) for d in range(first, last + 1))
    classes = cn_day_classes(dates)
    working = is_working_day(classes)
    # strata: working days, weekends, public holidays (a holiday is not a weekend: plants stop)
    stratum = np.where(working, 0, np.where(classes == HOLIDAY, 2, 1)).astype(np.int8)
    index = days - first
    night = np.full(len(dates), np.nan)
    closed = np.full(len(dates), np.nan)
    daytime = np.full(len(dates), np.nan)
    in_day = (hours >= s.day_start_h) & (hours < s.day_end_h)
    in_night = (hours >= s.night_start_h) & (hours < s.night_end_h)
    need = s.night_end_h - s.night_start_h
    order = np.argsort(index, kind="stable")
    index, kw_sorted = index[order], kw[order]
    in_night, in_day = in_night[order], in_day[order]
    bounds = np.searchsorted(index, np.arange(len(dates) + 1))
    for i in range(len(dates)):
        lo, hi = bounds[i], bounds[i + 1]
        if hi <= lo:
            continue
        values, nights = kw_sorted[lo:hi], in_night[lo:hi]
        if int(nights.sum()) >= need:
            night[i] = _median(values[nights].tolist())
        if not working[i] and hi - lo >= 20:
            closed[i] = float(values.mean())
        if working[i] and int(in_day[lo:hi].sum()) >= s.day_end_h - s.day_start_h:
            daytime[i] = float(values[in_day[lo:hi]].mean())
    return DailyBase(dates, working, stratum, night, closed, daytime)


def closed_hours_per_year(
    dates: Sequence[dt.date], working: npt.ArrayLike, settings: WasteSettings | None = None
) -> float:
    """Hours a year the site is closed: the night hours of working days plus whole non-working
    days, from the calendar of ``dates`` scaled to 365 days."""
    s = settings or WasteSettings()
    work = np.asarray(working, dtype=bool)
    if not len(dates):
        return 0.0
    night = s.night_end_h - s.night_start_h
    hours = float(work.sum()) * night + float((~work).sum()) * 24.0
    return hours * 365.0 / len(dates)


def _median(values: Sequence[float]) -> float:
    """The median of a short list (``statistics.median``: far quicker than numpy's here)."""
    return float(statistics.median(values))


def _baseline(values: Sequence[float]) -> tuple[float, float]:
    median = _median(values)
    mad = _median([abs(v - median) for v in values]) * _MAD_SCALE
    return median, max(mad, 0.02 * abs(median))


def activity_reference(base: DailyBase, settings: WasteSettings | None = None) -> FloatArray:
    """Each day's activity level [kW]: the median daytime power of the last ``reference_days``
    working days up to that day; NaN in a shutdown (below ``shutdown_below`` × the median of
    the previous 60 days' daytime power) or without enough working days."""
    s = settings or WasteSettings()
    ref = np.full(len(base.dates), np.nan)
    seen: list[tuple[int, float]] = []
    for i in range(len(base.dates)):
        if not np.isnan(base.day_kw[i]):
            seen.append((i, float(base.day_kw[i])))
        recent = [v for _, v in seen[-s.reference_days :]]
        if len(recent) < s.reference_days:
            continue
        level = _median(recent)
        lo = base.dates[i] - dt.timedelta(days=60)
        normal = [v for j, v in seen[-60:] if base.dates[j] >= lo]
        if level >= s.shutdown_below * _median(normal):
            ref[i] = level
    return ref


def _flags(
    dates: Sequence[dt.date],
    values: FloatArray,
    ratio: FloatArray,
    stratum: npt.NDArray[np.int8],
    s: WasteSettings,
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Flag of each day and its baseline [kW] (NaN without a value or enough history).

    A day is flagged when its value rises above its own baseline *and* so does its ratio to the
    activity level: weather (cooling at night in summer) or more production moves the load with
    the activity and raises one of them only; a leak raises both.
    """
    n = values.size
    flagged = [False] * n
    base = [float("nan")] * n
    usable: dict[int, list[int]] = {}  # per stratum: judged-normal days, oldest first
    day = [d.toordinal() for d in dates]
    x, q, strata = values.tolist(), ratio.tolist(), stratum.tolist()
    for i in range(n):
        if x[i] != x[i] or q[i] != q[i]:  # NaN
            continue
        seen = usable.setdefault(strata[i], [])
        oldest, lo = day[i] - s.max_lookback_days, day[i] - s.window_days
        same = [j for j in reversed(seen[-s.max_lookback_days :]) if day[j] >= oldest]
        # the window's days; while an anomaly lasts, the latest normal days before it
        hist = [j for j in same if day[j] >= lo]
        if len(hist) < s.min_history:
            hist = same[: s.min_history]
        if len(hist) >= s.min_history:
            m, spread = _baseline([x[j] for j in hist])
            r, r_spread = _baseline([q[j] for j in hist])
            base[i] = m
            flagged[i] = (
                x[i] > m + s.k_mad * spread
                and x[i] > m * (1 + s.min_rise)
                and q[i] > r + s.k_mad * r_spread
                and q[i] > r * (1 + s.min_rise)
            )
        if not flagged[i]:
            seen.append(i)
    return np.array(flagged, dtype=bool), np.array(base, dtype=np.float64)


def _episodes(
    signal: str,
    dates: Sequence[dt.date],
    values_kw: FloatArray,
    baseline_kw: FloatArray,
    flagged: npt.NDArray[np.bool_],
    closed_hours: float,
    s: WasteSettings,
) -> list[WasteAnomaly]:
    observed = [i for i in range(values_kw.size) if not np.isnan(baseline_kw[i])]
    out: list[WasteAnomaly] = []
    run: list[int] = []
    quiet = 0  # unflagged observations since the run's last flag
    for i in [*observed, -1]:
        if i >= 0 and flagged[i]:
            run.append(i)
            quiet = 0
            continue
        quiet += 1
        if i >= 0 and run and quiet <= s.max_gap:
            continue  # a day or two back to normal does not end an episode
        if len(run) >= s.sustain:
            excess = float(np.median(values_kw[run] - baseline_kw[run]))
            baseline = float(np.median(baseline_kw[run]))
            if excess >= s.min_excess_kw:
                out.append(
                    WasteAnomaly(
                        signal,
                        dates[run[0]],
                        dates[run[-1]],
                        len(run),
                        baseline,
                        baseline + excess,
                        excess,
                        excess * closed_hours,
                        ongoing=run[-1] == observed[-1],
                    )
                )
        run, quiet = [], 0
    return out


def detect_waste(base: DailyBase, settings: WasteSettings | None = None) -> list[WasteAnomaly]:
    """The sustained anomalies of a meter's daily signals (see the module's description)."""
    s = settings or WasteSettings()
    hours = closed_hours_per_year(base.dates, base.working, s)
    ref = activity_reference(base, s)
    out = []
    for signal, values in (("night_base", base.night_kw), ("closed_day", base.closed_kw)):
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ref > 0, values / ref, np.nan)
        # nights of weekends and holidays alike (nobody works either night); whole closed days
        # apart (plants that stop for a holiday may still run on some weekends)
        strata = np.minimum(base.stratum, 1) if signal == "night_base" else base.stratum
        flagged, baseline = _flags(base.dates, values, ratio, strata, s)
        out += _episodes(signal, base.dates, values, baseline, flagged, hours, s)
    return sorted(out, key=lambda a: (a.start, a.signal))
