"""What ``zeropark verify`` reads besides the audit chain: every stored row it checks.

Whole-table scans, streamed, for a verifier (:meth:`Principal.can_verify`: the local operator,
a park admin, an auditor): each function reads the rows of the verifier's parks only (all of
them for the local operator; :func:`~zeropark.store.scope.verifier_parks`). Run them in one
snapshot (``Database.snapshot``) so rows committed meanwhile are not half seen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Connection, Text, inspect, select, type_coerce

from zeropark.domain.access import Principal
from zeropark.store.billing_schema import issued_bills
from zeropark.store.schema import (
    activity_records,
    corrections,
    hourly_rollups,
    meters,
    parks,
    published_inventories,
    readings,
)
from zeropark.store.scope import verifier_parks

__all__ = [
    "activity_rows",
    "corrected_old_values",
    "issued_bill_rows",
    "orphan_rollup_keys",
    "park_timezones",
    "published_rows",
    "readings_by_batch",
]


def _in(column: ColumnElement[Any], principal: Principal) -> list[ColumnElement[bool]]:
    scope = verifier_parks(principal)
    return [] if scope is None else [column.in_(sorted(scope))]


def corrected_old_values(
    conn: Connection, principal: Principal
) -> dict[int, list[tuple[str, int, float]]]:
    """The values corrections replaced, by the batch that had written them:
    ``{batch: [(meter id, ts_s, old value)]}``."""
    old: dict[int, list[tuple[str, int, float]]] = defaultdict(list)
    for r in conn.execute(
        select(meters.c.id, corrections.c.ts_s, corrections.c.old_value, corrections.c.old_batch_id)
        .join(meters, meters.c.key == corrections.c.meter_key)
        .where(corrections.c.old_batch_id.is_not(None), *_in(meters.c.park_id, principal))
    ):
        old[int(r.old_batch_id)].append((r.id, int(r.ts_s), float(r.old_value)))
    return old


def readings_by_batch(
    conn: Connection, principal: Principal
) -> Iterator[tuple[str, int, float, int | None]]:
    """Every stored reading as ``(meter id, ts_s, value, batch)``, ordered by batch (streamed:
    a year of a park's readings is millions of rows, so plain tuples)."""
    query = (
        select(meters.c.id, readings.c.ts_s, readings.c.value, readings.c.batch_id)
        .join(meters, meters.c.key == readings.c.meter_key)
        .where(*_in(meters.c.park_id, principal))
        .order_by(readings.c.batch_id)
        .execution_options(yield_per=50_000)
    )
    for meter_id, ts_s, value, batch_id in conn.execute(query):
        yield meter_id, int(ts_s), float(value), None if batch_id is None else int(batch_id)


def park_timezones(conn: Connection, principal: Principal) -> list[tuple[str, str]]:
    """``(park id, timezone)`` of the verifier's parks, by id."""
    query = select(parks.c.id, parks.c.timezone).where(*_in(parks.c.id, principal))
    return [(str(p), str(z)) for p, z in conn.execute(query.order_by(parks.c.id))]


def orphan_rollup_keys(conn: Connection, principal: Principal) -> list[int]:
    """Meter keys of hourly rollups whose meter does not exist (the local operator's check:
    such rows belong to no park, so a park's verifier gets none)."""
    if verifier_parks(principal) is not None:
        return []
    query = (
        select(hourly_rollups.c.meter_key)
        .where(hourly_rollups.c.meter_key.not_in(select(meters.c.key)))
        .distinct()
    )
    return [int(k) for k in conn.execute(query).scalars()]


def activity_rows(conn: Connection, principal: Principal) -> Iterator[dict[str, Any]]:
    """Every stored activity record (columns as a dict, ``params`` decoded), by id."""
    query = (
        select(activity_records)
        .where(*_in(activity_records.c.park_id, principal))
        .order_by(activity_records.c.id)
    )
    for r in conn.execute(query):
        row = dict(r._mapping)
        params = row.get("params")
        row["params"] = (json.loads(params) if isinstance(params, str) else params) or {}
        yield row


def published_rows(conn: Connection, principal: Principal) -> Iterator[dict[str, Any]]:
    """Every published inventory (columns as a dict, ``result`` decoded), by id; none in a
    database older than the table."""
    if not inspect(conn).has_table("published_inventories"):
        return
    inv = published_inventories
    query = select(inv).where(*_in(inv.c.park_id, principal)).order_by(inv.c.id)
    for r in conn.execute(query):
        row = dict(r._mapping)
        result = row.get("result")
        row["result"] = json.loads(result) if isinstance(result, str) else result
        yield row


def issued_bill_rows(conn: Connection, principal: Principal) -> Iterator[dict[str, Any]]:
    """Every issued bill version (id, park, tenant, month, version, ``document`` decoded and its
    recorded ``content_sha256``), by id; none in a database older than the table."""
    if not inspect(conn).has_table("issued_bills"):
        return
    t = issued_bills
    query = (
        select(t.c.id, t.c.park_id, t.c.tenant_id, t.c.month, t.c.version,
               type_coerce(t.c.document, Text).label("document"), t.c.content_sha256)
        .where(*_in(t.c.park_id, principal))
        .order_by(t.c.id)
    )  # fmt: skip
    for r in conn.execute(query):
        row = dict(r._mapping)
        document = row.get("document")
        if isinstance(document, str):  # read as text: JSON that does not parse is reported
            try:
                row["document"] = json.loads(document)
            except ValueError:
                row["document"] = {"unreadable JSON": document}
        yield row
