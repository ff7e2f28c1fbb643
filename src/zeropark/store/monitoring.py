"""Alert rules, notification channels, lifecycle state and deliveries in the database.

Tables in :mod:`zeropark.store.monitoring_schema` (migration 0010). Reads are scoped to the
caller (a tenant sees its own rules, channels and deliveries; park admins the park's); writes
need :meth:`Principal.can_configure` of the park, or — a tenant editing its own rules and
channels — ownership of the row (``tenant_id`` is the tenant's). Lifecycle state is the
monitor's bookkeeping: only those who may configure the park read or write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, delete, select, tuple_, update

from zeropark.domain.access import Principal
from zeropark.store.monitoring_schema import (
    alert_channels,
    alert_deliveries,
    alert_rules,
    alert_states,
)
from zeropark.store.readings import RollupRows
from zeropark.store.schema import hourly_rollups, meters
from zeropark.store.scope import readable_meter_keys, require, row_filter

__all__ = [
    "delete_channel",
    "delete_rule",
    "due_deliveries",
    "get_rule",
    "insert_deliveries",
    "list_channels",
    "list_deliveries",
    "list_rules",
    "load_states",
    "meter_rows",
    "replace_source",
    "rollups_at_hours",
    "rollups_between",
    "rule_ids",
    "save_states",
    "update_delivery",
    "upsert_channel",
    "upsert_rule",
]


def _may_write(principal: Principal, park_id: str, tenant_id: str | None, what: str) -> None:
    own = (
        principal.role == "tenant"
        and tenant_id is not None
        and tenant_id == principal.tenant_id
        and principal.in_park(park_id)
    )
    require(principal.can_configure(park_id) or own, principal, what)


def list_rules(
    conn: Connection, principal: Principal, park_id: str, *, enabled_only: bool = False
) -> list[dict[str, Any]]:
    """The rules of a park the caller may see, by id."""
    cond = [alert_rules.c.park_id == park_id, row_filter(principal, alert_rules)]
    if enabled_only:
        cond.append(alert_rules.c.enabled.is_(True))
    rows = conn.execute(select(alert_rules).where(*cond).order_by(alert_rules.c.id))
    return [dict(r._mapping) for r in rows]


def rule_ids(conn: Connection, principal: Principal, park_id: str, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are rules of the park the caller may see."""
    return set(
        conn.execute(
            select(alert_rules.c.id).where(
                alert_rules.c.park_id == park_id,
                alert_rules.c.id.in_(list(ids)),
                row_filter(principal, alert_rules),
            )
        ).scalars()
    )


def get_rule(
    conn: Connection, principal: Principal, park_id: str, rule_id: str
) -> dict[str, Any] | None:
    """One rule the caller may see, or None."""
    row = conn.execute(
        select(alert_rules).where(
            alert_rules.c.park_id == park_id,
            alert_rules.c.id == rule_id,
            row_filter(principal, alert_rules),
        )
    ).first()
    return None if row is None else dict(row._mapping)


def upsert_rule(
    conn: Connection, principal: Principal, park_id: str, row: Mapping[str, Any]
) -> None:
    """Create or replace a rule (``row``: the table's columns but ``park_id``)."""
    _may_write(principal, park_id, row.get("tenant_id"), f"edit alert rules of {park_id!r}")
    existing = conn.execute(
        select(alert_rules.c.tenant_id).where(
            alert_rules.c.park_id == park_id, alert_rules.c.id == row["id"]
        )
    ).first()
    if existing is not None:
        _may_write(principal, park_id, existing.tenant_id, f"edit alert rules of {park_id!r}")
        conn.execute(
            update(alert_rules)
            .where(alert_rules.c.park_id == park_id, alert_rules.c.id == row["id"])
            .values(**row)
        )
    else:
        conn.execute(alert_rules.insert().values(park_id=park_id, **row))


def delete_rule(conn: Connection, principal: Principal, park_id: str, rule_id: str) -> bool:
    """Delete a rule and its lifecycle state; False when there was none the caller may see."""
    rule = get_rule(conn, principal, park_id, rule_id)
    if rule is None:
        return False
    _may_write(principal, park_id, rule["tenant_id"], f"delete alert rules of {park_id!r}")
    conn.execute(
        delete(alert_states).where(
            alert_states.c.park_id == park_id, alert_states.c.rule_id == rule_id
        )
    )
    conn.execute(
        delete(alert_rules).where(alert_rules.c.park_id == park_id, alert_rules.c.id == rule_id)
    )
    return True


def replace_source(
    conn: Connection,
    principal: Principal,
    park_id: str,
    source: str,
    rules: Sequence[Mapping[str, Any]],
    channels: Sequence[Mapping[str, Any]],
) -> None:
    """Replace the rules and channels written by ``source`` (``park_file``, ``builtin``) with
    the given ones; rules and channels of other sources (the API's) stay."""
    require(principal.can_configure(park_id), principal, f"configure alerts of {park_id!r}")
    kept = {r["id"] for r in rules}
    stale = conn.execute(
        select(alert_rules.c.id).where(
            alert_rules.c.park_id == park_id, alert_rules.c.source == source
        )
    ).scalars()
    gone = [i for i in stale if i not in kept]
    if gone:
        conn.execute(
            delete(alert_states).where(
                alert_states.c.park_id == park_id, alert_states.c.rule_id.in_(gone)
            )
        )
        conn.execute(
            delete(alert_rules).where(alert_rules.c.park_id == park_id, alert_rules.c.id.in_(gone))
        )
    for row in rules:
        upsert_rule(conn, principal, park_id, {**row, "source": source})
    conn.execute(
        delete(alert_channels).where(
            alert_channels.c.park_id == park_id, alert_channels.c.source == source
        )
    )
    for row in channels:
        upsert_channel(conn, principal, park_id, {**row, "source": source})


def list_channels(conn: Connection, principal: Principal, park_id: str) -> list[dict[str, Any]]:
    """The notification channels of a park the caller may see (with their secrets: callers
    that show them must mask them)."""
    rows = conn.execute(
        select(alert_channels)
        .where(alert_channels.c.park_id == park_id, row_filter(principal, alert_channels))
        .order_by(alert_channels.c.id)
    )
    return [dict(r._mapping) for r in rows]


def upsert_channel(
    conn: Connection, principal: Principal, park_id: str, row: Mapping[str, Any]
) -> None:
    """Create or replace a channel (``row``: the table's columns but ``park_id``)."""
    _may_write(principal, park_id, row.get("tenant_id"), f"edit alert channels of {park_id!r}")
    where = and_(alert_channels.c.park_id == park_id, alert_channels.c.id == row["id"])
    existing = conn.execute(select(alert_channels.c.tenant_id).where(where)).first()
    if existing is not None:
        _may_write(principal, park_id, existing.tenant_id, f"edit alert channels of {park_id!r}")
        conn.execute(update(alert_channels).where(where).values(**row))
    else:
        conn.execute(alert_channels.insert().values(park_id=park_id, **row))


def delete_channel(conn: Connection, principal: Principal, park_id: str, channel_id: str) -> bool:
    """Delete a channel; False when there was none the caller may see."""
    where = and_(
        alert_channels.c.park_id == park_id,
        alert_channels.c.id == channel_id,
        row_filter(principal, alert_channels),
    )
    row = conn.execute(select(alert_channels.c.tenant_id).where(where)).first()
    if row is None:
        return False
    _may_write(principal, park_id, row.tenant_id, f"delete alert channels of {park_id!r}")
    conn.execute(delete(alert_channels).where(where))
    return True


def load_states(
    conn: Connection, principal: Principal, park_id: str
) -> dict[tuple[str, str], dict[str, Any]]:
    """The lifecycle state of every (rule, subject) of a park."""
    require(principal.can_configure(park_id), principal, f"run the monitor of {park_id!r}")
    rows = conn.execute(select(alert_states).where(alert_states.c.park_id == park_id))
    return {(r.rule_id, r.subject): dict(r._mapping) for r in rows}


def save_states(
    conn: Connection, principal: Principal, park_id: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Write the given (rule, subject) states (replacing their previous rows)."""
    if not rows:
        return
    require(principal.can_configure(park_id), principal, f"run the monitor of {park_id!r}")
    keys = [(r["rule_id"], r["subject"]) for r in rows]
    for i in range(0, len(keys), 400):
        conn.execute(
            delete(alert_states).where(
                alert_states.c.park_id == park_id,
                tuple_(alert_states.c.rule_id, alert_states.c.subject).in_(keys[i : i + 400]),
            )
        )
    conn.execute(alert_states.insert(), [{"park_id": park_id, **r} for r in rows])


def insert_deliveries(
    conn: Connection, principal: Principal, park_id: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Queue deliveries (status ``pending``)."""
    if rows:
        require(principal.can_configure(park_id), principal, f"notify for {park_id!r}")
        conn.execute(alert_deliveries.insert(), [{"park_id": park_id, **r} for r in rows])


def due_deliveries(
    conn: Connection, principal: Principal, park_id: str, now_s: int, limit: int = 200
) -> list[dict[str, Any]]:
    """Pending deliveries of a park whose next attempt is due at ``now_s``, oldest first."""
    require(principal.can_configure(park_id), principal, f"notify for {park_id!r}")
    rows = conn.execute(
        select(alert_deliveries)
        .where(
            alert_deliveries.c.park_id == park_id,
            alert_deliveries.c.status == "pending",
            alert_deliveries.c.next_attempt_s <= now_s,
        )
        .order_by(alert_deliveries.c.next_attempt_s, alert_deliveries.c.id)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


def update_delivery(
    conn: Connection, principal: Principal, park_id: str, delivery_id: int, **values: Any
) -> None:
    """Record an attempt's outcome on a delivery."""
    require(principal.can_configure(park_id), principal, f"notify for {park_id!r}")
    conn.execute(
        update(alert_deliveries)
        .where(alert_deliveries.c.park_id == park_id, alert_deliveries.c.id == delivery_id)
        .values(**values)
    )


def list_deliveries(
    conn: Connection, principal: Principal, park_id: str, alert_ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """Delivery records of the given alerts the caller may see, by alert id."""
    ids = sorted(set(alert_ids))
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = conn.execute(
        select(alert_deliveries)
        .where(
            alert_deliveries.c.park_id == park_id,
            alert_deliveries.c.alert_id.in_(ids),
            row_filter(principal, alert_deliveries),
        )
        .order_by(alert_deliveries.c.id)
    )
    for r in rows:
        out[r.alert_id].append(dict(r._mapping))
    return out


def meter_rows(conn: Connection, principal: Principal, park_id: str) -> list[dict[str, Any]]:
    """The meters of a park the caller may read, with what rules need (key, id, tenant, parent,
    carrier, unit, interval, active, category), by id."""
    rows = conn.execute(
        select(
            meters.c.key,
            meters.c.id,
            meters.c.tenant_id,
            meters.c.parent_id,
            meters.c.carrier,
            meters.c.unit,
            meters.c.interval_s,
            meters.c.active,
            meters.c.category,
        )
        .where(meters.c.park_id == park_id, row_filter(principal, meters))
        .order_by(meters.c.id)
    )
    return [dict(r._mapping) for r in rows]


def rollups_at_hours(
    conn: Connection, principal: Principal, keys: Sequence[int], hours: Sequence[int]
) -> RollupRows:
    """Rollups of the meters of ``keys`` the caller may read at exactly the given hours
    (the few hours a pass of the monitor compares: latest, previous, same hour of past days)."""
    if not keys or not hours:
        z = np.zeros(0, np.int64)
        return RollupRows(z, z.copy(), np.zeros(0), np.zeros(0), z.copy())
    t = hourly_rollups
    rows = conn.execute(
        select(t.c.meter_key, t.c.hour_s, t.c.quantity, t.c.estimated, t.c.coverage_s).where(
            t.c.meter_key.in_(list(keys)),
            t.c.hour_s.in_(sorted(set(hours))),
            readable_meter_keys(principal, t.c.meter_key),
        )
    ).all()
    if not rows:
        return rollups_at_hours(conn, principal, [], [])
    k, h, q, e, c = (np.asarray(col) for col in zip(*rows, strict=True))
    return RollupRows(
        k.astype(np.int64),
        h.astype(np.int64),
        q.astype(np.float64),
        e.astype(np.float64),
        c.astype(np.int64),
    )


def rollups_between(
    conn: Connection, principal: Principal, keys: Sequence[int], lo_s: int, hi_s: int
) -> RollupRows:
    """Rollups of the meters of ``keys`` (all readable by the caller, else
    :class:`PermissionDenied`) for hours in ``[lo_s, hi_s)``, ordered by meter and hour, read
    through the driver's cursor (a back-evaluation reads a year of a thousand meters)."""
    keys = sorted({int(k) for k in keys})
    if not keys:
        return rollups_at_hours(conn, principal, [], [])
    readable = set(
        conn.execute(
            select(meters.c.key).where(meters.c.key.in_(keys), row_filter(principal, meters))
        ).scalars()
    )
    require(readable == set(keys), principal, "read the rollups of these meters")
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        "SELECT meter_key, hour_s, quantity, estimated, coverage_s FROM hourly_rollups "
        f"WHERE meter_key IN ({', '.join([mark] * len(keys))}) "
        f"AND hour_s >= {mark} AND hour_s < {mark} ORDER BY meter_key, hour_s"
    )
    raw = conn.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql, (*keys, int(lo_s), int(hi_s)))
        table = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 5)
    finally:
        cursor.close()
    return RollupRows(
        table[:, 0].astype(np.int64),
        table[:, 1].astype(np.int64),
        table[:, 2].copy(),
        table[:, 3].copy(),
        table[:, 4].astype(np.int64),
    )
