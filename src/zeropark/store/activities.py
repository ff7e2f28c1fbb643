"""Activity records in the database, scoped to the caller (a tenant sees and writes its own)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.store.bulk import bulk_write
from zeropark.store.schema import activity_records, tenants
from zeropark.store.scope import require, row_filter

__all__ = ["list_activities", "write_activities"]

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
    """Insert or replace records (key: park, entity, period, category, item, unit)."""
    tenant_ids = set(
        conn.execute(select(tenants.c.id).where(tenants.c.park_id == park_id)).scalars()
    )
    now = datetime.now(UTC)
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
    return bulk_write(
        conn,
        activity_records,
        _COLUMNS,
        rows,
        on_conflict="replace",
        conflict_columns=("park_id", "entity", "period", "category", "item", "unit"),
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
