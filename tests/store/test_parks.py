"""Park configuration in the store, the same tests on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from zeropark.domain.access import Principal
from zeropark.errors import NotFound, PermissionDenied
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.bulk import ensure_reading_partitions
from zeropark.store.engine import current_revision, head_revision
from zeropark.store.parks import ParkRepository
from zeropark.store.schema import audit_log, meters, readings

SYSTEM = Principal.system()


def _spec(park_type: str = "manufacturing"):
    return parse_park_text(park_template(park_type), f"{park_type}.yaml")


def test_migrates_to_head(db: Database) -> None:
    db.ensure_schema()
    assert current_revision(db.engine) == head_revision()


def test_apply_twice_changes_nothing_the_second_time(db: Database) -> None:
    spec = _spec()
    with db.transaction() as conn:
        first = ParkRepository(conn, SYSTEM).apply(spec)
    assert first.created["meters"] == [m.id for m in spec.meters]
    with db.transaction() as conn:
        second = ParkRepository(conn, SYSTEM).apply(spec)
        assert second.is_noop
        # Only the first apply is audited.
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar() == 1


def test_export_round_trips_and_reapplies_as_noop(db: Database) -> None:
    spec = _spec("office")
    with db.transaction() as conn:
        repo = ParkRepository(conn, SYSTEM)
        repo.apply(spec)
        exported = repo.export(spec.park.id)
        assert exported.park == spec.park
        assert sorted(m.id for m in exported.meters) == sorted(m.id for m in spec.meters)
        assert repo.apply(exported).is_noop


def test_change_and_removal_are_reported(db: Database) -> None:
    spec = _spec()
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
    changed_meter = dataclasses.replace(spec.meters[1], multiplier=2.0)
    new_spec = dataclasses.replace(spec, meters=[spec.meters[0], changed_meter, *spec.meters[3:]])
    with db.transaction() as conn:
        report = ParkRepository(conn, SYSTEM).apply(new_spec)
    assert report.changed == {"meters": [spec.meters[1].id]}
    assert report.removed == {"meters": [spec.meters[2].id]}
    assert report.created == {}


def test_removed_meter_with_readings_is_deactivated_not_deleted(db: Database) -> None:
    spec = _spec()
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
        key = conn.execute(select(meters.c.key).where(meters.c.id == "e_glass")).scalar_one()
        ensure_reading_partitions(conn, 0, 0)
        conn.execute(readings.insert().values(meter_key=key, ts_s=0, value=1.0, quality=0))
    without = dataclasses.replace(spec, meters=[m for m in spec.meters if m.id != "e_glass"])
    with db.transaction() as conn:
        report = ParkRepository(conn, SYSTEM).apply(without)
        assert report.deactivated == ["e_glass"]
        assert conn.execute(select(func.count()).select_from(readings)).scalar() == 1
        # Applying the original again brings the meter back, same key, readings intact.
        back = ParkRepository(conn, SYSTEM).apply(spec)
        assert back.changed == {"meters": ["e_glass"]}
        again = conn.execute(select(meters.c.key).where(meters.c.id == "e_glass")).scalar_one()
        assert again == key


def test_queries_are_scoped_to_the_principal(db: Database) -> None:
    spec = _spec()
    other = dataclasses.replace(spec, park=dataclasses.replace(spec.park, id="other_park"))
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
        ParkRepository(conn, SYSTEM).apply(other)
    admin = Principal("admin@p", "park_admin", frozenset({"my_park"}))
    tenant = Principal("glass@p", "tenant", frozenset({"my_park"}), tenant_id="t_glass")
    regulator = Principal("gov", "regulator", frozenset({"my_park", "other_park"}))
    gateway = Principal("gw", "gateway", frozenset({"my_park"}), meter_ids=frozenset({"pv_gen"}))
    with db.transaction() as conn:
        assert [p["id"] for p in ParkRepository(conn, admin).list_parks()] == ["my_park"]
        assert len(ParkRepository(conn, regulator).list_parks()) == 2
        assert ParkRepository(conn, gateway).list_parks() == []
        tenant_meters = {m["id"] for m in ParkRepository(conn, tenant).section("my_park", "meters")}
        assert tenant_meters == {"e_glass", "gas_glass"}
        tenant_rows = ParkRepository(conn, tenant).section("my_park", "tenants")
        assert [t["id"] for t in tenant_rows] == ["t_glass"]
        assert ParkRepository(conn, regulator).section("my_park", "meters") == []
        assert len(ParkRepository(conn, admin).section("my_park", "meters")) == len(spec.meters)
        with pytest.raises(NotFound):
            ParkRepository(conn, admin).get_park("other_park")
        with pytest.raises(PermissionDenied):
            ParkRepository(conn, tenant).apply(spec)
        with pytest.raises(PermissionDenied):
            ParkRepository(conn, tenant).export("my_park")
        assert set(ParkRepository(conn, tenant).meter_keys("my_park")) == tenant_meters
