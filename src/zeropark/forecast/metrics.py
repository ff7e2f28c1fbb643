"""Forecast accuracy: MAPE, MASE, nMAE, RMSE and skill, over arrays of actuals and forecasts.

Definitions (Hyndman & Koehler 2006, "Another look at measures of forecast accuracy",
International Journal of Forecasting 22(4), 679-688):

- MAPE [%] = 100 · mean(|y − ŷ| / |y|) over the points where ``y ≠ 0``;
- MASE = MAE / MAE of the in-sample seasonal-naive forecast (``y_t − y_{t−m}`` over the
  training series; ``m`` the season, one day by default);
- nMAE = MAE / ``norm`` (the mean of the actuals, or a PV system's capacity);
- RMSE and the skill score ``1 − RMSE / RMSE_reference`` (against persistence for PV, after
  the solar forecasting convention, Yang et al. 2020, Solar Energy 210, 20-37).

NaN actuals or forecasts are left out pairwise.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["mae", "mape", "mase", "naive_scale", "nmae", "rmse", "skill"]

FloatArray = npt.NDArray[np.float64]


def _pair(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    a = np.asarray(actual, dtype=np.float64).ravel()
    f = np.asarray(forecast, dtype=np.float64).ravel()
    ok = np.isfinite(a) & np.isfinite(f)
    return a[ok], f[ok]


def mae(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Mean absolute error (unit of the data)."""
    a, f = _pair(actual, forecast)
    return float(np.mean(np.abs(a - f))) if a.size else float("nan")


def rmse(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Root mean squared error (unit of the data)."""
    a, f = _pair(actual, forecast)
    return float(np.sqrt(np.mean((a - f) ** 2))) if a.size else float("nan")


def mape(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Mean absolute percentage error [%] over non-zero actuals."""
    a, f = _pair(actual, forecast)
    nz = a != 0
    return (
        float(100.0 * np.mean(np.abs(a[nz] - f[nz]) / np.abs(a[nz]))) if nz.any() else float("nan")
    )


def naive_scale(history: npt.ArrayLike, season: int) -> float:
    """In-sample MAE of the seasonal-naive forecast ``y_{t−season}`` (the MASE denominator)."""
    y = np.asarray(history, dtype=np.float64)
    if y.size <= season:
        return float("nan")
    return mae(y[season:], y[:-season])


def mase(actual: npt.ArrayLike, forecast: npt.ArrayLike, scale: float) -> float:
    """Mean absolute scaled error: MAE / ``scale`` (:func:`naive_scale` of the training data)."""
    return mae(actual, forecast) / scale if scale > 0 else float("nan")


def nmae(actual: npt.ArrayLike, forecast: npt.ArrayLike, norm: float | None = None) -> float:
    """MAE / ``norm`` (default: the mean of the actuals), a share (× 100 for %)."""
    a, _ = _pair(actual, forecast)
    base = float(np.mean(np.abs(a))) if norm is None else norm
    return mae(actual, forecast) / base if base > 0 else float("nan")


def skill(actual: npt.ArrayLike, forecast: npt.ArrayLike, reference: npt.ArrayLike) -> float:
    """``1 − RMSE(forecast) / RMSE(reference)`` over the points all three have."""
    a = np.asarray(actual, dtype=np.float64).ravel()
    f = np.asarray(forecast, dtype=np.float64).ravel()
    r = np.asarray(reference, dtype=np.float64).ravel()
    ok = np.isfinite(a) & np.isfinite(f) & np.isfinite(r)
    ref = rmse(a[ok], r[ok])
    return 1.0 - rmse(a[ok], f[ok]) / ref if ref > 0 else float("nan")
