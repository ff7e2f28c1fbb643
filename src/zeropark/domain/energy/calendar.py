"""China's day classes: workday, weekend, statutory holiday, make-up workday (调休上班).

From ``chinese_calendar`` (a pure data library of the State Council's yearly holiday notices):

- ``holiday`` (法定节假日): a day off of a named holiday, including the weekend days and the
  days off in lieu that the notice joins to it;
- ``makeup_workday`` (调休上班日): a Saturday or Sunday worked to make up for a holiday;
- ``workday`` (工作日): any other working day;
- ``weekend`` (休息日): any other day off.

Loads follow these classes (a factory runs on a make-up Sunday, stops on a holiday Monday), so
models and forecasts use them rather than the day of the week. ``chinese_calendar`` knows the
years of the notices it ships; a date outside them is an :class:`~zeropark.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import chinese_calendar
import numpy as np
import numpy.typing as npt

from zeropark.errors import InputError

__all__ = [
    "DAY_CLASSES",
    "HOLIDAY",
    "MAKEUP_WORKDAY",
    "SPRING_FESTIVAL",
    "WEEKEND",
    "WORKDAY",
    "cn_day_classes",
    "cn_holiday_names",
    "is_working_day",
]

WORKDAY, WEEKEND, HOLIDAY, MAKEUP_WORKDAY = 0, 1, 2, 3
#: Code of each class → (Chinese, English) label; the index is the class's number.
DAY_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("workday", "工作日", "workday"),
    ("weekend", "休息日", "weekend"),
    ("holiday", "法定节假日", "public holiday"),
    ("makeup_workday", "调休上班日", "make-up workday"),
)
#: The name ``chinese_calendar`` gives the Spring Festival (春节).
SPRING_FESTIVAL: str = chinese_calendar.Holiday.spring_festival.value


def _detail(date: dt.date) -> tuple[bool, str | None]:
    try:
        working = chinese_calendar.is_workday(date)
        _, name = chinese_calendar.get_holiday_detail(date)
    except NotImplementedError:
        raise InputError(
            f"the Chinese holiday calendar does not know the year {date.year}", field="date"
        ) from None
    return working, name


def cn_day_classes(dates: Sequence[dt.date]) -> npt.NDArray[np.int8]:
    """The class of each date: :data:`WORKDAY`, :data:`WEEKEND`, :data:`HOLIDAY` or
    :data:`MAKEUP_WORKDAY` (see the module doc)."""
    classes = np.empty(len(dates), dtype=np.int8)
    for i, date in enumerate(dates):
        working, name = _detail(date)
        if working:
            classes[i] = MAKEUP_WORKDAY if date.weekday() >= 5 else WORKDAY
        else:
            classes[i] = HOLIDAY if name is not None else WEEKEND
    return classes


def cn_holiday_names(dates: Sequence[dt.date]) -> tuple[str | None, ...]:
    """The holiday of each date (``"Spring Festival"``, ``"National Day"``, ...) for holidays
    and make-up workdays (the holiday it makes up for); None for other days."""
    names: list[str | None] = []
    for date in dates:
        working, name = _detail(date)
        names.append(name if not working or date.weekday() >= 5 else None)
    return tuple(names)


def is_working_day(classes: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Whether each class is a working day (a workday or a make-up workday)."""
    codes = np.asarray(classes)
    working: npt.NDArray[np.bool_] = (codes == WORKDAY) | (codes == MAKEUP_WORKDAY)
    return working
