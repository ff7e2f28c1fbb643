"""Activity records in the database, scoped to the caller (a tenant sees and writes its own).

:func:`write_activities` is the one place activity records are written, and it seals what it
writes in the audit log (an ``activities.write`` entry listing each record's key and content
hash, in the same transaction), so every writer — the demo, Excel/CSV import, the API, a
quarantine resubmission — is verifiable by ``zeropark verify``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.store import audit
from zeropark.store.bulk import bulk_write
from zeropark.store.engine import clock_of
from zeropark.store.schema import activity_records, tenants
from zeropark.store.scope import require, row_filter

__all__ = [
    "activity_key",
    "activity_sha256",
    "list_activities",
    "seal_activities",
    "write_activities",
]

_COLUMNS = (
    "park_id",
    "tenant_id",
    "entity",
    "period",
    "category",
    "item",
    "quantity",
    "unit",
    "params",
    "evidence",
    "source",
    "created_by",
    "created_at",
)


def write_activities(
    conn: Connection,
    principal: Principal,
    park_id: str,
    records: Sequence[ActivityRecord],
    *,
    source: str,
) -> int:
    """Insert or replace records (key: park, entity, period, category, item, unit); sealed.

    Appends the ``activities.write`` audit entry (:func:`seal_activities`) in the caller's
    transaction. Returns the number of rows written.
    """
    tenant_ids = set(
        conn.execute(select(tenants.c.id).where(tenants.c.park_id == park_id)).scalars()
    )
    now = clock_of(conn).now()
    rows: list[tuple[Any, ...]] = []
    for r in records:
        tenant_id = r.entity if r.entity in tenant_ids else None
        require(
            principal.can_write_activity(park_id, tenant_id),
            principal,
            f"enter activity data for {r.entity!r}",
        )
        params = json.dumps(r.params, ensure_ascii=False, sort_keys=True)
        rows.append(
            (
                park_id,
                tenant_id,
                r.entity,
                r.period,
                r.category,
                r.item,
                r.quantity,
                r.unit,
                params,
                r.evidence,
                source,
                principal.subject,
                now,
            )
        )
    written = bulk_write(
        conn,
        activity_records,
        _COLUMNS,
        rows,
        on_conflict="replace",
        conflict_columns=("park_id", "entity", "period", "category", "item", "unit"),
    )
    seal_activities(conn, principal, park_id, records, source=source)
    return written


def activity_key(entity: str, period: str, category: str, item: str, unit: str) -> str:
    """The natural key of an activity record within its park, as one string."""
    return "|".join((entity, period, category, item, unit))


def activity_sha256(record: ActivityRecord) -> str:
    """SHA-256 of an activity record's content (canonical JSON)."""
    return audit.sha256_hex(
        audit.canonical_json(
            [
                record.entity,
                record.period,
                record.category,
                record.item,
                float(record.quantity),
                record.unit,
                record.params or {},
                record.evidence,
            ]
        )
    )


def seal_activities(
    conn: Connection,
    principal: Principal,
    park_id: str,
    records: Sequence[ActivityRecord],
    *,
    source: str,
) -> None:
    """Append the ``activities.write`` entry for records just written (same transaction).

    The payload lists ``[key, sha256]`` of each record; a key written twice in one call keeps
    its last content, as the table does.
    """
    if not records:
        return
    sealed = {
        activity_key(r.entity, r.period, r.category, r.item, r.unit): activity_sha256(r)
        for r in records
    }
    audit.append(
        conn,
        actor=principal.subject,
        action="activities.write",
        park_id=park_id,
        entity=f"source:{source}",
        payload={
            "source": source,
            "rows": len(sealed),
            "records": sorted([key, sha] for key, sha in sealed.items()),
        },
    )


def list_activities(
    conn: Connection, principal: Principal, park_id: str, *, period_prefix: str | None = None
) -> list[ActivityRecord]:
    """The records the caller may read, optionally of periods starting with ``period_prefix``."""
    query = select(activity_records).where(
        activity_records.c.park_id == park_id, row_filter(principal, activity_records)
    )
    if period_prefix:
        query = query.where(activity_records.c.period.startswith(period_prefix))
    return [
        ActivityRecord(
            r.entity,
            r.period,
            r.category,
            r.item,
            r.quantity,
            r.unit,
            dict(r.params or {}),
            r.evidence,
        )
        for r in conn.execute(query.order_by(activity_records.c.id))
    ]
