"""Metrics on hand-computed values; calendar features on China's 2024 holiday notice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from zeropark.errors import InputError
from zeropark.forecast import calendar_features, conformal_offsets, infer_season, metrics


def test_metrics_by_hand() -> None:
    actual = np.array([100.0, 200.0, 0.0, 400.0])
    forecast = np.array([110.0, 180.0, 5.0, 400.0])
    # |e| = 10, 20, 5, 0 → MAE 8.75; MAPE over non-zero actuals: (10% + 10% + 0%) / 3
    assert metrics.mae(actual, forecast) == pytest.approx(8.75)
    assert metrics.mape(actual, forecast) == pytest.approx(20 / 3)
    assert metrics.rmse(actual, forecast) == pytest.approx(np.sqrt((100 + 400 + 25) / 4))
    assert metrics.nmae(actual, forecast) == pytest.approx(8.75 / 175)
    # seasonal-naive scale with season 2 on 1, 2, 4, 8: |4-1| and |8-2| → 4.5
    scale = metrics.naive_scale([1.0, 2.0, 4.0, 8.0], 2)
    assert scale == pytest.approx(4.5)
    assert metrics.mase(actual, forecast, scale) == pytest.approx(8.75 / 4.5)
    assert metrics.skill(actual, forecast, actual * 0) == pytest.approx(
        1 - metrics.rmse(actual, forecast) / metrics.rmse(actual, actual * 0)
    )


def test_calendar_features_follow_the_2024_notice() -> None:
    """State Council notice 国办发明电〔2023〕7号: National Day off 1-7 October 2024; Sunday
    29 September and Saturday 12 October are make-up workdays; Spring Festival 10-17 Feb with
    Sunday 4 February and Saturday 18 February worked."""
    days = pd.DatetimeIndex(
        ["2024-09-29 10:00", "2024-09-30 10:00", "2024-10-01 10:00", "2024-10-12 10:00",
         "2024-10-13 10:00", "2024-02-04 10:00"]
    )  # fmt: skip
    cal = calendar_features(days, "cn")
    assert cal["makeup"].tolist() == [1, 0, 0, 1, 0, 1]
    assert cal["working"].tolist() == [1, 1, 0, 1, 0, 1]
    assert cal["holiday"].tolist() == [0, 0, 1, 0, 0, 0]
    assert cal["next_off"].tolist()[1] == 1  # 30 September: the eve of National Day
    assert cal["slot"].tolist()[0] == 600
    weekday = calendar_features(days, "weekday")
    assert weekday["working"].tolist() == [0, 1, 1, 0, 0, 0]


def test_unknown_holiday_year_is_an_input_error() -> None:
    with pytest.raises(InputError, match="1990"):
        calendar_features(pd.DatetimeIndex([dt.datetime(1990, 1, 1)]), "cn")


def test_infer_season() -> None:
    assert infer_season(pd.date_range("2024-01-01", periods=10, freq="15min")) == 96
    assert infer_season(pd.date_range("2024-01-01", periods=10, freq="1h")) == 24
    with pytest.raises(InputError):
        infer_season(pd.date_range("2024-01-01", periods=10, freq="7min"))


def test_conformal_interval_covers_at_its_level() -> None:
    """Calibrated on 200 × 24 normal residuals, the 10-90 % band covers about 80 % of new ones."""
    rng = np.random.default_rng(7)
    calib = rng.normal(0, 1, size=(200, 24))
    offsets = conformal_offsets(calib, (0.1, 0.5, 0.9))
    fresh = rng.normal(0, 1, size=(2000, 24))
    inside = (fresh >= offsets[0]) & (fresh <= offsets[2])
    assert 0.77 <= inside.mean() <= 0.83
    assert (offsets[0] <= offsets[1]).all() and (offsets[1] <= offsets[2]).all()
