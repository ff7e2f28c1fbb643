"""Calendar features of forecast instants: the slot of the day, the day of the week and China's
day classes (workday, weekend, public holiday, make-up workday) from
:mod:`zeropark.domain.energy.calendar` — the one place the holiday rules live.

Times are park-local clock times (``datetime64``, no zone): the service converts UTC to the
park's zone before calling the engines, so a day class belongs to the park's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from zeropark.domain.energy.calendar import (
    HOLIDAY,
    MAKEUP_WORKDAY,
    WEEKEND,
    WORKDAY,
    cn_day_classes,
)

__all__ = ["Holidays", "calendar_features", "day_classes", "to_local_index"]

#: ``"cn"``: China's day classes (needs years ``chinese_calendar`` knows); ``"weekday"``:
#: Saturday and Sunday are the weekend, no holidays (data outside China, e.g. GB demand).
Holidays = Literal["cn", "weekday"]


def to_local_index(
    timestamps: npt.ArrayLike | pd.DatetimeIndex, timezone: str | None = None
) -> pd.DatetimeIndex:
    """A naive park-local index from ``timestamps`` (zone-aware ones converted to ``timezone``)."""
    index = pd.DatetimeIndex(timestamps)  # type: ignore[arg-type]  # any datetime-like array
    if index.tz is not None:
        index = index.tz_convert(timezone) if timezone else index
        index = index.tz_localize(None)
    return index


def day_classes(index: pd.DatetimeIndex, holidays: Holidays = "cn") -> npt.NDArray[np.int8]:
    """The day class of each instant (codes of :mod:`zeropark.domain.energy.calendar`)."""
    days = index.normalize()
    unique, inverse = np.unique(days.to_numpy(), return_inverse=True)
    if holidays == "cn":
        dates = [dt.date.fromisoformat(str(d)[:10]) for d in unique]
        classes = cn_day_classes(dates)
    else:
        dow = pd.DatetimeIndex(unique).dayofweek.to_numpy()
        classes = np.where(dow >= 5, WEEKEND, WORKDAY).astype(np.int8)
    return classes[inverse.reshape(-1)]


def calendar_features(index: pd.DatetimeIndex, holidays: Holidays = "cn") -> pd.DataFrame:
    """Columns ``slot`` (minutes since midnight), ``dow`` (0 = Monday), ``day_class``,
    ``working`` (1 on workdays and make-up workdays), ``holiday`` (1 on public holidays),
    ``makeup`` (1 on make-up workdays), ``prev_off`` and ``next_off`` (1 when the day before /
    after is not a working day: the shoulders of a holiday), ``doy`` (day of the year)."""
    cls = day_classes(index, holidays)
    day_index = index.normalize()
    prev_cls = day_classes(day_index - pd.Timedelta(days=1), holidays)
    next_cls = day_classes(day_index + pd.Timedelta(days=1), holidays)
    working = (cls == WORKDAY) | (cls == MAKEUP_WORKDAY)
    return pd.DataFrame(
        {
            "slot": (index.hour * 60 + index.minute).to_numpy(),
            "dow": index.dayofweek.to_numpy(),
            "day_class": cls.astype(np.int64),
            "working": working.astype(np.int64),
            "holiday": (cls == HOLIDAY).astype(np.int64),
            "makeup": (cls == MAKEUP_WORKDAY).astype(np.int64),
            "prev_off": ((prev_cls != WORKDAY) & (prev_cls != MAKEUP_WORKDAY)).astype(np.int64),
            "next_off": ((next_cls != WORKDAY) & (next_cls != MAKEUP_WORKDAY)).astype(np.int64),
            "doy": index.dayofyear.to_numpy(),
        }
    )
