"""Invariants: conservation, rollup totals, order independence, idempotence.

Late-data windows are property-tested on the pipeline itself
(``tests/ingest_scenarios/test_late_windows.py``).
"""

from __future__ import annotations

from functools import partial

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import zeropark.domain.timeseries as ts_pkg
from zeropark.domain.timeseries import (
    ResetPolicy,
    hourly_rollup,
    registers_to_intervals,
)

T0 = 1_704_067_200
MAX = 10_000.0
ZONES = ["Asia/Shanghai", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"]

steps_s = st.lists(st.integers(60, 20_000), min_size=1, max_size=60)
# Increments below 10 % of the register range, so every wrap is a plausible rollover.
increments = st.floats(0.0, 0.099 * MAX, allow_nan=False)


@st.composite
def wrapping_meter(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, float]:
    gaps = draw(steps_s)
    inc = np.array(draw(st.lists(increments, min_size=len(gaps), max_size=len(gaps))))
    start = draw(st.floats(0.0, MAX - 1.0))
    ts = T0 + np.concatenate([[0], np.cumsum(gaps)])
    register = np.mod(start + np.concatenate([[0.0], np.cumsum(inc)]), MAX)
    return ts, register, float(inc.sum())


@settings(max_examples=150, deadline=None)
@given(wrapping_meter(), st.sampled_from([None, 900]))
def test_conservation_across_rollovers(
    meter: tuple[np.ndarray, np.ndarray, float], nominal: int | None
) -> None:
    ts, register, consumed = meter
    res = registers_to_intervals(ts, register, register_max=MAX, nominal_interval_s=nominal)
    assert res.rejections == ()
    assert res.conservation is not None
    tol = 1e-6 * max(1.0, consumed)
    assert abs(res.total - consumed) <= tol  # sum of intervals == register difference
    assert abs(res.conservation.register_difference - consumed) <= tol
    assert abs(res.conservation.residual) <= tol


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(0.0, MAX, exclude_max=True), min_size=2, max_size=50),
    st.sampled_from([None, 40.0]),
    st.sampled_from(list(ResetPolicy)),
)
def test_balance_identity_for_arbitrary_readings(
    values: list[float], max_rate: float | None, policy: ResetPolicy
) -> None:
    ts = T0 + 900 * np.arange(len(values))
    res = registers_to_intervals(
        ts,
        values,
        register_max=MAX,
        max_rate_per_h=max_rate,
        reset_policy=policy,
        nominal_interval_s=900,
    )
    c = res.conservation
    assert c is not None
    # sum of intervals + quarantined == register difference (+ what resets counted)
    assert abs(c.residual) <= 1e-6 * max(1.0, c.register_difference + c.reset_counted)
    assert abs(c.derived_total - res.total) <= 1e-6 * max(1.0, abs(res.total))
    assert (res.quantity >= 0).all()
    assert (res.end_s > res.start_s).all() and (res.start_s[1:] >= res.end_s[:-1]).all()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40_000), st.integers(1, 20_000)), min_size=1, max_size=40),
    st.sampled_from(ZONES),
    st.integers(0, 3 * 365),
)
def test_rollup_total_equals_interval_total_and_is_idempotent(
    pieces: list[tuple[int, int]], tz: str, day: int
) -> None:
    start = T0 + day * 86_400 + np.cumsum([gap for gap, _ in pieces])
    start = start + np.concatenate([[0], np.cumsum([d for _, d in pieces])[:-1]])
    end = start + np.array([d for _, d in pieces])
    qty = np.linspace(0.5, 3.0, len(pieces))
    r = hourly_rollup(start, end, qty, tz=tz)
    assert abs(r.total - qty.sum()) <= 1e-9 * qty.sum()
    assert int(r.coverage_s.sum()) == int((end - start).sum())
    assert (r.coverage_s <= r.hour_end_s - r.hour_start_s).all()
    again = hourly_rollup(r.hour_start_s, r.hour_end_s, r.quantity, tz=tz)
    assert again.hour_start_s.tolist() == r.hour_start_s.tolist()
    np.testing.assert_allclose(again.quantity, r.quantity, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.0, MAX, exclude_max=True), min_size=2, max_size=40))
def test_input_order_does_not_matter_and_runs_are_deterministic(values: list[float]) -> None:
    ts = T0 + 900 * np.arange(len(values))
    perm = np.random.default_rng(len(values)).permutation(len(values))
    run = partial(
        registers_to_intervals, register_max=MAX, max_rate_per_h=40.0, nominal_interval_s=900
    )
    a = run(ts, values)
    b = run(ts[perm], np.asarray(values)[perm])
    c = run(ts, values)
    for x in (b, c):
        assert x.start_s.tolist() == a.start_s.tolist()
        assert x.quantity.tolist() == a.quantity.tolist()
        assert x.quality.tolist() == a.quality.tolist()
    assert [(r.ts_s, r.code) for r in b.rejections] == [(r.ts_s, r.code) for r in a.rejections]
    assert [perm[r.index] for r in b.rejections] == [r.index for r in a.rejections]


def test_public_names_resolve() -> None:
    for name in ts_pkg.__all__:
        assert getattr(ts_pkg, name) is not None, name
