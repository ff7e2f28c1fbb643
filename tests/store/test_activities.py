"""Activity records in the store (SQLite and PostgreSQL): idempotent writes and tenant scope."""

from __future__ import annotations

import pytest

from zeropark.data.factors import load_items
from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import PermissionDenied
from zeropark.ingest.activities_format import parse_activity_row
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.activities import list_activities, write_activities
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system()


def _records() -> list[ActivityRecord]:
    rows = [
        {
            "entity": "t_glass",
            "period": "2024-01",
            "category": "process",
            "item": "石灰石",
            "quantity": "120.5",
            "unit": "吨",
        },
        {
            "entity": "t_metal",
            "period": "2024-01",
            "category": "mobile_combustion",
            "item": "柴油",
            "quantity": "3.2",
            "unit": "t",
            "ncv": "43.1",
            "ncv_unit": "GJ/t",
        },
        {
            "entity": "my_park",
            "period": "2024",
            "category": "output",
            "item": "工业总产值",
            "quantity": "1,250.0",
            "unit": "万元",
        },
    ]
    out = []
    for row in rows:
        record, issues = parse_activity_row(
            row, catalogue=load_items(), known_entities={"my_park", "t_glass", "t_metal"}
        )
        assert issues == [] and record is not None
        out.append(record)
    return out


def test_write_twice_replaces_not_duplicates(db: Database) -> None:
    spec = parse_park_text(park_template("manufacturing"), "m.yaml")
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
        assert write_activities(conn, SYSTEM, "my_park", _records(), source="a.csv") == 3
    changed = [
        *_records()[:2],
        ActivityRecord("my_park", "2024", "output", "工业总产值", 1300.0, "万元"),
    ]
    with db.transaction() as conn:
        write_activities(conn, SYSTEM, "my_park", changed, source="b.csv")
        stored = list_activities(conn, SYSTEM, "my_park")
    assert len(stored) == 3
    assert {r.quantity for r in stored if r.category == "output"} == {1300.0}
    assert next(r for r in stored if r.item == "diesel").params == {"ncv": 43.1, "ncv_unit": "GJ/t"}


def test_tenants_see_and_write_only_their_own(db: Database) -> None:
    spec = parse_park_text(park_template("manufacturing"), "m.yaml")
    glass = Principal("glass@x", "tenant", frozenset({"my_park"}), tenant_id="t_glass")
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
        write_activities(conn, SYSTEM, "my_park", _records(), source="a.csv")
        assert [r.entity for r in list_activities(conn, glass, "my_park")] == ["t_glass"]
        regulator = Principal("gov", "regulator", frozenset({"my_park"}))
        assert list_activities(conn, regulator, "my_park") == []
        with pytest.raises(PermissionDenied):
            write_activities(conn, glass, "my_park", _records()[1:2], source="x.csv")


def test_row_validation_names_field_and_reason() -> None:
    record, issues = parse_activity_row(
        {
            "entity": "nobody",
            "period": "2024-13",
            "category": "magic",
            "item": "x",
            "quantity": "abc",
            "unit": "beers",
        },
        catalogue=load_items(),
        known_entities={"my_park"},
    )
    assert record is None
    assert {(i.field, i.code) for i in issues} == {
        ("entity", "unknown_entity"),
        ("period", "bad_period"),
        ("category", "unknown_category"),
        ("quantity", "bad_number"),
        ("unit", "bad_unit"),
    }
