"""Spreading a quantity known only for a long span over the nominal slots that span covers.

An outage on a cumulative meter leaves one register difference for many missing slots. The
difference is split over the slots of the meter's grid (multiples of the nominal interval after
``align_offset_s`` from the epoch) that the span covers — pro rata in time by default, or by a
profile — and flagged ``ESTIMATED``. The first and last slots are cut at the span's ends: a slot
the span covers only partly gets a share in proportion to the part it covers (pro rata) or to its
profile weight over that part. The shares of one span sum to its quantity up to float rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from zeropark.domain.timeseries._arrays import FloatArray, IntArray, QualityArray
from zeropark.domain.timeseries.localtime import HOUR_S, utc_offsets_s
from zeropark.domain.timeseries.quality import Event, EventCode, Quality, iso_utc
from zeropark.errors import InputError

__all__ = [
    "OUTAGE_FACTOR",
    "Profile",
    "SlotSplit",
    "hour_of_day_profile",
    "split_into_slots",
    "spread_outages",
]

OUTAGE_FACTOR = 1.5
"""An interval longer than this many nominal intervals is an outage and is spread over slots."""

Profile = Callable[[IntArray, IntArray], FloatArray]
"""Weights for slots ``[start_s, end_s)``: non-negative, one per slot, larger = more quantity."""

SlotSplit = tuple[IntArray, IntArray, FloatArray, IntArray]
"""Slot starts, slot ends, slot quantities and, per slot, the index of the span it came from."""


def split_into_slots(
    start_s: IntArray,
    end_s: IntArray,
    quantity: FloatArray,
    *,
    slot_s: int,
    align_offset_s: int = 0,
    profile: Profile | None = None,
) -> SlotSplit:
    """Split each span ``[start_s, end_s)`` at the slot grid and share its quantity.

    Shares are pro rata in time, or proportional to ``profile(slot_start_s, slot_end_s)``; when the
    profile gives a span zero total weight that span falls back to pro rata in time.
    """
    if slot_s <= 0:
        raise InputError(f"slot_s must be positive, got {slot_s}", field="nominal_interval_s")
    first_cut = (start_s - align_offset_s) // slot_s + 1  # grid index of the first cut after start
    last_cut = -((-(end_s - align_offset_s)) // slot_s) - 1  # grid index of the last cut before end
    pieces = np.maximum(last_cut - first_cut + 1, 0) + 1
    owner = np.repeat(np.arange(start_s.size, dtype=np.int64), pieces)
    rank = np.arange(owner.size, dtype=np.int64) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    cut = first_cut[owner] + rank
    slot_start = np.where(rank == 0, start_s[owner], (cut - 1) * slot_s + align_offset_s)
    slot_end = np.where(rank == pieces[owner] - 1, end_s[owner], cut * slot_s + align_offset_s)
    duration = (slot_end - slot_start).astype(np.float64)
    weight = duration if profile is None else _profile_weights(profile, slot_start, slot_end)
    total = np.bincount(owner, weights=weight, minlength=start_s.size)
    fallback = (total <= 0)[owner]
    if fallback.any():
        weight = np.where(fallback, duration, weight)
        total = np.bincount(owner, weights=weight, minlength=start_s.size)
    share = weight / total[owner]
    return slot_start, slot_end, quantity[owner] * share, owner


def _profile_weights(profile: Profile, slot_start: IntArray, slot_end: IntArray) -> FloatArray:
    weight = np.asarray(profile(slot_start, slot_end), dtype=np.float64)
    if weight.shape != slot_start.shape or not np.all(np.isfinite(weight)) or np.any(weight < 0):
        raise InputError("a profile must return one finite, non-negative weight per slot")
    return weight


def hour_of_day_profile(weights: Sequence[float], tz: str = "Asia/Shanghai") -> Profile:
    """A :data:`Profile` from 24 weights by park-local hour of day (0 = 00:00–01:00).

    A slot's weight is the weight of the local hour its start falls in × its duration, so a cut
    slot weighs in proportion to the part it covers.
    """
    table = np.asarray(weights, dtype=np.float64)
    if table.shape != (24,) or not np.all(np.isfinite(table)) or np.any(table < 0):
        raise InputError("an hour-of-day profile needs 24 finite, non-negative weights")

    def profile(slot_start_s: IntArray, slot_end_s: IntArray) -> FloatArray:
        local_s = slot_start_s + utc_offsets_s(slot_start_s, tz)
        hour = (local_s // HOUR_S) % 24
        weight: FloatArray = table[hour] * (slot_end_s - slot_start_s).astype(np.float64)
        return weight

    return profile


def spread_outages(
    start_s: IntArray,
    end_s: IntArray,
    quantity: FloatArray,
    quality: QualityArray,
    reading_index: IntArray,
    *,
    nominal_interval_s: int | None,
    align_offset_s: int = 0,
    profile: Profile | None = None,
    longer_than_s: float | None = None,
) -> tuple[IntArray, IntArray, FloatArray, QualityArray, list[Event]]:
    """Spread every interval longer than ``longer_than_s`` (default ``OUTAGE_FACTOR`` × nominal)
    over its slots.

    Spread slots are flagged ``ESTIMATED``; each spread interval yields one ``outage`` event naming
    the input position (``reading_index``) of the reading that closed it. Shorter intervals pass
    through unchanged. Without a nominal interval nothing is spread.
    """
    if nominal_interval_s is None or start_s.size == 0:
        return start_s, end_s, quantity, quality, []
    if longer_than_s is None:
        longer_than_s = OUTAGE_FACTOR * nominal_interval_s
    long = (end_s - start_s) > longer_than_s
    if not long.any():
        return start_s, end_s, quantity, quality, []
    slot_start, slot_end, slot_qty, owner = split_into_slots(
        start_s[long],
        end_s[long],
        quantity[long],
        slot_s=nominal_interval_s,
        align_offset_s=align_offset_s,
        profile=profile,
    )
    slot_quality = quality[long][owner] | np.uint8(Quality.ESTIMATED)
    counts = np.bincount(owner, minlength=int(long.sum()))
    how = "by profile" if profile is not None else "pro rata in time"
    events = [
        Event(
            EventCode.OUTAGE,
            int(idx),
            int(s),
            int(e),
            f"{q:.6g} over {iso_utc(int(s))}–{iso_utc(int(e))} spread over {n} slots of "
            f"{nominal_interval_s} s {how}",
        )
        for idx, s, e, q, n in zip(
            reading_index[long], start_s[long], end_s[long], quantity[long], counts, strict=True
        )
    ]
    keep = ~long
    order_key = np.concatenate([start_s[keep], slot_start])
    order = np.argsort(order_key, kind="stable")
    return (
        order_key[order],
        np.concatenate([end_s[keep], slot_end])[order],
        np.concatenate([quantity[keep], slot_qty])[order],
        np.concatenate([quality[keep], slot_quality])[order],
        events,
    )
