"""Backtests on real measured data shipped in packages (``tests/forecast/data.py``).

Day-ahead load on the England and Wales half-hourly demand (``taylor``): 28 rolling daily
origins over the last four weeks, 48 half-hours ahead each. The reference figures of the issue
(#13): a well-configured MSTL reaches MAPE 0.95 % / MASE 0.147, LightGBM with lags 1.58 %; the
model chosen by the backtest must reach 0.95 % or better. MASE is scaled by the in-sample
one-day seasonal-naive MAE (Hyndman & Koehler 2006).

Day-ahead PV on PVDAQ system 50 (2013, 365 daily origins, hourly): skill = 1 − RMSE/RMSE of
persistence; 30-day climatology reaches about 0.19, and the model used without a weather
forecast must beat it (measured in the same run).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.forecast.data import pvdaq_system50_hourly, taylor
from zeropark.forecast import (
    Lgbm,
    Mstl,
    PvBlend,
    PvClimatology,
    PvPersistence,
    SeasonalNaive,
    forecast_series,
    run_backtest,
)


def _taylor_backtest(n_origins: int, models: list) -> object:  # type: ignore[type-arg]
    y, index = taylor()
    return run_backtest(
        y, index, models, horizon=48, season=48, n_origins=n_origins, holidays="weekday"
    )


def test_taylor_last_four_days_mstl_beats_the_baselines() -> None:
    """Fast variant (CI): the last 4 of the 28 origins."""
    bt = _taylor_backtest(4, [SeasonalNaive(1), SeasonalNaive(7, name="snaive_week"), Mstl()])
    best = bt.best("mape")  # type: ignore[attr-defined]
    assert best.name == "mstl"
    assert best.mape < 1.35  # 1.29 % measured over these four days
    # measured: MSTL 1.29 %, one-week naive 1.43 %, one-day naive several times more
    assert best.mape < bt.scores["snaive_week"].mape  # type: ignore[attr-defined]
    assert best.mape < 0.5 * bt.scores["seasonal_naive"].mape  # type: ignore[attr-defined]


@pytest.mark.slow
def test_taylor_28_origins_chosen_model_reaches_095_pct() -> None:
    bt = _taylor_backtest(28, [SeasonalNaive(7, name="snaive_week"), Lgbm(), Mstl()])
    best = bt.best("mape")  # type: ignore[attr-defined]
    assert best.mape <= 0.95
    assert best.mase <= 0.15
    assert bt.scores["lightgbm"].mape <= 1.58  # type: ignore[attr-defined]


def test_pvdaq_2013_blend_beats_climatology_skill() -> None:
    y, index = pvdaq_system50_hourly()
    end = int(np.flatnonzero(index.year == 2013)[-1]) + 1
    bt = run_backtest(
        y[:end], index[:end], [PvPersistence(), PvClimatology(), PvBlend()],
        horizon=24, season=24, n_origins=365, reference="pv_persistence",
    )  # fmt: skip
    assert str(index[bt.origins[0]]) == "2013-01-01 00:00:00"
    clim = bt.scores["pv_climatology"].skill
    blend = bt.scores["pv_blend"].skill
    assert clim == pytest.approx(0.19, abs=0.015)  # the reference climatology
    assert blend > 0.19 and blend > clim + 0.01


def test_forecast_series_picks_the_backtest_winner_and_gives_quantiles() -> None:
    y, index = taylor()
    fc = forecast_series(
        y[:-48], index[:-48], 48, holidays="weekday", n_origins=5,
        models=[SeasonalNaive(1), SeasonalNaive(7, name="snaive_week"), Lgbm(n_estimators=150)],
    )  # fmt: skip
    scores = {name: s.mape for name, s in fc.backtest.scores.items()}
    assert fc.model == min(scores, key=scores.__getitem__)
    assert fc.model != "seasonal_naive"
    assert fc.point.shape == (48,) and list(fc.quantiles) == [0.1, 0.5, 0.9]
    assert (fc.quantiles[0.1] <= fc.quantiles[0.9]).all()
    assert fc.index[0] == index[-48]
    # the day that followed: forecast within a few percent, most of it inside the band
    actual = y[-48:]
    assert np.mean(np.abs(fc.point - actual) / actual) < 0.05
    inside = (actual >= fc.quantiles[0.1]) & (actual <= fc.quantiles[0.9])
    assert inside.mean() >= 0.5
