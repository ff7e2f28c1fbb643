"""The guiding indicators (引导性指标): moved to :mod:`zeropark.domain.indicators.guiding`
(pure rules); this module keeps the inventory service's import working."""

from __future__ import annotations

from zeropark.domain.indicators.guiding import (
    CLEAN_ENERGY_DEFINITIONS,
    GUIDING_INDICATORS,
    CleanEnergyDefinition,
    GuidingIndicator,
    guiding_indicators,
)

__all__ = [
    "CLEAN_ENERGY_DEFINITIONS",
    "GUIDING_INDICATORS",
    "CleanEnergyDefinition",
    "GuidingIndicator",
    "guiding_indicators",
]
