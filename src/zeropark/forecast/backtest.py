"""Rolling-origin backtests (Tashman 2000, "Out-of-sample tests of forecasting accuracy",
International Journal of Forecasting 16(4), 437-450): forecast from successive origins with
only the data before each, score against what happened, choose the model by its score.

:func:`run_backtest` takes a regular series, its local instants and models; origins are the
last ``n_origins`` positions ``step`` intervals apart that leave a full horizon of actuals.
Scores per model: MAPE, MASE (scaled by the in-sample seasonal-naive MAE of the data before
the first origin), nMAE (by the mean actual, or ``norm``), RMSE, and the skill against a
reference model's forecasts when one is named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from zeropark.errors import InputError
from zeropark.forecast import metrics
from zeropark.forecast.features import Holidays, calendar_features
from zeropark.forecast.models import Context, FloatArray, ForecastModel

__all__ = ["Backtest", "ModelScore", "make_context", "run_backtest"]


@dataclass(frozen=True)
class ModelScore:
    """A model's backtest: its forecasts and actuals per origin (rows) and its scores."""

    name: str
    forecasts: FloatArray
    actuals: FloatArray
    mape: float
    mase: float
    nmae: float
    rmse: float
    skill: float = float("nan")
    seconds: float = 0.0

    @property
    def residuals(self) -> FloatArray:
        """``actual − forecast`` per origin and lead."""
        return self.actuals - self.forecasts


@dataclass(frozen=True)
class Backtest:
    """Scores of every model over the same origins; ``origins`` are history lengths."""

    origins: tuple[int, ...]
    horizon: int
    scores: dict[str, ModelScore] = field(default_factory=dict)

    def best(self, metric: str = "mape") -> ModelScore:
        """The model with the lowest ``metric`` (``mape``, ``mase``, ``nmae``, ``rmse``), or
        the highest ``skill``; NaN scores lose."""
        sign = -1.0 if metric == "skill" else 1.0

        def key(s: ModelScore) -> float:
            v = float(getattr(s, metric))
            return sign * v if np.isfinite(v) else np.inf

        return min(self.scores.values(), key=key)

    def table(self) -> list[dict[str, float | str]]:
        """One row per model: name and scores (for printing or storing)."""
        return [
            {"model": s.name, "mape_pct": s.mape, "mase": s.mase, "nmae": s.nmae, "rmse": s.rmse,
             "skill": s.skill, "seconds": s.seconds}
            for s in self.scores.values()
        ]  # fmt: skip


def make_context(
    values: FloatArray,
    index: pd.DatetimeIndex,
    origin: int,
    horizon: int,
    season: int,
    calendar: pd.DataFrame | None,
    weather: pd.DataFrame | None,
) -> Context:
    """The context at ``origin`` (history ``values[:origin]``; rows up to origin + horizon)."""
    end = origin + horizon
    return Context(
        history=values[:origin],
        index=index[:end],
        horizon=horizon,
        season=season,
        calendar=None if calendar is None else calendar.iloc[:end].reset_index(drop=True),
        weather=None if weather is None else weather.iloc[:end].reset_index(drop=True),
    )


def run_backtest(
    values: npt.ArrayLike,
    index: pd.DatetimeIndex,
    models: Sequence[ForecastModel],
    *,
    horizon: int,
    season: int,
    n_origins: int,
    step: int | None = None,
    holidays: Holidays | None = None,
    weather: pd.DataFrame | None = None,
    norm: float | None = None,
    reference: str | None = None,
    clock: Callable[[], float] | None = None,
) -> Backtest:
    """Backtest ``models`` from ``n_origins`` rolling origins (see the module doc).

    ``index`` is the local instant of each value; ``holidays`` adds calendar features
    (``"cn"`` or ``"weekday"``); ``weather`` a frame over the same rows; ``reference`` names
    the model whose forecasts the others' skill is measured against; ``clock`` (e.g.
    ``time.perf_counter``) times each model when given.
    """
    y = np.asarray(values, dtype=np.float64)
    step = step or horizon
    if len(index) != y.size:
        raise InputError(f"{y.size} values but {len(index)} instants", field="timestamps")
    origins = [y.size - horizon - k * step for k in range(n_origins - 1, -1, -1)]
    if origins[0] < 2 * season:
        raise InputError(
            f"{y.size} values are too few for {n_origins} origins of {horizon} ahead",
            field="values",
        )
    calendar = calendar_features(index, holidays) if holidays else None
    scale = metrics.naive_scale(y[: origins[0]], season)
    actuals = np.stack([y[o : o + horizon] for o in origins])
    result = Backtest(tuple(origins), horizon)
    raw: dict[str, tuple[FloatArray, float]] = {}
    for model in models:
        t0 = clock() if clock else 0.0
        rows = [
            model.predict(make_context(y, index, o, horizon, season, calendar, weather))
            for o in origins
        ]
        raw[model.name] = (np.stack(rows), (clock() - t0) if clock else 0.0)
    for name, (fc, seconds) in raw.items():
        ref = raw[reference][0] if reference in raw else None
        result.scores[name] = ModelScore(
            name=name,
            forecasts=fc,
            actuals=actuals,
            mape=metrics.mape(actuals, fc),
            mase=metrics.mase(actuals, fc, scale),
            nmae=metrics.nmae(actuals, fc, norm),
            rmse=metrics.rmse(actuals, fc),
            skill=metrics.skill(actuals, fc, ref) if ref is not None else float("nan"),
            seconds=seconds,
        )
    return result
