"""The zero-carbon park core indicator: moved to :mod:`zeropark.domain.indicators.core`; this
module keeps the accounting engine's import working."""

from __future__ import annotations

from zeropark.domain.indicators.core import ParkIndicator, park_indicator

__all__ = ["ParkIndicator", "park_indicator"]
