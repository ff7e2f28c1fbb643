"""Readings and rollups written in bulk (SQLite and PostgreSQL): ignore, replace, constants.

The bulk writer inlines per-call constants (meter key, batch, an all-zero quality) in the
statement; a replaced row must take the new constants as well as the new bound values.
"""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.bulk import bulk_write, ensure_reading_partitions, write_columns
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import (
    MeterRef,
    insert_readings,
    meter_refs,
    read_rollups,
    update_readings,
    write_rollups,
)
from zeropark.store.schema import hourly_rollups, readings

SYSTEM = Principal.system()
T0 = 1709222400  # 2024-03-01T00:00+08:00


def _meter(db: Database) -> MeterRef:
    spec = parse_park_text(park_template("manufacturing"), "m.yaml")
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
        refs = meter_refs(conn, SYSTEM, spec.park.id)
    return next(iter(refs.values()))


def _stored(db: Database, key: int) -> list[tuple[int, float, int, int | None]]:
    with db.transaction() as conn:
        rows = conn.execute(
            select(readings.c.ts_s, readings.c.value, readings.c.quality, readings.c.batch_id)
            .where(readings.c.meter_key == key)
            .order_by(readings.c.ts_s)
        )
        return [(int(r.ts_s), float(r.value), int(r.quality), r.batch_id) for r in rows]


def test_insert_keeps_stored_and_update_replaces_every_column(db: Database) -> None:
    ref = _meter(db)
    key = ref.key
    ts = T0 + 900 * np.arange(4, dtype=np.int64)
    with db.transaction() as conn:
        values = np.array([1.0, 2, 3, 4])
        written = insert_readings(conn, SYSTEM, ref, ts, values, np.zeros(4, np.uint8), 7)
        assert written == 4
        # The same times again: nothing inserted, nothing changed.
        nine = np.full(4, 9.0)
        assert insert_readings(conn, SYSTEM, ref, ts, nine, np.full(4, 4, np.uint8), 8) == 0
    assert _stored(db, key) == [(int(t), v, 0, 7) for t, v in zip(ts, [1.0, 2, 3, 4], strict=True)]

    with db.transaction() as conn:  # corrected (quality 4) with batch 9, then back to measured
        update_readings(conn, SYSTEM, ref, ts[1:2], np.array([20.0]), np.array([4], np.uint8), 9)
        update_readings(conn, SYSTEM, ref, ts[2:3], np.array([30.0]), np.array([0], np.uint8), 10)
    stored = _stored(db, key)
    assert stored[1] == (int(ts[1]), 20.0, 4, 9)
    assert stored[2] == (int(ts[2]), 30.0, 0, 10)
    assert stored[0] == (int(ts[0]), 1.0, 0, 7)


def test_rollup_replace_takes_the_new_quality(db: Database) -> None:
    ref = _meter(db)
    key = ref.key
    hours = T0 + 3600 * np.arange(3, dtype=np.int64)
    full = np.full(3, 3600)
    with db.transaction() as conn:  # an estimated hour (quality 1) ...
        write_rollups(conn, SYSTEM, ref, hours, np.array([5.0, 6, 7]), np.array([0, 6.0, 0]), full)
        # ... replaced by measured ones: quality is then written as a constant 0.
        write_rollups(conn, SYSTEM, ref, hours, np.array([5.0, 6.5, 7]), np.zeros(3), full)
    with db.transaction() as conn:
        rows = read_rollups(conn, SYSTEM, [key])
        quality = (
            conn.execute(select(hourly_rollups.c.quality).order_by(hourly_rollups.c.hour_s))
            .scalars()
            .all()
        )
    assert rows.quantity.tolist() == [5.0, 6.5, 7.0] and rows.estimated.tolist() == [0, 0, 0]
    assert quality == [0, 0, 0]


def test_only_integer_constants_are_inlined(db: Database) -> None:
    key = _meter(db).key
    with db.transaction() as conn, pytest.raises(TypeError, match="integer"):
        bulk_write(
            conn,
            readings,
            ("ts_s", "value"),
            [(T0, 1.0)],
            on_conflict="ignore",
            constants={"meter_key": key, "quality": "0; DROP TABLE readings"},  # type: ignore[dict-item]
        )


def test_uniform_integer_columns_are_inlined_and_one_value_stays_bound(db: Database) -> None:
    ref = _meter(db)
    key = ref.key
    with db.transaction() as conn:  # every column uniform (one row, integers): still one row
        ensure_reading_partitions(conn, T0, T0 + 3600)
        written = write_columns(
            conn,
            readings,
            {"ts_s": np.array([T0]), "value": np.array([5]), "quality": np.array([0])},
            on_conflict="ignore",
            constants={"meter_key": key, "batch_id": 3},
        )
        assert written == 1
        ts = T0 + 900 * np.arange(1, 4, dtype=np.int64)  # quality uniform, times bound
        values = np.array([6.0, 7, 8])
        assert insert_readings(conn, SYSTEM, ref, ts, values, np.full(3, 2, np.uint8)) == 3
    assert _stored(db, key) == [(T0, 5.0, 0, 3)] + [
        (int(t), v, 2, None) for t, v in zip(ts, [6.0, 7, 8], strict=True)
    ]
