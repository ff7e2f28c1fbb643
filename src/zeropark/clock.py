"""The injectable clock: the one place zeropark asks what time it is (system | fixed | replay).

Code never reads the wall clock itself (``datetime.now``, ``time.time``, ``date.today``; a test
forbids them outside this module). It asks a :class:`Clock`:

- :class:`SystemClock` — the operating system's time (the default);
- :class:`FixedClock` — one instant that never moves (tests, demos, "as of" answers);
- :class:`ReplayClock` — time that runs from a given start at a given speed, measured on the
  monotonic clock (backtests and replays of recorded data at a past time, faster than real time).

How the clock gets around (docs/architecture.md, "The clock"): a
:class:`~zeropark.service.database.Database` carries one (``db.clock``, from
:func:`default_clock` unless given), every transaction it opens carries it on its connection,
and a use case reads ``db.clock`` (or ``store.clock_of(conn)`` where it only holds a
connection). ``ZEROPARK_CLOCK`` sets the process default: unset or ``system`` for the system
clock, an ISO 8601 time with its UTC offset (``2024-07-01T00:00:00+08:00``) for a fixed clock,
``replay:<time>`` or ``replay:<time>@<speed>`` for a replay. The domain never reads a clock:
time comes in as an argument.

Durations (rate limiters, cache lifetimes, MQTT batching, polling schedules) are measured with
``time.monotonic`` where they happen: they ask how long, not what time it is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from zeropark.errors import ConfigError

__all__ = [
    "CLOCK_ENV",
    "Clock",
    "FixedClock",
    "ReplayClock",
    "SystemClock",
    "default_clock",
    "parse_clock",
]

#: The environment variable that sets the process's default clock.
CLOCK_ENV = "ZEROPARK_CLOCK"


@runtime_checkable
class Clock(Protocol):
    """What time it is: ``now()`` as an aware UTC datetime, ``now_s()`` as UTC epoch seconds."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def now_s(self) -> float:
        """The current instant as seconds since the UTC epoch."""
        ...


def _aware_utc(at: datetime, what: str) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ConfigError(f"{what} needs a UTC offset (e.g. 2024-07-01T00:00:00+08:00): {at}")
    return at.astimezone(UTC)


class SystemClock:
    """The operating system's time."""

    def now(self) -> datetime:
        """The system's current instant in UTC."""
        return datetime.now(UTC)

    def now_s(self) -> float:
        """The system's current time [UTC epoch s]."""
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock standing still at ``at`` (aware; stored in UTC)."""

    at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", _aware_utc(self.at, "a fixed clock's time"))

    def now(self) -> datetime:
        """Always ``at``."""
        return self.at

    def now_s(self) -> float:
        """Always ``at`` [UTC epoch s]."""
        return self.at.timestamp()


@dataclass(slots=True)
class ReplayClock:
    """Time running from ``start`` at ``speed`` times real time, from when the clock was made.

    ``now() = start + (monotonic() - base) × speed``, where ``base`` is the monotonic time at
    construction: a replay at ``speed=60`` passes an hour of park time per real minute, and the
    system clock being set meanwhile does not disturb it. ``monotonic`` may be replaced (tests).
    """

    start: datetime
    speed: float = 1.0
    monotonic: Callable[[], float] = field(default=time.monotonic, repr=False)
    base: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.start = _aware_utc(self.start, "a replay's start")
        if not (self.speed > 0 and self.speed < float("inf")):
            raise ConfigError(f"a replay's speed must be positive and finite, not {self.speed}")
        self.base = self._tick()

    def _tick(self) -> float:
        return float(self.monotonic())

    def now(self) -> datetime:
        """``start`` plus the monotonic time elapsed since construction, times ``speed``."""
        return self.start + timedelta(seconds=(self._tick() - self.base) * self.speed)

    def now_s(self) -> float:
        """:meth:`now` [UTC epoch s]."""
        return self.start.timestamp() + (self._tick() - self.base) * self.speed


def _parse_time(text: str, what: str) -> datetime:
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{CLOCK_ENV}: {what} is not an ISO 8601 time: {text!r}") from None
    return _aware_utc(at, f"{CLOCK_ENV} ({what})")


def parse_clock(spec: str | None) -> Clock:
    """The clock a ``ZEROPARK_CLOCK`` value names (module doc); unset or ``system``: the system."""
    text = (spec or "").strip()
    if not text or text.lower() == "system":
        return SystemClock()
    if text.lower().startswith("replay:"):
        body = text[len("replay:") :]
        start, _, speed = body.partition("@")
        try:
            rate = float(speed) if speed.strip() else 1.0
        except ValueError:
            raise ConfigError(f"{CLOCK_ENV}: the replay speed is not a number: {speed!r}") from None
        return ReplayClock(_parse_time(start, "the replay's start"), rate)
    return FixedClock(_parse_time(text, "the fixed time"))


def default_clock() -> Clock:
    """The process's default clock: ``ZEROPARK_CLOCK`` if set, else the system clock.

    Read when a :class:`~zeropark.service.database.Database` is opened (not per call), so a
    replay runs from when its database was opened.
    """
    return parse_clock(os.environ.get(CLOCK_ENV))
