"""Forecast models behind one interface: given the history and the instants ahead, a point
forecast for each instant ahead.

A model sees a :class:`Context`: the regular history (``history``, oldest first), the local
clock of every history and future instant (``index``), the ``horizon`` in intervals, the
intervals per day (``season``), calendar features and weather over history and future
(optional). Models never look at future actuals: backtests build the context from the data
before each origin (:mod:`zeropark.forecast.backtest`).

Load models: :class:`SeasonalNaive` (the baseline), :class:`CalendarNaive` (the last day of
the same kind: working or not, after China's calendar), :class:`Mstl` and :class:`Ets`
(statsforecast), :class:`Lgbm` (LightGBM on calendar, lag and weather features). PV models:
:class:`PvPersistence`, :class:`PvClimatology`, :class:`PvBlend` (see :mod:`zeropark.forecast.pv`
for the physical model from weather).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "CalendarNaive",
    "Context",
    "Ets",
    "ForecastModel",
    "Lgbm",
    "Mstl",
    "PvBlend",
    "PvClimatology",
    "PvPersistence",
    "SeasonalNaive",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Context:
    """What a model may use to forecast the ``horizon`` intervals after ``history``.

    ``index`` holds the local time of the history followed by the future instants
    (``len(history) + horizon``); ``calendar`` and ``weather`` (when given) are frames over
    the same rows (:func:`zeropark.forecast.features.calendar_features`; weather columns such as
    ``temp_air_c``, ``ghi_w_m2`` — forecasts for the future rows, never measured futures).
    """

    history: FloatArray
    index: pd.DatetimeIndex
    horizon: int
    season: int
    calendar: pd.DataFrame | None = None
    weather: pd.DataFrame | None = None

    @property
    def n(self) -> int:
        """Length of the history."""
        return int(self.history.size)


class ForecastModel(Protocol):
    """A model: a ``name`` and ``predict(context) -> point forecast`` over the horizon."""

    @property
    def name(self) -> str:
        """The model's name in backtest tables."""
        ...

    def predict(self, ctx: Context) -> FloatArray:
        """The point forecast of the ``ctx.horizon`` intervals after the history."""
        ...


def _fill(y: FloatArray) -> FloatArray:
    """Gaps filled by the value one day (then one step) earlier, for models that need no NaN."""
    out: FloatArray = np.nan_to_num(pd.Series(y).ffill().bfill().to_numpy(dtype=np.float64))
    return out


@dataclass(frozen=True)
class SeasonalNaive:
    """``ŷ_{n+h} = y_{n+h−k·m}`` with ``m = days × season`` (one day or one week), repeated."""

    days: int = 1
    name: str = "seasonal_naive"

    def predict(self, ctx: Context) -> FloatArray:
        """The last ``days`` days repeated over the horizon."""
        period = self.days * ctx.season
        last = _fill(ctx.history[-period:])
        reps = math.ceil(ctx.horizon / period)
        return np.tile(last, reps)[: ctx.horizon]


@dataclass(frozen=True)
class CalendarNaive:
    """Each day ahead copies the most recent past day of the same kind (working day or not,
    from the calendar's ``working`` column: China's make-up workdays count as working)."""

    name: str = "calendar_naive"

    def predict(self, ctx: Context) -> FloatArray:
        """Per future day, the latest history day with the same ``working`` flag."""
        if ctx.calendar is None:
            return SeasonalNaive(1).predict(ctx)
        m = ctx.season
        working = ctx.calendar["working"].to_numpy()
        n_days = ctx.n // m
        start = ctx.n - n_days * m
        hist_work = working[start : ctx.n : m]
        y = _fill(ctx.history)
        out = np.empty(ctx.horizon)
        for h0 in range(0, ctx.horizon, m):
            flag = working[ctx.n + h0]
            same = np.flatnonzero(hist_work == flag)
            day = int(same[-1]) if same.size else n_days - 1
            seg = y[start + day * m : start + (day + 1) * m]
            take = min(m, ctx.horizon - h0)
            out[h0 : h0 + take] = seg[:take]
        return out


@dataclass(frozen=True)
class Mstl:
    """statsforecast's MSTL: daily and weekly seasonal components by STL, the trend by AutoETS
    (Bandara, Hyndman & Bergmeir 2021, "MSTL", arXiv:2107.13462). ``max_days`` caps the
    history used (the fit is the slow part)."""

    weekly: bool = True
    max_days: int = 84
    name: str = "mstl"

    def predict(self, ctx: Context) -> FloatArray:
        """Fit on the recent history, forecast the horizon."""
        from statsforecast.models import MSTL

        seasons = [ctx.season, 7 * ctx.season] if self.weekly else [ctx.season]
        y = _fill(ctx.history[-self.max_days * ctx.season :])
        if y.size < 2 * seasons[-1]:
            seasons = [ctx.season]
        model = MSTL(season_length=seasons)
        return np.asarray(model.forecast(y=y, h=ctx.horizon)["mean"], dtype=np.float64)


@dataclass(frozen=True)
class Ets:
    """statsforecast's AutoETS (Hyndman et al. 2008 state-space ETS).

    Seasonal ETS is limited to short seasons (statsforecast, like R's ``ets``, refuses
    seasons over 24), so for a longer day (48 half-hours, 96 quarters) a damped non-seasonal
    ETS is fitted to the series less its mean weekly profile (the last ``profile_days`` //
    7 weeks, at least one; the daily one with less than two weeks of data: classical
    decomposition) and the profile added back; with 24 or fewer intervals a day the seasonal
    model is fitted directly.
    """

    max_days: int = 28
    profile_days: int = 14
    name: str = "ets"

    def predict(self, ctx: Context) -> FloatArray:
        """Fit on the recent history, forecast the horizon."""
        from statsforecast.models import AutoETS

        m = ctx.season
        y = _fill(ctx.history[-self.max_days * m :])
        if m <= 24:
            model = AutoETS(season_length=m)
            return np.asarray(model.forecast(y=y, h=ctx.horizon)["mean"], dtype=np.float64)
        period = 7 * m if y.size >= 2 * 7 * m else m  # the week when there are two of them
        cycles = _daily(y, period)[-max(1, self.profile_days * m // period) :]
        profile = cycles.mean(axis=0)
        start = y.size - cycles.size
        adjusted = y - profile[(np.arange(y.size) - start) % period]
        model = AutoETS(season_length=1, model="ZZN", damped=True)
        level = np.asarray(model.forecast(y=adjusted, h=ctx.horizon)["mean"], dtype=np.float64)
        ahead = np.arange(y.size, y.size + ctx.horizon) - start
        out: FloatArray = level + profile[ahead % period]
        return out


@dataclass(frozen=True)
class Lgbm:
    """LightGBM (Ke et al. 2017) on calendar features, lagged values and weather.

    Direct strategy: lags are whole days at least as long as the horizon (``y_{t−d·m}``), so
    every feature of every instant ahead is known at the origin; the level of the day before
    the earliest lag is a feature too. Calendar columns: those of
    :func:`~zeropark.forecast.features.calendar_features`; weather: every column given.
    Trained on the last ``max_days`` days.
    """

    lag_days: tuple[int, ...] = (1, 2, 7)
    max_days: int = 120
    n_estimators: int = 400
    learning_rate: float = 0.05
    num_leaves: int = 31
    name: str = "lightgbm"
    params: dict[str, Any] = field(default_factory=dict)

    def _frame(self, y: FloatArray, ctx: Context, lags: list[int]) -> pd.DataFrame:
        total = y.size
        cols: dict[str, FloatArray] = {}
        series = pd.Series(y)
        for lag in lags:
            cols[f"lag_{lag}"] = series.shift(lag).to_numpy()
        first = min(lags)
        cols["level"] = series.shift(first).rolling(ctx.season, min_periods=1).mean().to_numpy()
        frame = pd.DataFrame(cols)
        if ctx.calendar is not None:
            frame = pd.concat([frame, ctx.calendar.iloc[:total].reset_index(drop=True)], axis=1)
        else:
            frame["slot"] = (ctx.index.hour * 60 + ctx.index.minute).to_numpy()[:total]
            frame["dow"] = ctx.index.dayofweek.to_numpy()[:total]
        if ctx.weather is not None:
            frame = pd.concat([frame, ctx.weather.iloc[:total].reset_index(drop=True)], axis=1)
        return frame

    def lags(self, ctx: Context) -> list[int]:
        """The lags [intervals]: whole days, none shorter than the horizon."""
        m = ctx.season
        min_days = math.ceil(ctx.horizon / m)
        return sorted({max(d, min_days) * m for d in self.lag_days})

    def fit(self, ctx: Context) -> Any:
        """A LightGBM regressor trained on the history's rows with full lags.

        A fitted model can forecast later origins with :meth:`predict_with` (their lag
        features come from data known at those origins), so a caller may refit weekly.
        """
        import lightgbm as lgb

        lags = self.lags(ctx)
        frame = self._frame(ctx.history, ctx, lags)
        start = max(0, ctx.n - self.max_days * ctx.season)
        train = frame.iloc[start : ctx.n]
        target = ctx.history[start:]
        ok = np.isfinite(target) & train[f"lag_{lags[-1]}"].notna().to_numpy()
        options: dict[str, Any] = {
            "n_estimators": self.n_estimators,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": 10,
            "subsample": 0.8,
            "subsample_freq": 1,
            "colsample_bytree": 0.9,
            "n_jobs": 1,
            "verbose": -1,
            "random_state": 0,
        }
        options.update(self.params)
        model = lgb.LGBMRegressor(**options)
        model.fit(train[ok], target[ok])
        return model

    def predict_with(self, fitted: Any, ctx: Context) -> FloatArray:
        """Forecast the horizon of ``ctx`` with a model from :meth:`fit` (same horizon)."""
        y = np.concatenate([ctx.history, np.full(ctx.horizon, np.nan)])
        frame = self._frame(y, ctx, self.lags(ctx))
        return np.asarray(fitted.predict(frame.iloc[ctx.n :]), dtype=np.float64)

    def predict(self, ctx: Context) -> FloatArray:
        """Train on the history, predict the rows ahead."""
        return self.predict_with(self.fit(ctx), ctx)


@dataclass(frozen=True)
class PvPersistence:
    """PV persistence: the same time of the last day (the reference of PV skill scores)."""

    name: str = "pv_persistence"

    def predict(self, ctx: Context) -> FloatArray:
        """Yesterday's profile, repeated."""
        return np.clip(SeasonalNaive(1).predict(ctx), 0.0, None)


def _daily(y: FloatArray, m: int) -> FloatArray:
    """The history as whole days (rows), the partial first day dropped."""
    n_days = y.size // m
    return y[y.size - n_days * m :].reshape(n_days, m)


@dataclass(frozen=True)
class PvClimatology:
    """PV climatology: the mean of the last ``days`` days at each time of day."""

    days: int = 30
    name: str = "pv_climatology"

    def predict(self, ctx: Context) -> FloatArray:
        """The mean profile of the window, repeated."""
        days = _daily(ctx.history, ctx.season)[-self.days :]
        profile = np.nan_to_num(np.nanmean(days, axis=0)) if days.size else np.zeros(ctx.season)
        return np.tile(profile, math.ceil(ctx.horizon / ctx.season))[: ctx.horizon]


@dataclass(frozen=True)
class PvBlend:
    """PV without a weather forecast: a least-squares blend of persistence, the 30-day
    climatology and last year's profile around the same date (±15 days), its weights fitted on
    the last ``fit_days`` days (each day forecast from the days before it).

    Blending persistence with climatology beats both (Murphy 1992, "Climatology, persistence,
    and their linear combination as standards of reference in skill scores", Weather and
    Forecasting 7(4), 692-698); last year's window adds the seasonal drift the trailing mean
    lags by half a window. Without a year of history, the blend uses the first two.
    """

    clim_days: int = 30
    fit_days: int = 90
    year_window_days: int = 15
    name: str = "pv_blend"

    def _features(self, days: FloatArray, i: int, yearly: bool) -> FloatArray:
        cols = [
            np.nan_to_num(days[i - 1]),
            np.nan_to_num(np.nanmean(days[i - self.clim_days : i], axis=0)),
        ]
        if yearly:
            w = self.year_window_days
            cols.append(np.nan_to_num(np.nanmean(days[i - 365 - w : i - 365 + w + 1], axis=0)))
        return np.stack(cols, axis=1)

    def predict(self, ctx: Context) -> FloatArray:
        """Fit the weights on past days, apply them to the day(s) ahead."""
        m = ctx.season
        days = _daily(ctx.history, m)
        total = days.shape[0]
        if total < self.clim_days + 2:
            return PvClimatology(self.clim_days).predict(ctx)
        yearly = total >= 365 + self.year_window_days + 1 + self.fit_days
        first = max(self.clim_days + 1, total - self.fit_days)
        x_rows, y_rows = [], []
        for i in range(first, total):
            x_rows.append(self._features(days, i, yearly))
            y_rows.append(days[i])
        x = np.vstack(x_rows)
        y = np.concatenate(y_rows)
        ok = np.isfinite(y)
        coef, *_ = np.linalg.lstsq(x[ok], y[ok], rcond=None)
        extended = np.vstack([days, np.full((1, m), np.nan)])
        point = np.clip(self._features(extended, total, yearly) @ coef, 0.0, None)
        return np.tile(point, math.ceil(ctx.horizon / m))[: ctx.horizon]
