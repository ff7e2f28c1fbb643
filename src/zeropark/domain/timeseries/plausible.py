"""Plausible reading times: the window a meter's readings must fall in, from its commissioning
date and the clock.

A reading at ``ts`` is plausible when ``earliest <= ts <= latest``:

- ``earliest`` is the latest of: the floor date (default 2000-01-01), the meter's commissioning
  date (both at park-local midnight), and ``now - max_age_days`` when a maximum age is set;
- ``latest`` is ``now + clock_skew_s`` (default one day: a device clock running ahead).

A reading outside is not stored and creates no rollup: one reading dated 1800 would otherwise
make the hourly rollups span two centuries, and one dated 2100 would stand as the meter's
latest register and make every real reading after it look like a fall. ``now`` is an argument:
the caller owns the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries.quality import iso_utc

__all__ = ["DEFAULT_EARLIEST", "TimeWindow", "TimeWindowRules", "plausible_window"]

DEFAULT_EARLIEST = date(2000, 1, 1)
"""No reading of a meter connected to zeropark is older than this unless the rules say so."""


@dataclass(frozen=True, slots=True)
class TimeWindowRules:
    """The park-independent part of the window (the settings ``ZEROPARK_READINGS_*``).

    ``earliest``: the floor date; ``max_age_days``: readings older than this many days before
    now are refused (``None``: no limit, history loads of any age after the floor); and
    ``clock_skew_s`` [s]: how far ahead of now a device clock may run.
    """

    earliest: date = DEFAULT_EARLIEST
    max_age_days: int | None = None
    clock_skew_s: int = 86_400

    def __post_init__(self) -> None:
        if self.max_age_days is not None and self.max_age_days < 1:
            raise ValueError(f"max_age_days must be at least 1, got {self.max_age_days}")
        if self.clock_skew_s < 0:
            raise ValueError(f"clock_skew_s must not be negative, got {self.clock_skew_s}")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """The plausible times ``[lo_s, hi_s]`` of one meter, and what set each bound (in words,
    English and Chinese)."""

    lo_s: int
    hi_s: int
    lo_by: str
    hi_by: str
    lo_by_zh: str = ""
    hi_by_zh: str = ""

    def outside(self, ts_s: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of ``ts_s`` lie outside the window."""
        mask: npt.NDArray[np.bool_] = (ts_s < self.lo_s) | (ts_s > self.hi_s)
        return mask

    def describe(self) -> str:
        """The window in words, e.g. ``2000-01-01T... (floor date) to ... (now + 1 day)``."""
        return f"{iso_utc(self.lo_s)} ({self.lo_by}) to {iso_utc(self.hi_s)} ({self.hi_by})"

    def describe_zh(self) -> str:
        """The window in Chinese words (``…（下限 2000-01-01） 至 …（现在 + 24 小时时钟偏差）``)."""
        lo = f"（{self.lo_by_zh}）" if self.lo_by_zh else ""
        hi = f"（{self.hi_by_zh}）" if self.hi_by_zh else ""
        return f"{iso_utc(self.lo_s)}{lo} 至 {iso_utc(self.hi_s)}{hi}"

    def reason(self, ts_s: int) -> str:
        """Why a reading at ``ts_s`` is refused."""
        return f"time {iso_utc(ts_s)} is outside the plausible window {self.describe()}"


def _local_midnight_s(day: date, timezone: str) -> int:
    return int(datetime.combine(day, time(), tzinfo=ZoneInfo(timezone)).timestamp())


def plausible_window(
    now_s: float,
    rules: TimeWindowRules,
    *,
    timezone: str,
    commissioned: date | None = None,
) -> TimeWindow:
    """The window of a meter commissioned on ``commissioned`` (park-local date), at ``now_s``.

    Pure: ``now_s`` [epoch s] is the caller's clock. When the commissioning date is after
    ``now + clock_skew_s`` the window is empty (every reading is refused, and the reason says
    why).
    """
    now = int(now_s)
    candidates = [
        (
            _local_midnight_s(rules.earliest, timezone),
            f"floor {rules.earliest}",
            f"下限 {rules.earliest}",
        )
    ]
    if commissioned is not None:
        candidates.append(
            (
                _local_midnight_s(commissioned, timezone),
                f"meter commissioned {commissioned}",
                f"电表投运于 {commissioned}",
            )
        )
    if rules.max_age_days is not None:
        candidates.append(
            (
                now - rules.max_age_days * 86_400,
                f"now - {rules.max_age_days} days maximum age",
                f"现在 - 最长 {rules.max_age_days} 天",
            )
        )
    lo_s, lo_by, lo_by_zh = max(candidates)
    skew = rules.clock_skew_s
    if skew % 3600 == 0:
        hi_by, hi_by_zh = (
            f"now + {skew // 3600} h clock skew",
            f"现在 + {skew // 3600} 小时时钟偏差",
        )
    else:
        hi_by, hi_by_zh = f"now + {skew} s", f"现在 + {skew} 秒时钟偏差"
    return TimeWindow(lo_s, now + skew, lo_by, hi_by, lo_by_zh, hi_by_zh)
