"""Each rule kind fires once on a planted event and stays silent on a clean series; a flapping
signal gives one alert and one recovery (docs/monitoring.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from zeropark.domain.monitoring import evaluate as ev
from zeropark.domain.monitoring.lifecycle import SubjectState, step
from zeropark.domain.monitoring.rules import Observation, Projection, Rule, rule_problems

TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
#: Monday 2 September 2024, 00:00 park time: four ordinary weeks follow (no holiday until
#: the Mid-Autumn Festival on 15-17 September 2024 — State Council notice 国办发明电〔2023〕7号).
START_S = int(dt.datetime(2024, 8, 5, tzinfo=ZONE).timestamp())
HOURS = 24 * 28


def _load_kw(hours: int, seed: int = 1) -> np.ndarray:
    """A working-day office load: 200 kW by day (8-18 h) on workdays, 50 kW otherwise, ±3 %."""
    rng = np.random.default_rng(seed)
    out = np.empty(hours)
    for i in range(hours):
        moment = dt.datetime.fromtimestamp(START_S + 3600 * i, ZONE)
        working = moment.weekday() < 5
        out[i] = 200.0 if working and 8 <= moment.hour < 18 else 50.0
    return out * (1 + rng.uniform(-0.03, 0.03, hours))


def _run(
    rule: Rule, observe: Callable[[int, bool], Observation], hours: range
) -> list[tuple[int, str]]:
    state = SubjectState()
    events = []
    for i in hours:
        obs = observe(i, state.alert_open)
        state, transition = step(state, obs, rule)
        if transition:
            events.append((i, transition))
    return events


def _at(i: int) -> int:
    return START_S + 3600 * i


def test_threshold_fires_once_on_a_plant_and_recovers() -> None:
    rule = Rule(
        "peak", "threshold", "meter", "m", {"limit": 300, "clear_margin": 20}, quiet_period_s=0
    )
    load = _load_kw(HOURS)

    def observe(i: int, is_open: bool, series: np.ndarray = load) -> Observation:
        return ev.threshold(rule, "meter:m", _at(i), float(series[i]), "kWh", is_open=is_open)

    assert _run(rule, observe, range(HOURS)) == []
    planted = load.copy()
    planted[400:404] = 350.0  # four hours over the limit
    planted[404] = 290.0  # between limit − margin and limit: still open (hysteresis in value)
    events = _run(rule, lambda i, o: observe(i, o, planted), range(HOURS))
    assert events == [(400, "raise"), (405, "recover")]


def test_rate_of_change_fires_once_on_a_step() -> None:
    rule = Rule("jump", "rate_of_change", "meter", "m", {"max_change_pct": 500}, quiet_period_s=0)
    load = _load_kw(HOURS)

    def observe(i: int, _: bool, series: np.ndarray = load) -> Observation:
        prev = float(series[i - 1]) if i else None
        return ev.rate_of_change(rule, "meter:m", _at(i), float(series[i]), prev, "kWh")

    # A clean series changes 50 → 200 kW at 8:00 (+300 %): below the 500 % limit.
    assert _run(rule, observe, range(HOURS)) == []
    planted = load.copy()
    planted[300] = planted[299] * 8  # a sevenfold jump in one hour (+700 %)
    events = _run(rule, lambda i, o: observe(i, o, planted), range(HOURS))
    # Raised at the jump; the drop back (−87.5 %) is within the limit: recovered next hour.
    assert events == [(300, "raise"), (301, "recover")]


def _comparable_reference(series: np.ndarray, i: int, days: int) -> list[float]:
    hours = ev.comparable_hours(_at(i), TZ, days=days)
    return [float(series[(h - START_S) // 3600]) if h >= START_S else np.nan for h in hours]


def test_profile_deviation_fires_once_on_a_night_load_and_not_on_weekends() -> None:
    rule = Rule(
        "profile", "profile_deviation", "meter", "m", {"days": 5, "max_deviation_pct": 30},
        quiet_period_s=3600,
    )  # fmt: skip
    load = _load_kw(HOURS)

    def observe(i: int, _: bool, series: np.ndarray = load) -> Observation:
        ref = _comparable_reference(series, i, 5)
        return ev.profile_deviation(rule, "meter:m", _at(i), float(series[i]), ref, "kWh")

    # Weekends (50 kW all day) are compared with weekends, workdays with workdays: silent.
    assert _run(rule, observe, range(HOURS)) == []
    planted = load.copy()
    night = 24 * 22 + 2  # Tuesday 27 August 2024, 02:00: a workday night
    planted[night : night + 3] = 150.0  # three hours at 3x the night load
    events = _run(rule, lambda i, o: observe(i, o, planted), range(HOURS))
    # Clean again from night + 3; the recovery is declared after a quiet hour.
    assert events == [(night, "raise"), (night + 4, "recover")]


def test_comparable_hours_follow_the_holiday_calendar() -> None:
    # Sunday 29 September 2024 is a make-up workday (调休上班, 国办发明电〔2023〕7号); 1-7 October
    # are the National Day holiday. Monday 14 October 09:00's comparable days are working days.
    at = int(dt.datetime(2024, 10, 14, 9, tzinfo=ZONE).timestamp())
    days = [dt.datetime.fromtimestamp(h, ZONE) for h in ev.comparable_hours(at, TZ, days=8)]
    assert all(d.hour == 9 for d in days)
    dates = [d.date() for d in days]
    assert dt.date(2024, 10, 12) in dates  # a Saturday worked (make-up workday)
    assert dt.date(2024, 10, 7) not in dates and dt.date(2024, 10, 13) not in dates
    assert dt.date(2024, 9, 29) in dates


def test_no_data_fires_once_per_silence() -> None:
    rule = Rule("silent", "no_data", "meter", "m", {"minutes": 90}, quiet_period_s=0)
    arrivals = [_at(i) for i in range(48) if not 20 <= i < 26]  # six hours without readings

    def observe(i: int, _: bool) -> Observation:
        seen = max((a for a in arrivals if a <= _at(i)), default=None)
        return ev.no_data(rule, "meter:m", _at(i), seen, None)

    assert _run(rule, observe, range(20)) == []
    # Silent from 19:00 on; over 90 minutes at 21:00 (120 min); data again at 26:00.
    assert _run(rule, observe, range(48)) == [(21, "raise"), (26, "recover")]


def test_estimated_share_fires_once() -> None:
    rule = Rule(
        "est", "estimated_share", "meter", "m", {"max_share_pct": 20, "window_hours": 24},
        quiet_period_s=0,
    )  # fmt: skip
    estimated = np.zeros(96)
    estimated[40:50] = 1.0  # ten hours of filled data
    quantity = np.full(96, 1.0)

    def observe(i: int, _: bool) -> Observation:
        lo = max(0, i - 23)
        return ev.estimated_share(
            rule, "meter:m", _at(i), estimated[lo : i + 1].sum(), quantity[lo : i + 1].sum()
        )

    clean = _run(rule, lambda i, o: ev.estimated_share(rule, "m", _at(i), 0.0, 24.0), range(96))
    assert clean == []
    events = _run(rule, observe, range(96))
    # Window [i−23, i]: 5/24 = 20.8 % first at hour 44; at hour 69 the window [46, 69] holds
    # four estimated hours, 4/24 = 16.7 % ≤ 20 %.
    assert events == [(44, "raise"), (69, "recover")]


def test_open_quarantine_fires_once() -> None:
    rule = Rule("q", "open_quarantine", "park", None, quiet_period_s=0)
    counts = [0, 0, 3, 3, 5, 0, 0]
    events = _run(rule, lambda i, o: ev.open_quarantine(rule, "park", _at(i), counts[i]), range(7))
    assert events == [(2, "raise"), (5, "recover")]


def test_projected_exceedance_compares_the_providers_projection() -> None:
    rule = Rule(
        "budget", "projected_exceedance", "budget", "b",
        {"provider": "p", "key": "b", "margin_pct": 2}, quiet_period_s=0,
    )  # fmt: skip
    projected = [9_800.0, 10_100.0, 10_300.0, 10_400.0, 9_900.0]

    def observe(i: int, _: bool) -> Observation:
        proj = Projection("b", projected[i], 10_000.0, "tCO2", "预计超支", "projected overrun")
        return ev.projected_exceedance(rule, "budget:b", _at(i), proj)

    # 10,100 is within the 2 % margin (limit + 200); 10,300 passes it.
    assert _run(rule, observe, range(5)) == [(2, "raise"), (4, "recover")]
    floor = Projection("re", 18.0, 20.0, "%", "", "", direction="below")
    assert floor.exceeds() and not floor.exceeds(margin_pct=15)
    assert ev.projected_exceedance(rule, "x", 0, None).breached is None


def test_flapping_signal_gives_one_alert_and_one_recovery() -> None:
    """A signal crossing its limit every 15 minutes for three hours, then settling clean
    (default quiet period: one hour)."""
    rule = Rule("flap", "threshold", "meter", "m", {"limit": 100})
    values = [120.0 if k % 3 == 0 else 80.0 for k in range(12)] + [80.0] * 12
    state = SubjectState()
    events = []
    for k, value in enumerate(values):
        at = START_S + 900 * k
        obs = ev.threshold(rule, "meter:m", at, value, "kWh", is_open=state.alert_open)
        state, transition = step(state, obs, rule)
        if transition:
            events.append(transition)
    assert events == ["raise", "recover"]


def test_a_recovery_waits_for_the_quiet_period_and_a_later_breach_raises_anew() -> None:
    rule = Rule("flap", "threshold", "meter", "m", {"limit": 100}, quiet_period_s=1800)
    values = [120.0, 80.0, 80.0, 120.0, 80.0, 80.0, 80.0, 120.0]  # 15-minute steps
    state = SubjectState()
    events = []
    for k, value in enumerate(values):
        obs = ev.threshold(rule, "m", START_S + 900 * k, value, "kWh", is_open=state.alert_open)
        state, transition = step(state, obs, rule)
        events.append(transition)
    # Clean at 15 and 30 min (quiet only 15 min so far), breach at 45 min: the same alert holds.
    # Clean from 60 min; at 90 min it has been quiet 30 min: recovered. 105 min: a new alert.
    assert events == ["raise", None, None, None, None, None, "recover", "raise"]


def test_clear_after_needs_consecutive_clean_observations() -> None:
    rule = Rule("x", "threshold", "meter", "m", {"limit": 100}, clear_after=3, quiet_period_s=0)
    values = [120.0, 80.0, 80.0, 120.0, 80.0, 80.0, 80.0]
    state, events = SubjectState(), []
    for k, value in enumerate(values):
        obs = ev.threshold(rule, "m", START_S + 900 * k, value, "kWh", is_open=state.alert_open)
        state, transition = step(state, obs, rule)
        events.append(transition)
    assert events == ["raise", None, None, None, None, None, "recover"]


def test_undetermined_observations_change_nothing() -> None:
    rule = Rule("x", "threshold", "meter", "m", {"limit": 100})
    state = SubjectState(alert_open=True, clean_streak=0)
    obs = ev.threshold(rule, "m", START_S, None, "kWh", is_open=True)
    assert obs.breached is None and step(state, obs, rule) == (state, None)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (Rule("a", "threshold", "meter", "m", {}), "params"),
        (Rule("a", "threshold", "indicator", "i", {"limit": 1}), "target"),
        (Rule("a", "no_data", "meter", "m", {"minutes": -5}), "params"),
        (Rule("a", "no_data", "meter", "m", {"minutes": 5, "speed": 1}), "params"),
        (Rule("a", "no_data", "meter", "m", {"minutes": 5}, clear_after=0), "clear_after"),
        (Rule("a", "threshold", "meter", "m", {"limit": 1, "direction": "up"}), "params"),
    ],
)
def test_invalid_rules_are_named(rule: Rule, field: str) -> None:
    problems = rule_problems(rule)
    assert problems and problems[0][0] == field
    assert rule_problems(Rule("a", "threshold", "meter", "m", {"limit": 1})) == []
