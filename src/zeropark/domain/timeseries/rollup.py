"""Hourly rollups in park-local hours, splitting intervals across hour boundaries pro rata.

An interval ``[start_s, end_s)`` that straddles local-hour boundaries gives each hour the share of
its quantity proportional to the time it spends there (the quantity is taken as uniform over the
interval). Hours are keyed by their first instant in UTC epoch seconds (see :mod:`.localtime` for
what a local hour is in DST and half-hour zones). Only hours some interval covers are returned: an
hour without data is absent, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    as_float_array,
    as_ts_array,
    frozen,
)
from zeropark.domain.timeseries.localtime import local_hour_bounds
from zeropark.domain.timeseries.quality import Quality
from zeropark.errors import InputError

__all__ = ["HourlyRollup", "hourly_rollup"]


@dataclass(frozen=True, slots=True, eq=False)
class HourlyRollup:
    """Quantities per park-local hour.

    ``quantity`` and ``estimated_quantity`` (its part flagged ``ESTIMATED``) are in the intervals'
    unit; ``coverage_s`` is how many seconds of the hour the intervals cover. Arrays are read-only.
    """

    hour_start_s: IntArray
    hour_end_s: IntArray
    quantity: FloatArray
    estimated_quantity: FloatArray
    coverage_s: IntArray
    tz: str

    def __post_init__(self) -> None:
        for arr in (
            self.hour_start_s,
            self.hour_end_s,
            self.quantity,
            self.estimated_quantity,
            self.coverage_s,
        ):
            frozen(arr)

    @property
    def complete(self) -> BoolArray:
        """True for the hours the intervals cover entirely."""
        result: BoolArray = self.coverage_s >= self.hour_end_s - self.hour_start_s
        return result

    @property
    def total(self) -> float:
        """Sum over all hours."""
        return float(self.quantity.sum())


def hourly_rollup(
    start_s: npt.ArrayLike,
    end_s: npt.ArrayLike,
    quantity: npt.ArrayLike,
    quality: npt.ArrayLike | None = None,
    *,
    tz: str = "Asia/Shanghai",
) -> HourlyRollup:
    """Sum interval quantities into park-local hours, pro rata over hour boundaries.

    Parameters
    ----------
    start_s, end_s : interval bounds [epoch s UTC], ``end_s > start_s``; order does not matter.
    quantity : quantity per interval [any unit; the rollup keeps it].
    quality : :class:`Quality` bits per interval; ``None`` = all measured.
    tz : the park's IANA timezone.
    """
    start, end = as_ts_array(start_s, "start_s"), as_ts_array(end_s, "end_s")
    qty = as_float_array(quantity, start.size, "quantity")
    if end.shape != start.shape:
        raise InputError("start_s and end_s must have the same shape", field="end_s")
    if np.any(end <= start):
        raise InputError("every interval must end after it starts", field="end_s")
    if not np.all(np.isfinite(qty)):
        raise InputError("quantities must be finite", field="quantity")
    qual = np.zeros(start.size, np.uint8) if quality is None else np.asarray(quality, np.uint8)
    if qual.shape != start.shape:
        raise InputError(
            f"quality must have shape {start.shape}, got {qual.shape}", field="quality"
        )
    if start.size == 0:
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
        return HourlyRollup(empty_i, empty_i.copy(), empty_f, empty_f.copy(), empty_i.copy(), tz)
    bounds = local_hour_bounds(int(start.min()), int(end.max()), tz)
    first = np.searchsorted(bounds, start, side="right") - 1
    last = np.searchsorted(bounds, end, side="left") - 1
    pieces = last - first + 1
    owner = np.repeat(np.arange(start.size), pieces)
    hour = first[owner] + np.arange(owner.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    piece_s = np.minimum(end[owner], bounds[hour + 1]) - np.maximum(start[owner], bounds[hour])
    share = qty[owner] * np.where(pieces[owner] == 1, 1.0, piece_s / (end - start)[owner])
    estimated = (qual[owner] & np.uint8(Quality.ESTIMATED)) != 0
    n_hours = bounds.size - 1
    total = np.asarray(np.bincount(hour, weights=share, minlength=n_hours), np.float64)
    est = np.asarray(
        np.bincount(hour, weights=np.where(estimated, share, 0.0), minlength=n_hours), np.float64
    )
    coverage = np.bincount(hour, weights=piece_s, minlength=n_hours).astype(np.int64)
    present = np.bincount(hour, minlength=n_hours) > 0
    return HourlyRollup(
        bounds[:-1][present],
        bounds[1:][present],
        total[present],
        est[present],
        coverage[present],
        tz,
    )
