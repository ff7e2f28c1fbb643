"""The planted leak (跑冒滴漏) of the demo park, for waste detection to find.

From the morning after the National Day holiday, 2024-10-08 00:00 local, a compressed-air leak
(a cracked header and a drain valve stuck open) keeps the metal-products tenant's compressor
station ``e_metal_air`` running at :data:`LEAK_KW` more, day and night, to the end of the year.
The tenant works one day shift on workdays, so the leak shows as a night and weekend base load
about half above its normal level. It is added to the sub-meter before the tenant main meter
sums its sub-meters, so every meter above it (``e_metal_main``, ``grid_main``) carries it too.
``docs/demo-park.md`` and ``docs/waste-detection.md`` describe it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.days import STEP_S, TimeGrid

__all__ = ["LEAK_KW", "LEAK_METER", "LEAK_START", "leak_kwh"]

LEAK_METER = "e_metal_air"
LEAK_KW = 45.0
#: Park-local start of the leak (month, day) in the demo year.
LEAK_START = (10, 8)


def leak_kwh(grid: TimeGrid, timezone: str) -> npt.NDArray[np.float64]:
    """Energy of the leak per 15-minute step [kWh] (zero before it starts)."""
    month, day = LEAK_START
    start = int(dt.datetime(grid.year, month, day, tzinfo=ZoneInfo(timezone)).timestamp())
    # a step's quantity is the 15 minutes ending at its time stamp
    on = grid.ts_s - STEP_S >= start
    return np.where(on, LEAK_KW * STEP_S / 3600.0, 0.0)
