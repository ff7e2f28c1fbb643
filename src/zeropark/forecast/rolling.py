"""Forecasts for a replay or a model-predictive loop: day after day, each from the data before.

:class:`RollingForecaster` answers ``forecaster(start, length) -> (load_kw, pv_kw)`` — the
signature :func:`zeropark.optimize.rolling.rolling_dispatch` takes — over a series that
holds history before the replayed period (``offset`` intervals of it). Load comes from
:class:`~zeropark.forecast.models.Lgbm` on the calendar (China's day classes by default),
refitted every ``refit_days`` (its lag features always come from data known at the origin);
PV from :class:`~zeropark.forecast.models.PvBlend` (no weather forecast needed). The model
forecasts ``horizon`` intervals (default two days: lags of at least two days); beyond it the
forecasts repeat the last day.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from zeropark.forecast.backtest import make_context
from zeropark.forecast.features import Holidays, calendar_features
from zeropark.forecast.models import FloatArray, Lgbm, PvBlend
from zeropark.forecast.series import infer_season

__all__ = ["RollingForecaster"]


class RollingForecaster:
    """Day-ahead load and PV forecasts at origins ``offset + start`` (see the module doc).

    ``load_kw`` and ``pv_kw`` cover history and the replayed period on the local ``index``;
    ``pv_kw`` may be None (no PV). Answers are cached per ``(start, length)``.
    """

    def __init__(
        self,
        load_kw: npt.ArrayLike,
        pv_kw: npt.ArrayLike | None,
        index: pd.DatetimeIndex,
        offset: int,
        *,
        holidays: Holidays | None = "cn",
        refit_days: int = 7,
        horizon: int | None = None,
        model: Lgbm | None = None,
    ) -> None:
        self.load = np.asarray(load_kw, dtype=np.float64)
        self.pv = None if pv_kw is None else np.asarray(pv_kw, dtype=np.float64)
        self.index = index
        self.offset = offset
        self.season = infer_season(index)
        self.calendar = calendar_features(index, holidays) if holidays else None
        self.model = model or Lgbm(n_estimators=300)
        self.blend = PvBlend()
        self.refit = refit_days * self.season
        self.horizon = horizon or 2 * self.season
        self._fitted: Any = None
        self._fitted_at = -(10**12)
        self._cache: dict[tuple[int, int], tuple[FloatArray, FloatArray]] = {}

    def _ahead(self, values: FloatArray, origin: int) -> Any:
        return make_context(
            values, self.index, origin, self.horizon, self.season, self.calendar, None
        )

    def __call__(self, start: int, length: int) -> tuple[FloatArray, FloatArray]:
        """Forecast load and PV [kW] for ``[start, start + length)`` of the replayed period."""
        key = (start, length)
        if key in self._cache:
            return self._cache[key]
        origin = self.offset + start
        ctx = self._ahead(self.load, origin)
        if origin - self._fitted_at >= self.refit:
            self._fitted, self._fitted_at = self.model.fit(ctx), origin
        load_day = self.model.predict_with(self._fitted, ctx)
        if self.pv is None:
            pv_day = np.zeros(self.horizon)
        else:
            pv_day = self.blend.predict(self._ahead(self.pv, origin))
        last_load, last_pv = load_day[-self.season :], pv_day[-self.season :]
        reps = -(-length // self.season)
        load = np.concatenate([load_day, np.tile(last_load, reps)])[:length]
        pv = np.concatenate([pv_day, np.tile(last_pv, reps)])[:length]
        self._cache[key] = (load, pv)
        return load, pv
