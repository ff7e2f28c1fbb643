"""Rules are evaluated as readings arrive: the HTTP/MQTT/Modbus batch paths and the file import
call the monitor's hook after the committed batch; parks without rules pay one query."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.service.test_monitor import PARK, SYSTEM, ZONE, _at, _build
from zeropark.clock import FixedClock
from zeropark.service import alerts
from zeropark.service.database import Database
from zeropark.service.ingest import ingest_readings_file
from zeropark.service.live_ingest import ingest_records
from zeropark.service.monitor import rules_api

PEAK = {"id": "peak", "kind": "threshold", "target": {"meter": "e_main"}, "params": {"limit": 150}}


def _iso(ts_s: int) -> str:
    return datetime.fromtimestamp(ts_s, ZONE).isoformat()


def test_a_batch_with_a_planted_peak_raises_without_a_scheduled_pass(db: Database) -> None:
    _build(db, days=2)
    rules_api.save_rule(db, SYSTEM, PARK, PEAK)
    db.clock = FixedClock(datetime.fromtimestamp(_at(2, 0, 30), ZONE))
    records = [{"meter": "e_main", "ts": _iso(_at(2, 0, 15 * k)), "value": 90.0} for k in (1, 2)]
    ingest_records(db, SYSTEM, PARK, records, source="test")
    rows, _ = alerts.list_alerts(db, SYSTEM, PARK)
    assert [(a["rule_id"], a["status"]) for a in rows] == [("peak", "open")]
    assert rows[0]["details"]["value"] == 360.0  # 90 kWh per 15 min = 360 kW
    # The built-in data-quality rules are left to the scheduled pass (no silent_meter alert).
    assert {a["kind"] for a in rows} == {"threshold"}


def test_a_file_import_runs_the_hook_and_a_park_without_rules_raises_nothing(
    db: Database, tmp_path: Path
) -> None:
    _build(db, days=2)
    db.clock = FixedClock(datetime.fromtimestamp(_at(2, 1), ZONE))
    csv = tmp_path / "r.csv"
    rows = [f"e_main,{_iso(_at(2, 0, 15 * k))},95" for k in (1, 2, 3, 4)]
    csv.write_text("meter,ts,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ingest_readings_file(db, SYSTEM, PARK, csv)
    assert alerts.list_alerts(db, SYSTEM, PARK)[1] == 0  # no rules: nothing evaluated
    rules_api.save_rule(db, SYSTEM, PARK, PEAK)
    csv.write_text("meter,ts,value\n" + f"e_main,{_iso(_at(2, 1, 15))},95\n", encoding="utf-8")
    db.clock = FixedClock(datetime.fromtimestamp(_at(2, 1, 15), ZONE))
    ingest_readings_file(db, SYSTEM, PARK, csv)
    listed, total = alerts.list_alerts(db, SYSTEM, PARK)
    assert total == 1 and listed[0]["details"]["value"] == 380.0  # hour 01: 95 kWh in 15 min
