"""China's day classes from the State Council's notices (chinese_calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from zeropark.domain.energy.calendar import (
    DAY_CLASSES,
    HOLIDAY,
    MAKEUP_WORKDAY,
    SPRING_FESTIVAL,
    WEEKEND,
    WORKDAY,
    cn_day_classes,
    cn_holiday_names,
    is_working_day,
)
from zeropark.errors import InputError

DAYS = (
    dt.date(2024, 1, 2),  # Tuesday
    dt.date(2024, 1, 6),  # Saturday
    dt.date(2024, 2, 4),  # Sunday worked before the Spring Festival (调休)
    dt.date(2024, 2, 12),  # Monday of the Spring Festival
    dt.date(2024, 10, 1),  # National Day, a Tuesday
    dt.date(2024, 10, 12),  # Saturday worked after National Day
)


def test_classes_of_known_days() -> None:
    assert cn_day_classes(DAYS).tolist() == [
        WORKDAY,
        WEEKEND,
        MAKEUP_WORKDAY,
        HOLIDAY,
        HOLIDAY,
        MAKEUP_WORKDAY,
    ]
    assert cn_holiday_names(DAYS) == (
        None,
        None,
        SPRING_FESTIVAL,
        SPRING_FESTIVAL,
        "National Day",
        "National Day",
    )
    assert is_working_day(cn_day_classes(DAYS)).tolist() == [True, False, True, False, False, True]
    assert [c[0] for c in DAY_CLASSES] == ["workday", "weekend", "holiday", "makeup_workday"]


def test_a_year_has_about_250_working_days() -> None:
    year = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    classes = cn_day_classes(year)
    assert int(is_working_day(classes).sum()) == 251  # 2024: 251 working days incl. 调休
    # 4 and 18 Feb, 7 and 28 Apr, 11 May, 14 and 29 Sep, 12 Oct
    assert int((classes == MAKEUP_WORKDAY).sum()) == 8


def test_a_year_the_calendar_does_not_know_is_an_input_error() -> None:
    with pytest.raises(InputError, match="does not know the year 1990"):
        cn_day_classes([dt.date(1990, 5, 1)])
