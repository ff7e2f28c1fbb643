"""Normalise one meter's stored readings by its kind, with the meter's own parameters.

The one place that maps a meter (cumulative register, interval quantity, instantaneous power) to
the pure normalisation function of :mod:`zeropark.domain.timeseries` and its parameters, so the
ingest pipeline, the readings export and the tests all derive intervals the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries import (
    DEFAULT_LOOKAHEAD,
    HourlyRollup,
    IntervalResult,
    check_interval_series,
    hourly_rollup,
    power_to_energy,
    registers_to_intervals,
)

__all__ = [
    "MeterHours",
    "MeterNormalisation",
    "lookahead_of",
    "meter_hours",
    "nominal_interval_s",
    "normalise_meter",
]


class MeterNormalisation(Protocol):
    """What normalisation needs to know of a meter (a stored meter, ``store.readings.MeterRef``,
    has it). Ingest does not import the store: the service hands the meter in."""

    @property
    def kind(self) -> str:
        """``cumulative``, ``interval`` or ``power``."""

    @property
    def interval_s(self) -> int | None:
        """The declared interval [s], if any."""

    @property
    def multiplier(self) -> float:
        """CT/PT ratio or pulse weight applied to values."""

    @property
    def register_max(self) -> float | None:
        """The register's rollover value (cumulative meters)."""

    @property
    def max_power(self) -> float | None:
        """The largest plausible rate [unit/h] (spike and jump detection)."""


def lookahead_of(meter: MeterNormalisation) -> int:
    """Readings of context normalisation looks ahead for this meter's kind."""
    return DEFAULT_LOOKAHEAD if meter.kind == "cumulative" else 0


def nominal_interval_s(meter: MeterNormalisation, ts_s: npt.NDArray[np.int64]) -> int | None:
    """The meter's declared interval, or else the median spacing of its readings [s]."""
    if meter.interval_s:
        return int(meter.interval_s)
    if ts_s.size < 3:
        return None
    return int(np.median(np.diff(ts_s)))


def normalise_meter(
    meter: MeterNormalisation, ts_s: npt.NDArray[np.int64], value: npt.NDArray[np.float64]
) -> IntervalResult:
    """Derived interval quantities of a meter's readings, in the meter's unit × multiplier."""
    nominal = nominal_interval_s(meter, ts_s)
    if meter.kind == "cumulative":
        return registers_to_intervals(
            ts_s,
            value,
            register_max=meter.register_max,
            multiplier=meter.multiplier,
            max_rate_per_h=meter.max_power,
            nominal_interval_s=nominal,
        )
    if meter.kind == "interval":
        return check_interval_series(
            ts_s,
            value,
            nominal_interval_s=nominal or 900,
            label="end",
            multiplier=meter.multiplier,
            max_rate_per_h=meter.max_power,
        )
    return power_to_energy(ts_s, value, nominal_interval_s=nominal, multiplier=meter.multiplier)


@dataclass(frozen=True, slots=True, eq=False)
class MeterHours:
    """A meter's readings normalised (``intervals``) and rolled up into park-local ``hours``.

    ``ending`` is the index of the reading that ends each interval (its quality flags the
    interval too).
    """

    intervals: IntervalResult
    ending: npt.NDArray[np.intp]
    hours: HourlyRollup


def meter_hours(
    meter: MeterNormalisation,
    ts_s: npt.NDArray[np.int64],
    value: npt.NDArray[np.float64],
    quality: npt.NDArray[np.uint8],
    timezone: str,
) -> MeterHours:
    """Normalise readings sorted by time and roll them up into hours, as ingest stores them.

    The one derivation of the stored hourly rollups: ingest applies it to the window new
    readings affect, ``zeropark verify`` to each meter's whole series.
    """
    result = normalise_meter(meter, ts_s, value)
    ending = np.minimum(np.searchsorted(ts_s, result.end_s, side="left"), max(ts_s.size - 1, 0))
    interval_quality = result.quality | (quality[ending] if ts_s.size else 0)
    hours = hourly_rollup(
        result.start_s, result.end_s, result.quantity, interval_quality, tz=timezone
    )
    return MeterHours(result, ending, hours)
