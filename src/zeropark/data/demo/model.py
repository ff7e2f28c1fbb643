"""The demo's result types: one meter's readings, and the whole demo park."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.domain.park import ParkSpec

__all__ = ["ACTIVITY_COLUMNS", "DemoPark", "MeterSeries"]

#: Columns of the activities CSV contract, in order.
ACTIVITY_COLUMNS = ("entity", "period", "category", "item", "quantity", "unit", "evidence")


@dataclass(frozen=True)
class MeterSeries:
    """Readings of one meter as it reports them.

    ``ts_s`` are UTC epoch seconds, ascending. ``value`` depends on the meter's kind: cumulative,
    the raw register (before the multiplier, wrapping at ``register_max``); interval, the
    quantity in the meter's unit for the interval ending at ``ts``; instantaneous, power [kW].
    """

    meter_id: str
    ts_s: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]


@dataclass(frozen=True)
class DemoPark:
    """A generated demo park: its spec, a year of meter readings and monthly activity rows."""

    spec: ParkSpec
    series: tuple[MeterSeries, ...]
    activities: tuple[dict[str, str], ...]
    year: int

    def meter_series(self, meter_id: str) -> MeterSeries:
        """The series of one meter; ``KeyError`` if the demo has no such meter."""
        for s in self.series:
            if s.meter_id == meter_id:
                return s
        raise KeyError(f"no series for meter {meter_id!r}")
