"""The entry point: forecast one series ahead with the model its backtest chooses.

:func:`forecast_series` takes the measured values and their instants, backtests the candidate
models on the series' own recent past (rolling origins, :func:`~.backtest.run_backtest`),
keeps the best by the chosen metric, refits it on the whole history and forecasts the
``horizon``, with conformal quantiles from that model's backtest residuals
(:func:`~.intervals.conformal_offsets`). Day-ahead is ``horizon = intervals per day`` (96 at
15 minutes, 24 hourly), week-ahead seven times that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from zeropark.errors import InputError
from zeropark.forecast.backtest import Backtest, make_context, run_backtest
from zeropark.forecast.features import Holidays, calendar_features, to_local_index
from zeropark.forecast.intervals import conformal_offsets
from zeropark.forecast.models import (
    CalendarNaive,
    FloatArray,
    ForecastModel,
    Lgbm,
    Mstl,
    PvBlend,
    PvClimatology,
    PvPersistence,
    SeasonalNaive,
)

__all__ = ["Forecast", "Kind", "default_models", "forecast_series", "infer_season"]

Kind = Literal["load", "pv"]


@dataclass(frozen=True)
class Forecast:
    """A forecast: the future instants, the point forecast, quantiles by level, the chosen
    model and the backtest that chose it."""

    index: pd.DatetimeIndex
    point: FloatArray
    quantiles: dict[float, FloatArray]
    model: str
    backtest: Backtest


def infer_season(index: pd.DatetimeIndex) -> int:
    """Intervals per day of a regular index (24 hourly, 48 half-hourly, 96 at 15 minutes)."""
    if len(index) < 2:
        raise InputError("at least two instants are needed", field="timestamps")
    step = (index[1:] - index[:-1]).min()
    if step <= pd.Timedelta(0) or pd.Timedelta(days=1) % step != pd.Timedelta(0):
        raise InputError(f"the interval {step} does not divide a day", field="timestamps")
    return int(pd.Timedelta(days=1) / step)


def default_models(kind: Kind, holidays: Holidays | None) -> list[ForecastModel]:
    """The candidates: for load the seasonal-naive baselines, the calendar naive (with a
    calendar), MSTL and LightGBM; for PV persistence, climatology and the blend."""
    if kind == "pv":
        return [PvPersistence(), PvClimatology(), PvBlend()]
    models: list[ForecastModel] = [SeasonalNaive(1), SeasonalNaive(7, name="seasonal_naive_week")]
    if holidays:
        models.append(CalendarNaive())
    models += [Mstl(), Lgbm()]
    return models


def forecast_series(
    values: npt.ArrayLike,
    timestamps: npt.ArrayLike | pd.DatetimeIndex,
    horizon: int,
    *,
    kind: Kind = "load",
    holidays: Holidays | None = "cn",
    timezone: str | None = None,
    weather: pd.DataFrame | None = None,
    models: Sequence[ForecastModel] | None = None,
    quantiles: Sequence[float] = (0.1, 0.5, 0.9),
    n_origins: int = 14,
    metric: str | None = None,
) -> Forecast:
    """Forecast ``horizon`` intervals after the last of ``values``.

    ``timestamps`` are the instants of ``values`` (zone-aware ones are converted to
    ``timezone``, the park's, for the calendar); ``holidays`` picks the calendar features
    (``"cn"``: China's holidays and make-up workdays; ``"weekday"``; None: none); ``weather``
    is a frame over the history and the horizon (``len(values) + horizon`` rows: measured
    then forecast weather). ``metric`` chooses the model (default MAPE for load, RMSE for PV).
    Raises :class:`~zeropark.errors.InputError` on irregular or too short series.
    """
    y = np.asarray(values, dtype=np.float64)
    index = to_local_index(timestamps, timezone)
    if len(index) != y.size:
        raise InputError(f"{y.size} values but {len(index)} timestamps", field="timestamps")
    season = infer_season(index)
    step = index[1] - index[0]
    future = pd.date_range(index[-1] + step, periods=horizon, freq=step)
    full_index = pd.DatetimeIndex(index.append(future))
    if weather is not None and len(weather) != y.size + horizon:
        raise InputError(
            f"weather has {len(weather)} rows, history + horizon {y.size + horizon}",
            field="weather",
        )
    candidates = list(models) if models is not None else default_models(kind, holidays)
    metric = metric or ("rmse" if kind == "pv" else "mape")
    backtest = run_backtest(
        y, index, candidates, horizon=horizon, season=season, n_origins=n_origins,
        step=season, holidays=holidays,
        weather=None if weather is None else weather.iloc[: y.size].reset_index(drop=True),
    )  # fmt: skip
    best = backtest.best(metric)
    model = next(m for m in candidates if m.name == best.name)
    calendar = calendar_features(full_index, holidays) if holidays else None
    future_weather = None if weather is None else weather.reset_index(drop=True)
    padded = np.concatenate([y, np.full(horizon, np.nan)])
    ctx = make_context(padded, full_index, y.size, horizon, season, calendar, future_weather)
    point = model.predict(ctx)
    offsets = conformal_offsets(best.residuals, quantiles)
    floor = 0.0 if kind == "pv" or (np.nanmin(y) >= 0) else -np.inf
    qs = {float(q): np.maximum(point + offsets[k], floor) for k, q in enumerate(quantiles)}
    return Forecast(future, point, qs, best.name, backtest)
