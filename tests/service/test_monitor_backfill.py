"""Back-evaluation of stored data: the planted event is found once, the clean rule is silent,
and the result equals live passes at each hour."""

from __future__ import annotations

from datetime import datetime

from tests.service.test_monitor import PARK, SYSTEM, ZONE, _at, _build, _ingest
from zeropark.clock import FixedClock
from zeropark.service.database import Database
from zeropark.service.monitor import rules_api
from zeropark.service.monitor.backfill import back_evaluate
from zeropark.service.monitor.engine import run_pass


def test_back_evaluation_finds_the_planted_hour_and_matches_live_passes(db: Database) -> None:
    db.clock = FixedClock(datetime(2024, 9, 20, tzinfo=ZONE))
    _build(db, days=9)
    # Days 9-11 at 25 kWh per 15 min (100 kW), but 80 kWh (320 kW) in the hour 14:00 of day 9.
    spike = {_at(9, 14, 15 * k) for k in range(1, 5)}
    later = range(_at(9, 0, 15), _at(12, 0) + 1, 900)
    _ingest(db, {"e_main": [(ts, 80.0 if ts in spike else 25.0) for ts in later]})
    common = {"target": {"meter": "e_main"}, "quiet_period_min": 0}
    rules_api.save_rule(
        db, SYSTEM, PARK, {"id": "peak", "kind": "threshold", "params": {"limit": 150}, **common}
    )
    rules_api.save_rule(
        db,
        SYSTEM,
        PARK,
        {"id": "profile", "kind": "profile_deviation", "params": {"days": 5}, **common},
    )
    rules_api.save_rule(
        db, SYSTEM, PARK, {"id": "calm", "kind": "threshold", "params": {"limit": 900}, **common}
    )
    result = back_evaluate(db, SYSTEM, PARK, _at(0, 0), _at(12, 0))
    assert result.events[("peak", "meter:e_main")] == [
        (_at(9, 14), "raise"),
        (_at(9, 15), "recover"),
    ]
    assert result.events[("profile", "meter:e_main")] == [
        (_at(9, 14), "raise"),
        (_at(9, 15), "recover"),
    ]
    assert ("calm", "meter:e_main") not in result.events and result.raised == 2
    # Live passes at the end of each hour of day 9 give the same alerts.
    raised = []
    for hour in range(12, 18):
        raised += run_pass(
            db, SYSTEM, PARK, now_s=_at(9, hour, 59), rule_ids=["peak", "profile"]
        ).raised
    assert len(raised) == 2
