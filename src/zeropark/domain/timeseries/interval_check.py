"""Checks for interval meters: each reading is the quantity of one declared interval.

A reading must sit on the meter's grid (multiples of ``nominal_interval_s`` after
``align_offset_s`` from the epoch), once; its value must be finite, non-negative (unless the meter
measures both directions) and within what the meter can deliver in one interval. Faulty readings
go to quarantine with a reason. Missing intervals are reported as ``gap`` events, never zero-filled.
Readings are labelled by the start of their interval by default; many utilities label by the end.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries._arrays import clean_readings, reject_where
from zeropark.domain.timeseries.quality import Event, EventCode, RejectCode, iso_utc
from zeropark.domain.timeseries.result import IntervalResult
from zeropark.errors import InputError

__all__ = ["check_interval_series"]


def check_interval_series(
    ts_s: npt.ArrayLike,
    quantity: npt.ArrayLike,
    *,
    nominal_interval_s: int,
    label: Literal["start", "end"] = "start",
    multiplier: float = 1.0,
    max_rate_per_h: float | None = None,
    allow_negative: bool = False,
    align_offset_s: int = 0,
) -> IntervalResult:
    """Validate an interval meter's readings and return them as intervals.

    Parameters
    ----------
    ts_s : reading labels [epoch s UTC], any order.
    quantity : the quantity of each interval [meter unit]; output is × ``multiplier``.
    nominal_interval_s : the declared interval [s].
    label : whether a timestamp marks the ``"start"`` or the ``"end"`` of its interval.
    multiplier : CT/PT ratio or scale.
    max_rate_per_h : the most the meter can deliver [output unit per hour]; ``None`` = unchecked.
    allow_negative : accept negative quantities (bidirectional meters).
    align_offset_s : offset of the interval grid from the epoch [s].
    """
    if nominal_interval_s <= 0:
        raise InputError("nominal_interval_s must be positive", field="nominal_interval_s")
    if label not in ("start", "end"):
        raise InputError(f"label must be 'start' or 'end', got {label!r}", field="label")
    clean = clean_readings(ts_s, quantity, "quantity")
    rejections = list(clean.rejections)
    index, ts, qty = clean.index, clean.ts_s, clean.value * multiplier
    start = ts if label == "start" else ts - nominal_interval_s
    bad = (start - align_offset_s) % nominal_interval_s != 0
    rejections += reject_where(
        bad,
        index,
        ts,
        clean.value,
        RejectCode.MISALIGNED,
        lambda t, v: (
            f"{iso_utc(t)} is not on the {nominal_interval_s} s grid",
            "reading_misaligned",
            {"at": iso_utc(t), "interval_s": str(nominal_interval_s)},
        ),
    )
    if not allow_negative:
        negative = ~bad & (qty < 0)
        rejections += reject_where(
            negative,
            index,
            ts,
            clean.value,
            RejectCode.NEGATIVE,
            lambda t, v: (
                f"quantity {v} is negative on a one-direction meter",
                "reading_negative",
                {"value": str(v)},
            ),
        )
        bad |= negative
    if max_rate_per_h is not None:
        limit = max_rate_per_h * nominal_interval_s / 3600.0
        spike = ~bad & (np.abs(qty) > limit)
        rejections += reject_where(
            spike,
            index,
            ts,
            clean.value,
            RejectCode.SPIKE,
            lambda t, v: (
                f"{v * multiplier:.6g} in {nominal_interval_s} s exceeds the meter's "
                f"maximum {limit:.6g} ({max_rate_per_h:.6g} per h)",
                "reading_spike",
                {
                    "quantity": f"{v * multiplier:.6g}",
                    "interval_s": str(nominal_interval_s),
                    "limit": f"{limit:.6g}",
                    "rate": f"{max_rate_per_h:.6g}",
                },
            ),
        )
        bad |= spike
    index, start, qty = index[~bad], start[~bad], qty[~bad]
    end = start + nominal_interval_s
    missing = np.flatnonzero(start[1:] > end[:-1])
    events = tuple(
        Event(
            EventCode.GAP,
            int(index[k + 1]),
            int(end[k]),
            int(start[k + 1]),
            f"{(start[k + 1] - end[k]) // nominal_interval_s} interval(s) missing from "
            f"{iso_utc(int(end[k]))} to {iso_utc(int(start[k + 1]))}",
        )
        for k in missing.tolist()
    )
    rejections.sort(key=lambda r: (r.ts_s, r.index))
    quality = np.zeros(qty.size, dtype=np.uint8)
    return IntervalResult(start, end, qty, quality, tuple(rejections), events)
