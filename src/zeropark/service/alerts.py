"""Alerts as people handle them: list (with delivery records), acknowledge, resolve, and the
data-quality check.

Alerts are raised and recovered by the rule engine (:mod:`zeropark.service.monitor.engine`,
docs/monitoring.md); the former data-quality checks are its built-in rules
``builtin_no_data`` (kind ``no_data``; alerts of kind ``silent_meter``) and
``builtin_open_quarantine`` (``open_quarantine``). :func:`check_data_quality` is one pass of
those two rules. Lifecycle ``open`` → ``acknowledged`` → ``resolved``; people acknowledge and
resolve (one or many at once), audited.

Messages are rendered when alerts are read, from their kind and details, in both languages
(``message_zh``, ``message_en``; ``message`` is the English one) with times in the park's local
time and offset (``raised_local`` …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zeropark.domain.access import Principal
from zeropark.errors import InputError, NotFound
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.monitor.engine import meter_kind_names, run_pass
from zeropark.service.readings_query import local_iso
from zeropark.store import alerts as store
from zeropark.store import audit
from zeropark.store import monitoring as monitoring_store
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = [
    "DEFAULT_SILENT_AFTER_S",
    "CheckResult",
    "acknowledge_alert",
    "acknowledge_alerts",
    "check_data_quality",
    "list_alerts",
    "local_text",
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
        since = None if seen is None else local_text(int(seen), timezone)
        meter = alert.get("meter_id")
        carrier = str(details.get("carrier") or "")
        zh_c, en_c = meter_kind_names(carrier) if carrier else ("", "")
        zh_kind = f"（{zh_c}）" if zh_c else ""
        en_kind = f" ({en_c})" if en_c else ""
        return (
            f"表计 {meter}{zh_kind}超过 {zh_for}无数据（最近读数：{since or '无'}）",
            f"meter {meter}{en_kind} silent for over {en_for} (last reading: {since or 'never'})",
        )
    if alert.get("kind") == "open_quarantine" and "open_records" in details:
        count = int(details["open_records"])
        return f"{count} 条隔离记录待处理", f"{count} quarantined record(s) wait for review"
    if details.get("explanation_en"):
        return str(details.get("explanation_zh") or details["explanation_en"]), str(
            details["explanation_en"]
        )
    text = str(alert.get("message") or "")
    return text, text


def local_text(ts_s: int, timezone: str) -> str:
    """A park-local time as people read it, with its offset: ``2024-03-01 08:00 +08:00``."""
    iso = local_iso(ts_s, timezone)
    return f"{iso[:10]} {iso[11:16]} {iso[19:] or '+00:00'}"


def _with_messages(alert: dict[str, Any], timezone: str) -> dict[str, Any]:
    zh, en = messages(alert, timezone)
    local = {
        f"{name}_local": None
        if alert.get(name) is None
        else local_iso(int(alert[name].timestamp()), timezone)
        for name in ("raised_at", "acknowledged_at", "resolved_at")
    }
    return {**alert, **local, "message": en, "message_zh": zh, "message_en": en}


def check_data_quality(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    now_s: int | None = None,
    silent_after_s: int = DEFAULT_SILENT_AFTER_S,
) -> CheckResult:
    """One pass of the built-in data-quality rules (no data, open quarantine) at ``now_s``
    [UTC epoch s] (default: ``db.clock``); ``silent_after_s`` overrides the no-data limit
    for this pass."""
    if silent_after_s <= 0:
        raise InputError("silent_after_s must be positive", field="silent_after_s")
    result = run_pass(
        db,
        principal,
        park_id,
        now_s=now_s,
        rule_ids=("builtin_no_data", "builtin_open_quarantine"),
        params={"builtin_no_data": {"minutes": silent_after_s / 60.0}},
    )
    return CheckResult(raised=result.raised, resolved=result.recovered)


def list_alerts(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    status: str | None = None,
    rule_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
    deliveries: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """Alerts of a park the caller may see (a tenant: its own), newest first, and the total.

    Each carries ``message_zh`` and ``message_en`` (``message``: English), its times in the
    park's local time (``raised_at_local`` …) and, with ``deliveries``, its delivery records.
    """
    if status is not None and status not in ("open", "acknowledged", "resolved"):
        raise InputError("status must be open, acknowledged or resolved", field="status")
    with db.transaction() as conn:
        timezone = ParkRepository(conn, principal).get_park(park_id).timezone
        rows, total = store.list_alerts(
            conn, principal, park_id, status=status, rule_id=rule_id, limit=limit, offset=offset
        )
        sent = (
            monitoring_store.list_deliveries(conn, principal, park_id, [r["id"] for r in rows])
            if deliveries
            else {}
        )
    out = [_with_messages(r, timezone) for r in rows]
    if deliveries:
        for alert in out:
            alert["deliveries"] = [
                {
                    "channel_id": d["channel_id"],
                    "event": d["event"],
                    "status": d["status"],
                    "attempts": d["attempts"],
                    "last_error": d["last_error"],
                    "sent_local": None if d["sent_s"] is None else local_iso(d["sent_s"], timezone),
                    "next_attempt_local": None
                    if d["next_attempt_s"] is None
                    else local_iso(d["next_attempt_s"], timezone),
                }
                for d in sent.get(alert["id"], [])
            ]
    return out, total


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


def acknowledge_alerts(
    db: Database,
    principal: Principal,
    park_id: str,
    alert_ids: list[int],
    note: str | None = None,
    *,
    resolve: bool = False,
) -> list[int]:
    """Acknowledge (or resolve) many alerts at once (park admins); each audited. Returns the
    ids changed (alerts already resolved, or acknowledged when acknowledging, are skipped)."""
    status = "resolved" if resolve else "acknowledged"
    changed: list[int] = []
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"{status} alerts of {park_id!r}")
        now = db.clock.now()
        for alert_id in sorted(set(alert_ids)):
            alert = store.get_alert(conn, principal, park_id, alert_id)
            if alert is None or alert["status"] in ("resolved", status):
                continue
            stamp = "resolved" if resolve else "acknowledged"
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
                action="alert.resolve" if resolve else "alert.acknowledge",
                park_id=park_id,
                entity=f"alert:{alert_id}",
                payload={"id": alert_id, "note": note},
            )
            changed.append(alert_id)
    return changed
