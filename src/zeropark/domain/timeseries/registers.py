"""Cumulative registers → interval quantities: rollover, reset, spike and outage handling.

Conventions (the ingest pipeline relies on them):

- **Rollover.** ``register_max`` is the register's modulus: the value at which it wraps to zero
  (a register showing up to 99 999.9 has ``register_max = 100_000``). A drop ``d < 0`` is a
  rollover when ``d + register_max`` is at most ``max_rollover_fraction`` of ``register_max`` (the
  old reading was near the top, the new near zero) and, when ``max_rate_per_h`` is given, that
  wrapped delta is physically possible. The interval then gets ``d + register_max``.
- **Transient faults.** A reading whose step from the last accepted reading is impossible (a rise
  faster than ``max_rate_per_h``, or a drop that is no rollover) is discarded — ``spike`` when it
  was too high, ``drop`` when too low — if one of the next ``lookahead`` readings continues
  plausibly from the last accepted one; that later reading's interval spans the gap, so nothing
  is lost. The first reading is trusted; a fault in the last ``lookahead`` readings is judged on
  the readings there are; the ingest pipeline re-runs it when later readings arrive
  (``service.ingest.reroll_meter``, with ``lookahead + 1`` readings of context each side).
- **Reset** (meter replaced or cleared). A drop that persists is a reset, reported as an event.
  With ``ResetPolicy.COUNT_FROM_ZERO`` (default) the new register is taken to have started at zero
  within the interval, which gets the new reading × multiplier, flagged ``ESTIMATED`` (unless that
  is more than ``max_rate_per_h`` allows: then it is left uncounted, as with ``GAP``). With
  ``ResetPolicy.GAP`` the interval gets no quantity. What the old meter counted after its last
  reading is unknowable and is never invented. A reset is never negative consumption.
- **Jump.** A rise too fast to be physical that persists is quarantined whole (code ``jump``,
  ``quarantined_quantity`` = its delta × multiplier); the series continues from the new level and
  the interval is left without a quantity.
- **Outage.** An interval longer than 1.5 nominal intervals is spread over the nominal slots it
  covers (see :mod:`.spreading`) and flagged ``ESTIMATED``.
- **Conservation.** ``derived_total == register_difference + reset_counted − quarantined``
  (see :class:`~.result.Conservation`).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    clean_readings,
    reject_where,
)
from zeropark.domain.timeseries.quality import (
    Event,
    EventCode,
    Quality,
    RejectCode,
    Rejection,
    iso_utc,
)
from zeropark.domain.timeseries.result import Conservation, IntervalResult
from zeropark.domain.timeseries.spreading import Profile, spread_outages
from zeropark.errors import InputError

__all__ = ["DEFAULT_LOOKAHEAD", "ResetPolicy", "StepRules", "registers_to_intervals"]

DEFAULT_LOOKAHEAD = 4
"""Readings looked ahead to tell a transient spike or drop from a persistent jump or reset."""

_OK, _WRAP, _BAD = 0, 1, 2


class ResetPolicy(StrEnum):
    """What the interval across a register reset gets."""

    COUNT_FROM_ZERO = "count_from_zero"
    GAP = "gap"


class StepRules:
    """The plausibility rules of one register: which steps are normal, rollovers or impossible."""

    __slots__ = ("max_rate", "max_rollover_fraction", "multiplier", "register_max")

    def __init__(
        self,
        register_max: float | None,
        max_rate_per_h: float | None,
        multiplier: float,
        max_rollover_fraction: float,
    ) -> None:
        self.register_max = register_max
        self.multiplier = multiplier
        self.max_rate = None if max_rate_per_h is None else max_rate_per_h / multiplier
        self.max_rollover_fraction = max_rollover_fraction

    def too_fast(self, rise: float, hours: float) -> str:
        """Words for a rise of ``rise`` register units in ``hours`` that the meter cannot do."""
        p = self.too_fast_params(rise, hours)
        return (
            f"register rose {p['rise']} (= {p['scaled']} after the multiplier) in {p['hours']} h, "
            f"{p['rate']} per h, more than the meter's maximum {p['limit']} per h"
        )

    def too_fast_params(self, rise: float, hours: float) -> dict[str, str]:
        """The numbers of :meth:`too_fast` as message parameters."""
        m = self.multiplier
        limit = float("inf") if self.max_rate is None else self.max_rate * m
        return {
            "rise": f"{rise:.6g}",
            "scaled": f"{rise * m:.6g}",
            "hours": f"{hours:.4g}",
            "rate": f"{rise * m / hours:.6g}",
            "limit": f"{limit:.6g}",
        }

    def limit(self, dt_s: IntArray) -> FloatArray:
        """The largest possible register advance over ``dt_s`` seconds."""
        if self.max_rate is None:
            return np.full(dt_s.shape, np.inf)
        return (dt_s * (self.max_rate / 3600.0)).astype(np.float64)

    def classify(
        self, t0: IntArray, r0: FloatArray, t1: IntArray, r1: FloatArray
    ) -> tuple[npt.NDArray[np.int8], FloatArray]:
        """Status (ok, wrap, bad) and delta (wrapped for rollovers) of each step ``r0 → r1``."""
        delta = r1 - r0
        limit = self.limit(t1 - t0)
        status = np.full(delta.shape, _BAD, dtype=np.int8)
        status[(delta >= 0) & (delta <= limit)] = _OK
        if self.register_max is not None:
            wrapped = delta + self.register_max
            wrap = (
                (delta < 0)
                & (wrapped <= self.max_rollover_fraction * self.register_max)
                & (wrapped <= limit)
            )
            status[wrap] = _WRAP
            delta = np.where(wrap, wrapped, delta)
        return status, delta


def registers_to_intervals(
    ts_s: npt.ArrayLike,
    register: npt.ArrayLike,
    *,
    register_max: float | None,
    multiplier: float = 1.0,
    max_rate_per_h: float | None = None,
    nominal_interval_s: int | None = None,
    reset_policy: ResetPolicy = ResetPolicy.COUNT_FROM_ZERO,
    profile: Profile | None = None,
    max_rollover_fraction: float = 0.1,
    lookahead: int = DEFAULT_LOOKAHEAD,
    align_offset_s: int = 0,
) -> IntervalResult:
    """Turn cumulative register readings into interval quantities (conventions: module doc).

    Parameters
    ----------
    ts_s : reading times [epoch s UTC], any order.
    register : register readings [register unit].
    register_max : the wrap modulus [register unit]; ``None`` when the register never wraps.
    multiplier : CT/PT ratio or scale; quantities are register delta × multiplier [output unit].
    max_rate_per_h : the most the meter can physically deliver [output unit per hour, e.g. kW for
        a kWh meter]; ``None`` disables spike and jump detection.
    nominal_interval_s : the declared reading interval [s]; longer gaps are spread over its slots.
    reset_policy : what the interval across a reset gets.
    profile : weights for spreading outages; pro rata in time when ``None``.
    max_rollover_fraction : the largest wrapped delta taken for a rollover [fraction of max].
    lookahead : readings looked ahead before a fault is judged persistent.
    align_offset_s : offset of the slot grid from the epoch [s].
    """
    _check_parameters(register_max, multiplier, max_rate_per_h, nominal_interval_s, lookahead)
    clean = clean_readings(ts_s, register, "register")
    rejections = list(clean.rejections)
    in_range = clean.value >= 0
    if register_max is not None:
        in_range &= clean.value < register_max
    rejections += reject_where(
        ~in_range,
        clean.index,
        clean.ts_s,
        clean.value,
        RejectCode.OUT_OF_RANGE,
        lambda t, v: (
            f"register {v} is outside [0, {register_max})",
            "reading_out_of_range",
            {"value": str(v), "register_max": str(register_max)},
        ),
    )
    index, ts, reg = clean.index[in_range], clean.ts_s[in_range], clean.value[in_range]
    rules = StepRules(register_max, max_rate_per_h, multiplier, max_rollover_fraction)
    keep, transient = _find_transients(rules, ts, reg, index, lookahead)
    rejections += transient
    index, ts, reg = index[keep], ts[keep], reg[keep]
    status, delta = rules.classify(ts[:-1], reg[:-1], ts[1:], reg[1:])
    qty = delta * multiplier
    quality = np.zeros(qty.size, dtype=np.uint8)
    counted = status != _BAD
    events: list[Event] = []
    jump = (status == _BAD) & (delta >= 0)
    reset = (status == _BAD) & (delta < 0)
    rejections += _jump_rejections(jump, index, ts, reg, qty, rules)
    reset_counted = 0.0
    if reset.any():
        new_qty = reg[1:] * multiplier
        countable = reset & (reset_policy == ResetPolicy.COUNT_FROM_ZERO)
        countable &= reg[1:] <= rules.limit(ts[1:] - ts[:-1])
        qty = np.where(countable, new_qty, qty)
        quality[countable] |= np.uint8(Quality.ESTIMATED)
        counted |= countable
        reset_counted = float(new_qty[countable].sum())
        events += _reset_events(reset, countable, index, ts, reg)
    events += _rollover_events(status == _WRAP, index, ts, reg)
    register_difference = float(qty[~reset].sum())
    quarantined = float(qty[jump].sum())
    start, end, qty, quality, outage_events = spread_outages(
        ts[:-1][counted],
        ts[1:][counted],
        qty[counted],
        quality[counted],
        index[1:][counted],
        nominal_interval_s=nominal_interval_s,
        align_offset_s=align_offset_s,
        profile=profile,
    )
    events += outage_events
    conservation = Conservation(register_difference, reset_counted, quarantined, float(qty.sum()))
    events.sort(key=lambda e: (e.start_s, e.code))
    rejections.sort(key=lambda r: (r.ts_s, r.index))
    return IntervalResult(start, end, qty, quality, tuple(rejections), tuple(events), conservation)


def _check_parameters(
    register_max: float | None,
    multiplier: float,
    max_rate_per_h: float | None,
    nominal_interval_s: int | None,
    lookahead: int,
) -> None:
    for name, value in (
        ("register_max", register_max),
        ("multiplier", multiplier),
        ("max_rate_per_h", max_rate_per_h),
        ("nominal_interval_s", nominal_interval_s),
    ):
        if value is not None and not (np.isfinite(value) and value > 0):
            raise InputError(f"{name} must be positive, got {value}", field=name)
    if lookahead < 0:
        raise InputError(f"lookahead must be >= 0, got {lookahead}", field="lookahead")


def _find_transients(
    rules: StepRules, ts: IntArray, reg: FloatArray, index: IntArray, lookahead: int
) -> tuple[BoolArray, list[Rejection]]:
    """Mark readings to discard as transient spikes or drops; loops over faulty steps only."""
    keep = np.ones(ts.size, dtype=np.bool_)
    status, _ = rules.classify(ts[:-1], reg[:-1], ts[1:], reg[1:])
    rejections: list[Rejection] = []
    resume = 0
    for i in (np.flatnonzero(status == _BAD) + 1).tolist():
        if i < resume:
            continue
        prev = i - 1
        ahead = np.arange(i + 1, min(i + 1 + lookahead, ts.size))
        st, _ = rules.classify(ts[prev], reg[prev], ts[ahead], reg[ahead])
        good = np.flatnonzero(st != _BAD)
        if good.size == 0:
            continue  # persistent: a jump or a reset, handled on the cleaned series
        nxt = int(ahead[good[0]])
        keep[i:nxt] = False
        rejections += [
            _transient_rejection(rules, ts, reg, index, prev, j, nxt) for j in range(i, nxt)
        ]
        resume = nxt + 1
    return keep, rejections


def _transient_rejection(
    rules: StepRules, ts: IntArray, reg: FloatArray, index: IntArray, prev: int, j: int, nxt: int
) -> Rejection:
    hours = (ts[j] - ts[prev]) / 3600.0
    around = {
        "next_at": iso_utc(int(ts[nxt])),
        "next_value": f"{reg[nxt]:.6g}",
        "prev_at": iso_utc(int(ts[prev])),
        "prev_value": f"{reg[prev]:.6g}",
    }
    tail = (
        f"; the reading at {around['next_at']} ({around['next_value']}) continues from the "
        f"reading at {around['prev_at']} ({around['prev_value']}), so this reading is discarded"
    )
    if reg[j] >= reg[prev]:
        rise = reg[j] - reg[prev]
        return Rejection(
            int(index[j]),
            int(ts[j]),
            float(reg[j]),
            RejectCode.SPIKE,
            rules.too_fast(rise, hours) + tail,
            reason_code="reading_transient_spike",
            params={**rules.too_fast_params(rise, hours), **around},
        )
    return Rejection(
        int(index[j]),
        int(ts[j]),
        float(reg[j]),
        RejectCode.DROP,
        f"register fell from {reg[prev]:.6g} to {reg[j]:.6g}, which is not a rollover" + tail,
        reason_code="reading_transient_drop",
        params={"from_value": around["prev_value"], "to_value": f"{reg[j]:.6g}", **around},
    )


def _jump_rejections(
    jump: BoolArray,
    index: IntArray,
    ts: IntArray,
    reg: FloatArray,
    qty: FloatArray,
    rules: StepRules,
) -> list[Rejection]:
    out = []
    for k in np.flatnonzero(jump).tolist():
        hours = (ts[k + 1] - ts[k]) / 3600.0
        rise = reg[k + 1] - reg[k]
        out.append(
            Rejection(
                int(index[k + 1]),
                int(ts[k + 1]),
                float(reg[k + 1]),
                RejectCode.JUMP,
                rules.too_fast(rise, hours) + f", and stayed up; {qty[k]:.6g} is quarantined "
                "and the series continues from the new level",
                float(qty[k]),
                reason_code="reading_jump",
                params={**rules.too_fast_params(rise, hours), "quantity": f"{qty[k]:.6g}"},
            )
        )
    return out


def _reset_events(
    reset: BoolArray, countable: BoolArray, index: IntArray, ts: IntArray, reg: FloatArray
) -> list[Event]:
    return [
        Event(
            EventCode.RESET,
            int(index[k + 1]),
            int(ts[k]),
            int(ts[k + 1]),
            f"register fell from {reg[k]:.6g} to {reg[k + 1]:.6g} and stayed down: reset; "
            + (
                f"{reg[k + 1]:.6g} counted as consumption since the new register's zero"
                if countable[k]
                else "the interval is left uncounted"
            ),
        )
        for k in np.flatnonzero(reset).tolist()
    ]


def _rollover_events(
    wrap: BoolArray, index: IntArray, ts: IntArray, reg: FloatArray
) -> list[Event]:
    return [
        Event(
            EventCode.ROLLOVER,
            int(index[k + 1]),
            int(ts[k]),
            int(ts[k + 1]),
            f"register wrapped from {reg[k]:.6g} to {reg[k + 1]:.6g}",
        )
        for k in np.flatnonzero(wrap).tolist()
    ]
