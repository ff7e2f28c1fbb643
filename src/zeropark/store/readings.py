"""Readings and hourly rollups in the database, as numpy arrays, scoped to the caller.

- :func:`meter_refs` gives the meters of a park the caller may read or write (a gateway: its
  bound meters, which it may write but not read).
- Functions on one meter's data take the caller's principal and the meter's
  :class:`MeterRef` (from :func:`meter_refs`) and check it without a query: reads
  (:func:`readings_between`, :func:`neighbour_times`, :func:`rollup_hours`) need
  ``can_access_meter`` (the meter's readers, and its writers, which derive its rollups from its
  readings); writes (:func:`insert_readings`, :func:`correct_readings`, :func:`write_rollups`,
  :func:`delete_rollups`) need ``can_write_reading``.
- Functions on many meters' data (:func:`read_rollups`, :func:`count_readings`,
  :func:`last_reading_times`, :func:`rollup_span`) take the principal and meter keys and keep
  the keys of meters the caller may read in SQL (:func:`~zeropark.store.scope.readable_meter_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from zeropark.domain.access import Principal
from zeropark.store.bulk import ensure_reading_partitions, write_columns
from zeropark.store.engine import clock_of
from zeropark.store.schema import audit_log, corrections, hourly_rollups, meters, readings
from zeropark.store.scope import readable_meter_keys, require, row_filter

__all__ = [
    "MeterRef",
    "RollupRows",
    "batch_sources",
    "correct_readings",
    "count_readings",
    "delete_rollups",
    "insert_readings",
    "last_reading_times",
    "meter_refs",
    "neighbour_times",
    "read_rollups",
    "readings_between",
    "rollup_hours",
    "rollup_span",
    "update_readings",
    "write_rollups",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class MeterRef:
    """What ingest and queries need to know about a meter."""

    key: int
    id: str
    park_id: str
    tenant_id: str | None
    carrier: str
    unit: str
    kind: str
    interval_s: int | None
    multiplier: float
    register_max: float | None
    max_power: float | None
    active: bool
    commissioned: date | None = None
    """The park-local day the meter was commissioned (no reading may be older)."""


def _refs_filter(principal: Principal) -> ColumnElement[bool]:
    """Meters the caller may read, or (a gateway) write."""
    readable = row_filter(principal, meters)
    if principal.role != "gateway" or not principal.meter_ids:
        return readable
    return or_(
        readable,
        and_(
            meters.c.park_id.in_(sorted(principal.park_ids)),
            meters.c.id.in_(sorted(principal.meter_ids)),
        ),
    )


def meter_refs(
    conn: Connection, principal: Principal, park_id: str, ids: Iterable[str] | None = None
) -> dict[str, MeterRef]:
    """The meters of a park (optionally only ``ids``) the caller may read or write, by id.

    Active and deactivated ones: the caller decides what a deactivated meter means.
    """
    query = select(meters).where(meters.c.park_id == park_id, _refs_filter(principal))
    if ids is not None:
        query = query.where(meters.c.id.in_(sorted(set(ids))))
    out = {}
    for r in conn.execute(query):
        out[r.id] = MeterRef(
            key=r.key,
            id=r.id,
            park_id=r.park_id,
            tenant_id=r.tenant_id,
            carrier=r.carrier,
            unit=r.unit,
            kind=r.kind,
            interval_s=r.interval_s,
            multiplier=r.multiplier,
            register_max=r.register_max,
            max_power=r.spec.get("max_power"),
            active=r.active,
            commissioned=_date_or_none(r.spec.get("commissioned")),
        )
    return out


def _date_or_none(text: object) -> date | None:
    """The ISO date of a stored spec field, or None (absent, or written before it was checked)."""
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _may_read(principal: Principal, meter: MeterRef) -> int:
    """``meter``'s key, if the caller may read its data (:meth:`Principal.can_access_meter`)."""
    require(
        principal.can_access_meter(meter.park_id, meter.tenant_id, meter.id),
        principal,
        f"meter {meter.id!r}",
        hide=True,
    )
    return meter.key


def _may_write(principal: Principal, meter: MeterRef) -> int:
    """``meter``'s key, if the caller may write its readings and rollups."""
    require(
        principal.can_write_reading(meter.park_id, meter.id, meter.tenant_id),
        principal,
        f"write readings of meter {meter.id!r}",
    )
    return meter.key


def readings_between(
    conn: Connection, principal: Principal, meter: MeterRef, lo_s: int, hi_s: int
) -> tuple[IntArray, FloatArray, npt.NDArray[np.uint8]]:
    """Stored readings of a meter with ``lo_s <= ts_s <= hi_s``, sorted by time.

    Read through the driver's cursor straight into arrays: this is on the ingest hot path.
    """
    rows = _driver_rows(
        conn,
        "SELECT ts_s, value, quality FROM readings WHERE meter_key = ? "
        "AND ts_s >= ? AND ts_s <= ? ORDER BY ts_s",
        (_may_read(principal, meter), lo_s, hi_s),
    )
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.uint8)
    table = np.array(rows, dtype=np.float64)
    return table[:, 0].astype(np.int64), table[:, 1].copy(), table[:, 2].astype(np.uint8)


def _driver_rows(conn: Connection, sql: str, params: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (``?`` placeholders) on the driver's cursor: the ingest hot path."""
    if conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    raw = conn.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


def neighbour_times(
    conn: Connection, principal: Principal, meter: MeterRef, lo_s: int, hi_s: int, n: int
) -> tuple[int, int]:
    """The time of the ``n``-th stored reading before ``lo_s`` and after ``hi_s``.

    Where there are fewer, the earliest or latest reading there is (or ``lo_s``/``hi_s``).
    """
    key = _may_read(principal, meter)
    before = _driver_rows(
        conn,
        "SELECT ts_s FROM readings WHERE meter_key = ? AND ts_s < ? ORDER BY ts_s DESC LIMIT ?",
        (key, lo_s, n),
    )
    after = _driver_rows(
        conn,
        "SELECT ts_s FROM readings WHERE meter_key = ? AND ts_s > ? ORDER BY ts_s LIMIT ?",
        (key, hi_s, n),
    )
    return (int(before[-1][0]) if before else lo_s, int(after[-1][0]) if after else hi_s)


def _write_readings(
    conn: Connection,
    key: int,
    ts_s: IntArray,
    value: FloatArray,
    quality: npt.NDArray[np.uint8],
    batch_id: int | None,
    on_conflict: Literal["ignore", "replace"],
) -> int:
    if ts_s.size == 0:
        return 0
    ensure_reading_partitions(conn, int(ts_s.min()), int(ts_s.max()))
    return write_columns(
        conn,
        readings,
        {"ts_s": ts_s, "value": value, "quality": quality},
        on_conflict=on_conflict,
        constants={"meter_key": int(key), "batch_id": batch_id},
    )


def insert_readings(
    conn: Connection,
    principal: Principal,
    meter: MeterRef,
    ts_s: IntArray,
    value: FloatArray,
    quality: npt.NDArray[np.uint8],
    batch_id: int | None = None,
) -> int:
    """Insert new readings (an existing (meter, ts) is left as is); returns rows inserted."""
    key = _may_write(principal, meter)
    return _write_readings(conn, key, ts_s, value, quality, batch_id, "ignore")


def update_readings(
    conn: Connection,
    principal: Principal,
    meter: MeterRef,
    ts_s: IntArray,
    value: FloatArray,
    quality: npt.NDArray[np.uint8],
    batch_id: int | None = None,
) -> int:
    """Overwrite stored readings (corrections); returns rows written."""
    key = _may_write(principal, meter)
    return _write_readings(conn, key, ts_s, value, quality, batch_id, "replace")


def correct_readings(
    conn: Connection,
    principal: Principal,
    meter: MeterRef,
    written: tuple[IntArray, FloatArray, npt.NDArray[np.uint8]],
    old_value: FloatArray,
    batch_id: int,
    *,
    source: str,
) -> int:
    """Replace stored readings with corrected ones and keep their history; returns how many.

    Each correction records who (the principal), when, the old and new value, and the batch
    that had written the old value (so that batch's audit digest stays verifiable).
    """
    key = _may_write(principal, meter)
    ts_s, value, quality = written
    previous = _batch_ids(conn, key, ts_s)
    _write_readings(conn, key, ts_s, value, quality, batch_id, "replace")
    now = clock_of(conn).now()
    conn.execute(
        corrections.insert(),
        [
            {
                "meter_key": key,
                "ts_s": t,
                "old_value": o,
                "new_value": v,
                "old_batch_id": previous.get(t),
                "actor": principal.subject,
                "source": source,
                "created_at": now,
            }
            for t, o, v in zip(ts_s.tolist(), old_value.tolist(), value.tolist(), strict=True)
        ],
    )
    return int(ts_s.size)


def batch_sources(
    conn: Connection, principal: Principal, meter: MeterRef, ts_s: Sequence[int]
) -> dict[int, str | None]:
    """What the sender called the batch that wrote each of ``meter``'s readings at ``ts_s``
    (the ``source:`` its ``readings.batch`` audit entry names; None when there is none)."""
    key = _may_read(principal, meter)
    if not ts_s:
        return {}
    rows = conn.execute(
        select(readings.c.ts_s, audit_log.c.entity)
        .select_from(readings.outerjoin(audit_log, audit_log.c.seq == readings.c.batch_id))
        .where(readings.c.meter_key == key, readings.c.ts_s.in_(list(ts_s)))
    )
    prefix = "source:"
    return {
        int(t): e[len(prefix) :] if e is not None and e.startswith(prefix) else None
        for t, e in rows
    }


def _batch_ids(conn: Connection, key: int, ts_s: IntArray) -> dict[int, int | None]:
    """The batch (audit sequence number) that wrote each of the given readings."""
    rows = conn.execute(
        select(readings.c.ts_s, readings.c.batch_id).where(
            readings.c.meter_key == key, readings.c.ts_s.in_(ts_s.tolist())
        )
    )
    return {int(r.ts_s): r.batch_id for r in rows}


@dataclass(frozen=True, slots=True)
class RollupRows:
    """Hourly rollup rows as arrays (one row per meter and hour)."""

    meter_key: IntArray
    hour_s: IntArray
    quantity: FloatArray
    estimated: FloatArray
    coverage_s: IntArray


def delete_rollups(
    conn: Connection, principal: Principal, meter: MeterRef, lo_hour_s: int, hi_hour_s: int
) -> None:
    """Remove a meter's rollups for hours starting in ``[lo_hour_s, hi_hour_s)``."""
    _driver_rows(
        conn,
        "DELETE FROM hourly_rollups WHERE meter_key = ? AND hour_s >= ? AND hour_s < ?",
        (_may_write(principal, meter), lo_hour_s, hi_hour_s),
    )


def write_rollups(
    conn: Connection,
    principal: Principal,
    meter: MeterRef,
    hour_s: IntArray,
    quantity: FloatArray,
    estimated: FloatArray,
    coverage_s: IntArray,
) -> int:
    """Insert or replace a meter's rollups for the given hours."""
    key = _may_write(principal, meter)
    if hour_s.size == 0:
        return 0
    columns = {
        "hour_s": hour_s,
        "quantity": quantity,
        "estimated": estimated,
        "coverage_s": np.asarray(coverage_s, np.int64),
        "quality": (estimated > 0).astype(np.int64),
    }
    return write_columns(
        conn, hourly_rollups, columns, on_conflict="replace", constants={"meter_key": int(key)}
    )


def read_rollups(
    conn: Connection,
    principal: Principal,
    keys: Sequence[int],
    lo_s: int | None = None,
    hi_s: int | None = None,
) -> RollupRows:
    """Rollups of the meters of ``keys`` the caller may read, for hours starting in
    ``[lo_s, hi_s)`` (unbounded where None)."""
    cond: list[ColumnElement[bool]] = [
        hourly_rollups.c.meter_key.in_(list(keys)),
        readable_meter_keys(principal, hourly_rollups.c.meter_key),
    ]
    if lo_s is not None:
        cond.append(hourly_rollups.c.hour_s >= lo_s)
    if hi_s is not None:
        cond.append(hourly_rollups.c.hour_s < hi_s)
    rows = conn.execute(
        select(
            hourly_rollups.c.meter_key,
            hourly_rollups.c.hour_s,
            hourly_rollups.c.quantity,
            hourly_rollups.c.estimated,
            hourly_rollups.c.coverage_s,
        )
        .where(and_(*cond))
        .order_by(hourly_rollups.c.meter_key, hourly_rollups.c.hour_s)
    ).all()
    if not rows:
        z = np.zeros(0, np.int64)
        return RollupRows(z, z.copy(), np.zeros(0), np.zeros(0), z.copy())
    k, h, q, e, c = (np.asarray(col) for col in zip(*rows, strict=True))
    return RollupRows(
        k.astype(np.int64),
        h.astype(np.int64),
        q.astype(np.float64),
        e.astype(np.float64),
        c.astype(np.int64),
    )


def rollup_hours(conn: Connection, principal: Principal, meter: MeterRef) -> RollupRows:
    """Every stored rollup of one meter, by hour (read through the driver: verification reads
    every meter's rollups)."""
    key = _may_read(principal, meter)
    rows = _driver_rows(
        conn,
        "SELECT hour_s, quantity, estimated, coverage_s FROM hourly_rollups "
        "WHERE meter_key = ? ORDER BY hour_s",
        (key,),
    )
    table = np.array(rows, dtype=np.float64).reshape(-1, 4)
    hour = table[:, 0].astype(np.int64)
    return RollupRows(
        np.full(hour.size, key, np.int64),
        hour,
        table[:, 1].copy(),
        table[:, 2].copy(),
        table[:, 3].astype(np.int64),
    )


def count_readings(conn: Connection, principal: Principal, keys: Sequence[int]) -> int:
    """How many readings the meters of ``keys`` the caller may read hold."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(readings)
            .where(
                readings.c.meter_key.in_(list(keys)),
                readable_meter_keys(principal, readings.c.meter_key),
            )
        ).scalar_one()
    )


def last_reading_times(
    conn: Connection,
    principal: Principal,
    keys: Sequence[int],
    lo_s: int | None = None,
    hi_s: int | None = None,
) -> dict[int, int]:
    """The newest reading time [UTC epoch s] in ``[lo_s, hi_s)`` (unbounded where None) of
    each meter of ``keys`` the caller may read that has one there."""
    if not keys:
        return {}
    cond: list[ColumnElement[bool]] = [
        readings.c.meter_key.in_(list(keys)),
        readable_meter_keys(principal, readings.c.meter_key),
    ]
    if lo_s is not None:
        cond.append(readings.c.ts_s >= lo_s)
    if hi_s is not None:
        cond.append(readings.c.ts_s < hi_s)
    rows = conn.execute(
        select(readings.c.meter_key, func.max(readings.c.ts_s))
        .where(*cond)
        .group_by(readings.c.meter_key)
    )
    return {int(k): int(ts) for k, ts in rows}


def rollup_span(
    conn: Connection, principal: Principal, keys: Sequence[int]
) -> tuple[int, int] | None:
    """The first hour and the end of the last hour [UTC epoch s] of the rollups of the meters of
    ``keys`` the caller may read (None: no rollups)."""
    t = hourly_rollups
    lo, hi = conn.execute(
        select(func.min(t.c.hour_s), func.max(t.c.hour_s)).where(
            t.c.meter_key.in_(list(keys)), readable_meter_keys(principal, t.c.meter_key)
        )
    ).one()
    return None if lo is None else (int(lo), int(hi) + 3600)
