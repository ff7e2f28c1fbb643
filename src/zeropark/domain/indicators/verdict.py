"""Pass, fail or undetermined: one rule for every indicator with a threshold.

``undetermined`` has a reason: ``no_data`` (no value), ``no_threshold`` (the system has none for
this case, e.g. a park below the lowest energy band of the core indicator) or ``near_threshold``
(the value lies within ``margin`` of the threshold, so incomplete data could move it across: the
undetermined band). ``margin`` is in the indicator's unit; the scorecard derives it from the data
completeness (``docs/indicators.md``, "Undetermined band").
"""

from __future__ import annotations

from typing import Literal

__all__ = ["State", "judge"]

State = Literal["pass", "fail", "undetermined"]


def judge(
    value: float | None,
    threshold: float | None,
    *,
    higher_is_better: bool,
    margin: float = 0.0,
) -> tuple[State, str | None]:
    """The state of ``value`` against ``threshold`` and, when undetermined, the reason code.

    ``higher_is_better``: shares must reach the threshold (value ≥ threshold); intensities must
    stay at or below it (value ≤ threshold). ``margin`` [indicator unit] ≥ 0 is the undetermined
    band on both sides of the threshold.
    """
    if value is None:
        return "undetermined", "no_data"
    if threshold is None:
        return "undetermined", "no_threshold"
    if margin > 0 and abs(value - threshold) <= margin:
        return "undetermined", "near_threshold"
    ok = value >= threshold if higher_is_better else value <= threshold
    return ("pass" if ok else "fail"), None
