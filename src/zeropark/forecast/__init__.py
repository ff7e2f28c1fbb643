"""Forecasting engines (load and PV): arrays in, arrays out; no store, no I/O.

Entry points:

- :func:`forecast_series` — a day- or week-ahead forecast of one series with the model its own
  rolling-origin backtest chooses, plus conformal quantiles;
- :func:`run_backtest` — rolling-origin backtests of given models with MAPE, MASE, nMAE, RMSE
  and skill per model;
- the models (:mod:`zeropark.forecast.models`) and the physical PV chain from weather
  (:func:`pv_forecast_kw`);
- :class:`RollingForecaster` — day-after-day forecasts for a replay or an MPC loop.

Methods and sources: ``docs/forecasting.md``.
"""

from zeropark.forecast import metrics
from zeropark.forecast.backtest import Backtest, ModelScore, run_backtest
from zeropark.forecast.features import calendar_features, day_classes, to_local_index
from zeropark.forecast.intervals import conformal_offsets
from zeropark.forecast.models import (
    CalendarNaive,
    Context,
    Ets,
    ForecastModel,
    Lgbm,
    Mstl,
    PvBlend,
    PvClimatology,
    PvPersistence,
    SeasonalNaive,
)
from zeropark.forecast.pv import calibration_factor, pv_forecast_kw, pv_physical_kw
from zeropark.forecast.rolling import RollingForecaster
from zeropark.forecast.series import Forecast, default_models, forecast_series, infer_season

__all__ = [
    "Backtest",
    "CalendarNaive",
    "Context",
    "Ets",
    "Forecast",
    "ForecastModel",
    "Lgbm",
    "ModelScore",
    "Mstl",
    "PvBlend",
    "PvClimatology",
    "PvPersistence",
    "RollingForecaster",
    "SeasonalNaive",
    "calendar_features",
    "calibration_factor",
    "conformal_offsets",
    "day_classes",
    "default_models",
    "forecast_series",
    "infer_season",
    "metrics",
    "pv_forecast_kw",
    "pv_physical_kw",
    "run_backtest",
    "to_local_index",
]
