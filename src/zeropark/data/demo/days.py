"""The demo year's time grid and calendar: 15-minute steps, China's workdays and shifts.

Day classes come from :mod:`zeropark.domain.energy.calendar` (``chinese_calendar``: the State
Council's holiday notices, with the make-up workdays 调休); a make-up workday is worked like any
workday. The Spring Festival shutdown of a factory is longer than the official
holiday: the three days either side of it form a ramp (:data:`DAY_SPRING_EDGE`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.calendar import (
    HOLIDAY,
    SPRING_FESTIVAL,
    WEEKEND,
    cn_day_classes,
    cn_holiday_names,
    is_working_day,
)

__all__ = [
    "DAY_HOLIDAY",
    "DAY_REST",
    "DAY_SPRING",
    "DAY_SPRING_EDGE",
    "DAY_WORK",
    "STEP_S",
    "TimeGrid",
    "day_classes",
    "shift_profile",
    "time_grid",
]

STEP_S = 900
DAY_WORK, DAY_REST, DAY_HOLIDAY, DAY_SPRING, DAY_SPRING_EDGE = range(5)
_SPRING_EDGE_DAYS = 3


@dataclass(frozen=True)
class TimeGrid:
    """15-minute steps of one local year; arrays are per step unless named per day."""

    year: int
    start_s: int
    ts_s: npt.NDArray[np.int64]
    slot: npt.NDArray[np.int64]
    day: npt.NDArray[np.int64]
    month: npt.NDArray[np.int64]
    dates: tuple[dt.date, ...]
    day_class: npt.NDArray[np.int64]

    @property
    def steps(self) -> int:
        """Number of 15-minute steps in the year."""
        return int(self.ts_s.size)


def time_grid(year: int, timezone: str) -> TimeGrid:
    """Interval-end timestamps (UTC epoch s) of every 15-minute step of a local calendar year."""
    zone = ZoneInfo(timezone)
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    start_s = int(start.timestamp())
    steps = (int(end.timestamp()) - start_s) // STEP_S
    ts_s = start_s + STEP_S * np.arange(1, steps + 1, dtype=np.int64)
    first = start.date()
    dates = tuple(first + dt.timedelta(days=i) for i in range((end.date() - first).days))
    # Local clock of each interval's midpoint, as seconds since local midnight of 1 January.
    # China has kept one UTC offset since 1991, so the offset at the start holds all year.
    local_mid_s = ts_s - STEP_S // 2 - start_s
    day = local_mid_s // 86400
    slot = (local_mid_s % 86400) // STEP_S
    month = np.array([d.month for d in dates], dtype=np.int64)[day]
    return TimeGrid(year, start_s, ts_s, slot, day, month, dates, day_classes(dates))


def day_classes(dates: tuple[dt.date, ...]) -> npt.NDArray[np.int64]:
    """Class of each date: workday, rest day, statutory holiday, Spring Festival (or its edge)."""
    china = cn_day_classes(dates)
    names = cn_holiday_names(dates)
    classes = np.empty(len(dates), dtype=np.int64)
    spring: list[int] = []
    for i, (kind, name) in enumerate(zip(china.tolist(), names, strict=True)):
        if is_working_day(kind):
            classes[i] = DAY_WORK
        elif kind == HOLIDAY and name == SPRING_FESTIVAL:
            classes[i] = DAY_SPRING
            spring.append(i)
        elif kind == HOLIDAY:
            classes[i] = DAY_HOLIDAY
        else:
            assert kind == WEEKEND
            classes[i] = DAY_REST
    if spring:
        first, last = min(spring), max(spring)
        for i in range(
            max(first - _SPRING_EDGE_DAYS, 0), min(last + _SPRING_EDGE_DAYS + 1, len(dates))
        ):
            if classes[i] != DAY_SPRING:
                classes[i] = DAY_SPRING_EDGE
    return classes


def shift_profile(shifts: int) -> npt.NDArray[np.float64]:
    """Production activity (0-1) at each quarter hour of a working day for 1, 2 or 3 shifts.

    One shift: 08:00-17:30 with a lunch break; two: 08:00-24:00; three: around the clock with
    lower night output. Shift handovers dip; edges ramp over 45 minutes.
    """
    hour = (np.arange(96) + 0.5) / 4.0
    if shifts == 1:
        on = ((hour >= 8) & (hour < 17.5)).astype(np.float64)
        on[(hour >= 12) & (hour < 13)] = 0.45
    elif shifts == 2:
        on = ((hour >= 8) & (hour < 24)).astype(np.float64)
        on[(hour >= 16) & (hour < 16.5)] = 0.7
        on[(hour >= 12) & (hour < 12.5)] = 0.8
    elif shifts == 3:
        on = np.where(hour < 8, 0.88, 1.0)
        for change in (0.0, 8.0, 16.0):
            on[(hour >= change) & (hour < change + 0.5)] *= 0.85
    else:
        raise ValueError(f"shifts must be 1, 2 or 3, not {shifts}")
    kernel = np.ones(3) / 3.0
    padded = np.concatenate([on[-1:], on, on[:1]])
    return np.convolve(padded, kernel, mode="valid")
