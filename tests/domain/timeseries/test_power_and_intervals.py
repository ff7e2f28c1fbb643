"""Power integration and interval-meter checks."""

from __future__ import annotations

import numpy as np
import pytest

from zeropark.domain.timeseries import (
    EventCode,
    Quality,
    RejectCode,
    check_interval_series,
    power_to_energy,
)
from zeropark.errors import InputError

T0 = 1_704_067_200  # 2024-01-01T00:00:00Z
Q = 900


def test_trapezoid_and_left_rules() -> None:
    # 0 kW at 0 s, 10 kW at 900 s: trapezoid (0 + 10)/2 × 0.25 h = 1.25 kWh; left 0 × 0.25 = 0.
    assert power_to_energy([T0, T0 + Q], [0.0, 10.0]).quantity.tolist() == [1.25]
    assert power_to_energy([T0, T0 + Q], [0.0, 10.0], rule="left").quantity.tolist() == [0.0]
    with pytest.raises(InputError, match="rule"):
        power_to_energy([T0, T0 + Q], [0.0, 10.0], rule="simpson")  # type: ignore[arg-type]


def test_steady_power_and_export() -> None:
    # 10 kW for an hour = 10 kWh; −4 kW (export) for 15 min = −1 kWh.
    res = power_to_energy(T0 + Q * np.arange(5), [10.0] * 5, nominal_interval_s=Q)
    assert res.total == pytest.approx(10.0)
    assert res.events == ()
    assert power_to_energy([T0, T0 + Q], [-4.0, -4.0]).total == pytest.approx(-1.0)


def test_power_gap_is_flagged_not_filled_unless_asked() -> None:
    ts = [T0, T0 + Q, T0 + Q + 3600]  # the third sample comes an hour late
    power = [10.0, 10.0, 10.0]
    res = power_to_energy(ts, power, nominal_interval_s=Q)
    assert res.quantity.tolist() == [2.5]  # the gap hour has no energy, not zero energy
    (gap,) = res.events_of(EventCode.GAP)
    assert (gap.start_s, gap.end_s) == (T0 + Q, T0 + Q + 3600)
    assert "left without energy" in gap.detail

    filled = power_to_energy(ts, power, nominal_interval_s=Q, fill_gaps=True)
    # The gap hour at 10 kW: 10 kWh, spread over 4 slots of 2.5, estimated.
    np.testing.assert_allclose(filled.quantity, [2.5] * 5)
    assert filled.quality.tolist() == [0] + [int(Quality.ESTIMATED)] * 4


def test_interval_meter_clean_series() -> None:
    res = check_interval_series(T0 + Q * np.arange(4), [1.0, 2.0, 3.0, 4.0], nominal_interval_s=Q)
    assert (res.end_s - res.start_s == Q).all()
    assert res.rejections == () and res.events == ()
    # Labelled by interval end: the reading at 00:15 is the interval 00:00–00:15.
    end_labelled = check_interval_series([T0 + Q], [1.0], nominal_interval_s=Q, label="end")
    assert (end_labelled.start_s[0], end_labelled.end_s[0]) == (T0, T0 + Q)


def test_interval_meter_faults() -> None:
    ts = [T0, T0 + 450, T0 + Q, T0 + Q, T0 + 4 * Q, T0 + 5 * Q, T0 + 6 * Q]
    quantity = [1.0, 1.0, 2.0, 2.0, -1.0, 99.0, 1.0]
    res = check_interval_series(ts, quantity, nominal_interval_s=Q, max_rate_per_h=40)
    codes = {r.index: r.code for r in res.rejections}
    assert codes == {
        1: RejectCode.MISALIGNED,
        3: RejectCode.DUPLICATE_TS,
        4: RejectCode.NEGATIVE,
        5: RejectCode.SPIKE,  # 99 in 15 min > 40 kW × 0.25 h = 10
    }
    assert "same value" in next(r.reason for r in res.rejections if r.index == 3)
    assert res.start_s.tolist() == [T0, T0 + Q, T0 + 6 * Q]
    # 00:30–01:30 missing: 4 intervals, reported, not zero-filled.
    (gap,) = res.events
    assert (gap.code, gap.start_s, gap.end_s) == (EventCode.GAP, T0 + 2 * Q, T0 + 6 * Q)
    assert gap.detail.startswith("4 interval(s) missing")


def test_five_minute_data_on_a_declared_fifteen_minute_meter() -> None:
    res = check_interval_series(T0 + 300 * np.arange(9), [1.0] * 9, nominal_interval_s=Q)
    assert sum(r.code == RejectCode.MISALIGNED for r in res.rejections) == 6
    assert res.start_s.tolist() == [T0, T0 + Q, T0 + 2 * Q]
