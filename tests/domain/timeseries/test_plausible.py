"""The plausible window of reading times: floor, commissioning, maximum age, clock skew."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from zeropark.domain.timeseries import TimeWindowRules, plausible_window

NOW_S = 1717200000  # 2024-06-01T00:00Z
SHANGHAI_2000 = 946656000  # 2000-01-01T00:00+08:00


def test_default_window_is_floor_to_one_day_ahead() -> None:
    window = plausible_window(NOW_S, TimeWindowRules(), timezone="Asia/Shanghai")
    assert (window.lo_s, window.hi_s) == (SHANGHAI_2000, NOW_S + 86_400)
    ts = np.array([SHANGHAI_2000 - 1, SHANGHAI_2000, NOW_S + 86_400, NOW_S + 86_401])
    assert window.outside(ts).tolist() == [True, False, False, True]
    assert "floor 2000-01-01" in window.describe() and "now + 24 h clock skew" in window.describe()


def test_the_latest_lower_bound_wins() -> None:
    rules = TimeWindowRules(max_age_days=30)
    commissioned = plausible_window(NOW_S, rules, timezone="UTC", commissioned=date(2024, 5, 20))
    assert commissioned.lo_s == 1716163200 and "commissioned 2024-05-20" in commissioned.lo_by
    aged = plausible_window(NOW_S, rules, timezone="UTC", commissioned=date(2010, 1, 1))
    assert aged.lo_s == NOW_S - 30 * 86_400 and "30 days" in aged.lo_by


def test_commissioning_is_park_local_midnight() -> None:
    window = plausible_window(
        NOW_S, TimeWindowRules(), timezone="Asia/Shanghai", commissioned=date(2024, 2, 1)
    )
    assert window.lo_s == 1706716800  # 2024-01-31T16:00Z


def test_a_meter_commissioned_in_the_future_accepts_nothing() -> None:
    window = plausible_window(
        NOW_S, TimeWindowRules(), timezone="UTC", commissioned=date(2030, 1, 1)
    )
    assert window.outside(np.array([NOW_S, NOW_S - 86_400])).all()


@pytest.mark.parametrize("kwargs", [{"max_age_days": 0}, {"clock_skew_s": -1}], ids=["age", "skew"])
def test_rules_are_checked(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        TimeWindowRules(**kwargs)  # type: ignore[arg-type]
