"""Real measured series that ship inside installed packages (no download):

- ``taylor``: half-hourly electricity demand of England and Wales [MW], 5 June – 27 August
  2000, 4,032 values (Taylor 2003, "Short-term electricity demand forecasting using double
  seasonal exponential smoothing", J. Operational Research Society 54, 799-805), shipped by
  pmdarima (``pmdarima.datasets.load_taylor``).
- PVDAQ system 50, inverter 2 AC power [W] at 15 minutes, 2011-04-15 – 2013-12-31 (NREL PV
  Data Acquisition, shipped by pvanalytics as ``system_50_ac_power_2_full_DST.parquet``),
  averaged here to hourly means.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd


def taylor() -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Values [MW] and their half-hour instants (the dataset starts on Monday 5 June 2000)."""
    import pmdarima.datasets

    y = np.asarray(pmdarima.datasets.load_taylor(), dtype=np.float64)
    return y, pd.date_range("2000-06-05", periods=y.size, freq="30min")


@functools.cache
def pvdaq_system50_hourly() -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Hourly mean AC power [W] (local standard time, UTC−7), gaps as NaN, whole days."""
    import pvanalytics

    path = Path(pvanalytics.__file__).parent / "data" / "system_50_ac_power_2_full_DST.parquet"
    frame = pd.read_parquet(path)
    series = frame.set_index("measured_on")["ac_power_2"]
    series = series[~series.index.duplicated()]
    full = pd.date_range(series.index[0], series.index[-1], freq="15min")
    hourly = series.reindex(full).resample("1h").mean().clip(lower=0)
    index = hourly.index.tz_localize(None)
    return hourly.to_numpy(dtype=np.float64), pd.DatetimeIndex(index)
