"""Alerts in the database: raised by checks, then acknowledged and resolved by people.

The ``alerts`` table is defined in :mod:`zeropark.store.schema` (created by migration 0003,
``rule_id`` added by 0010). An alert's ``subject`` is ``<rule id>:<what it is about>``
(``builtin_no_data:meter:e_main``); de-duplication is the rule engine's lifecycle state
(:mod:`zeropark.store.monitoring`). Reads are scoped to the caller (a tenant sees its
own); raising and changing alerts is for those who may configure the park.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from zeropark.domain.access import Principal
from zeropark.store.engine import clock_of
from zeropark.store.schema import alerts
from zeropark.store.scope import require, row_filter

__all__ = [
    "ACTIVE",
    "active_alerts",
    "count_alerts",
    "get_alert",
    "insert_alert",
    "list_alerts",
    "set_alert_status",
]

#: Statuses of an alert whose condition is still being handled.
ACTIVE = ("open", "acknowledged")


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _row(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    for name in ("raised_at", "acknowledged_at", "resolved_at"):
        out[name] = _utc(out[name])
    return out


def active_alerts(
    conn: Connection, principal: Principal, park_id: str
) -> dict[str, dict[str, Any]]:
    """Open or acknowledged alerts of a park the caller may see, by subject."""
    rows = conn.execute(
        select(alerts).where(
            alerts.c.park_id == park_id,
            alerts.c.status.in_(ACTIVE),
            row_filter(principal, alerts),
        )
    )
    return {r.subject: _row(r) for r in rows}


def _may_change(principal: Principal, park_id: str) -> None:
    require(principal.can_configure(park_id), principal, f"change alerts of {park_id!r}")


def insert_alert(conn: Connection, principal: Principal, park_id: str, **values: Any) -> int:
    """Raise an alert (status ``open``); returns its id."""
    _may_change(principal, park_id)
    result = conn.execute(
        alerts.insert().values(
            park_id=park_id, status="open", raised_at=clock_of(conn).now(), **values
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def list_alerts(
    conn: Connection,
    principal: Principal,
    park_id: str,
    *,
    status: str | None = None,
    rule_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Alerts the caller may see (of a rule when given), newest first, and their total count."""
    cond = [alerts.c.park_id == park_id, row_filter(principal, alerts)]
    if status is not None:
        cond.append(alerts.c.status == status)
    if rule_id is not None:
        cond.append(alerts.c.rule_id == rule_id)
    total = int(conn.execute(select(func.count()).select_from(alerts).where(*cond)).scalar_one())
    rows = conn.execute(
        select(alerts).where(*cond).order_by(alerts.c.id.desc()).limit(limit).offset(offset)
    )
    return [_row(r) for r in rows], int(total)


def count_alerts(
    conn: Connection, principal: Principal, park_id: str, *, status: str | None = None
) -> int:
    """How many alerts the caller may see (of ``status`` when given)."""
    cond = [alerts.c.park_id == park_id, row_filter(principal, alerts)]
    if status is not None:
        cond.append(alerts.c.status == status)
    return int(conn.execute(select(func.count()).select_from(alerts).where(*cond)).scalar_one())


def get_alert(
    conn: Connection, principal: Principal, park_id: str, alert_id: int
) -> dict[str, Any] | None:
    """One alert the caller may see, or None."""
    row = conn.execute(
        select(alerts).where(
            alerts.c.park_id == park_id,
            alerts.c.id == alert_id,
            row_filter(principal, alerts),
        )
    ).first()
    return _row(row) if row is not None else None


def set_alert_status(
    conn: Connection, principal: Principal, park_id: str, alert_id: int, status: str, **values: Any
) -> None:
    """Move an alert of the park to ``status`` with the given bookkeeping columns."""
    _may_change(principal, park_id)
    conn.execute(
        update(alerts)
        .where(alerts.c.park_id == park_id, alerts.c.id == alert_id)
        .values(status=status, **values)
    )
