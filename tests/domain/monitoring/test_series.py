"""The back-evaluation over whole series gives the same events as evaluating hour by hour."""

from __future__ import annotations

import numpy as np

from tests.domain.monitoring.test_rules import HOURS, START_S, TZ, _at, _load_kw
from zeropark.domain.monitoring import evaluate as ev
from zeropark.domain.monitoring import series
from zeropark.domain.monitoring.lifecycle import SubjectState, step
from zeropark.domain.monitoring.rules import Rule


def _stepwise(rule: Rule, observe) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    state, out = SubjectState(), []
    for i in range(HOURS):
        state, event = step(state, observe(i, state.alert_open), rule)
        if event:
            out.append((_at(i), event))
    return out


def test_threshold_series_equals_stepwise() -> None:
    rule = Rule(
        "p", "threshold", "meter", "m", {"limit": 300, "clear_margin": 20}, quiet_period_s=0
    )
    load = _load_kw(HOURS)
    load[400:404], load[404] = 350.0, 290.0
    expected = _stepwise(
        rule, lambda i, o: ev.threshold(rule, "m", _at(i), float(load[i]), "kWh", is_open=o)
    )
    assert series.transitions(rule, START_S, *series.threshold_series(rule, load)) == expected
    assert [e for _, e in expected] == ["raise", "recover"]


def test_profile_series_equals_stepwise_with_the_holiday_calendar() -> None:
    rule = Rule("d", "profile_deviation", "meter", "m", {"days": 5}, quiet_period_s=3600)
    load = _load_kw(HOURS)
    night = 24 * 22 + 2
    load[night : night + 3] = 150.0

    def observe(i: int, _: bool):  # type: ignore[no-untyped-def]
        hours = ev.comparable_hours(_at(i), TZ, days=5)
        ref = [float(load[(h - START_S) // 3600]) if h >= START_S else np.nan for h in hours]
        return ev.profile_deviation(rule, "m", _at(i), float(load[i]), ref, "kWh")

    offsets = series.comparable_offsets(START_S, HOURS, TZ, days=5)
    got = series.transitions(rule, START_S, *series.profile_deviation_series(rule, load, offsets))
    assert got == _stepwise(rule, observe) == [(_at(night), "raise"), (_at(night + 4), "recover")]


def test_rate_and_estimated_share_and_no_data_series() -> None:
    rule = Rule("r", "rate_of_change", "meter", "m", {"max_change_pct": 500}, quiet_period_s=0)
    load = _load_kw(HOURS)
    load[300] = load[299] * 8
    assert series.transitions(rule, START_S, *series.rate_of_change_series(rule, load)) == [
        (_at(300), "raise"),
        (_at(301), "recover"),
    ]
    share = Rule("e", "estimated_share", "meter", "m", {"max_share_pct": 20}, quiet_period_s=0)
    est = np.zeros(96)
    est[40:50] = 1.0
    got = series.transitions(
        share, START_S, *series.estimated_share_series(share, est, np.ones(96))
    )
    assert got == [(_at(44), "raise"), (_at(69), "recover")]  # as test_rules, hand-checked there
    silent = Rule("n", "no_data", "meter", "m", {"minutes": 90}, quiet_period_s=0)
    covered = np.ones(48, bool)
    covered[20:26] = False
    got = series.transitions(silent, START_S, *series.no_data_series(silent, covered))
    assert got == [(_at(21), "raise"), (_at(26), "recover")]  # two silent hours ≥ 90 min
