"""Cumulative registers → intervals: steady load, outage, rollover, reset, spike, jump."""

from __future__ import annotations

import numpy as np
import pytest

from zeropark.domain.timeseries import (
    EventCode,
    Quality,
    RejectCode,
    ResetPolicy,
    hour_of_day_profile,
    registers_to_intervals,
)
from zeropark.errors import InputError

T0 = 1_704_067_200  # 2024-01-01T00:00:00Z
Q = 900  # 15 minutes
EST = int(Quality.ESTIMATED)


def quarter_hours(n: int, start: int = T0) -> np.ndarray:
    return start + Q * np.arange(n)


def test_steady_load_with_ct_multiplier() -> None:
    # 10 kW steady behind a 40:1 CT: the register advances 0.0625 per 15 min; 0.0625 × 40 = 2.5 kWh.
    register = 1234.0 + 0.0625 * np.arange(9)
    res = registers_to_intervals(
        quarter_hours(9), register, register_max=100_000, multiplier=40, nominal_interval_s=Q
    )
    np.testing.assert_allclose(res.quantity, [2.5] * 8)
    assert res.start_s.tolist() == quarter_hours(8).tolist()
    assert res.end_s.tolist() == quarter_hours(8, T0 + Q).tolist()
    assert (res.quality == Quality.MEASURED).all()
    assert res.rejections == () and res.events == ()
    assert res.conservation is not None
    assert res.conservation.register_difference == pytest.approx(20.0)  # 8 × 2.5
    assert res.conservation.residual == pytest.approx(0.0, abs=1e-9)


def test_three_hour_outage_is_spread_over_twelve_slots_and_flagged() -> None:
    # 4 kWh/h = 1 kWh per slot until 01:00; next reading 04:00 shows +18 kWh (3 h of 6 kWh/h).
    ts = np.append(quarter_hours(5), T0 + 4 * 3600)
    register = np.array([100.0, 101.0, 102.0, 103.0, 104.0, 122.0])
    res = registers_to_intervals(ts, register, register_max=100_000, nominal_interval_s=Q)
    assert res.quantity.size == 4 + 12
    np.testing.assert_allclose(res.quantity[:4], 1.0)
    np.testing.assert_allclose(res.quantity[4:], 18.0 / 12)  # 1.5 kWh in each missing slot
    assert (res.quality[:4] == 0).all() and (res.quality[4:] == EST).all()
    assert res.start_s[4:].tolist() == (T0 + 3600 + Q * np.arange(12)).tolist()
    assert res.total == pytest.approx(22.0)  # 122 − 100: nothing dumped, nothing zeroed
    assert res.estimated_total == pytest.approx(18.0)
    (outage,) = res.events_of(EventCode.OUTAGE)
    assert (outage.start_s, outage.end_s, outage.index) == (T0 + 3600, T0 + 4 * 3600, 5)
    assert "12 slots" in outage.detail


def test_reading_61_minutes_after_the_last() -> None:
    # 10:00 → 11:01 with +12.2: four full slots get 12.2 × 900/3660 = 3.0 each, the cut slot
    # 11:00–11:01 gets 12.2 × 60/3660 = 0.2; the next reading 11:16 is an ordinary interval.
    t10 = T0 + 10 * 3600
    ts = np.array([t10 - Q, t10, t10 + 3660, t10 + 3660 + Q])
    register = np.array([50.0, 51.0, 63.2, 64.2])
    res = registers_to_intervals(ts, register, register_max=None, nominal_interval_s=Q)
    np.testing.assert_allclose(res.quantity, [1.0, 3.0, 3.0, 3.0, 3.0, 0.2, 1.0])
    assert (res.start_s - t10).tolist() == [-900, 0, 900, 1800, 2700, 3600, 3660]
    assert (res.end_s - t10).tolist() == [0, 900, 1800, 2700, 3600, 3660, 4560]
    assert res.quality.tolist() == [0, EST, EST, EST, EST, EST, 0]
    assert res.total == pytest.approx(14.2)  # 64.2 − 50


def test_rollover_counts_across_the_wrap() -> None:
    # The register shows up to 99 999.9 and wraps to 0: register_max (the modulus) is 100 000.
    # 99 999.0 → 99 999.9: 0.9; 99 999.9 → 3.2: 3.2 + 100 000 − 99 999.9 = 3.3; 3.2 → 4.0: 0.8.
    res = registers_to_intervals(
        quarter_hours(4), [99_999.0, 99_999.9, 3.2, 4.0], register_max=100_000, max_rate_per_h=20
    )
    np.testing.assert_allclose(res.quantity, [0.9, 3.3, 0.8], atol=1e-6)
    (wrap,) = res.events_of(EventCode.ROLLOVER)
    assert wrap.index == 2 and "99999.9" in wrap.detail
    assert res.rejections == ()
    assert res.conservation is not None
    assert res.conservation.register_difference == pytest.approx(5.0)  # 4.0 + 100 000 − 99 999


def test_meter_replacement_is_a_reset_not_negative_consumption() -> None:
    # Old meter 5000 → 5002, new meter starts at 0 and reads 0.4, 1.4, 2.4.
    register = [5000.0, 5001.0, 5002.0, 0.4, 1.4, 2.4]
    res = registers_to_intervals(quarter_hours(6), register, register_max=100_000)
    # Counted from zero: the replacement interval gets 0.4, flagged estimated.
    np.testing.assert_allclose(res.quantity, [1.0, 1.0, 0.4, 1.0, 1.0])
    assert res.quality.tolist() == [0, 0, EST, 0, 0]
    assert (res.quantity >= 0).all()
    (reset,) = res.events_of(EventCode.RESET)
    assert reset.index == 3 and reset.start_s == T0 + 2 * Q
    assert res.conservation is not None
    # register difference: (5002 − 5000) + (2.4 − 0.4) = 4.0; counted at the reset: 0.4.
    assert res.conservation.register_difference == pytest.approx(4.0)
    assert res.conservation.reset_counted == pytest.approx(0.4)
    assert res.conservation.derived_total == pytest.approx(4.4)

    gap = registers_to_intervals(
        quarter_hours(6), register, register_max=100_000, reset_policy=ResetPolicy.GAP
    )
    np.testing.assert_allclose(gap.quantity, [1.0, 1.0, 1.0, 1.0])  # the reset interval is absent
    assert T0 + 2 * Q not in gap.start_s.tolist()
    assert gap.conservation is not None and gap.conservation.reset_counted == 0.0


def test_reset_start_larger_than_physical_is_left_uncounted() -> None:
    # New meter already reads 900 after 15 min, but the meter delivers at most 100 kW (25 kWh).
    res = registers_to_intervals(
        quarter_hours(5),
        [5000.0, 5001.0, 900.0, 901.0, 902.0],
        register_max=None,
        max_rate_per_h=100,
    )
    np.testing.assert_allclose(res.quantity, [1.0, 1.0, 1.0])
    (reset,) = res.events_of(EventCode.RESET)
    assert "uncounted" in reset.detail


def test_upward_spike_is_quarantined_and_the_next_reading_spans_the_gap() -> None:
    # 100 kW meter: at most 25 kWh per 15 min. 1002 → 9999 is 8997 kWh in 0.25 h = 35 988 kW.
    register = [1000.0, 1001.0, 1002.0, 9999.0, 1003.0, 1004.0]
    res = registers_to_intervals(
        quarter_hours(6), register, register_max=None, max_rate_per_h=100, nominal_interval_s=Q
    )
    (spike,) = res.rejections
    assert (spike.index, spike.code, spike.value) == (3, RejectCode.SPIKE, 9999.0)
    assert "35988 per h" in spike.reason and "maximum 100" in spike.reason
    assert spike.quarantined_quantity == 0.0
    # 1002 → 1003 spans 30 min: two slots of 0.5, estimated.
    np.testing.assert_allclose(res.quantity, [1.0, 1.0, 0.5, 0.5, 1.0])
    assert res.quality.tolist() == [0, 0, EST, EST, 0]
    assert res.conservation is not None
    assert res.conservation.quarantined == 0.0
    assert res.conservation.register_difference == pytest.approx(4.0)


def test_persistent_jump_is_quarantined_whole_and_reported() -> None:
    # 1001 → 9001 in 15 min (32 000 kW on a 100 kW meter), and the register stays up.
    register = [1000.0, 1001.0, 9001.0, 9002.0, 9003.0, 9004.0, 9005.0, 9006.0]
    res = registers_to_intervals(quarter_hours(8), register, register_max=None, max_rate_per_h=100)
    (jump,) = res.rejections
    assert (jump.index, jump.code, jump.quarantined_quantity) == (2, RejectCode.JUMP, 8000.0)
    np.testing.assert_allclose(res.quantity, [1.0] * 6)
    assert res.conservation is not None
    # 9006 − 1000 = 8006 advanced; 8000 quarantined; 6 derived.
    assert res.conservation.register_difference == pytest.approx(8006.0)
    assert res.conservation.quarantined == pytest.approx(8000.0)
    assert res.conservation.derived_total == pytest.approx(6.0)
    assert res.conservation.residual == pytest.approx(0.0)


def test_transient_zero_reading_is_a_drop_not_a_reset() -> None:
    res = registers_to_intervals(quarter_hours(4), [100.0, 101.0, 0.0, 102.0], register_max=100_000)
    (drop,) = res.rejections
    assert (drop.index, drop.code) == (2, RejectCode.DROP)
    assert res.events_of(EventCode.RESET) == ()
    np.testing.assert_allclose(res.quantity, [1.0, 1.0])


def test_outage_spread_by_hour_of_day_profile() -> None:
    # Outage 00:00–02:00 Shanghai time (16:00–18:00Z), +8 kWh; weights hour 0: 1, hour 1: 3.
    # Weights per slot 900 × (1,1,1,1,3,3,3,3) sum 16 × 900 → 0.5 per slot in hour 0, 1.5 in hour 1.
    start = T0 - 8 * 3600
    weights = [1.0, 3.0] + [1.0] * 22
    res = registers_to_intervals(
        [start, start + 7200],
        [10.0, 18.0],
        register_max=None,
        nominal_interval_s=Q,
        profile=hour_of_day_profile(weights, "Asia/Shanghai"),
    )
    np.testing.assert_allclose(res.quantity, [0.5] * 4 + [1.5] * 4)
    assert "by profile" in res.events[0].detail


def test_faulty_readings_are_rejected_with_input_positions() -> None:
    ts = [T0 + 2 * Q, T0, T0 + Q, T0 + Q, T0 + 3 * Q, T0 + 4 * Q]  # unsorted, one repeated
    register = [12.0, 10.0, 11.0, 11.5, np.nan, -3.0]
    res = registers_to_intervals(ts, register, register_max=100_000)
    codes = {r.index: r.code for r in res.rejections}
    assert codes == {
        3: RejectCode.DUPLICATE_TS,
        4: RejectCode.NOT_FINITE,
        5: RejectCode.OUT_OF_RANGE,
    }
    assert "with value 11.0" in next(r.reason for r in res.rejections if r.index == 3)
    np.testing.assert_allclose(res.quantity, [1.0, 1.0])


def test_bad_parameters_raise() -> None:
    with pytest.raises(InputError, match="register_max"):
        registers_to_intervals([T0, T0 + Q], [1.0, 2.0], register_max=0)
    with pytest.raises(InputError, match="one-dimensional"):
        registers_to_intervals([[T0, T0 + Q]], [[1.0, 2.0]], register_max=None)
    with pytest.raises(InputError, match="whole epoch seconds"):
        registers_to_intervals([T0 + 0.5, T0 + Q], [1.0, 2.0], register_max=None)


def test_result_arrays_are_read_only() -> None:
    res = registers_to_intervals(quarter_hours(3), [1.0, 2.0, 3.0], register_max=None)
    with pytest.raises(ValueError, match="read-only"):
        res.quantity[0] = 0.0


def test_a_year_of_quarter_hours_normalises_in_milliseconds() -> None:
    import time

    n = 35_040
    rng = np.random.default_rng(7)
    register = np.cumsum(rng.uniform(0, 5, n)) % 100_000
    register[rng.choice(n, 20, replace=False)] = 99_000.0  # a few spikes to resolve
    ts = quarter_hours(n)
    registers_to_intervals(
        ts, register, register_max=100_000, max_rate_per_h=25, nominal_interval_s=Q
    )
    began = time.perf_counter()
    res = registers_to_intervals(
        ts, register, register_max=100_000, max_rate_per_h=25, nominal_interval_s=Q
    )
    elapsed = time.perf_counter() - began
    assert res.conservation is not None and abs(res.conservation.residual) < 1e-6
    assert elapsed < 0.25, f"{elapsed * 1000:.1f} ms for a year of 15-minute readings"
