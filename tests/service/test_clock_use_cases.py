"""Use cases run at the time of the database's clock (zeropark.clock), as if the time were given.

A database opened with a :class:`FixedClock` in 2024 answers as a call that passes that time
explicitly, and stamps what it writes (alerts, audit entries) with it: a replay or a backtest
runs the system at a past time.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.service import inventory_park as ip
from zeropark.clock import FixedClock, SystemClock
from zeropark.service import alerts
from zeropark.service.database import Database
from zeropark.service.live_ingest import ingest_records

AT = datetime(2024, 1, 5, 9, tzinfo=ZoneInfo(ip.TZ))


def _open(db: Database) -> list[tuple[str, dict[str, object]]]:
    rows, _ = alerts.list_alerts(db, ip.SYSTEM, ip.PARK, status="open")
    return sorted((str(a["subject"]), dict(a["details"])) for a in rows)


def test_alert_check_at_a_fixed_clock_equals_the_check_at_that_time(db: Database) -> None:
    ip.build(db)
    db.clock = FixedClock(AT)
    by_clock = alerts.check_data_quality(db, ip.SYSTEM, ip.PARK)
    assert by_clock.raised and not by_clock.resolved
    at_clock = _open(db)
    rows, _ = alerts.list_alerts(db, ip.SYSTEM, ip.PARK, status="open")
    assert {a["raised_at"] for a in rows} == {AT}  # stamped with the clock's time
    for alert_id in by_clock.raised:
        alerts.resolve_alert(db, ip.SYSTEM, ip.PARK, alert_id, "again")
    db.clock = SystemClock()
    explicit = alerts.check_data_quality(db, ip.SYSTEM, ip.PARK, now_s=int(AT.timestamp()))
    assert len(explicit.raised) == len(by_clock.raised) and not explicit.resolved
    assert _open(db) == at_clock
    assert {d["checked_at_s"] for _, d in at_clock if "checked_at_s" in d} == {AT.timestamp()}


def test_reading_plausibility_follows_the_clock(db: Database) -> None:
    """A reading of 2 January 2024 is ahead of a clock set to 1 December 2023, not of 2024-01-05."""
    ip.build(db)
    record = {"meter": "main", "ts": "2024-01-02T12:00:00+08:00", "value": 1.0}
    db.clock = FixedClock(datetime(2023, 12, 1, tzinfo=ZoneInfo(ip.TZ)))
    early = ingest_records(db, ip.SYSTEM, ip.PARK, [record], source="early")
    explicit = ingest_records(
        db,
        ip.SYSTEM,
        ip.PARK,
        [record],
        source="early-explicit",
        now_s=datetime(2023, 12, 1, tzinfo=ZoneInfo(ip.TZ)).timestamp(),
    )
    assert (
        dict(early.rejected_by_code) == dict(explicit.rejected_by_code) == {"implausible_time": 1}
    )
    db.clock = FixedClock(AT)
    later = ingest_records(db, ip.SYSTEM, ip.PARK, [record], source="later")
    assert (later.accepted, later.rejected) == (1, 0)
