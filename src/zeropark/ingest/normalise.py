"""Normalise one meter's stored readings by its kind, with the meter's own parameters.

The one place that maps a meter (cumulative register, interval quantity, instantaneous power) to
the pure normalisation function of :mod:`zeropark.domain.timeseries` and its parameters, so the
ingest pipeline, the readings export and the tests all derive intervals the same way.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries import (
    DEFAULT_LOOKAHEAD,
    IntervalResult,
    check_interval_series,
    power_to_energy,
    registers_to_intervals,
)
from zeropark.store.readings import MeterRef

__all__ = ["lookahead_of", "nominal_interval_s", "normalise_meter"]


def lookahead_of(meter: MeterRef) -> int:
    """Readings of context normalisation looks ahead for this meter's kind."""
    return DEFAULT_LOOKAHEAD if meter.kind == "cumulative" else 0


def nominal_interval_s(meter: MeterRef, ts_s: npt.NDArray[np.int64]) -> int | None:
    """The meter's declared interval, or else the median spacing of its readings [s]."""
    if meter.interval_s:
        return int(meter.interval_s)
    if ts_s.size < 3:
        return None
    return int(np.median(np.diff(ts_s)))


def normalise_meter(
    meter: MeterRef, ts_s: npt.NDArray[np.int64], value: npt.NDArray[np.float64]
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
