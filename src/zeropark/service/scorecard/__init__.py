"""Use cases of the zero-carbon scorecard (:mod:`.compute`) and its periods (:mod:`.periods`)."""

from zeropark.service.scorecard.compute import (
    Scorecard,
    ScorecardFigures,
    scorecard,
    scorecard_figures,
    scorecard_to_dict,
)
from zeropark.service.scorecard.periods import LIVE, ScorePeriod, resolve_period

__all__ = [
    "LIVE",
    "ScorePeriod",
    "Scorecard",
    "ScorecardFigures",
    "resolve_period",
    "scorecard",
    "scorecard_figures",
    "scorecard_to_dict",
]
