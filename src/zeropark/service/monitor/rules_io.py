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

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.monitoring.rules import TARGET_KINDS, Rule, rule_problems
from zeropark.errors import InputError
from zeropark.i18n import t
from zeropark.notify.channels import CHANNEL_KINDS
from zeropark.store import monitoring as store

__all__ = [
    "BUILTIN_RULES",
    "channel_row",
    "ensure_builtin_rules",
    "parse_channel",
    "parse_rule",
    "rule_from_row",
    "rule_row",
    "rule_to_entry",
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


def _fail(reason_zh: str, reason_en: str, field: str, source: str, location: str | None) -> None:
    raise InputError(t(reason_zh, reason_en), field=field, source=source, location=location)


def _target(entry: Mapping[str, Any], source: str, loc: str | None) -> tuple[str, str | None]:
    target = entry.get("target", "park")
    if target == "park" or target == {"park": None}:
        return "park", None
    if isinstance(target, Mapping) and len(target) == 1:
        kind, ident = next(iter(target.items()))
        if kind in TARGET_KINDS:
            return str(kind), None if ident is None else str(ident)
    _fail(
        "target 须为 park 或 {meter|virtual_meter|tenant|indicator|budget: 编号}",
        "target must be park or {meter|virtual_meter|tenant|indicator|budget: id}",
        "target",
        source,
        loc,
    )
    raise AssertionError  # unreachable


def _time_s(value: Any, field: str, source: str, loc: str | None) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime):
        moment: datetime | None = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        _fail(
            "时间须为带时区的 ISO 8601",
            "time must be ISO 8601 with its UTC offset",
            field,
            source,
            loc,
        )
        raise AssertionError
    return int(moment.timestamp())


def parse_rule(
    entry: Mapping[str, Any], *, source: str = "api", location: str | None = None
) -> Rule:
    """A rule from its written form; :class:`InputError` naming the field and reason."""
    known = {
        "id", "name", "kind", "target", "params", "severity", "channels", "clear_after",
        "quiet_period_min", "quiet_period_s", "tenant", "enabled", "muted_until",
    }  # fmt: skip
    extra = sorted(set(entry) - known)
    if extra:
        _fail(f"未知字段 {extra[0]}", f"unknown field {extra[0]}", extra[0], source, location)
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident or len(ident) > 64:
        _fail(
            "规则须有编号 id（至多 64 字符）",
            "a rule needs an id (64 characters at most)",
            "id",
            source,
            location,
        )
    target_kind, target_id = _target(entry, source, location)
    params = entry.get("params") or {}
    channels = entry.get("channels") or []
    if not isinstance(params, Mapping) or not isinstance(channels, list):
        _fail(
            "params 须为映射、channels 须为列表",
            "params must be a mapping and channels a list",
            "params",
            source,
            location,
        )
    quiet_s = entry.get("quiet_period_s")
    if quiet_s is None:
        quiet_s = float(entry.get("quiet_period_min", 60)) * 60
    try:
        rule = Rule(
            id=str(ident),
            kind=entry.get("kind"),  # type: ignore[arg-type]
            target_kind=target_kind,  # type: ignore[arg-type]
            target_id=target_id,
            params={str(k): v for k, v in params.items()},
            severity=entry.get("severity", "warning"),
            channels=tuple(str(c) for c in channels),
            tenant_id=None if entry.get("tenant") is None else str(entry["tenant"]),
            enabled=bool(entry.get("enabled", True)),
            muted_until_s=_time_s(entry.get("muted_until"), "muted_until", source, location),
            clear_after=int(entry.get("clear_after", 1)),
            quiet_period_s=int(quiet_s),
            name=None if entry.get("name") is None else str(entry["name"]),
        )
    except (TypeError, ValueError):
        _fail(
            "clear_after 与静默期须为数值",
            "clear_after and the quiet period must be numbers",
            "clear_after",
            source,
            location,
        )
        raise AssertionError from None
    problems = rule_problems(rule)
    if problems:
        reason = "; ".join(t(zh, en) for _, zh, en in problems)
        _fail(reason, reason, problems[0][0], source, location)
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
    ident = entry.get("id")
    kind = entry.get("kind")
    if not isinstance(ident, str) or not ident:
        _fail("通知渠道须有编号 id", "a channel needs an id", "id", source, location)
    if kind not in CHANNEL_KINDS:
        _fail(
            "渠道类型须为 webhook/wecom/dingtalk/email",
            "channel kind must be webhook, wecom, dingtalk or email",
            "kind",
            source,
            location,
        )
    config = {k: v for k, v in entry.items() if k not in ("id", "kind", "tenant", "enabled")}
    if kind == "email":
        for name in ("smtp_host", "sender", "recipients"):
            if not config.get(name):
                _fail(
                    f"邮件渠道缺少 {name}",
                    f"an e-mail channel needs {name}",
                    name,
                    source,
                    location,
                )
    elif not str(config.get("url") or "").startswith(("http://", "https://")):
        _fail(
            "渠道须有 http(s) 地址 url", "the channel needs an http(s) url", "url", source, location
        )
    return {
        "id": ident,
        "tenant_id": entry.get("tenant"),
        "kind": kind,
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
    have = {r["id"] for r in store.list_rules(conn, principal, park_id)}
    for entry in BUILTIN_RULES:
        if entry["id"] not in have:
            rule = parse_rule(entry, source="builtin")
            store.upsert_rule(
                conn, principal, park_id, rule_row(rule, source="builtin", now_s=now_s)
            )
