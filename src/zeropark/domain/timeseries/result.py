"""The result of turning readings into interval quantities, and its energy balance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zeropark.domain.timeseries._arrays import FloatArray, IntArray, QualityArray, frozen
from zeropark.domain.timeseries.quality import Event, EventCode, Quality, RejectCode, Rejection

__all__ = ["Conservation", "IntervalResult"]


@dataclass(frozen=True, slots=True)
class Conservation:
    """Energy balance of a cumulative register, all in the output unit (register × multiplier).

    - ``register_difference``: what the registers advanced, segment by segment between resets
      (last − first accepted reading, plus ``register_max`` per rollover), × multiplier.
    - ``reset_counted``: what was counted at resets as consumption since the new register's zero.
    - ``quarantined``: register advance withheld with rejected jumps.
    - ``derived_total``: the sum of the derived intervals.

    Identity: ``derived_total == register_difference + reset_counted - quarantined`` up to float
    rounding; :attr:`residual` is the difference.
    """

    register_difference: float
    reset_counted: float
    quarantined: float
    derived_total: float

    @property
    def residual(self) -> float:
        """``register_difference + reset_counted - quarantined - derived_total`` (≈ 0)."""
        return self.register_difference + self.reset_counted - self.quarantined - self.derived_total


@dataclass(frozen=True, slots=True, eq=False)
class IntervalResult:
    """Derived interval quantities ``[start_s, end_s)``, sorted and non-overlapping.

    ``quantity`` is in the meter's unit × multiplier (kWh for an electricity meter); ``quality``
    holds :class:`Quality` bits. ``rejections`` go to quarantine; ``events`` are flagged notes.
    ``conservation`` is set for cumulative registers only. Arrays are read-only.
    """

    start_s: IntArray
    end_s: IntArray
    quantity: FloatArray
    quality: QualityArray
    rejections: tuple[Rejection, ...]
    events: tuple[Event, ...]
    conservation: Conservation | None = None

    def __post_init__(self) -> None:
        for arr in (self.start_s, self.end_s, self.quantity, self.quality):
            frozen(arr)

    @property
    def total(self) -> float:
        """Sum of all derived quantities."""
        return float(self.quantity.sum())

    @property
    def estimated_total(self) -> float:
        """Sum of the quantities flagged ``ESTIMATED``."""
        return float(self.quantity[(self.quality & Quality.ESTIMATED) != 0].sum())

    @property
    def discarded_ts_s(self) -> IntArray:
        """Times of the readings this run discarded (a ``jump`` keeps its reading as the new
        level, and a repeated timestamp still has its first reading), sorted."""
        kept_codes = (RejectCode.JUMP, RejectCode.DUPLICATE_TS)
        ts = [r.ts_s for r in self.rejections if r.code not in kept_codes]
        return np.unique(np.asarray(ts, dtype=np.int64))

    def events_of(self, code: EventCode) -> tuple[Event, ...]:
        """The events with ``code``."""
        return tuple(e for e in self.events if e.code == code)
