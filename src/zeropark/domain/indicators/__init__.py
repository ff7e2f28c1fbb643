"""Indicators of the zero-carbon park (零碳园区指标): the core indicator, the guiding indicators,
the indicator systems (national, provincial staged), product limits, operating indicators and
the one pass / fail / undetermined rule. Pure functions; ``docs/indicators.md`` has every
formula and source."""

from zeropark.domain.indicators.core import (
    NATIONAL_BANDS,
    ParkIndicator,
    band_threshold,
    park_indicator,
)
from zeropark.domain.indicators.gaps import Gap, gap_text
from zeropark.domain.indicators.systems import DEFAULT_SYSTEM, SYSTEMS, IndicatorSystem
from zeropark.domain.indicators.verdict import State, judge

__all__ = [
    "DEFAULT_SYSTEM",
    "NATIONAL_BANDS",
    "SYSTEMS",
    "Gap",
    "IndicatorSystem",
    "ParkIndicator",
    "State",
    "band_threshold",
    "gap_text",
    "judge",
    "park_indicator",
]
