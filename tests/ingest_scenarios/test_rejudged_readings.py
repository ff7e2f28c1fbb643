"""Readings judged again when later readings arrive: the quarantine follows the new judgement.

A register reading that rises too fast is a ``jump`` while no later reading is known (the series
is taken to continue from the new level) and a transient ``spike`` once a later reading is back
at the old level. Readings sent one per batch (an MQTT worker, a Modbus poller, one-row files
imported chunk by chunk) must end exactly where the same readings sent in one batch end: the same
hourly rollups, the same open quarantine record with the same reason, and reports whose counts
and quarantined quantity add up to the one batch's. The record of the first judgement is kept as
evidence, closed ``reclassified``, in the same transaction as the batch that re-judged it, with a
``quarantine.reclassify`` audit entry; ``zeropark verify`` still passes.

``main``: multiplier 80, at most 25 register units per hour (6.25 per 15-min slot).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.ingest_scenarios.conftest import (
    PARK,
    SYSTEM,
    audit_log,
    fresh_park,
    ingest,
    quarantine,
    rollups,
    table_rows,
    write_csv,
)
from tests.service.test_issue_languages import assert_bilingual
from zeropark.service.audit_verify import verify_database
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport
from zeropark.service.live_ingest import ingest_records
from zeropark.service.quarantine_review import dismiss

pytestmark = pytest.mark.usefixtures("park")

Row = tuple[str, str, str]
#: 00:00 at 1000, a spike of 502.5 units (40 200 kWh) at 00:15, back at 1005 at 00:30.
SPIKE: list[Row] = [
    ("main", "2024-03-01T00:00", "1000"),
    ("main", "2024-03-01T00:15", "1502.5"),
    ("main", "2024-03-01T00:30", "1005"),
]
SPIKE_QUANTITY = 502.5 * 80


def _send(db: Database, rows: list[Row], source: str) -> IngestReport:
    """One batch through the live path (the HTTP batch endpoint's and the workers' pipeline)."""
    records: list[dict[str, object]] = [{"meter": m, "ts": ts, "value": v} for m, ts, v in rows]
    return ingest_records(db, SYSTEM, PARK, records, source=source)


def _judgement(record: dict[str, Any]) -> tuple[Any, ...]:
    """What a record says about its reading (not where the reading came from)."""
    keys = ("code", "field", "value", "reason", "reason_code", "params", "payload", "tenant_id")
    return tuple(record[k] for k in keys)


def _by_status(db: Database) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for record in table_rows(db, quarantine):
        out.setdefault(record["status"], []).append(record)
    return out


def _totals(reports: list[IngestReport]) -> dict[str, Any]:
    """The counts of reports added up (a code whose count nets to zero is dropped)."""
    codes: Counter[str] = Counter()
    for report in reports:
        codes.update(report.as_dict()["rejected_by_code"])
    return {
        "received": sum(r.received for r in reports),
        "accepted": sum(r.accepted for r in reports),
        "duplicates": sum(r.duplicates for r in reports),
        "rejected": sum(r.rejected for r in reports),
        "rejected_by_code": {c: n for c, n in sorted(codes.items()) if n},
        "quarantined_quantity": pytest.approx(sum(r.quarantined_quantity for r in reports)),
    }


def _one_batch(tmp_path: Path, rows: list[Row]) -> tuple[IngestReport, dict[str, Any], list]:
    """The report, rollups and quarantine of ``rows`` sent in one batch to a fresh park."""
    with fresh_park(tmp_path / "one.db") as one:
        report = _send(one, rows, "one")
        return report, rollups(one, "main"), table_rows(one, quarantine)


def test_spike_sent_one_per_batch_ends_as_in_one_batch(park: Database, tmp_path: Path) -> None:
    reports = [_send(park, [row], f"batch-{i}") for i, row in enumerate(SPIKE)]
    one, one_hours, one_records = _one_batch(tmp_path, SPIKE)

    # (a) The rollups: 00:00→00:30 is 5 units = 400 kWh over two slots, estimated (the spike's
    # slot is spread), whichever way the readings came.
    assert one_hours == {"01 00": (400.0, 400.0, 1800)}
    assert rollups(park, "main") == one_hours

    # On arrival, with no later reading, the spike was a jump withholding its whole rise.
    assert dict(reports[1].rejected_by_code) == {"jump": 1}
    assert reports[1].quarantined_quantity == pytest.approx(SPIKE_QUANTITY)

    # (b) The quarantine ends with the transient spike, as the one batch records it ...
    (spike,) = [r for r in one_records if r["status"] == "open"]
    assert (spike["code"], spike["reason_code"]) == ("spike", "reading_excluded_because")
    assert spike["params"]["reason_en"].startswith("register rose 502.5 (= 40200 after")
    assert "continues from the reading at" in spike["params"]["reason_en"]
    assert "quarantined_quantity" not in spike["payload"]  # a spike withholds nothing
    status = _by_status(park)
    assert sorted(status) == ["open", "reclassified"]
    (now,) = status["open"]
    assert _judgement(now) == _judgement(spike)
    # ... named where the reading came from (its batch and record), not the batch that re-judged.
    assert (now["source"], now["location"]) == ("batch-1", "row 1")
    # The jump record is kept as evidence, closed as reclassified, with what it withheld.
    (was,) = status["reclassified"]
    assert (was["code"], was["source"], was["value"]) == ("jump", "batch-1", "1502.5")
    assert was["params"]["reason_en"].endswith("the series continues from the new level")
    assert was["payload"]["quarantined_quantity"] == pytest.approx(SPIKE_QUANTITY)

    # (c) The third batch's report nets the re-judgement: the jump's record and quantity out,
    # the spike's in; the reports add up to the one batch's.
    third = reports[2]
    assert third.as_dict()["rejected_by_code"] == {"jump": -1, "spike": 1}
    assert third.quarantined_quantity == pytest.approx(-SPIKE_QUANTITY)
    assert third.as_dict()["reclassified"] == 1 and "reclassified" not in one.as_dict()
    notes = [i for i in third.issues if i.reason_code == "quarantine_reclassified"]
    assert len(notes) == 1 and notes[0].params["record"] == was["id"]
    assert f"record {was['id']} is closed as reclassified" in notes[0].reason("en")
    assert f"隔离记录 {was['id']} 已关闭" in notes[0].reason("zh")
    assert_bilingual(notes[0])
    assert _totals(reports) == _totals([one])
    assert _totals([one])["rejected_by_code"] == {"spike": 1}
    assert _totals([one])["quarantined_quantity"] == 0.0

    # Audited in the batch's transaction, after its readings entry; the chain still verifies.
    actions = [e["action"] for e in table_rows(park, audit_log)]
    assert actions[-2:] == ["readings.batch", "quarantine.reclassify"]
    entry = table_rows(park, audit_log)[-1]
    assert entry["payload"]["ids"] == [was["id"]]
    assert entry["payload"]["records"][0]["was"] == "jump"
    assert entry["payload"]["records"][0]["now"] == "spike"
    assert entry["payload"]["source"] == "batch-2"
    report = verify_database(park, SYSTEM)
    assert report.ok, report.as_dict()


def test_a_file_imported_in_one_row_chunks_reports_as_one_chunk(
    park: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "spike.csv", SPIKE)
    chunked = ingest(park, path, chunk_rows=1, source="spike.csv")
    assert chunked.chunks == 3
    with fresh_park(tmp_path / "whole.db") as whole_db:
        whole = ingest(whole_db, path, source="spike.csv")
        assert whole.chunks == 1
        whole_records = table_rows(whole_db, quarantine)
        assert rollups(park, "main") == rollups(whole_db, "main")
    # One file, one report: the same counts as the file stored in one chunk.
    keys = ("received", "accepted", "rejected", "rejected_by_code", "quarantined_quantity")
    assert {k: chunked.as_dict()[k] for k in keys} == {k: whole.as_dict()[k] for k in keys}
    assert chunked.as_dict()["rejected_by_code"] == {"spike": 1}
    (spike,) = whole_records
    (now,) = _by_status(park)["open"]
    assert _judgement(now) == _judgement(spike)
    assert (spike["source"], spike["location"]) == ("spike.csv", "row 3")
    assert (now["source"], now["location"]) == ("spike.csv", "row 3")


def test_a_late_earlier_reading_clears_a_jump_and_excludes_a_reading_it_revealed(
    park: Database, tmp_path: Path
) -> None:
    # 00:00 at 1000, then 00:15 at 1030: a rise of 30 units in 15 min, a jump (2400 kWh). Then
    # 23:45 of the day before arrives late at 1029: 00:00 (1000) is a transient drop between
    # 1029 and 1030, and 00:15 is an ordinary reading after all.
    late = ("main", "2024-02-29T23:45", "1029")
    rows: list[Row] = [("main", "2024-03-01T00:00", "1000"), ("main", "2024-03-01T00:15", "1030")]
    reports = [_send(park, [rows[0]], "a"), _send(park, [rows[1]], "b"), _send(park, [late], "c")]
    one, one_hours, one_records = _one_batch(tmp_path, [late, *rows])
    assert dict(reports[1].rejected_by_code) == {"jump": 1}
    # 23:45→00:15 is 1 unit = 80 kWh over two slots (the drop's slot is spread), one per hour.
    expected = {"29 23": (40.0, 40.0, 900), "01 00": (40.0, 40.0, 900)}
    assert rollups(park, "main") == one_hours == expected

    (drop,) = one_records
    assert drop["code"] == "drop"
    status = _by_status(park)
    (now,) = status["open"]
    assert _judgement(now) == _judgement(drop)
    # The drop reading had no record: it is named by the batch that stored it, without a row.
    assert (now["source"], now["location"]) == ("a", None)
    (was,) = status["reclassified"]
    assert (was["code"], was["payload"]["ts"]) == ("jump", "2024-02-29T16:15:00Z")
    third = reports[2]
    assert third.as_dict()["rejected_by_code"] == {"drop": 1, "jump": -1}
    assert third.as_dict()["reclassified"] == 1
    notes = [i for i in third.issues if i.reason_code == "quarantine_reclassified_accepted"]
    assert len(notes) == 1 and notes[0].params["record"] == was["id"]
    assert_bilingual(notes[0])
    assert _totals(reports) == _totals([one])
    entry = table_rows(park, audit_log)[-1]
    assert entry["action"] == "quarantine.reclassify"
    assert [(r["was"], r["now"]) for r in entry["payload"]["records"]] == [("jump", None)]
    report = verify_database(park, SYSTEM)
    assert report.ok, report.as_dict()


def test_a_judgement_is_recorded_once_and_a_dismissal_stands(park: Database) -> None:
    for i, row in enumerate(SPIKE):
        _send(park, [row], f"batch-{i}")
    before = table_rows(park, quarantine)
    audit_before = len(table_rows(park, audit_log))
    # Sent again (an MQTT redelivery): duplicates, nothing re-judged.
    again = _send(park, SPIKE, "again")
    assert again.duplicates == 3 and "reclassified" not in again.as_dict()
    # A later reading inside the re-derived window judges the spike the same: no new record.
    later = _send(park, [("main", "2024-03-01T00:45", "1007.5")], "later")
    assert later.rejected == 0 and "reclassified" not in later.as_dict()
    assert table_rows(park, quarantine) == before
    assert len(table_rows(park, audit_log)) == audit_before + 1  # the later batch's readings

    # An admin dismisses the spike; the next reading in the window does not raise it again.
    (spike,) = _by_status(park)["open"]
    dismiss(park, SYSTEM, PARK, [spike["id"]], "meter fault, known")
    _send(park, [("main", "2024-03-01T01:00", "1010")], "next")
    status = _by_status(park)
    assert "open" not in status
    assert [r["id"] for r in status["dismissed"]] == [spike["id"]]
    assert verify_database(park, SYSTEM).ok
