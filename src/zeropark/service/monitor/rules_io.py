"""Rules and channels as written by people (park file ``alert_rules`` / ``notification_channels``
sections, the API) ↔ :class:`~zeropark.domain.monitoring.rules.Rule` and table rows.

A rule entry::

    id: main_peak            # unique in the park
    kind: threshold          # docs/monitoring.md, "Rule kinds"
    target: {meter: e_main}  # or {virtual_meter|tenant|indicator|budget: …}, or park
    params: {limit: 800, clear_margin: 50}
    severity: warning        # info | warning | critical
    channels: [ops_wecom]
    clear_after: 2           # optional, default 1
    quiet_period_min: 60     # optional, default 60
    tenant: t_auto           # optional: whose rule (a tenant's own rules)
    enabled: true            # optional
    muted_until: 2027-01-10T08:00:00+08:00   # optional

A channel entry: ``id``, ``kind`` (webhook | wecom | dingtalk | email) and its settings
(``url``, ``secret``; e-mail: ``smtp_host``, ``smtp_port``, ``smtp_user``, ``smtp_password``,
``sender``, ``recipients``, ``starttls``, ``ca_file``), optional ``tenant``.

Every park has two built-in rules (``builtin_no_data``: no reading for 6 h, at least three
intervals; ``builtin_open_quarantine``: open quarantine records) — the former data-quality
checks, now rules of this engine; they can be edited (thresholds, channels, mute) but not
removed while the park has meters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.monitoring.entries import channel_problems, rule_from_entry
from zeropark.domain.monitoring.rules import Rule
from zeropark.errors import InputError
from zeropark.i18n import t
from zeropark.store import audit
from zeropark.store import monitoring as store

__all__ = [
    "BUILTIN_RULES",
    "channel_row",
    "ensure_builtin_rules",
    "park_file_entries",
    "parse_channel",
    "parse_rule",
    "rule_from_row",
    "rule_row",
    "rule_to_entry",
    "sync_park_file",
]

#: The former data-quality checks (service/alerts.py before #12), as rules.
BUILTIN_RULES: tuple[dict[str, Any], ...] = (
    {
        "id": "builtin_no_data",
        "name": "表计无数据 / meter silent",
        "kind": "no_data",
        "target": "park",
        "params": {"minutes": 360},
        "severity": "warning",
        "quiet_period_min": 0,
    },
    {
        "id": "builtin_open_quarantine",
        "name": "隔离记录待处理 / quarantine waiting",
        "kind": "open_quarantine",
        "target": "park",
        "params": {"max_records": 0},
        "severity": "info",
        "quiet_period_min": 0,
    },
)


def _fail(problem: tuple[str, str, str], source: str, location: str | None) -> None:
    field, zh, en = problem
    raise InputError(t(zh, en), field=field, source=source, location=location)


def parse_rule(
    entry: Mapping[str, Any], *, source: str = "api", location: str | None = None
) -> Rule:
    """A rule from its written form; :class:`InputError` naming the field and reason."""
    rule, problems = rule_from_entry(entry)
    if rule is None:
        _fail(problems[0], source, location)
        raise AssertionError  # unreachable: _fail raises
    return rule


def rule_row(rule: Rule, *, source: str, now_s: int) -> dict[str, Any]:
    """The table row of a rule (without ``park_id``)."""
    return {
        "id": rule.id,
        "tenant_id": rule.tenant_id,
        "name": rule.name,
        "kind": rule.kind,
        "target_kind": rule.target_kind,
        "target_id": rule.target_id,
        "params": dict(rule.params),
        "severity": rule.severity,
        "channels": list(rule.channels),
        "enabled": rule.enabled,
        "muted_until_s": rule.muted_until_s,
        "clear_after": rule.clear_after,
        "quiet_period_s": rule.quiet_period_s,
        "source": source,
        "updated_s": now_s,
    }


def rule_from_row(row: Mapping[str, Any]) -> Rule:
    """The rule of a table row."""
    return Rule(
        id=row["id"],
        kind=row["kind"],
        target_kind=row["target_kind"],
        target_id=row["target_id"],
        params=dict(row["params"] or {}),
        severity=row["severity"],
        channels=tuple(row["channels"] or ()),
        tenant_id=row["tenant_id"],
        enabled=bool(row["enabled"]),
        muted_until_s=row["muted_until_s"],
        clear_after=int(row["clear_after"]),
        quiet_period_s=int(row["quiet_period_s"]),
        name=row["name"],
    )


def rule_to_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """The written form of a stored rule (park-file export, API answers)."""
    target: Any = "park" if row["target_kind"] == "park" else {row["target_kind"]: row["target_id"]}
    entry = {
        "id": row["id"],
        "name": row["name"],
        "kind": row["kind"],
        "target": target,
        "params": dict(row["params"] or {}),
        "severity": row["severity"],
        "channels": list(row["channels"] or ()),
        "clear_after": row["clear_after"],
        "quiet_period_s": row["quiet_period_s"],
        "tenant": row["tenant_id"],
        "enabled": bool(row["enabled"]),
        "muted_until_s": row["muted_until_s"],
        "source": row["source"],
    }
    return entry


def parse_channel(
    entry: Mapping[str, Any], *, source: str = "api", location: str | None = None
) -> dict[str, Any]:
    """A channel's table row (without ``park_id`` and ``source``) from its written form."""
    problems = channel_problems(entry)
    if problems:
        _fail(problems[0], source, location)
    config = {k: v for k, v in entry.items() if k not in ("id", "kind", "tenant", "enabled")}
    return {
        "id": entry["id"],
        "tenant_id": entry.get("tenant"),
        "kind": entry["kind"],
        "config": config,
        "enabled": bool(entry.get("enabled", True)),
    }


def channel_row(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A stored channel as shown (secrets masked)."""
    config = dict(entry["config"])
    for name in ("secret", "smtp_password"):
        if config.get(name):
            config[name] = "***"
    return {
        "id": entry["id"],
        "kind": entry["kind"],
        "tenant": entry["tenant_id"],
        "enabled": bool(entry["enabled"]),
        "config": config,
        "source": entry["source"],
    }


def ensure_builtin_rules(conn: Connection, principal: Principal, park_id: str, now_s: int) -> None:
    """Create the built-in rules of a park that lacks them (kept as edited when present)."""
    have = store.rule_ids(conn, principal, park_id, [e["id"] for e in BUILTIN_RULES])
    for entry in BUILTIN_RULES:
        if entry["id"] not in have:
            rule = parse_rule(entry, source="builtin")
            store.upsert_rule(
                conn, principal, park_id, rule_row(rule, source="builtin", now_s=now_s)
            )


def sync_park_file(
    conn: Connection,
    principal: Principal,
    park_id: str,
    rules: Sequence[Mapping[str, Any]],
    channels: Sequence[Mapping[str, Any]],
    now_s: int,
) -> bool:
    """Make the park's park-file rules and channels equal to the park file's sections (rules
    and channels from the API stay); audited (``alert_rule.park_file``) when anything changed.
    Returns whether anything changed."""
    rule_rows = [
        rule_row(parse_rule(e, source="park_file", location=f"alert_rules[{i}]"),
                 source="park_file", now_s=now_s)
        for i, e in enumerate(rules)
    ]  # fmt: skip
    channel_rows = [
        parse_channel(e, source="park_file", location=f"notification_channels[{i}]")
        for i, e in enumerate(channels)
    ]

    def _key(rows: Iterable[Mapping[str, Any]], skip: tuple[str, ...]) -> list[Any]:
        return sorted(
            (sorted((k, repr(v)) for k, v in r.items() if k not in skip) for r in rows),
        )

    skip = ("park_id", "updated_s", "source")
    stored_rules = [
        r for r in store.list_rules(conn, principal, park_id) if r["source"] == "park_file"
    ]
    stored_channels = [
        c for c in store.list_channels(conn, principal, park_id) if c["source"] == "park_file"
    ]
    if _key(stored_rules, skip) == _key(rule_rows, skip) and _key(stored_channels, skip) == _key(
        channel_rows, skip
    ):
        return False
    store.replace_source(conn, principal, park_id, "park_file", rule_rows, channel_rows)
    audit.append(
        conn,
        actor=principal.subject,
        action="alert_rule.park_file",
        park_id=park_id,
        entity=f"park:{park_id}",
        payload={
            "rules": [{k: v for k, v in r.items() if k != "updated_s"} for r in rule_rows],
            "channels": [channel_row({**c, "source": "park_file"}) for c in channel_rows],
        },
    )
    return True


def park_file_entries(
    conn: Connection, principal: Principal, park_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The park-file rules and channels of a park in their written form (for the export;
    channel secrets included, as the park file holds them)."""
    rules = []
    for row in store.list_rules(conn, principal, park_id):
        if row["source"] != "park_file":
            continue
        entry = rule_to_entry(row)
        entry.pop("source")
        entry["quiet_period_min"] = entry.pop("quiet_period_s") / 60
        muted = entry.pop("muted_until_s")
        if muted is not None:
            entry["muted_until"] = int(muted)
        rules.append({k: v for k, v in entry.items() if v is not None})
    channels = []
    for row in store.list_channels(conn, principal, park_id):
        if row["source"] == "park_file":
            entry = {"id": row["id"], "kind": row["kind"], **dict(row["config"])}
            if row["tenant_id"] is not None:
                entry["tenant"] = row["tenant_id"]
            if not row["enabled"]:
                entry["enabled"] = False
            channels.append(entry)
    return rules, channels
