"""Prediction intervals by split conformal prediction on backtest residuals.

For lead ``h`` the residuals ``actual − forecast`` of the backtest origins at leads within
``pool`` of ``h`` form the calibration set; the ``q`` quantile of that set added to the point
forecast gives the ``q`` quantile of the forecast (Vovk, Gammerman & Shafer 2005, *Algorithmic
Learning in a Random World*; per-lead calibration after Stankeviciute et al. 2021, "Conformal
time-series forecasting", NeurIPS). Quantiles are made monotone in ``q``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zeropark.forecast.models import FloatArray

__all__ = ["conformal_offsets"]


def conformal_offsets(
    residuals: FloatArray, quantiles: Sequence[float], pool: int = 2
) -> FloatArray:
    """Offsets (``len(quantiles)`` × horizon) to add to a point forecast.

    ``residuals`` is origins × horizon; NaNs are ignored; the finite-sample level of the
    split conformal method (``ceil((n + 1) q) / n``) is used for each pooled set.
    """
    res = np.asarray(residuals, dtype=np.float64)
    horizon = res.shape[1]
    out = np.zeros((len(quantiles), horizon))
    for h in range(horizon):
        block = res[:, max(0, h - pool) : h + pool + 1].ravel()
        block = block[np.isfinite(block)]
        if block.size == 0:
            continue
        n = block.size
        for k, q in enumerate(quantiles):
            level = (
                min(1.0, max(0.0, np.ceil((n + 1) * q) / n))
                if q > 0.5
                else max(0.0, np.floor((n + 1) * q) / n)
            )
            out[k, h] = np.quantile(block, min(level, 1.0), method="higher" if q > 0.5 else "lower")
    return np.maximum.accumulate(out, axis=0)
