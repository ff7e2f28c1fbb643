"""Late data, re-imports, mixed good and bad rows, and corrections: what a batch may change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest_scenarios.conftest import (
    SLOT,
    T0,
    audit_log,
    corrections,
    fresh_park,
    ingest,
    quarantine,
    rollups,
    same_hours,
    series,
    stored,
    table_rows,
    write_csv,
)
from zeropark.service.database import Database

pytestmark = pytest.mark.usefixtures("park")


def _three_days() -> list[tuple[str, str, str]]:
    """1-3 March, 15-min register of ``main``: 1 unit per slot in even hours, 2 in odd ones
    (80 / 160 kWh per slot: 320 or 640 kWh per hour, never the daily average of 480)."""
    register, rows = 1000.0, []
    for i in range(3 * 96 + 1):
        rows += series("main", T0 + i * SLOT, [register])
        register += 1.0 if (i // 4) % 2 == 0 else 2.0
    return rows


def test_day_late_file_changes_exactly_the_touched_hours(park: Database, tmp_path: Path) -> None:
    rows = _three_days()
    day2 = [r for r in rows if r[1].startswith("2024-03-02") and r[1] != "2024-03-02T00:00"]
    first = [r for r in rows if r not in day2]
    ingest(park, write_csv(tmp_path / "days_1_3.csv", first))
    before = rollups(park, "main")
    # Day 2 missing: its 24 hours hold the spread (estimated) 2 March: (96 slots at 1.5) × 80 / 24.
    assert before["02 05"] == pytest.approx((480.0, 480.0, 3600))
    late = ingest(park, write_csv(tmp_path / "day_2.csv", day2))
    assert (late.accepted, late.rejected, late.estimated_intervals) == (95, 0, 0)
    after = rollups(park, "main")
    changed = {h for h in after if after[h] != before.get(h)}
    assert changed == {f"02 {h:02d}" for h in range(24)}
    untouched = set(after) - changed
    assert len(untouched) == 48 and all(after[h] == before[h] for h in untouched)  # identical
    assert after["02 00"] == (320.0, 0.0, 3600) and after["02 01"] == (640.0, 0.0, 3600)
    # The same as importing everything at once (a fresh park in a second database).
    with fresh_park(tmp_path / "clean.db") as clean:
        ingest(clean, write_csv(tmp_path / "all.csv", rows))
        assert same_hours(rollups(clean, "main"), after)


def test_same_file_twice_changes_nothing(park: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "twice.csv", series("main", T0, [1000 + 2.5 * i for i in range(49)])
    )
    first = ingest(park, path)
    state = (stored(park, "main"), rollups(park, "main"), table_rows(park, audit_log),
             table_rows(park, quarantine))  # fmt: skip
    second = ingest(park, path)
    assert (first.accepted, first.duplicates) == (49, 0)
    assert (second.received, second.duplicates, second.accepted, second.rejected) == (49, 49, 0, 0)
    assert second.hours_rerolled == 0
    assert state == (stored(park, "main"), rollups(park, "main"), table_rows(park, audit_log),
                     table_rows(park, quarantine))  # fmt: skip


MIXED = """meter,ts,value,quality
main,2024-03-01T00:00,1000,
main,2024-03-01T00:15,1002.5,measured
ghost,2024-03-01T00:15,5,
main,2024-13-01T00:30,1005,
main,2024-03-01T00:30,1005,
main,2024-03-01T00:45,abc,
,2024-03-01T00:45,1007.5,
main,2024-03-01T00:45,1007.5,great
main,2024-03-01T00:45,1007.5,
main,2024-03-01T00:45,1009,
main,2024-03-01T01:00,1010,estimated
"""


def test_mixed_good_and_bad_rows(park: Database, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    report = ingest(park, path)
    # 11 data rows (file rows 2-12): 5 good readings of main; 6 refused.
    assert report.received == 11 and report.accepted == 5 and report.rejected == 6
    assert dict(report.rejected_by_code) == {
        "bad_timestamp": 1, "bad_value": 1, "missing_meter": 1, "bad_quality": 1,
        "unknown_meter": 1, "conflicting_duplicate": 1,
    }  # fmt: skip
    held = {(r["location"], r["field"], r["code"]) for r in table_rows(park, quarantine)}
    assert held == {
        ("row 4", "value", "unknown_meter"),
        ("row 5", "ts", "bad_timestamp"),
        ("row 7", "value", "bad_value"),
        ("row 8", "meter", "missing_meter"),
        ("row 9", "quality", "bad_quality"),
        ("row 11", "value", "conflicting_duplicate"),
    }
    assert all(str(tmp_path) in r["source"] and r["reason"] for r in table_rows(park, quarantine))
    assert [v for _, v, _ in stored(park, "main")] == [1000, 1002.5, 1005, 1007.5, 1010]
    assert stored(park, "main")[-1][2] == 1  # quality estimated kept
    assert any(i.location == "row 5" and i.field == "ts" for i in report.issues)
    # A re-import reports the same rows but quarantines nothing twice.
    again = ingest(park, path)
    assert again.rejected == 6 and again.duplicates == 5
    assert len(table_rows(park, quarantine)) == 6


def test_corrected_reading_keeps_history(park: Database, tmp_path: Path) -> None:
    ingest(
        park, write_csv(tmp_path / "a.csv", series("main", T0, [1000 + 2.5 * i for i in range(9)]))
    )
    # 01:00 stored as 1010; a plain re-send of 1011 is a conflict, "corrected" replaces it.
    conflict = ingest(park, write_csv(tmp_path / "b.csv", [("main", "2024-03-01T01:00", "1011")]))
    assert dict(conflict.rejected_by_code) == {"conflict": 1}
    fix = write_csv(tmp_path / "c.csv", [("main", "2024-03-01T01:00", "1011", "corrected")],
                    header="meter,ts,value,quality")  # fmt: skip
    report = ingest(park, fix)
    assert report.corrected == 1 and report.rejected == 0
    (history,) = table_rows(park, corrections)
    assert (history["old_value"], history["new_value"]) == (1010.0, 1011.0)
    assert history["source"] == str(fix) and history["actor"] == "local-operator"
    # 00:00-01:00: (1011 - 1000) × 80 = 880; 01:00-02:00: (1020 - 1011) × 80 = 720.
    assert rollups(park, "main") == {"01 00": (880.0, 0.0, 3600), "01 01": (720.0, 0.0, 3600)}
