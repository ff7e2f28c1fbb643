"""The PV chain: physically bounded AC power from the array's parameters and the weather."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest

from zeropark.domain.energy.pv import PVWATTS_LOSSES_PCT, PvSystem, pv_ac_power_kw

LAT, LON = 31.3, 120.6  # Suzhou


def _day(system: PvSystem, *, ghi_scale: float = 1.0) -> np.ndarray:
    times = pd.date_range("2024-06-21T00:00", periods=96, freq="15min", tz="Asia/Shanghai")
    times_utc = pd.DatetimeIndex(times.tz_convert("UTC"))
    sun = pvlib.solarposition.get_solarposition(times_utc, LAT, LON)
    clear = pvlib.location.Location(LAT, LON).get_clearsky(times_utc, solar_position=sun)
    n = times_utc.size
    return pv_ac_power_kw(
        times_utc,
        sun["apparent_zenith"].to_numpy(),
        sun["azimuth"].to_numpy(),
        clear["dni"].to_numpy() * ghi_scale,
        clear["ghi"].to_numpy() * ghi_scale,
        clear["dhi"].to_numpy() * ghi_scale,
        np.full(n, 25.0),
        np.full(n, 1.0),
        system,
    )


def test_clear_summer_day_stays_within_the_inverter_and_is_zero_at_night() -> None:
    system = PvSystem(capacity_kwp=1000.0, tilt_deg=20.0, azimuth_deg=180.0, inverter_kw=833.0)
    power = _day(system)
    assert power.min() >= 0.0
    assert power[:16].max() == 0.0 and power[-8:].max() == 0.0  # 00:00-04:00, 22:00-24:00
    assert 600.0 < power.max() <= 833.0
    daily_kwh = float(power.sum()) * 0.25
    assert 5000.0 < daily_kwh < 8000.0  # 5-8 kWh/kWp on a clear June day at 31°N


def test_losses_scale_the_dc_power() -> None:
    lossless = PvSystem(1000.0, 20.0, 180.0, inverter_kw=1200.0, losses_pct=0.0)
    default = PvSystem(1000.0, 20.0, 180.0, inverter_kw=1200.0)
    assert default.losses_pct == pytest.approx(14.08, abs=0.01) == PVWATTS_LOSSES_PCT
    ratio = _day(default).sum() / _day(lossless).sum()
    # the inverter's part-load efficiency bends the ratio slightly below 1 − losses
    assert 1 - PVWATTS_LOSSES_PCT / 100 - 0.02 < ratio < 1 - PVWATTS_LOSSES_PCT / 100
