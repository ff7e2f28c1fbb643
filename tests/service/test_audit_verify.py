"""Tamper evidence on SQLite and PostgreSQL: change one stored row by SQL, verify names it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text, update

from tests.api.parkdata import PARK, SYSTEM, build_world
from tests.conftest import demo_copy
from zeropark.service.audit_export import export_chain
from zeropark.service.audit_verify import verify_database, verify_export
from zeropark.service.database import Database
from zeropark.service.inventory import publish_inventory
from zeropark.store.schema import audit_log


@pytest.fixture
def world_db(db: Database) -> Database:
    build_world(db, users=False)
    publish_inventory(db, SYSTEM, PARK, 2024)
    return db


def _sql(db: Database, statement: str) -> None:
    with db.engine.begin() as conn:
        assert conn.execute(text(statement)).rowcount == 1


def test_untouched_database_verifies(world_db: Database) -> None:
    report = verify_database(world_db, SYSTEM)
    assert report.ok, report.as_dict()
    assert report.batches == 2 and report.readings == 192
    assert report.activities == 2 and report.inventories == 1


def test_changed_reading_names_its_batch(world_db: Database) -> None:
    _sql(
        world_db,
        "UPDATE readings SET value = value + 0.001 WHERE ts_s = "
        "(SELECT MIN(ts_s) FROM readings) AND meter_key = (SELECT key FROM meters "
        "WHERE id = 'e_chem' AND park_id = 'my_park')",
    )
    report = verify_database(world_db, SYSTEM)
    first = report.first_failure
    assert first is not None and first.kind == "readings"
    assert first.action == "readings.batch" and "test:seed" in (first.entity or "")
    # The stored rollups were derived from the old value: they no longer match the readings.
    assert sorted(m.kind for m in report.failures) == ["readings", "rollup"]


def test_inserted_reading_of_no_batch_fails(world_db: Database) -> None:
    _sql(
        world_db,
        "INSERT INTO readings (meter_key, ts_s, value, quality, batch_id) "
        "SELECT key, 1709395200, 5.0, 0, NULL FROM meters "
        "WHERE id = 'e_chem' AND park_id = 'my_park'",
    )
    report = verify_database(world_db, SYSTEM)
    assert not report.ok and report.failures[0].kind == "reading"


def test_changed_activity_quantity_is_named(world_db: Database) -> None:
    _sql(world_db, "UPDATE activity_records SET quantity = 13.5 WHERE entity = 't_chem'")
    first = verify_database(world_db, SYSTEM).first_failure
    assert first is not None and first.kind == "activity"
    assert "t_chem|2024|fuel_combustion|diesel|t" in first.reason


def test_changed_published_inventory_is_named(world_db: Database) -> None:
    with world_db.engine.begin() as conn:
        row = conn.execute(text("SELECT id, result FROM published_inventories")).one()
        result = json.loads(row.result) if isinstance(row.result, str) else row.result
        result["warnings"] = [*result.get("warnings", []), "edited"]
        conn.execute(
            text("UPDATE published_inventories SET result = :r WHERE id = :i"),
            {"r": json.dumps(result), "i": row.id},
        )
    first = verify_database(world_db, SYSTEM).first_failure
    assert first is not None and first.kind == "inventory"
    assert first.action == "inventory.publish"


def test_edited_audit_entry_breaks_the_chain(world_db: Database) -> None:
    with world_db.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 2).values(actor="mallory"))
    first = verify_database(world_db, SYSTEM).first_failure
    assert first is not None and first.seq == 2 and first.kind == "entry"


def test_deleted_audit_entry_is_a_gap(world_db: Database) -> None:
    _sql(world_db, "DELETE FROM audit_log WHERE seq = 3")
    report = verify_database(world_db, SYSTEM)
    assert {m.kind for m in report.failures} >= {"chain_gap", "chain_link"}


def test_exported_chain_verifies_offline_and_detects_edits(world_db: Database) -> None:
    out = io.StringIO()
    count = export_chain(world_db, SYSTEM, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == count + 1
    offline = verify_export(lines)
    assert offline.ok and offline.head_sha256 == verify_database(world_db, SYSTEM).head_sha256
    doc = json.loads(lines[3])
    doc["payload"] = {**doc["payload"], "rows": 1}
    lines[3] = json.dumps(doc)
    bad = verify_export(lines)
    assert bad.first_failure is not None and bad.first_failure.seq == doc["seq"]
    assert bad.first_failure.kind == "payload"


def test_cli_verify(world_db: Database, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from zeropark.cli import app

    runner = CliRunner()
    url = world_db.url
    export = tmp_path / "chain.jsonl"
    good = runner.invoke(app, ["--db", url, "--lang", "en", "verify", "--export", str(export)])
    assert good.exit_code == 0, good.output
    assert "audit chain intact" in good.output
    offline = runner.invoke(app, ["--lang", "en", "verify", "--file", str(export)])
    assert offline.exit_code == 0, offline.output
    _sql(world_db, "UPDATE activity_records SET quantity = 99 WHERE entity = 't_mall'")
    bad = runner.invoke(app, ["--db", url, "--lang", "en", "verify"])
    assert bad.exit_code == 70
    assert "t_mall|2024" in bad.output


# -- a freshly built demo park: every writer seals what it writes ------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, demo_template: Path):  # type: ignore[no-untyped-def]
    database = demo_copy(demo_template, tmp_path_factory.mktemp("demo"))
    yield database
    database.dispose()


def test_fresh_demo_verifies_clean(demo_db: Database) -> None:
    report = verify_database(demo_db, SYSTEM)
    assert report.ok, report.as_dict()["first_failure"]
    assert report.activities > 0 and report.batches > 0


def test_changed_demo_activity_quantity_is_named(demo_db: Database) -> None:
    """Import one changed row of the demo's CSV (sealed on write), then tamper with a record:
    the only failure names the tampered record — the imported one verifies."""
    from zeropark.service.activities_io import import_activities_file

    files = Path(demo_db.url.removeprefix("sqlite:///")).parent / "files"
    lines = (files / "activities.csv").read_text(encoding="utf-8").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("quantity")] = str(float(row[header.index("quantity")]) + 1.0)
    changed = files / "changed.csv"
    changed.write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")
    assert import_activities_file(demo_db, SYSTEM, "demo", changed).accepted == 1
    with demo_db.engine.begin() as conn:
        target = conn.execute(
            text(
                "SELECT id, entity, period, category, item, unit FROM activity_records "
                "WHERE source NOT LIKE '%changed.csv' ORDER BY id LIMIT 1"
            )
        ).one()
        conn.execute(
            text("UPDATE activity_records SET quantity = quantity * 2 + 1 WHERE id = :i"),
            {"i": target.id},
        )
    report = verify_database(demo_db, SYSTEM)
    first = report.first_failure
    assert first is not None and first.kind == "activity", report.as_dict()
    assert first.action == "activities.write"
    key = f"{target.entity}|{target.period}|{target.category}|{target.item}|{target.unit}"
    assert key in first.reason
    assert len(report.failures) == 1, report.as_dict()["failures"]
