"""The injectable clock (zeropark.clock): system, fixed and replayed time, and ZEROPARK_CLOCK."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from zeropark.clock import (
    CLOCK_ENV,
    Clock,
    FixedClock,
    ReplayClock,
    SystemClock,
    default_clock,
    parse_clock,
)
from zeropark.errors import ConfigError

AT = datetime(2024, 7, 1, tzinfo=timezone(timedelta(hours=8)))


def test_fixed_clock_stands_still_in_utc() -> None:
    clock = FixedClock(AT)
    assert isinstance(clock, Clock)
    assert clock.now() == AT and clock.now().tzinfo is UTC
    assert clock.now() == clock.now()
    assert clock.now_s() == AT.timestamp() == datetime(2024, 6, 30, 16, tzinfo=UTC).timestamp()


def test_a_time_without_offset_is_refused() -> None:
    with pytest.raises(ConfigError, match="UTC offset"):
        FixedClock(datetime(2024, 7, 1))
    with pytest.raises(ConfigError, match="UTC offset"):
        parse_clock("2024-07-01T00:00:00")


def test_replay_runs_from_its_start_at_its_speed() -> None:
    ticks = iter([100.0, 100.0, 160.0, 160.0])
    clock = ReplayClock(AT, speed=60, monotonic=lambda: next(ticks))
    assert clock.now() == AT  # no monotonic time has passed
    assert clock.now_s() == AT.timestamp() + 60 * 60  # a minute later: an hour of park time
    assert clock.now() == AT + timedelta(hours=1)


@pytest.mark.parametrize("speed", [0.0, -1.0, float("inf"), float("nan")])
def test_replay_speed_must_be_positive_and_finite(speed: float) -> None:
    with pytest.raises(ConfigError, match="speed"):
        ReplayClock(AT, speed=speed)


def test_environment_names_the_default_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CLOCK_ENV, raising=False)
    assert isinstance(default_clock(), SystemClock)
    monkeypatch.setenv(CLOCK_ENV, "system")
    assert isinstance(default_clock(), SystemClock)
    monkeypatch.setenv(CLOCK_ENV, "2024-07-01T00:00:00+08:00")
    assert default_clock() == FixedClock(AT)
    monkeypatch.setenv(CLOCK_ENV, "replay:2024-07-01T00:00:00+08:00@3600")
    replay = default_clock()
    assert isinstance(replay, ReplayClock)
    assert (replay.start, replay.speed) == (AT, 3600.0)
    assert replay.now() >= AT
    for bad in ("yesterday", "replay:2024-07-01T00:00:00+08:00@fast", "replay:soon"):
        monkeypatch.setenv(CLOCK_ENV, bad)
        with pytest.raises(ConfigError, match=CLOCK_ENV):
            default_clock()


def test_system_clock_is_aware_utc() -> None:
    clock = SystemClock()
    assert clock.now().tzinfo is UTC
    assert isinstance(clock.now_s(), float)
