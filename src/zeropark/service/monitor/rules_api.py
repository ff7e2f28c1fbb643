"""Use cases of alert rules and notification channels: list, save (create or edit), mute,
delete — each one transaction, audited (``alert_rule.save`` …, ``alert_channel.save`` …).

A tenant lists and edits only its own rules and channels (``tenant`` = its id); park admins
all of the park's. Channel secrets are never returned (masked ``***``); saving a channel with
a masked secret keeps the stored one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.monitoring.rules import Rule
from zeropark.errors import NotFound
from zeropark.service.database import Database
from zeropark.service.monitor.rules_io import (
    channel_row,
    parse_channel,
    parse_rule,
    rule_row,
    rule_to_entry,
)
from zeropark.store import audit
from zeropark.store import monitoring as store
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = [
    "audit_actions",
    "delete_channel",
    "delete_rule",
    "list_channels",
    "list_rules",
    "mute_rule",
    "save_channel",
    "save_rule",
]


def _own(principal: Principal, entry: Mapping[str, Any]) -> dict[str, Any]:
    """A tenant's entry is its own: ``tenant`` defaults to the caller's tenant."""
    out = dict(entry)
    if principal.role == "tenant" and out.get("tenant") is None:
        out["tenant"] = principal.tenant_id
    return out


def list_rules(db: Database, principal: Principal, park_id: str) -> list[dict[str, Any]]:
    """The rules of a park the caller may see, in their written form."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return [rule_to_entry(r) for r in store.list_rules(conn, principal, park_id)]


def save_rule(
    db: Database, principal: Principal, park_id: str, entry: Mapping[str, Any]
) -> dict[str, Any]:
    """Create or replace a rule from its written form; audited."""
    rule = parse_rule(_own(principal, entry), source="api")
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        repo.get_park(park_id)
        if principal.role == "tenant":
            _tenant_target(conn, principal, park_id, rule, repo)
        row = rule_row(rule, source="api", now_s=int(db.clock.now_s()))
        store.upsert_rule(conn, principal, park_id, row)
        audit.append(
            conn,
            actor=principal.subject,
            action="alert_rule.save",
            park_id=park_id,
            entity=f"alert_rule:{rule.id}",
            payload={k: v for k, v in row.items() if k != "updated_s"},
        )
        saved = store.get_rule(conn, principal, park_id, rule.id)
    assert saved is not None
    return rule_to_entry(saved)


def _tenant_target(
    conn: Connection, principal: Principal, park_id: str, rule: Rule, repo: ParkRepository
) -> None:
    """A tenant's rule watches only what the tenant may read: its meters, virtual meters, itself
    (the monitor evaluates with the park's rights, so this is checked here)."""
    kind, ident = rule.target_kind, rule.target_id
    if kind == "meter":
        allowed = ident in {m["id"] for m in store.meter_rows(conn, principal, park_id)}
    elif kind == "virtual_meter":
        allowed = ident in {v["id"] for v in repo.section(park_id, "virtual_meters")}
    elif kind == "tenant":
        allowed = ident == principal.tenant_id
    else:
        allowed = kind in ("budget", "indicator")
    require(allowed, principal, f"watch {kind} {ident or park_id!r}")


def mute_rule(
    db: Database, principal: Principal, park_id: str, rule_id: str, *, until_s: int | None
) -> dict[str, Any]:
    """Mute a rule's notifications until ``until_s`` [UTC epoch s] (None: unmute); audited."""
    with db.transaction() as conn:
        row = store.get_rule(conn, principal, park_id, rule_id)
        if row is None:
            raise NotFound(f"alert rule {rule_id} not found")
        changed = {k: v for k, v in row.items() if k != "park_id"}
        changed["muted_until_s"] = until_s
        store.upsert_rule(conn, principal, park_id, changed)
        audit.append(
            conn,
            actor=principal.subject,
            action="alert_rule.mute",
            park_id=park_id,
            entity=f"alert_rule:{rule_id}",
            payload={"id": rule_id, "muted_until_s": until_s},
        )
        saved = store.get_rule(conn, principal, park_id, rule_id)
    assert saved is not None
    return rule_to_entry(saved)


def delete_rule(db: Database, principal: Principal, park_id: str, rule_id: str) -> None:
    """Delete a rule (its alerts stay, as history); audited."""
    with db.transaction() as conn:
        if not store.delete_rule(conn, principal, park_id, rule_id):
            raise NotFound(f"alert rule {rule_id} not found")
        audit.append(
            conn,
            actor=principal.subject,
            action="alert_rule.delete",
            park_id=park_id,
            entity=f"alert_rule:{rule_id}",
            payload={"id": rule_id},
        )


def list_channels(db: Database, principal: Principal, park_id: str) -> list[dict[str, Any]]:
    """The notification channels the caller may see (secrets masked)."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return [channel_row(c) for c in store.list_channels(conn, principal, park_id)]


def save_channel(
    db: Database, principal: Principal, park_id: str, entry: Mapping[str, Any]
) -> dict[str, Any]:
    """Create or replace a channel; audited (without its secrets)."""
    row = parse_channel(_own(principal, entry), source="api")
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        stored = {c["id"]: c for c in store.list_channels(conn, principal, park_id)}
        previous = stored.get(row["id"])
        for name in ("secret", "smtp_password"):
            if row["config"].get(name) == "***" and previous is not None:
                row["config"][name] = previous["config"].get(name)
        store.upsert_channel(conn, principal, park_id, {**row, "source": "api"})
        shown = channel_row({**row, "source": "api"})
        audit.append(
            conn,
            actor=principal.subject,
            action="alert_channel.save",
            park_id=park_id,
            entity=f"alert_channel:{row['id']}",
            payload=shown,
        )
    return shown


def delete_channel(db: Database, principal: Principal, park_id: str, channel_id: str) -> None:
    """Delete a channel; audited."""
    with db.transaction() as conn:
        if not store.delete_channel(conn, principal, park_id, channel_id):
            raise NotFound(f"alert channel {channel_id} not found")
        audit.append(
            conn,
            actor=principal.subject,
            action="alert_channel.delete",
            park_id=park_id,
            entity=f"alert_channel:{channel_id}",
            payload={"id": channel_id},
        )


def audit_actions(db: Database, principal: Principal, park_id: str) -> list[str]:
    """The audit actions recorded for the park's alert rules and channels, oldest first."""
    with db.transaction() as conn:
        return [
            str(e["action"])
            for e in audit.entries(conn, principal)
            if e.get("park_id") == park_id and str(e["action"]).startswith("alert_")
        ]
