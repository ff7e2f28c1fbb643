"""Sending queued notifications: one attempt per due delivery, retries with backoff.

A delivery row (``alert_deliveries``) is one message (an alert raised or recovered) to one
channel. :func:`deliver_due` takes the park's due deliveries, sends each over its channel
(:func:`zeropark.notify.channels.send`) and records the outcome on its own: ``sent``; or, on
failure, the error, one more attempt, and the next attempt after ``backoff_s(attempts)``
(60 s, 120 s, 240 s … at most 1 h); after :data:`MAX_ATTEMPTS` the delivery is ``failed``. One
receiver that is down delays only its own deliveries: every other due delivery is still sent in
the same call. Sending happens outside any database transaction; each outcome is written in its
own short transaction.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zeropark.domain.access import Principal
from zeropark.notify.channels import ChannelConfig, DeliveryError, Message, send
from zeropark.service.database import Database
from zeropark.service.readings_query import local_iso
from zeropark.store import alerts as alert_store
from zeropark.store import monitoring as store
from zeropark.store.parks import ParkRepository

__all__ = ["MAX_ATTEMPTS", "DeliveryResult", "backoff_s", "channel_config", "deliver_due"]

#: Attempts before a delivery is given up as ``failed``.
MAX_ATTEMPTS = 6

Sender = Callable[[ChannelConfig, Message], None]


@dataclass
class DeliveryResult:
    """Delivery ids sent, retried later, and given up in one call."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def backoff_s(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones: 60 × 2^(n−1), ≤ 3600."""
    return int(min(3600, 60 * 2 ** max(0, attempts - 1)))


def channel_config(row: Mapping[str, Any]) -> ChannelConfig:
    """The :class:`ChannelConfig` of a stored channel."""
    c = dict(row["config"])
    ca_file = c.get("ca_file")
    return ChannelConfig(
        id=row["id"],
        kind=row["kind"],
        url=c.get("url"),
        secret=c.get("secret"),
        smtp_host=c.get("smtp_host"),
        smtp_port=int(c.get("smtp_port", 587)),
        smtp_user=c.get("smtp_user"),
        smtp_password=c.get("smtp_password"),
        sender=c.get("sender"),
        recipients=tuple(c.get("recipients") or ()),
        starttls=bool(c.get("starttls", True)),
        timeout_s=float(c.get("timeout_s", 10.0)),
        tls_context=ssl.create_default_context(cafile=ca_file) if ca_file else None,
    )


def _message(alert: Mapping[str, Any], event: str, timezone: str, at_s: int) -> Message:
    details = alert.get("details") or {}
    name = alert.get("rule_id") or alert["kind"]
    zh = str(details.get("explanation_zh") or alert["message"])
    en = str(details.get("explanation_en") or alert["message"])
    if event == "raised":
        title_zh, title_en = f"告警：{name}", f"Alert: {name}"
    else:
        title_zh, title_en = f"已恢复：{name}", f"Recovered: {name}"
        zh, en = f"{zh}（条件已解除）", f"{en} (condition cleared)"
    return Message(
        event="raised" if event == "raised" else "recovered",
        alert_id=int(alert["id"]),
        park_id=str(alert["park_id"]),
        rule_id=alert.get("rule_id"),
        severity=str(alert["severity"]),
        title_zh=title_zh,
        title_en=title_en,
        body_zh=zh,
        body_en=en,
        at_local=local_iso(at_s, timezone),
        data={k: details.get(k) for k in ("subject", "value", "limit", "unit")},
    )


def deliver_due(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    now_s: int | None = None,
    sender: Sender | None = None,
) -> DeliveryResult:
    """Attempt every delivery of the park due at ``now_s`` [UTC epoch s]; record each outcome."""
    now_s = int(db.clock.now_s()) if now_s is None else int(now_s)
    result = DeliveryResult()
    with db.transaction() as conn:
        due = store.due_deliveries(conn, principal, park_id, now_s)
        if not due:
            return result
        channels = {c["id"]: c for c in store.list_channels(conn, principal, park_id)}
        timezone = ParkRepository(conn, principal).timezone(park_id)
        alerts = {
            i: alert_store.get_alert(conn, principal, park_id, i)
            for i in {d["alert_id"] for d in due}
        }
    for delivery in due:
        attempts = int(delivery["attempts"]) + 1
        error: str | None = None
        channel = channels.get(delivery["channel_id"])
        alert = alerts.get(delivery["alert_id"])
        if channel is None or not channel["enabled"]:
            error = f"channel {delivery['channel_id']} does not exist or is disabled"
            attempts = MAX_ATTEMPTS
        elif alert is None:
            error = "alert not found"
            attempts = MAX_ATTEMPTS
        else:
            message = _message(alert, delivery["event"], timezone, now_s)
            config = channel_config(channel)
            try:
                if sender is not None:
                    sender(config, message)
                else:
                    send(config, message, now_s=now_s)
            except DeliveryError as exc:
                error = exc.reason
        with db.transaction() as conn:
            if error is None:
                store.update_delivery(
                    conn, principal, park_id, delivery["id"],
                    status="sent", attempts=attempts, sent_s=now_s, next_attempt_s=None,
                    last_error=None,
                )  # fmt: skip
                result.sent.append(delivery["id"])
            elif attempts >= MAX_ATTEMPTS:
                store.update_delivery(
                    conn, principal, park_id, delivery["id"],
                    status="failed", attempts=attempts, next_attempt_s=None, last_error=error,
                )  # fmt: skip
                result.failed.append(delivery["id"])
            else:
                store.update_delivery(
                    conn, principal, park_id, delivery["id"],
                    attempts=attempts, next_attempt_s=now_s + backoff_s(attempts),
                    last_error=error,
                )  # fmt: skip
                result.retrying.append(delivery["id"])
    return result
