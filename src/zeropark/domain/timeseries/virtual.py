"""Virtual meters on hourly rollups: align the inputs' hours, then evaluate the expression.

An hour absent from an input's rollup — or, with ``require_complete``, only partly covered — is a
missing input: the virtual meter's value for that hour is NaN, never a silent zero.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from zeropark.domain.timeseries._arrays import FloatArray, IntArray
from zeropark.domain.timeseries.expression import Expression
from zeropark.domain.timeseries.rollup import HourlyRollup
from zeropark.errors import InputError

__all__ = ["align_hours", "virtual_meter_hours"]


def align_hours(
    rollups: Mapping[str, HourlyRollup], *, require_complete: bool = False
) -> tuple[IntArray, dict[str, FloatArray]]:
    """Put rollups on the union of their hours; an hour a meter lacks is NaN for that meter.

    With ``require_complete`` an hour the meter covers only partly is NaN too.
    """
    if not rollups:
        return np.zeros(0, np.int64), {}
    zones = {r.tz for r in rollups.values()}
    if len(zones) > 1:
        raise InputError(f"rollups are in different timezones: {sorted(zones)}")
    hours = np.unique(np.concatenate([r.hour_start_s for r in rollups.values()]))
    aligned: dict[str, FloatArray] = {}
    for name, rollup in rollups.items():
        values = np.full(hours.size, np.nan)
        quantity = rollup.quantity
        if require_complete:
            quantity = np.where(rollup.complete, quantity, np.nan)
        values[np.searchsorted(hours, rollup.hour_start_s)] = quantity
        aligned[name] = values
    return hours, aligned


def virtual_meter_hours(
    expression: Expression,
    rollups: Mapping[str, HourlyRollup],
    *,
    require_complete: bool = False,
) -> tuple[IntArray, FloatArray]:
    """Hourly values of a virtual meter: ``(hour_start_s, value)`` over the union of input hours.

    Raises :class:`InputError` naming meters the expression needs and ``rollups`` lacks.
    """
    hours, aligned = align_hours(
        {name: rollups[name] for name in expression.names if name in rollups},
        require_complete=require_complete,
    )
    return hours, expression.evaluate(aligned)
