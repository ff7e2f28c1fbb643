"""Hostile input to the readings and activities pipelines (issue #9, findings 4, 7 and 9).

Nothing a sender can put in a batch makes the pipeline fail with an unexpected error or write
half of it: implausible times are quarantined and create no rollups, times pandas cannot hold
and NUL characters are refused row by row, a stored value is never told to the sender, and a
file import that stops part-way says which chunks and rows it stored. On SQLite and PostgreSQL
(PostgreSQL refuses NUL in text, which SQLite stores).
"""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.ingest_scenarios.conftest import (
    PARK,
    PARK_YAML,
    SYSTEM,
    ingest,
    rollups,
    stored,
    table_rows,
    write_csv,
)
from zeropark.domain.access import Principal
from zeropark.domain.timeseries import TimeWindowRules
from zeropark.errors import InputError, PartialImport
from zeropark.ingest.files import chunk_sizes
from zeropark.service.activities_io import import_activities_file, import_activity_records
from zeropark.service.database import Database
from zeropark.service.ingest import ingest_readings_file
from zeropark.service.live_ingest import ingest_records
from zeropark.service.park_file import parse_park_text
from zeropark.service.parks import apply_park
from zeropark.store.readings import count_readings, meter_refs
from zeropark.store.schema import hourly_rollups, quarantine

pytestmark = pytest.mark.usefixtures("park")

GATEWAY = Principal("gw-probe", "gateway", frozenset({PARK}), meter_ids=frozenset({"main", "sub"}))
NOW_S = 1717200000  # 2024-06-01T00:00Z: the clock of these tests


def _rollup_rows(db: Database) -> int:
    with db.transaction() as conn:
        return int(conn.execute(select(func.count()).select_from(hourly_rollups)).scalar_one())


def _readings(db: Database) -> int:
    with db.transaction() as conn:
        keys = [r.key for r in meter_refs(conn, SYSTEM, PARK).values()]
        return count_readings(conn, SYSTEM, keys)


def _codes(db: Database) -> list[str]:
    return [r["code"] for r in table_rows(db, quarantine)]


def _send(db: Database, rows: list[tuple[str, str, str]], **kwargs: object):  # type: ignore[no-untyped-def]
    records: list[dict[str, object]] = [{"meter": m, "ts": t, "value": v} for m, t, v in rows]
    kwargs.setdefault("now_s", NOW_S)
    return ingest_records(db, GATEWAY, PARK, records, source="gw-probe", **kwargs)  # type: ignore[arg-type]


# --- finding 4: implausible times ------------------------------------------------------------


def test_implausible_times_are_quarantined_and_create_no_rollups(park: Database) -> None:
    first = _send(
        park, [("main", "2024-03-01T00:00", "1000"), ("main", "2024-03-01T00:15", "1001")]
    )
    assert (first.accepted, first.rejected) == (2, 0)
    before = _rollup_rows(park)

    probe = _send(
        park,
        [
            ("main", "1800-01-01T00:00:00Z", "5"),
            ("main", "1900-01-01T00:00:00Z", "5"),
            ("main", "1970-01-01T00:00:00Z", "5"),
            ("main", "2100-01-01T00:00:00Z", "99999"),
        ],
    )
    assert (probe.accepted, probe.rejected) == (0, 4)
    assert dict(probe.rejected_by_code) == {"implausible_time": 4}
    assert _rollup_rows(park) == before  # not one hour more
    assert [t for t, _, _ in stored(park, "main")] == [1709222400, 1709223300]
    reasons = [r["reason"] for r in table_rows(park, quarantine)]
    assert len(reasons) == 4
    assert all("plausible window" in r and "floor 2000-01-01" in r for r in reasons)
    assert all("now + 24 h clock skew" in r for r in reasons)

    later = _send(park, [("main", "2024-03-01T00:30", "1002")])  # accepted normally
    assert (later.accepted, later.rejected) == (1, 0)
    assert rollups(park, "main")["01 00"][0] == pytest.approx(2 * 80.0)
    assert _codes(park) == ["implausible_time"] * 4  # no fall, spike or jump after the probe


def test_a_time_ahead_of_the_clock_is_refused_beyond_the_skew(park: Database) -> None:
    report = _send(
        park,
        [
            ("main", "2024-06-01T23:00:00Z", "1"),  # 23 h ahead: a fast device clock
            ("main", "2024-06-02T01:00:00Z", "2"),  # 25 h ahead: refused
        ],
    )
    assert (report.accepted, report.rejected) == (1, 1)
    assert "2024-06-02T01:00:00Z" in str(report.issues[0])


def test_a_meter_commissioned_date_raises_the_floor(park: Database) -> None:
    text = PARK_YAML.replace(
        "parent: main, tenant: t_a,", "parent: main, tenant: t_a, commissioned: 2024-02-01,"
    )
    apply_park(park, SYSTEM, parse_park_text(text, "park.yaml"))
    report = _send(
        park,
        [
            ("sub", "2024-01-31T23:45", "1"),  # park-local, before the commissioning day
            ("sub", "2024-02-01T00:00", "2"),  # its first local minute
            ("main", "2024-01-31T23:45", "3"),  # another meter: only the floor applies
        ],
    )
    assert (report.accepted, report.rejected) == (2, 1)
    assert "meter commissioned 2024-02-01" in str(report.issues[0])


def test_the_window_comes_from_the_settings(
    park: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZEROPARK_READINGS_MAX_AGE_DAYS", "30")
    monkeypatch.setenv("ZEROPARK_READINGS_CLOCK_SKEW_S", "0")
    report = _send(
        park,
        [
            ("main", "2024-04-01T00:00:00Z", "1"),  # 61 days old
            ("main", "2024-05-20T00:00:00Z", "2"),
            ("main", "2024-06-01T00:01:00Z", "3"),  # one minute ahead, no skew allowed
        ],
    )
    assert (report.accepted, report.rejected) == (1, 2)
    assert "now - 30 days maximum age" in str(report.issues[0])
    explicit = _send(
        park,
        [("main", "2019-12-31T00:00:00Z", "1")],
        rules=TimeWindowRules(earliest=date(2020, 1, 1)),
    )
    assert "floor 2020-01-01" in str(explicit.issues[0])


# --- finding 7: errors that were 500s, half-written files -------------------------------------


@pytest.mark.parametrize(
    "ts", ["9999-12-31T00:00:00Z", "9999-12-31T00:00:00", "0001-01-01T00:00:00+08:00"]
)
def test_a_time_pandas_cannot_hold_is_refused_per_row(park: Database, ts: str) -> None:
    report = _send(park, [("main", ts, "1"), ("main", "2024-03-01T00:00", "1000")])
    assert (report.accepted, report.rejected) == (1, 1)
    assert dict(report.rejected_by_code) == {"implausible_time": 1}


def test_a_large_file_with_one_impossible_time_is_stored_whole(
    park: Database, tmp_path: Path
) -> None:
    n = 150_000
    ts = 1582992000 + 900 * np.arange(n // 2, dtype=np.int64)  # from 2020-03-01, both meters
    text = np.datetime_as_string(ts.astype("datetime64[s]"), unit="m")
    rows = [("main", f"{t}Z", f"{k}") for k, t in enumerate(text)]
    rows += [("sub", f"{t}Z", f"{k % 10_000}") for k, t in enumerate(text)]
    rows.insert(100_000, ("main", "9999-12-31T00:00:00Z", "1"))  # in the second chunk
    path = write_csv(tmp_path / "probe.csv", rows)

    report = ingest_readings_file(park, SYSTEM, PARK, path, source="probe.csv")
    assert (report.accepted, report.rejected) == (n, 1)
    assert dict(report.rejected_by_code) == {"implausible_time": 1}
    assert report.chunks == 2 and report.stored_through_row == n + 2
    assert _readings(park) == n
    assert [r["location"] for r in table_rows(park, quarantine)] == ["row 100002"]


def test_an_import_stopped_part_way_names_the_chunks_it_stored(
    park: Database, tmp_path: Path
) -> None:
    n, chunk_rows, bad_row = 80_000, 20_000, 70_000
    ts = 1582992000 + 900 * np.arange(n, dtype=np.int64)
    text = np.datetime_as_string(ts.astype("datetime64[s]"), unit="m")
    lines = [f"main,{t}Z,{k}\n".encode() for k, t in enumerate(text)]
    lines[bad_row] = "main,坏,1\n".encode("gb18030")  # not UTF-8, 1.9 MiB into a UTF-8 file
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"meter,ts,value\n" + b"".join(lines))

    with pytest.raises(PartialImport) as info:
        ingest_readings_file(park, SYSTEM, PARK, path, chunk_rows=chunk_rows, source="mixed.csv")
    error = info.value
    stored_rows = error.stored["accepted"]
    assert error.http_status == 422 and error.source == "mixed.csv"
    assert 0 < stored_rows < bad_row and _readings(park) == stored_rows  # whole chunks only
    ends = set(itertools.accumulate(itertools.islice(chunk_sizes(chunk_rows), 12)))
    assert stored_rows in ends
    assert error.stored["stored_through_row"] == stored_rows + 1
    message = str(error)
    assert f"after {error.stored['chunks']} chunk(s) were stored" in message
    assert f"every row up to row {stored_rows + 1:,}" in message and "not UTF-8" in message


def test_an_internal_error_part_way_is_a_problem_naming_what_was_stored(
    park: Database, tmp_path: Path
) -> None:
    ts = 1582992000 + 900 * np.arange(4_000, dtype=np.int64)
    text = np.datetime_as_string(ts.astype("datetime64[s]"), unit="m")
    path = write_csv(tmp_path / "big.csv", [("main", f"{t}Z", f"{k}") for k, t in enumerate(text)])
    calls: list[int] = []

    def progress(position: int) -> None:  # a caller's callback failing after the second chunk
        calls.append(position)
        if len(calls) == 2:
            raise RuntimeError("secret internals")

    with pytest.raises(PartialImport) as info:
        ingest_readings_file(park, SYSTEM, PARK, path, chunk_rows=1_000, on_progress=progress)
    error = info.value
    assert error.http_status == 500 and "secret" not in str(error)
    assert "after 2 chunk(s) were stored" in str(error) and "an internal error" in str(error)
    assert error.stored["accepted"] == _readings(park) == 125 + 250


def test_an_overlong_header_line_is_refused(park: Database, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("meter,ts,value," + "x" * (200 * 1024) + "\nmain,2024-03-01T00:00,1\n")
    with pytest.raises(InputError) as info:
        ingest(park, path)
    assert info.value.location == "header" and "KiB" in info.value.reason
    assert _readings(park) == 0


def test_nul_characters_are_refused_per_row(park: Database, tmp_path: Path) -> None:
    rows = [
        ("ma\x00in", "2024-03-01T00:00", "1000", "measured"),
        ("main", "2024-03-01T00:15\x00", "1001", "measured"),
        ("main", "2024-03-01T00:30", "1002", "measured\x00"),
        ("main", "2024-03-01T00:45", "1003", "measured"),
    ]
    path = write_csv(tmp_path / "nul.csv", rows, header="meter,ts,value,quality")
    report = ingest(park, path)
    assert (report.accepted, report.rejected) == (1, 3)
    assert dict(report.rejected_by_code) == {"bad_text": 3}
    kept = table_rows(park, quarantine)
    assert {r["field"] for r in kept} == {"meter", "ts", "quality"}
    assert all("\x00" not in r["value"] and "\u2400" in r["value"] for r in kept)

    json_report = _send(park, [("s\x00ub", "2024-03-01T01:00", "1")])
    assert dict(json_report.rejected_by_code) == {"bad_text": 1}


def test_a_source_name_with_a_control_character_is_a_422(park: Database) -> None:
    with pytest.raises(InputError) as info:
        ingest_records(park, SYSTEM, PARK, [], source="gw\x00")
    assert info.value.field == "source"


# --- finding 9: what a sender learns ----------------------------------------------------------


def test_a_conflict_does_not_tell_the_sender_the_stored_value(park: Database) -> None:
    _send(park, [("main", "2024-03-01T00:00", "49385.84")])
    report = _send(park, [("main", "2024-03-01T00:00", "1")])
    assert dict(report.rejected_by_code) == {"conflict": 1}
    said = " ".join(map(str, report.issues)) + repr([i.as_dict("zh") for i in report.issues])
    assert "49385" not in said and "np.float64" not in said
    assert "corrected" in str(report.issues[0])
    (record,) = table_rows(park, quarantine)
    assert record["payload"]["stored_value"] == 49385.84  # for the admin's review
    assert "49385" not in record["reason"]


def test_issue_texts_name_the_upload_not_the_server_path(park: Database, tmp_path: Path) -> None:
    server_path = write_csv(tmp_path / "upload.csv", [("main", "not-a-time", "1")])
    report = ingest_readings_file(park, SYSTEM, PARK, server_path, source="meters-march.csv")
    assert report.source == "meters-march.csv"
    assert all(str(tmp_path) not in str(issue) for issue in report.issues)
    assert all(r["source"] == "meters-march.csv" for r in table_rows(park, quarantine))


# --- activities ------------------------------------------------------------------------------


def test_hostile_activity_rows_are_quarantined(park: Database, tmp_path: Path) -> None:
    header = "entity,period,category,item,quantity,unit,evidence,ncv_unit"
    bad = [
        "t_a,2024-03,fuel_combustion,柴油,1.5,t,inv\x00oice,",
        "t_a,2024-03,waste," + "废" * 200 + ",1,t,,",
        "t_a,2024-03,fuel_combustion,柴油,1,t,,GJ/(",
    ] + [f"t_a,2024-0{k},fuel_combustion,柴油,1,{u}" for k, u in enumerate(
        ["(", "kWh)", "**", "1/", "[", "kg*", "9**9**9 t"], start=1)]  # fmt: skip
    good = "t_a,2024-09,fuel_combustion,柴油,2,t,,"
    path = tmp_path / "activities.csv"
    path.write_text("\n".join([header, *bad, good]) + "\n", encoding="utf-8")

    report = import_activities_file(park, SYSTEM, PARK, path, source="acts.csv")
    assert (report.accepted, report.rejected) == (1, len(bad))
    assert dict(report.rejected_by_code) == {"bad_text": 1, "too_long": 1, "bad_unit": 8}
    kept = table_rows(park, quarantine)
    assert all(r["source"] == "acts.csv" for r in kept)
    assert all("\x00" not in repr(r["payload"]) for r in kept)


def test_activity_records_are_taken_whole_without_a_file(park: Database) -> None:
    records = [
        {"entity": "t_a", "period": "2024-03", "category": "waste", "item": f"废料 {k}",
         "quantity": 1.5 + k, "unit": "t", "evidence": f"invoice {k}"}
        for k in range(10_001)
    ]  # fmt: skip
    records[7]["item"] = "废\x00料"
    report = import_activity_records(park, SYSTEM, PARK, records, source="api")
    assert (report.received, report.accepted, report.rejected) == (10_001, 10_000, 1)
    (record,) = table_rows(park, quarantine)
    assert record["location"] == "record 8" and record["code"] == "bad_text"
