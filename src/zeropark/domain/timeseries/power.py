"""Instantaneous power → energy per interval between consecutive samples.

Two rules, chosen per meter:

- ``"trapezoid"`` (default): power varies linearly between samples;
  ``energy = (p0 + p1) / 2 × Δt``. Right for sampled instantaneous values.
- ``"left"``: each sample holds until the next; ``energy = p0 × Δt``. Right for devices that report
  the average power of the period that starts at the sample.

A step longer than ``max_gap_s`` (default 1.5 nominal intervals) is a gap: nothing is known of the
power in between, so by default it gets no interval and a ``gap`` event. With ``fill_gaps=True`` it
is integrated by the same rule, spread pro rata in time over the nominal slots and flagged
``ESTIMATED`` (DESIGN.md: gaps are filled only when asked). Negative power (export) is integrated
as negative energy.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.power import kw_to_kwh
from zeropark.domain.timeseries._arrays import clean_readings
from zeropark.domain.timeseries.quality import Event, EventCode, Quality, iso_utc
from zeropark.domain.timeseries.result import IntervalResult
from zeropark.domain.timeseries.spreading import OUTAGE_FACTOR, spread_outages
from zeropark.errors import InputError

__all__ = ["IntegrationRule", "power_to_energy"]

IntegrationRule = Literal["trapezoid", "left"]


def power_to_energy(
    ts_s: npt.ArrayLike,
    power: npt.ArrayLike,
    *,
    rule: IntegrationRule = "trapezoid",
    nominal_interval_s: int | None = None,
    max_gap_s: int | None = None,
    fill_gaps: bool = False,
    multiplier: float = 1.0,
    align_offset_s: int = 0,
) -> IntervalResult:
    """Integrate power samples into energy per interval ``[t_i, t_i+1)``.

    Parameters
    ----------
    ts_s : sample times [epoch s UTC], any order.
    power : power samples [unit per hour, e.g. kW]; energy comes out in unit·h (kWh) × multiplier.
    rule : ``"trapezoid"`` or ``"left"`` (see the module doc).
    nominal_interval_s : the declared sampling interval [s]; sets the default ``max_gap_s`` and
        the slots filled gaps are spread over.
    max_gap_s : the longest step integrated as measured [s]; ``None`` with no nominal interval
        means every step is integrated.
    fill_gaps : integrate longer steps too, flagged ``ESTIMATED``.
    multiplier : scale applied to the energy (CT/PT ratio).
    align_offset_s : offset of the slot grid from the epoch [s].
    """
    if rule not in ("trapezoid", "left"):
        raise InputError(f"rule must be 'trapezoid' or 'left', got {rule!r}", field="rule")
    if max_gap_s is None and nominal_interval_s is not None:
        max_gap_s = int(OUTAGE_FACTOR * nominal_interval_s)
    clean = clean_readings(ts_s, power, "power")
    ts, p, index = clean.ts_s, clean.value, clean.index
    level = (p[:-1] + p[1:]) / 2.0 if rule == "trapezoid" else p[:-1]
    energy = kw_to_kwh(level, ts[1:] - ts[:-1]) * multiplier
    quality = np.zeros(energy.size, dtype=np.uint8)
    events: list[Event] = []
    keep = np.ones(energy.size, dtype=np.bool_)
    if max_gap_s is not None:
        gap = (ts[1:] - ts[:-1]) > max_gap_s
        keep = ~gap | fill_gaps
        quality[gap] |= np.uint8(Quality.ESTIMATED)
        action = "integrated and flagged estimated" if fill_gaps else "left without energy"
        events = [
            Event(
                EventCode.GAP,
                int(index[k + 1]),
                int(ts[k]),
                int(ts[k + 1]),
                f"no power sample for {ts[k + 1] - ts[k]} s "
                f"({iso_utc(int(ts[k]))}–{iso_utc(int(ts[k + 1]))}); {action}",
            )
            for k in np.flatnonzero(gap).tolist()
        ]
    start, end, qty, qual, outage_events = spread_outages(
        ts[:-1][keep],
        ts[1:][keep],
        energy[keep],
        quality[keep],
        index[1:][keep],
        nominal_interval_s=nominal_interval_s if fill_gaps else None,
        align_offset_s=align_offset_s,
        longer_than_s=max_gap_s,
    )
    return IntervalResult(start, end, qty, qual, clean.rejections, tuple(events + outage_events))
