"""From quantity per step to what a meter reports: registers, intervals, power samples, gaps.

A cumulative register shows ``start + Σ quantity / multiplier`` modulo ``register_max``, truncated
to its resolution (0.01 of a unit), with a reading at the start of the year so the first interval
has a delta. Across a wrap the true delta is ``current - previous + register_max``. An outage
removes readings; the register keeps counting, so the first reading after it holds the backlog.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.days import STEP_S
from zeropark.data.demo.model import MeterSeries
from zeropark.domain.energy.power import kwh_to_kw
from zeropark.domain.park import Meter

__all__ = ["REGISTER_DECIMALS", "meter_series"]

REGISTER_DECIMALS = 2
_INTERVAL_DECIMALS = 3


def _register(
    quantity: npt.NDArray[np.float64], meter: Meter, start_raw: float
) -> npt.NDArray[np.float64]:
    counted = start_raw + np.concatenate([[0.0], np.cumsum(quantity)]) / meter.multiplier
    if meter.register_max is not None:
        counted = np.mod(counted, meter.register_max)
    scale = 10.0**REGISTER_DECIMALS
    return np.round(np.floor(counted * scale + 1e-6) / scale, REGISTER_DECIMALS)


def meter_series(
    meter: Meter,
    ts_s: npt.NDArray[np.int64],
    quantity: npt.NDArray[np.float64],
    *,
    start_raw: float = 0.0,
    outage: tuple[int, int] | None = None,
) -> MeterSeries:
    """Readings of ``meter`` for ``quantity`` per step (in its unit) over steps ending at ``ts_s``.

    ``outage`` is a UTC ``(start_s, end_s]`` window whose readings are missing.
    """
    if meter.kind == "cumulative":
        times = np.concatenate([[ts_s[0] - STEP_S], ts_s]).astype(np.int64)
        values = _register(quantity, meter, start_raw)
    elif meter.kind == "interval":
        times, values = ts_s, np.round(quantity, _INTERVAL_DECIMALS)
    else:
        times, values = ts_s, np.round(kwh_to_kw(quantity, STEP_S), REGISTER_DECIMALS)
    if outage is not None:
        keep = (times <= outage[0]) | (times > outage[1])
        times, values = times[keep], values[keep]
    return MeterSeries(meter.id, times.astype(np.int64), values.astype(np.float64))
