"""From observations to alerts: de-duplication, hysteresis and the quiet period.

One :class:`SubjectState` per (rule, subject) carries what the next observation needs. The
step function :func:`step` is a small state machine:

- breached while no alert is open → ``raise`` (one alert); later breaches while it is open
  raise nothing (de-duplication) and restart its recovery count;
- clean while an alert is open → count. The alert recovers (``recover``) once it has been
  clean for ``clear_after`` consecutive observations (hysteresis in time; the threshold kind
  adds hysteresis in value) **and** for at least ``quiet_period_s`` since the first of them
  (the quiet period). A breach in between cancels the pending recovery silently;
- undetermined (``breached is None``) → no change.

So a signal flapping across its limit keeps one alert open, and one recovery notice follows
once it has settled; a breach after that recovery is a new event and raises at once. People
acknowledge (no state change) and resolve by hand (the alert closes; if the condition still
holds at the next pass, it is raised anew).
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
    observations while open, the first at ``clean_since_s`` [UTC epoch s].
    ``recovered_at_s``: the last recovery [UTC epoch s].
    """

    alert_open: bool = False
    clean_streak: int = 0
    recovered_at_s: int | None = None
    clean_since_s: int | None = None


def step(
    state: SubjectState, obs: Observation, rule: Rule
) -> tuple[SubjectState, Transition | None]:
    """The state after ``obs`` and the transition it causes, if any."""
    if obs.breached is None:
        return state, None
    if obs.breached:
        if state.alert_open:
            return replace(state, clean_streak=0, clean_since_s=None), None
        return SubjectState(alert_open=True, recovered_at_s=state.recovered_at_s), "raise"
    if not state.alert_open:
        return state, None
    streak = state.clean_streak + 1
    since = obs.at_s if state.clean_since_s is None else state.clean_since_s
    if streak >= rule.clear_after and obs.at_s - since >= rule.quiet_period_s:
        return SubjectState(recovered_at_s=obs.at_s), "recover"
    return replace(state, clean_streak=streak, clean_since_s=since), None
