"""Excel readings, the activities template round trip, quarantine review, export and quality,
end to end through the real CLI on the scenario park."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tests.ingest_scenarios.conftest import (
    SLOT,
    T0,
    audit_log,
    corrections,
    ingest,
    quarantine,
    rollups,
    series,
    table_rows,
    write_csv,
)
from zeropark.cli import app
from zeropark.service.database import Database
from zeropark.store.schema import activity_records

pytestmark = pytest.mark.usefixtures("park")
runner = CliRunner()


def run(db: Database, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--lang", "en", "--db", db.url, *args])
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_excel_readings_file_same_as_csv(park: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["表计", "时间", "读数"])  # Chinese headers, datetime cells (park-local)
    for i in range(9):
        sheet.append(["main", T0 + i * SLOT, 1000 + 2.5 * i])
    book.save(tmp_path / "readings.xlsx")
    code, out, err = run(park, "import", "readings", str(tmp_path / "readings.xlsx"))
    assert code == 0, err
    assert "accepted 9" in " ".join(out.split())
    assert rollups(park, "main") == {"01 00": (800.0, 0.0, 3600), "01 01": (800.0, 0.0, 3600)}


def test_import_strict_and_json_report(park: Database, tmp_path: Path) -> None:
    rows = [*series("main", T0, [1000, 1002.5]), ("main", "yesterday", "1")]
    path = write_csv(tmp_path / "r.csv", rows)
    code, out, _ = run(park, "import", "readings", str(path), "--strict", "--format", "json")
    assert code == 65
    report = json.loads(out)
    assert (report["accepted"], report["rejected"], report["rejected_by_code"]) == (
        2, 1, {"bad_timestamp": 1},
    )  # fmt: skip
    first = report["issues"][0]
    assert (first["location"], first["field"], first["code"]) == ("row 4", "ts", "bad_timestamp")
    code, out, _ = run(park, "import", "readings", str(path))
    assert code == 0 and "duplicate 2" in " ".join(out.split())


def _fill(path: Path, rows: list[list[object]]) -> None:
    book = load_workbook(path)
    sheet = book["activities"]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column, value)
    book.save(path)


def test_activities_template_round_trip(park: Database, tmp_path: Path) -> None:
    path = tmp_path / "act.xlsx"
    code, _, err = run(park, "template", "activities", "--out", str(path), "--lang", "zh")
    assert code == 0, err
    book = load_workbook(path)
    assert book.sheetnames == ["activities", "lists", "说明 instructions"]
    assert book["lists"].sheet_state == "hidden"
    assert book["activities"]["A1"].value == "主体(园区或企业) entity"
    lists = [c.value for c in book["lists"]["A"] if c.value]
    assert lists == ["情景园区 (sp)", "甲公司 (t_a)"]
    assert len(book["activities"].data_validations.dataValidation) == 4
    _fill(path, [
        ["情景园区 (sp)", "2024-03", "化石燃料燃烧 (fuel_combustion)", "柴油", 12.5, "t"],
        ["甲公司 (t_a)", "2024-03", "fuel_combustion", "天然气", 1.2, "万Nm3"],
        ["t_a", "2024-Q1", "逸散排放 (fugitive)", "R-410A", 3, "kg"],
        ["sp", "2024-03", "工业生产过程 (process)", "石灰石", 40, "t"],
        ["t_a", "2024", "产品产量/产值 (output)", "产值", 5600, "万元"],
        ["sp", "2024", "绿电/绿证 (green_electricity)", "绿证", 2000, "MWh"],
        ["sp", "2024-03", "废弃物处理 (waste)", "一般工业固废", 8, "t"],
        ["sp", "2024-03", "工业生产过程 (process)", "柴油", 1, "t"],  # row 9: not a material
        ["nobody", "2024-03", "fuel_combustion", "柴油", 1, "t"],  # row 10: unknown entity
        ["sp", "2024-13", "fuel_combustion", "柴油", 1, "t"],  # row 11: bad period
        ["sp", "2024-03", "fuel_combustion", "汽油", "abc", "t"],  # row 12: bad quantity
    ])  # fmt: skip
    code, out, _ = run(park, "import", "activities", str(path), "--strict")
    assert code == 65
    text = " ".join(out.split())
    assert "received 11, accepted 7" in text and "rejected 4" in text
    held = {(r["location"], r["field"], r["code"]) for r in table_rows(park, quarantine)}
    assert held == {
        ("row 9", "item", "item_category_mismatch"),
        ("row 10", "entity", "unknown_entity"),
        ("row 11", "period", "bad_period"),
        ("row 12", "quantity", "bad_number"),
    }
    stored = {
        (r["entity"], r["category"], r["item"], r["unit"])
        for r in table_rows(park, activity_records)
    }
    assert ("sp", "fuel_combustion", "diesel", "t") in stored
    assert ("t_a", "output", "产值", "万元") in stored and len(stored) == 7
    # Re-import: all duplicates, nothing new in quarantine or audit.
    audit_before = table_rows(park, audit_log)
    code, out, _ = run(park, "import", "activities", str(path))
    assert code == 0 and "duplicate 7" in " ".join(out.split())
    assert len(table_rows(park, quarantine)) == 4 and table_rows(park, audit_log) == audit_before
    # Fix the period of row 11 from quarantine.
    bad_period = next(r["id"] for r in table_rows(park, quarantine) if r["code"] == "bad_period")
    code, _, err = run(park, "quarantine", "resubmit", str(bad_period), "--value", "2024-12")
    assert code == 0, err
    assert len(table_rows(park, activity_records)) == 8


def test_quarantine_resubmit_and_dismiss(park: Database, tmp_path: Path) -> None:
    values = [1000 + 2.5 * i for i in range(13)]
    values[6] += 500  # 01:30 spike (see test_register_scenarios)
    rows = [
        *series("main", T0, values),
        ("main", "2024-03-01T03:15", "oops"),
        ("main", "2024-03-01T99:00", "1031"),
    ]
    ingest(park, write_csv(tmp_path / "spike.csv", rows))
    by_code = {r["code"]: r for r in table_rows(park, quarantine)}
    spike, bad, bad_time = by_code["spike"], by_code["bad_value"], by_code["bad_timestamp"]
    code, out, _ = run(park, "quarantine", "list")
    assert code == 0 and "spike" in out and "bad_value" in out
    # The corrected register value replaces the stored spike: quality corrected, history kept.
    code, _, err = run(park, "quarantine", "resubmit", str(spike["id"]), "--value", "1015")
    assert code == 0, err
    (history,) = table_rows(park, corrections)
    assert (history["old_value"], history["new_value"]) == (1515.0, 1015.0)
    assert rollups(park, "main")["01 01"] == (800.0, 0.0, 3600)  # measured again
    # A row whose value did not parse keeps its meter and park-local time (03:15): resubmit the
    # right register value; 03:00-03:15 is then (1032.5 - 1030) x 80 = 200 kWh in hour 03.
    assert "01 03" not in rollups(park, "main")
    code, _, err = run(park, "quarantine", "resubmit", str(bad["id"]), "--value", "1032.5")
    assert code == 0, err
    assert rollups(park, "main")["01 03"] == (200.0, 0.0, 900)
    # A row whose time did not parse cannot be placed: fix the file, or dismiss it.
    code, _, err = run(park, "quarantine", "resubmit", str(bad_time["id"]), "--value", "1031")
    assert code == 65 and "time is unreadable" in err
    code, _, err = run(park, "quarantine", "dismiss", str(bad_time["id"]), "--reason", "typo")
    assert code == 0, err
    # A conflicting value (02:00 stored as 1020): an impossible one is refused and stays open.
    ingest(park, write_csv(tmp_path / "conflict.csv", [("main", "2024-03-01T02:00", "1021")]))
    conflict = max(table_rows(park, quarantine), key=lambda r: r["id"])
    assert conflict["code"] == "conflict"
    code, _, err = run(park, "quarantine", "resubmit", str(conflict["id"]), "--value", "9999")
    assert code == 65 and "maximum" in err
    assert max(table_rows(park, quarantine), key=lambda r: r["id"])["status"] == "open"
    code, _, err = run(park, "quarantine", "resubmit", str(conflict["id"]), "--value", "1021")
    assert code == 0, err
    assert [r["new_value"] for r in table_rows(park, corrections)] == [1015.0, 1021.0]
    statuses = {r["code"]: r["status"] for r in table_rows(park, quarantine)}
    assert statuses == {
        "spike": "resubmitted",
        "bad_value": "resubmitted",
        "bad_timestamp": "dismissed",
        "conflict": "resubmitted",
    }
    actions = [r["action"] for r in table_rows(park, audit_log)]
    assert actions[-3:] == ["quarantine.dismiss", "readings.batch", "quarantine.resubmit"]
    code, _, err = run(park, "quarantine", "dismiss", str(bad["id"]), "--reason", "again")
    assert code == 65 and "already resolved" in err


def _export(db: Database, *args: str) -> list[dict[str, str]]:
    code, out, err = run(db, "readings", "export", *args)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_export_physical_and_virtual(park: Database, tmp_path: Path) -> None:
    # main: 800 kWh/h 00:00-03:00. sub: 200 kWh/h, but no readings 01:15-01:45: its hour 01
    # is spread (estimated) — and with no reading between 01:00 and 02:00 at all, hour 01 of
    # ``rest`` would be missing. Here sub lacks 02:15-03:00, so its hour 02 is absent.
    rows = series("main", T0, [1000 + 2.5 * i for i in range(13)])
    rows += series("sub", T0, [100 + 50 * i for i in range(9)])
    ingest(park, write_csv(tmp_path / "two.csv", rows))
    quarter = _export(park, "--meter", "main", "--from", "2024-03-01T01:00", "--to",
                      "2024-03-01T02:00", "--interval", "15min")  # fmt: skip
    assert [(r["start"], r["quantity"], r["quality"]) for r in quarter] == [
        (f"2024-03-01T01:{m:02d}:00+08:00", "200.0", "measured") for m in (0, 15, 30, 45)
    ]
    hours = _export(park, "--meter", "rest", "--from", "2024-03-01", "--to", "2024-03-01T04:00")
    # rest = main - sub = 800 - 200 = 600 where both are complete; hour 02 lacks sub: missing.
    assert [(r["quantity"], r["quality"]) for r in hours] == [
        ("600.0", "measured"), ("600.0", "measured"), ("", "missing"), ("", "missing"),
    ]  # fmt: skip
    day = _export(park, "--meter", "main", "--from", "2024-03-01", "--to", "2024-03-02",
                  "--interval", "day", "--park", "sp")  # fmt: skip
    assert [(r["start"], r["quantity"], r["coverage"]) for r in day] == [
        ("2024-03-01T00:00:00+08:00", "2400.0", str(3 / 24))
    ]
    code, _, err = run(park, "readings", "export", "--meter", "rest", "--from", "2024-03-01",
                       "--to", "2024-03-02", "--interval", "15min")  # fmt: skip
    assert code == 65 and "hourly" in err


def test_quality_per_meter_and_day(park: Database, tmp_path: Path) -> None:
    rows = series("main", T0, [1000 + 2.5 * i for i in range(97)])  # all of 1 March
    rows += series("sub", T0, [100 + 50 * i for i in range(49)])  # 00:00-12:00
    rows += [("sub", "2024-03-01T12:15", "-5")]  # out of range: quarantined
    ingest(park, write_csv(tmp_path / "q.csv", rows))
    code, out, err = run(park, "data", "quality", "--from", "2024-03-01", "--to", "2024-03-02",
                         "--period", "day", "--format", "json")  # fmt: skip
    assert code == 0, err
    report = {r["meter"]: r for r in json.loads(out)}
    assert report["main"]["coverage"] == 1.0 and report["main"]["estimated_share"] == 0.0
    assert report["main"]["last_seen"] == "2024-03-01T23:45:00+08:00"  # 03-02 00:00 is outside
    assert report["sub"]["coverage"] == 0.5 and report["sub"]["open_quarantine"] == 1
    assert report["sub"]["last_seen"] == "2024-03-01T12:15:00+08:00"
    assert datetime.fromisoformat(report["sub"]["period_start"]) == datetime.fromisoformat(
        "2024-03-01T00:00:00+08:00"
    )
