"""Published inventories: same inputs → same version; changed data → version n+1, n intact."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from tests.service.inventory_park import PARK, SYSTEM, build, hour_s, ingest
from zeropark.service.database import Database
from zeropark.service.inventory import (
    compute_inventory,
    inventory_versions,
    publish_inventory,
    stored_inventory_to_dict,
)
from zeropark.store.schema import audit_log, metadata


def _audit_publishes(db: Database) -> int:
    with db.transaction() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(audit_log)
                .where(audit_log.c.action == "inventory.publish")
            ).scalar_one()
        )


def test_schema_matches_migrations(db: Database) -> None:
    db.ensure_schema()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "published_inventories" in str(d)] == []


def test_same_inputs_return_the_same_version(db: Database) -> None:
    build(db)
    first = publish_inventory(db, SYSTEM, PARK, 2024)
    again = publish_inventory(db, SYSTEM, PARK, 2024)
    assert first.created and not again.created
    assert again.record.version == first.record.version == 1
    assert again.record.result == first.record.result
    # The stored numbers are the recomputed numbers, bit for bit.
    recomputed = stored_inventory_to_dict(compute_inventory(db, SYSTEM, PARK, 2024))
    assert first.record.result == recomputed
    assert _audit_publishes(db) == 1


def test_changed_reading_gives_a_new_version_and_keeps_the_old(db: Database) -> None:
    build(db)
    v1 = publish_inventory(db, SYSTEM, PARK, 2024).record
    ingest(db, {"main": [(hour_s(2, 11), 100.0)]})  # one more hour at the intake
    v2 = publish_inventory(db, SYSTEM, PARK, 2024).record
    assert v2.version == 2 and v2.input_hash != v1.input_hash
    old, new = inventory_versions(db, SYSTEM, PARK)
    assert (old.version, old.superseded, new.superseded) == (1, True, False)
    assert old.result == v1.result and old.result_sha256 == v1.result_sha256
    gross = [v.result["methods"]["cn_national"]["gross_tco2e"] for v in (old, new)]
    assert gross[1] - gross[0] > 0.05
    assert _audit_publishes(db) == 2


def test_tenant_versions_are_separate(db: Database) -> None:
    build(db)
    publish_inventory(db, SYSTEM, PARK, 2024)
    tenant = publish_inventory(db, SYSTEM, PARK, 2024, tenant_id="t_a").record
    assert (tenant.entity, tenant.tenant_id, tenant.version) == ("t_a", "t_a", 1)
    assert [v.entity for v in inventory_versions(db, SYSTEM, PARK, tenant_id="t_a")] == ["t_a"]


def test_period_sums_are_exact_for_incomplete_and_estimated_hours(db: Database) -> None:
    # period_sums counts complete hours and reads estimated/coverage only from the partial
    # index of incomplete or estimated hours: compare with plain sums of every column.
    from zeropark.store.inventories import period_sums
    from zeropark.store.schema import hourly_rollups, meters

    build(db)
    jan, feb, mar = hour_s(1, 0, 1), hour_s(1, 0, 2), hour_s(1, 0, 3)
    with db.transaction() as conn:
        key = conn.execute(select(meters.c.key).where(meters.c.id == "bess_out")).scalar_one()
        rows = [
            (jan + 3600 * 40, 1.0, 0.0, 3600),  # complete, measured
            (jan + 3600 * 41, 2.0, 0.5, 3600),  # estimated part
            (jan + 3600 * 42, 3.0, 0.0, 1800),  # half an hour missing
            (feb + 3600 * 5, 4.0, 4.0, 900),  # both, in February
            (feb - 3600, 5.0, 0.0, 3600),  # last hour of January
        ]
        conn.execute(
            hourly_rollups.insert(),
            [
                {"meter_key": key, "hour_s": h, "quantity": q, "estimated": e, "coverage_s": c}
                for h, q, e, c in rows
            ],
        )
        summed = period_sums(conn, SYSTEM, [key], [jan, feb, mar])
        sums = {(s.meter_key, s.period): s for s in summed}
        for period, (lo, hi) in enumerate(((jan, feb), (feb, mar))):
            t = hourly_rollups
            q, e, c = conn.execute(
                select(
                    func.sum(t.c.quantity), func.sum(t.c.estimated), func.sum(t.c.coverage_s)
                ).where(t.c.meter_key == key, t.c.hour_s >= lo, t.c.hour_s < hi)
            ).one()
            got = sums[(key, period)]
            assert (got.quantity, got.estimated, got.coverage_s) == (q, e, c)
    assert sums[(key, 0)].estimated == 0.5 and sums[(key, 0)].coverage_s % 3600 == 1800
    assert (sums[(key, 1)].estimated, sums[(key, 1)].coverage_s) == (4.0, 900)
