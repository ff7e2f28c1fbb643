"""Data-quality alerts: raised by :func:`check_data_quality`, then acknowledged and resolved.

A small, real lifecycle (``open`` → ``acknowledged`` → ``resolved``) that the monitoring work
extends with indicator rules and notifications. Two conditions are checked:

- ``silent_meter``: an active meter whose newest reading is older than ``silent_after_s``
  (at least three of its intervals) at ``now_s``, or that never sent one;
- ``open_quarantine``: open quarantine records, one alert per tenant (and one park-level).

A check raises an alert once per condition (by subject) and resolves, as ``check``, the active
alerts whose condition has cleared. Alerts are tenant-scoped like the data they are about.

Messages are rendered when alerts are read, from their kind and details, in both languages
(``message_zh``, ``message_en``; ``message`` is the English one) with times in the park's local
time and offset. The stored ``message`` column keeps the English text as raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.errors import InputError, NotFound
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.readings_query import local_iso
from zeropark.store import alerts as store
from zeropark.store import audit
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import open_by_tenant
from zeropark.store.readings import last_reading_times, meter_refs
from zeropark.store.scope import require

__all__ = [
    "DEFAULT_SILENT_AFTER_S",
    "CheckResult",
    "acknowledge_alert",
    "check_data_quality",
    "list_alerts",
    "messages",
    "resolve_alert",
]

DEFAULT_SILENT_AFTER_S = 6 * 3600


@dataclass
class CheckResult:
    """Alert ids a check raised and resolved."""

    raised: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)


def _duration(seconds: int) -> tuple[str, str]:
    """``6 小时`` / ``6 h`` (whole hours), else minutes."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600} 小时", f"{seconds // 3600} h"
    return f"{seconds // 60} 分钟", f"{seconds // 60} min"


def messages(alert: dict[str, Any], timezone: str) -> tuple[str, str]:
    """The Chinese and English message of an alert, times park-local with their offset."""
    details = alert.get("details") or {}
    if alert.get("kind") == "silent_meter" and "silent_after_s" in details:
        zh_for, en_for = _duration(int(details["silent_after_s"]))
        seen = details.get("last_reading_s")
        since = None if seen is None else local_iso(int(seen), timezone)
        meter = alert.get("meter_id")
        return (
            f"表计 {meter} 超过 {zh_for}无数据（最近读数：{since or '无'}）",
            f"meter {meter} silent for over {en_for} (last reading: {since or 'never'})",
        )
    if alert.get("kind") == "open_quarantine" and "open_records" in details:
        count = int(details["open_records"])
        return f"{count} 条隔离记录待处理", f"{count} quarantined record(s) wait for review"
    text = str(alert.get("message") or "")
    return text, text


def _with_messages(alert: dict[str, Any], timezone: str) -> dict[str, Any]:
    zh, en = messages(alert, timezone)
    return {**alert, "message": en, "message_zh": zh, "message_en": en}


def _conditions(
    conn: Connection,
    principal: Principal,
    park_id: str,
    now_s: int,
    silent_after_s: int,
    timezone: str,
) -> dict[str, dict[str, Any]]:
    """The conditions that hold now, by subject, as the columns of their alert."""
    found: dict[str, dict[str, Any]] = {}
    refs = {r.key: r for r in meter_refs(conn, principal, park_id).values() if r.active}
    last = last_reading_times(conn, principal, sorted(refs))
    for key, ref in sorted(refs.items(), key=lambda kv: kv[1].id):
        limit = max(silent_after_s, 3 * (ref.interval_s or 0))
        seen = last.get(key)
        if seen is not None and now_s - seen <= limit:
            continue
        found[f"silent_meter:{ref.id}"] = {
            "kind": "silent_meter",
            "severity": "warning",
            "tenant_id": ref.tenant_id,
            "meter_id": ref.id,
            "details": {"last_reading_s": seen, "silent_after_s": limit, "checked_at_s": now_s},
        }
    for tenant, count in open_by_tenant(conn, principal, park_id).items():
        found[f"open_quarantine:{tenant or park_id}"] = {
            "kind": "open_quarantine",
            "severity": "info",
            "tenant_id": tenant,
            "meter_id": None,
            "details": {"open_records": count},
        }
    for columns in found.values():
        columns["message"] = messages(columns, timezone)[1]
    return found


def check_data_quality(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    now_s: int | None = None,
    silent_after_s: int = DEFAULT_SILENT_AFTER_S,
) -> CheckResult:
    """Raise alerts for silent meters and open quarantine; resolve those that cleared.

    ``now_s`` [UTC epoch s] is the time checked against (default: ``db.clock``).
    """
    if silent_after_s <= 0:
        raise InputError("silent_after_s must be positive", field="silent_after_s")
    now_s = int(db.clock.now_s()) if now_s is None else now_s
    result = CheckResult()
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"run alert checks of {park_id!r}")
        timezone = ParkRepository(conn, principal).get_park(park_id).timezone
        found = _conditions(conn, principal, park_id, now_s, silent_after_s, timezone)
        active = store.active_alerts(conn, principal, park_id)
        for subject, columns in found.items():
            if subject not in active:
                raised = store.insert_alert(conn, principal, park_id, subject=subject, **columns)
                result.raised.append(raised)
        for subject, alert in active.items():
            if subject not in found and alert["kind"] in ("silent_meter", "open_quarantine"):
                store.set_alert_status(
                    conn,
                    principal,
                    park_id,
                    alert["id"],
                    "resolved",
                    resolved_at=db.clock.now(),
                    resolved_by="check",
                    note=t("条件已解除", "condition cleared"),
                )
                result.resolved.append(alert["id"])
    return result


def list_alerts(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Alerts of a park the caller may see (a tenant: its own), newest first, and the total.

    Each carries ``message_zh`` and ``message_en`` (``message``: English).
    """
    if status is not None and status not in ("open", "acknowledged", "resolved"):
        raise InputError("status must be open, acknowledged or resolved", field="status")
    with db.transaction() as conn:
        timezone = ParkRepository(conn, principal).get_park(park_id).timezone
        rows, total = store.list_alerts(
            conn, principal, park_id, status=status, limit=limit, offset=offset
        )
    return [_with_messages(r, timezone) for r in rows], total


def _transition(
    db: Database,
    principal: Principal,
    park_id: str,
    alert_id: int,
    status: str,
    note: str | None,
) -> dict[str, Any]:
    with db.transaction() as conn:
        alert = store.get_alert(conn, principal, park_id, alert_id)
        if alert is None:
            raise NotFound(f"alert {alert_id} not found")
        require(principal.can_configure(park_id), principal, f"{status} alerts of {park_id!r}")
        if alert["status"] == "resolved":
            raise InputError(t("告警已关闭", "the alert is already resolved"), field="status")
        timezone = ParkRepository(conn, principal).get_park(park_id).timezone
        if status == "acknowledged" and alert["status"] == "acknowledged":
            return _with_messages(alert, timezone)
        now = db.clock.now()
        stamp = "acknowledged" if status == "acknowledged" else "resolved"
        store.set_alert_status(
            conn,
            principal,
            park_id,
            alert_id,
            status,
            note=note,
            **{f"{stamp}_at": now, f"{stamp}_by": principal.subject},
        )
        audit.append(
            conn,
            actor=principal.subject,
            action=f"alert.{'acknowledge' if stamp == 'acknowledged' else 'resolve'}",
            park_id=park_id,
            entity=f"alert:{alert_id}",
            payload={"id": alert_id, "note": note},
        )
        updated = store.get_alert(conn, principal, park_id, alert_id)
    assert updated is not None
    return _with_messages(updated, timezone)


def acknowledge_alert(
    db: Database, principal: Principal, park_id: str, alert_id: int, note: str | None = None
) -> dict[str, Any]:
    """Acknowledge an open alert (park admins); audited."""
    return _transition(db, principal, park_id, alert_id, "acknowledged", note)


def resolve_alert(
    db: Database, principal: Principal, park_id: str, alert_id: int, note: str | None = None
) -> dict[str, Any]:
    """Resolve an alert (park admins); audited."""
    return _transition(db, principal, park_id, alert_id, "resolved", note)
