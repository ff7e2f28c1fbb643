"""The replay forecaster uses only the data before each origin."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zeropark.forecast import Lgbm, RollingForecaster


def _series() -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex]:
    index = pd.date_range("2024-03-01", periods=24 * 70, freq="1h")
    hour = index.hour.to_numpy()
    rng = np.random.default_rng(11)
    load = 500 + 200 * ((hour >= 8) & (hour < 18)) * (index.dayofweek.to_numpy() < 5)
    load = load + rng.normal(0, 10, index.size)
    pv = np.clip(100 * np.sin((hour - 6) / 12 * np.pi), 0, None) * rng.uniform(0.5, 1, index.size)
    return load, pv, index


def test_future_data_does_not_leak_into_the_forecast() -> None:
    load, pv, index = _series()
    offset = 24 * 60
    first = RollingForecaster(load, pv, index, offset, model=Lgbm(n_estimators=50))(24, 48)
    changed_load, changed_pv = load.copy(), pv.copy()
    changed_load[offset + 24 :] *= 3.0
    changed_pv[offset + 24 :] = 0.0
    second = RollingForecaster(
        changed_load, changed_pv, index, offset, model=Lgbm(n_estimators=50)
    )(24, 48)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_forecast_follows_the_working_day_pattern() -> None:
    """China's calendar: 2024-05-01..05 is the Labour Day holiday; 2024-04-28 (Sunday) and
    2024-05-11 (Saturday) are make-up workdays. A weekday of May (the 6th) gets the daytime
    step of working days."""
    load, pv, index = _series()
    start_day = int(np.flatnonzero(index == pd.Timestamp("2024-05-06"))[0])
    offset = start_day
    fc = RollingForecaster(load, pv, index, offset, model=Lgbm(n_estimators=100))(0, 24)
    assert fc[0][8:18].mean() - fc[0][:6].mean() > 120
    assert fc[0].shape == (24,) and fc[1].shape == (24,) and (fc[1] >= 0).all()
