"""Late data: which stored readings to re-run and which intervals and hours they replace.

Normalisation is local. An interval depends on the two readings that bound it, except that
:func:`~.registers.registers_to_intervals` looks up to ``lookahead`` readings ahead to tell a
transient fault from a persistent one. So a reading inserted (or corrected) at position ``p`` can
change the decisions about the ``lookahead`` readings before it and the interval it falls in;
nothing before an *anchor* (the last reading accepted by the stored run at least ``lookahead + 1``
positions before ``p``) and nothing after a *sync* reading (the first reading at or after ``p`` the
stored run accepted) can change, provided the re-run accepts the sync reading too.

Procedure for the ingest pipeline:

1. ``span = affected_span(stored_ts, late_ts, quarantined_ts_s=..., lookahead=...)``;
2. re-run normalisation on the stored readings ``[span.first_reading, span.stop_reading)`` merged
   with the late ones (the stop includes ``lookahead`` readings of context after the sync reading);
3. from the re-run keep the intervals inside ``[span.replace_start_s, span.replace_end_s]`` and
   replace the stored intervals :meth:`AffectedSpan.replaces` selects with them;
4. re-roll the hours in ``span.hour_start_s``.

If the re-run discards the sync reading (:meth:`AffectedSpan.is_synced` is false), call again
with a larger ``margin``. For power and
interval meters use ``lookahead=0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries._arrays import BoolArray, IntArray, as_ts_array, frozen
from zeropark.domain.timeseries.localtime import local_hour_bounds
from zeropark.domain.timeseries.registers import DEFAULT_LOOKAHEAD
from zeropark.domain.timeseries.result import IntervalResult
from zeropark.errors import InputError

__all__ = ["AffectedSpan", "affected_span"]


@dataclass(frozen=True, slots=True, eq=False)
class AffectedSpan:
    """What one group of late readings touches.

    ``first_reading`` / ``stop_reading`` slice the stored readings (sorted by time) to re-run;
    ``replace_start_s`` / ``replace_end_s`` bound the derived intervals to replace [epoch s UTC];
    ``hour_start_s`` are the park-local hours to re-roll.
    """

    first_reading: int
    stop_reading: int
    replace_start_s: int
    replace_end_s: int
    hour_start_s: IntArray

    def __post_init__(self) -> None:
        frozen(self.hour_start_s)

    def is_synced(self, rerun: IntervalResult) -> bool:
        """Whether the re-run kept the sync reading (at ``replace_end_s``); if not, widen."""
        return not bool(np.isin(self.replace_end_s, rerun.discarded_ts_s))

    def replaces(self, start_s: npt.ArrayLike, end_s: npt.ArrayLike) -> BoolArray:
        """Mask of the stored intervals ``[start_s, end_s)`` this span replaces."""
        start, end = as_ts_array(start_s, "start_s"), as_ts_array(end_s, "end_s")
        mask: BoolArray = (start >= self.replace_start_s) & (end <= self.replace_end_s)
        return mask


def affected_span(
    reading_ts_s: npt.ArrayLike,
    late_ts_s: npt.ArrayLike,
    *,
    quarantined_ts_s: npt.ArrayLike = (),
    lookahead: int = DEFAULT_LOOKAHEAD,
    margin: int = 0,
    tz: str = "Asia/Shanghai",
) -> tuple[AffectedSpan, ...]:
    """Say which stored readings, intervals and hours late readings affect (see module doc).

    Parameters
    ----------
    reading_ts_s : times of the stored readings of one meter [epoch s UTC], quarantined included.
    late_ts_s : times of the late (new or corrected) readings [epoch s UTC].
    quarantined_ts_s : times of the stored readings the stored run discarded
        (:attr:`IntervalResult.discarded_ts_s`).
    lookahead : the ``lookahead`` the meter is normalised with (0 for power and interval meters).
    margin : extra readings to take on each side.
    tz : the park's timezone, for the hours.

    Returns one span per group of late readings whose spans overlap, in time order.
    """
    ts = np.sort(as_ts_array(reading_ts_s, "reading_ts_s"))
    late = np.unique(as_ts_array(late_ts_s, "late_ts_s"))
    if lookahead < 0 or margin < 0:
        raise InputError("lookahead and margin must be >= 0")
    accepted = ~np.isin(ts, as_ts_array(np.asarray(quarantined_ts_s, dtype=np.int64)))
    accepted_pos = np.flatnonzero(accepted)
    groups: list[list[int]] = []  # [first_reading, sync_reading, first_late, last_late]
    for t in late.tolist():
        p = int(np.searchsorted(ts, t, side="left"))
        k = int(np.searchsorted(accepted_pos, p - lookahead - 1 - margin, side="right")) - 1
        first = int(accepted_pos[k]) if k >= 0 else 0
        after = int(np.searchsorted(ts, t, side="right"))  # a corrected reading is no sync
        k = int(np.searchsorted(accepted_pos, after + margin, side="left"))
        sync = int(accepted_pos[k]) if k < accepted_pos.size else ts.size
        if groups and first <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], sync)
            groups[-1][3] = t
        else:
            groups.append([first, sync, t, t])
    return tuple(_span(ts, lookahead, tz, *group) for group in groups)


def _span(
    ts: IntArray, lookahead: int, tz: str, first: int, sync: int, first_late: int, last_late: int
) -> AffectedSpan:
    start = min(int(ts[first]), first_late) if first < ts.size else first_late
    end = max(int(ts[min(sync, ts.size - 1)]), last_late) if ts.size else last_late
    bounds = local_hour_bounds(start, end, tz)
    hours = bounds[:-1] if bounds.size > 1 else bounds
    return AffectedSpan(first, min(sync + lookahead + 1, ts.size), start, end, hours.copy())
