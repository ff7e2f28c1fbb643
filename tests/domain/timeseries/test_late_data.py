"""Late readings: the span of readings, intervals and hours to recompute."""

from __future__ import annotations

from functools import partial

import numpy as np

from zeropark.domain.timeseries import affected_span, registers_to_intervals

T0 = 1_704_067_200  # 2024-01-01T00:00:00Z = 08:00 Shanghai
Q = 900


def test_backfill_inside_an_outage_touches_only_the_outage() -> None:
    # Stored: 00:00..01:00Z every 15 min, then 04:00Z and 04:15Z (an outage 01:00–04:00Z).
    stored = np.concatenate([T0 + Q * np.arange(5), [T0 + 4 * 3600, T0 + 4 * 3600 + Q]])
    late = [T0 + 2 * 3600]  # the gateway's buffered 02:00Z reading arrives
    (span,) = affected_span(stored, late, lookahead=0)
    # Anchor 01:00Z (index 4), sync 04:00Z (index 5); re-run readings 4..5 (stop 6).
    assert (span.first_reading, span.stop_reading) == (4, 6)
    assert (span.replace_start_s, span.replace_end_s) == (T0 + 3600, T0 + 4 * 3600)
    assert span.hour_start_s.tolist() == [T0 + 3600, T0 + 2 * 3600, T0 + 3 * 3600]
    starts = T0 + Q * np.arange(12)
    assert span.replaces(starts, starts + Q).tolist() == [False] * 4 + [True] * 8


def test_lookahead_widens_the_span_backwards_and_adds_context() -> None:
    stored = T0 + Q * np.arange(20)
    (span,) = affected_span(stored, [T0 + 10 * Q + 60], lookahead=4)
    # Inserted before index 11: anchor index 11 − 4 − 1 = 6, sync 11, context to 11 + 4.
    assert (span.first_reading, span.stop_reading) == (6, 16)
    assert (span.replace_start_s, span.replace_end_s) == (T0 + 6 * Q, T0 + 11 * Q)


def test_anchor_skips_quarantined_readings_and_corrections_are_not_sync() -> None:
    stored = T0 + Q * np.arange(10)
    (span,) = affected_span(stored, [T0 + 5 * Q], quarantined_ts_s=[T0 + 3 * Q], lookahead=1)
    # A corrected reading at index 5: anchor must be ≤ 5 − 2 = 3, but 3 was discarded → 2;
    # the sync is the next accepted reading after the corrected one, index 6.
    assert (span.first_reading, span.stop_reading) == (2, 8)
    assert (span.replace_start_s, span.replace_end_s) == (T0 + 2 * Q, T0 + 6 * Q)


def test_late_readings_far_apart_give_two_spans_and_near_ones_merge() -> None:
    stored = T0 + Q * np.arange(40)
    spans = affected_span(stored, [T0 + 2 * Q + 1, T0 + 3 * Q + 1, T0 + 30 * Q + 1], lookahead=0)
    assert [(s.first_reading, s.stop_reading) for s in spans] == [(2, 5), (30, 32)]


def test_windowed_rerun_matches_a_full_run() -> None:
    # A series with a spike; the 06:00 reading arrives late.
    ts = T0 + Q * np.arange(30)
    register = 100.0 + np.arange(30.0)
    register[8] = 5000.0  # spike
    late_pos = 10
    stored_ts, stored_reg = np.delete(ts, late_pos), np.delete(register, late_pos)
    run = partial(
        registers_to_intervals, register_max=100_000.0, max_rate_per_h=10.0, nominal_interval_s=Q
    )
    stored = run(stored_ts, stored_reg)
    (span,) = affected_span(stored_ts, [ts[late_pos]], quarantined_ts_s=stored.discarded_ts_s)
    window = slice(span.first_reading, span.stop_reading)
    rerun = run(
        np.append(stored_ts[window], ts[late_pos]),
        np.append(stored_reg[window], register[late_pos]),
    )
    assert span.is_synced(rerun)
    full = run(ts, register)
    keep_old = ~span.replaces(stored.start_s, stored.end_s)
    take_new = span.replaces(rerun.start_s, rerun.end_s)
    merged_start = np.concatenate([stored.start_s[keep_old], rerun.start_s[take_new]])
    merged_qty = np.concatenate([stored.quantity[keep_old], rerun.quantity[take_new]])
    order = np.argsort(merged_start)
    assert merged_start[order].tolist() == full.start_s.tolist()
    np.testing.assert_allclose(merged_qty[order], full.quantity)
