"""From observations to alerts: de-duplication, hysteresis and the quiet period.

One :class:`SubjectState` per (rule, subject) carries what the next observation needs. The
step function :func:`step` is a small state machine:

- breached, no alert open, not in a quiet period → ``raise`` (one alert; later breaches while it
  is open raise nothing: de-duplication);
- clean while an alert is open → count; the ``clear_after``-th consecutive clean observation
  → ``recover`` (hysteresis in time; the threshold kind adds hysteresis in value);
- breached within ``quiet_period_s`` after a recovery → nothing now (``held``); if the breach
  still holds when the quiet period ends → ``raise``; a clean observation drops it;
- undetermined (``breached is None``) → no change.

So a signal flapping faster than the quiet period yields one alert and one recovery notice.
Acknowledging is done by people and does not change this state; resolving by hand closes the
alert (``alert_open`` false) and starts a quiet period like a recovery.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from zeropark.domain.monitoring.rules import Observation, Rule

__all__ = ["SubjectState", "Transition", "step"]

Transition = Literal["raise", "recover"]


@dataclass(frozen=True, slots=True)
class SubjectState:
    """What the lifecycle remembers of one (rule, subject) between evaluations.

    ``alert_open``: an alert is open or acknowledged. ``clean_streak``: consecutive clean
    observations while open. ``recovered_at_s``: the last recovery [UTC epoch s].
    ``held_since_s``: a breach seen in the quiet period, not yet raised.
    """

    alert_open: bool = False
    clean_streak: int = 0
    recovered_at_s: int | None = None
    held_since_s: int | None = None


def step(
    state: SubjectState, obs: Observation, rule: Rule
) -> tuple[SubjectState, Transition | None]:
    """The state after ``obs`` and the transition it causes, if any."""
    if obs.breached is None:
        return state, None
    if obs.breached:
        if state.alert_open:
            return replace(state, clean_streak=0), None
        quiet = (
            state.recovered_at_s is not None
            and obs.at_s - state.recovered_at_s < rule.quiet_period_s
        )
        if quiet:
            held = state.held_since_s if state.held_since_s is not None else obs.at_s
            return replace(state, held_since_s=held), None
        return SubjectState(alert_open=True, recovered_at_s=state.recovered_at_s), "raise"
    if state.alert_open:
        streak = state.clean_streak + 1
        if streak >= rule.clear_after:
            return SubjectState(recovered_at_s=obs.at_s), "recover"
        return replace(state, clean_streak=streak), None
    if state.held_since_s is not None:
        return replace(state, held_since_s=None), None
    return state, None
