"""Fast, idempotent bulk writes for SQLite and PostgreSQL.

Readings, intervals and rollups arrive by the hundred thousand. SQLAlchemy's ORM is the wrong tool
for that; these helpers send plain tuples through the driver: ``executemany`` on SQLite, ``COPY``
into a temporary table and one ``INSERT ... ON CONFLICT`` on PostgreSQL. ``ignore`` keeps what is
stored (a re-sent reading changes nothing); ``replace`` overwrites (a recomputed rollup).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy.typing as npt
from sqlalchemy import Connection, Table

__all__ = ["bulk_write", "ensure_reading_partitions", "write_columns"]

OnConflict = Literal["ignore", "replace"]


def _literal(value: int | None) -> str:
    """An integer constant as SQL text (only integers and NULL are ever inlined)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"only integer constants can be inlined, not {value!r}")
    return str(int(value))


def write_columns(
    conn: Connection,
    table: Table,
    columns: Mapping[str, npt.NDArray[Any]],
    *,
    on_conflict: OnConflict,
    constants: Mapping[str, int | None] | None = None,
) -> int:
    """Write equal-length arrays as rows of ``table``; returns rows written, as :func:`bulk_write`.

    An integer column that holds one value throughout (all readings measured, every hour fully
    covered) is written once in the statement, like ``constants``, instead of bound row by row.
    """
    fixed = dict(constants or {})
    bound: dict[str, list[Any]] = {}
    for name, values in columns.items():
        if values.size and values.dtype.kind in "iu" and values.min() == values.max():
            fixed[name] = int(values[0])
        else:
            bound[name] = values.tolist()
    if not bound:  # a row needs one bound value at least
        name = list(columns)[-1]
        fixed.pop(name)
        bound[name] = columns[name].tolist()
    rows = zip(*bound.values(), strict=True)
    return bulk_write(conn, table, list(bound), rows, on_conflict=on_conflict, constants=fixed)


def bulk_write(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    on_conflict: OnConflict,
    conflict_columns: Sequence[str] | None = None,
    constants: Mapping[str, int | None] | None = None,
) -> int:
    """Write ``rows`` (tuples in ``columns`` order) into ``table``; returns rows written.

    ``constants`` are integer columns with the same value in every row (a meter key, a batch
    number): they are written once in the statement rather than bound row by row, which is most of
    the cost of a row on SQLite. A conflict is a row with the same ``conflict_columns`` (default:
    the primary key). With ``ignore`` the count excludes rows already stored (duplicates).
    """
    if isinstance(rows, Sequence) and not rows:
        return 0
    fixed = {name: _literal(value) for name, value in (constants or {}).items()}
    keys = list(conflict_columns or [c.name for c in table.primary_key.columns])
    if conn.dialect.name == "postgresql":
        return _copy_write(conn, table, columns, rows, on_conflict, keys, fixed)
    cols = ", ".join([*fixed, *columns])
    marks = ", ".join([*fixed.values(), *("?" for _ in columns)])
    if on_conflict == "ignore":
        sql = f"INSERT INTO {table.name} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"
    else:
        updates = ", ".join(f"{c} = excluded.{c}" for c in [*fixed, *columns] if c not in keys)
        sql = (
            f"INSERT INTO {table.name} ({cols}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
        )
    raw = conn.connection.driver_connection
    assert raw is not None
    before = raw.total_changes
    raw.executemany(sql, rows)
    return int(raw.total_changes - before)


def _copy_write(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    on_conflict: OnConflict,
    keys: Sequence[str],
    fixed: Mapping[str, str],
) -> int:
    cols = ", ".join(columns)
    # One staging table per target table and column list (it holds only the copied columns).
    staging = f"_stage_{table.name}_{zlib.crc32(cols.encode()):08x}"
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS "
            f"AS SELECT {cols} FROM {table.name} WITH NO DATA"
        )
        cur.execute(f"TRUNCATE {staging}")
        with cur.copy(f"COPY {staging} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if on_conflict == "ignore":
            conflict = "DO NOTHING"
        else:
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*fixed, *columns] if c not in keys)
            conflict = f"DO UPDATE SET {sets}"
        target = ", ".join([*fixed, *columns])
        source = ", ".join([*fixed.values(), *columns])
        cur.execute(
            f"INSERT INTO {table.name} ({target}) SELECT {source} FROM {staging} "
            f"ON CONFLICT ({', '.join(keys)}) {conflict}"
        )
        written = cur.rowcount
        cur.execute(f"TRUNCATE {staging}")
    return int(written)


def _month_start(ts_s: int) -> datetime:
    moment = datetime.fromtimestamp(ts_s, UTC)
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def ensure_reading_partitions(conn: Connection, ts_min_s: int, ts_max_s: int) -> None:
    """On PostgreSQL, create the monthly partitions of ``readings`` covering the time range."""
    if conn.dialect.name != "postgresql":
        return
    month = _month_start(ts_min_s)
    last = _month_start(ts_max_s)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        name = f"readings_{month:%Y%m}"
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF readings "
            f"FOR VALUES FROM ({int(month.timestamp())}) TO ({int(following.timestamp())})"
        )
        month = following
