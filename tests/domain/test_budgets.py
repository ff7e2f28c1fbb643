"""Budgets: monthly splits, run-rate and seasonal projections, the run-out date — by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from zeropark.domain.budgets import (
    budget_status,
    monthly_split,
    run_out_date,
    run_rate,
    seasonal,
)
from zeropark.errors import InputError

PROFILE = [120.0, 100.0, 110.0] + [100.0] * 8 + [130.0]  # last year, sum 1,260


def test_even_split_follows_the_days_of_each_month() -> None:
    months = monthly_split(3660.0, 2024, "even")  # 2024 has 366 days: 10 a day
    assert months[0] == pytest.approx(310.0) and months[1] == pytest.approx(290.0)
    assert sum(months) == pytest.approx(3660.0)


def test_profile_and_given_splits() -> None:
    months = monthly_split(2520.0, 2024, "profile", profile=PROFILE)
    assert months[0] == pytest.approx(240.0) and months[11] == pytest.approx(260.0)
    given = [100.0] * 11 + [150.0]
    assert monthly_split(1250.0, 2024, "given", given=given) == given
    with pytest.raises(InputError, match=r"add up to 1,250\.000, not the annual 1,300\.000"):
        monthly_split(1300.0, 2024, "given", given=given)
    with pytest.raises(InputError, match="twelve monthly values"):
        monthly_split(1000.0, 2024, "profile", profile=[1.0] * 11)


def test_run_rate_projection() -> None:
    # to 2024-03-31 (day 91): 100 + 90 + 110 = 300, i.e. 300/91 a day for the other 275 days
    actual = [100.0, 90.0, 110.0] + [None] * 9
    projected = run_rate(actual, dt.date(2024, 3, 31))
    assert projected[:3] == [100.0, 90.0, 110.0]
    assert projected[3] == pytest.approx(300 / 91 * 30)
    assert sum(projected) == pytest.approx(300 + 300 / 91 * 275)


def test_seasonal_projection_scales_last_years_profile() -> None:
    # this year runs 10 % above last year: 132 + 110 + 121 = 1.1 × (120 + 100 + 110)
    actual = [132.0, 110.0, 121.0] + [None] * 9
    projected = seasonal(actual, dt.date(2024, 3, 31), PROFILE)
    assert sum(projected) == pytest.approx(1.1 * 1260.0)
    assert projected[11] == pytest.approx(143.0)
    # mid-month: April half gone (15 of 30 days), 50 used; last year's span 330 + 100 × 0.5
    mid = seasonal([132.0, 110.0, 121.0, 50.0] + [None] * 8, dt.date(2024, 4, 15), PROFILE)
    factor = (363.0 + 50.0) / 380.0
    assert mid[3] == pytest.approx(50.0 + 100.0 * 0.5 * factor)
    assert mid[4] == pytest.approx(100.0 * factor)
    # no profile: the run rate
    assert seasonal(actual, dt.date(2024, 3, 31), None) == run_rate(actual, dt.date(2024, 3, 31))


def test_run_out_date_and_status() -> None:
    # seasonal months 132, 110, 121, 110 … 110, 143: the cumulative passes 1,200 in November
    # (1,133 after October; 67 of November's 110 → day ⌈67 / (110/30)⌉ = 19)
    actual = [132.0, 110.0, 121.0] + [None] * 9
    status = budget_status(
        1200.0,
        monthly_split(1200.0, 2024, "even"),
        actual,
        dt.date(2024, 3, 31),
        method="seasonal",
        profile=PROFILE,
    )
    assert status.run_out == dt.date(2024, 11, 19)
    assert status.used == pytest.approx(363.0) and status.remaining == pytest.approx(837.0)
    assert status.year_end == pytest.approx(1386.0)
    assert status.projected_overrun == pytest.approx(186.0)
    assert status.actual[3] is None
    roomy = budget_status(
        2000.0, [2000.0 / 12] * 12, actual, dt.date(2024, 3, 31), method="run_rate"
    )
    assert roomy.run_out is None and roomy.projected_overrun < 0
    assert run_out_date(100.0, [150.0] + [0.0] * 11, 2024) == dt.date(2024, 1, 21)  # 100/(150/31)


def test_a_forecasting_model_plugs_in_as_a_projector() -> None:
    def flat(actual, as_of, profile):  # type: ignore[no-untyped-def]
        return [v if v is not None else 50.0 for v in actual]

    status = budget_status(600.0, [50.0] * 12, [40.0] * 12, dt.date(2024, 2, 29), projector=flat)
    assert status.year_end == pytest.approx(80.0 + 10 * 50.0)
    with pytest.raises(InputError):
        budget_status(1.0, [0.0] * 12, [0.0] * 12, dt.date(2024, 1, 1), method="magic")
