"""Hourly rollups in park-local hours: pro rata splits, DST and half-hour zones."""

from __future__ import annotations

import calendar

import numpy as np
import pytest

from zeropark.domain.timeseries import Quality, hourly_rollup, local_hour_bounds
from zeropark.errors import InputError

H = 3600


def utc(*parts: int) -> int:
    return calendar.timegm(parts)


def test_interval_straddling_an_hour_is_split_pro_rata() -> None:
    # Shanghai 10:45–11:15 local = 02:45–03:15Z, 3 kWh: 15 min in each hour → 1.5 + 1.5.
    start, end = utc(2024, 5, 1, 2, 45, 0), utc(2024, 5, 1, 3, 15, 0)
    r = hourly_rollup([start], [end], [3.0], tz="Asia/Shanghai")
    assert r.hour_start_s.tolist() == [utc(2024, 5, 1, 2, 0, 0), utc(2024, 5, 1, 3, 0, 0)]
    np.testing.assert_allclose(r.quantity, [1.5, 1.5])
    assert r.coverage_s.tolist() == [900, 900]
    assert not r.complete.any()


def test_long_interval_over_three_hours_and_estimated_share() -> None:
    # 10:50–12:10 local, 8 kWh estimated: 10/80 × 8 = 1, 60/80 × 8 = 6, 10/80 × 8 = 1.
    # Plus a measured 2 kWh 12:10–13:00: hour 12 = 1 + 2 = 3 of which 1 estimated.
    base = utc(2024, 5, 1, 2, 0, 0)  # 10:00 Shanghai
    r = hourly_rollup(
        [base + 50 * 60, base + 130 * 60],
        [base + 130 * 60, base + 3 * H],
        [8.0, 2.0],
        [int(Quality.ESTIMATED), 0],
        tz="Asia/Shanghai",
    )
    np.testing.assert_allclose(r.quantity, [1.0, 6.0, 3.0])
    np.testing.assert_allclose(r.estimated_quantity, [1.0, 6.0, 1.0])
    assert r.coverage_s.tolist() == [600, 3600, 3600]
    assert r.complete.tolist() == [False, True, True]
    assert r.total == pytest.approx(10.0)


def test_hour_without_data_is_absent_not_zero() -> None:
    base = utc(2024, 5, 1, 0, 0, 0)
    r = hourly_rollup([base, base + 2 * H], [base + H, base + 3 * H], [1.0, 1.0])
    assert r.hour_start_s.tolist() == [base, base + 2 * H]


def test_berlin_autumn_day_has_25_hours_keyed_by_utc_start() -> None:
    # 2024-10-27 local Berlin: 00:00 CEST (= 26th 22:00Z) to 24:00 CET (= 27th 23:00Z): 25 h.
    day_start, day_end = utc(2024, 10, 26, 22, 0, 0), utc(2024, 10, 27, 23, 0, 0)
    starts = np.arange(day_start, day_end, Q := 900)
    r = hourly_rollup(starts, starts + Q, np.ones(starts.size), tz="Europe/Berlin")
    assert r.hour_start_s.size == 25
    assert r.hour_start_s.tolist() == list(range(day_start, day_end, H))
    np.testing.assert_allclose(r.quantity, 4.0)  # four 15-minute slots in every hour


def test_berlin_spring_day_has_23_hours() -> None:
    # 2024-03-31 local Berlin: 00:00 CET (= 30th 23:00Z) to 24:00 CEST (= 31st 22:00Z): 23 h.
    bounds = local_hour_bounds(
        utc(2024, 3, 30, 23, 0, 0), utc(2024, 3, 31, 22, 0, 0), "Europe/Berlin"
    )
    assert bounds.size - 1 == 23
    assert (np.diff(bounds) == H).all()


def test_kolkata_hours_start_at_half_past_utc() -> None:
    # UTC+5:30: local hours start at hh:30Z. 00:00–01:00Z with 2 kWh → 1 + 1.
    start = utc(2024, 1, 1, 0, 0, 0)
    r = hourly_rollup([start], [start + H], [2.0], tz="Asia/Kolkata")
    assert (r.hour_start_s - start).tolist() == [-1800, 1800]
    np.testing.assert_allclose(r.quantity, [1.0, 1.0])


def test_lord_howe_half_hour_dst_shift_cuts_an_hour() -> None:
    # Australia/Lord_Howe: +10:30 → +11:00 at 2024-10-06 02:00 local = 2024-10-05 15:30Z.
    # Local 01:00–02:00 = 14:30–15:30Z; then local jumps to 02:30, and 02:30–03:00 = 15:30–16:00Z.
    b = local_hour_bounds(
        utc(2024, 10, 5, 14, 30, 0), utc(2024, 10, 5, 17, 0, 0), "Australia/Lord_Howe"
    )
    t = utc(2024, 10, 5, 14, 30, 0)
    assert (b - t).tolist() == [0, 3600, 5400, 9000]


def test_rollup_rejects_bad_input() -> None:
    with pytest.raises(InputError, match="unknown timezone"):
        hourly_rollup([0], [900], [1.0], tz="Mars/Olympus")
    with pytest.raises(InputError, match="end after it starts"):
        hourly_rollup([900], [900], [1.0])
    with pytest.raises(InputError, match="finite"):
        hourly_rollup([0], [900], [np.nan])
    assert hourly_rollup([], [], []).hour_start_s.size == 0
