"""The forecaster dispatch plans with: the forecast engine's model per series, chosen by backtest.

:class:`BacktestedForecaster` forecasts a site series day ahead with
:func:`zeropark.forecast.forecast_series`: the candidate models of the series' kind (demand:
seasonal-naive baselines, the calendar naive on China's working days, MSTL, LightGBM; PV:
persistence, climatology, their blend) are backtested on the series' own recent past from
rolling daily origins and the best one forecasts (MAPE for demand, RMSE for PV). The choice is
kept for ``reselect_days`` days of forecasts (a replay of a year re-chooses monthly, not daily);
between choices the chosen model alone forecasts, from the same history the plan sees.

History hours come as UTC starts with gaps; they are laid on the regular hourly grid that ends
where the forecast begins (missing hours NaN: the models fill them from the day before).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from zeropark.errors import InputError
from zeropark.forecast.backtest import make_context
from zeropark.forecast.features import calendar_features, to_local_index
from zeropark.forecast.models import ForecastModel
from zeropark.forecast.series import Kind, default_models, forecast_series
from zeropark.service.dispatch.plan import Series

__all__ = ["BacktestedForecaster", "default_forecaster", "regular_history"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
HOUR_S = 3600
_KIND: dict[str, Kind] = {"demand": "load", "pv": "pv"}
#: Days of history a forecast needs: two weekly seasons for MSTL and the lags of LightGBM, plus
#: the rolling backtest origins the model is chosen on.
MIN_HISTORY_DAYS = 28


def regular_history(
    history_s: IntArray, history_kw: FloatArray, first_target_s: int
) -> tuple[IntArray, FloatArray]:
    """The history on the hourly grid ending just before ``first_target_s`` (gaps NaN)."""
    if history_s.size == 0:
        raise InputError("no history to forecast from", field="history")
    start = int(history_s.min())
    grid = np.arange(start, first_target_s, HOUR_S, dtype=np.int64)
    values = np.full(grid.size, np.nan)
    at = (history_s - start) // HOUR_S
    keep = (at >= 0) & (at < grid.size) & ((history_s - start) % HOUR_S == 0)
    values[at[keep]] = history_kw[keep]
    return grid, values


def _instants(hours_s: IntArray, timezone: str) -> pd.DatetimeIndex:
    return to_local_index(pd.to_datetime(hours_s, unit="s", utc=True), timezone)


@dataclass
class BacktestedForecaster:
    """Day-ahead forecasts by the model each series' backtest chooses (see the module doc)."""

    n_origins: int = 7
    reselect_days: int = 28
    name: str = "backtested"
    chosen: dict[str, tuple[ForecastModel, int]] = field(default_factory=dict)

    def __call__(
        self,
        series: Series,
        history_s: IntArray,
        history_kw: FloatArray,
        target_s: IntArray,
        timezone: str,
    ) -> FloatArray:
        """The forecast of ``series`` over ``target_s`` (hourly, contiguous)."""
        grid, values = regular_history(history_s, history_kw, int(target_s[0]))
        if grid.size < MIN_HISTORY_DAYS * 24 or np.isfinite(values).sum() < 21 * 24:
            raise InputError(
                f"{series}: {np.isfinite(values).sum()} measured hours in {grid.size // 24} days "
                f"are too few to forecast from (the candidates' weekly seasons and backtest "
                f"origins need {MIN_HISTORY_DAYS} days, three weeks of them measured)",
                field="history",
            )
        kind = _KIND[series]
        index = _instants(grid, timezone)
        kept = self.chosen.get(series)
        if kept is None or int(target_s[0]) - kept[1] >= self.reselect_days * 86400:
            forecast = forecast_series(
                values, index, target_s.size, kind=kind, holidays="cn",
                n_origins=self.n_origins,
            )  # fmt: skip
            model = next(m for m in default_models(kind, "cn") if m.name == forecast.model)
            self.chosen[series] = (model, int(target_s[0]))
            return np.asarray(forecast.point, np.float64)
        model = kept[0]
        full_index = _instants(np.concatenate([grid, target_s]), timezone)
        ctx = make_context(
            np.concatenate([values, np.full(target_s.size, np.nan)]), full_index, grid.size,
            target_s.size, 24, calendar_features(full_index, "cn"), None,
        )  # fmt: skip
        point = model.predict(ctx)
        return np.maximum(np.asarray(point, np.float64), 0.0) if kind == "pv" else point


def default_forecaster() -> BacktestedForecaster:
    """A fresh forecaster (its model choices start empty)."""
    return BacktestedForecaster()
