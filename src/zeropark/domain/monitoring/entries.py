"""Rules and channels as people write them (park file, API) → :class:`Rule`, with problems.

The one parser of a written rule (``id, kind, target, params, severity, channels,
clear_after, quiet_period_min | quiet_period_s, tenant, enabled, muted_until, name``) and the
checks of a written notification channel, used by the park file's ``alert_rules`` /
``notification_channels`` sections and by the API. Problems are ``(field, reason_zh,
reason_en)``; see docs/monitoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from zeropark.domain.monitoring.rules import TARGET_KINDS, Rule, rule_problems

__all__ = ["CHANNEL_KINDS", "RULE_FIELDS", "Problem", "channel_problems", "rule_from_entry"]

Problem = tuple[str, str, str]

#: Notification channel kinds (zeropark.notify.channels sends them).
CHANNEL_KINDS: tuple[str, ...] = ("webhook", "wecom", "dingtalk", "email")

RULE_FIELDS = frozenset(
    {
        "id", "name", "kind", "target", "params", "severity", "channels", "clear_after",
        "quiet_period_min", "quiet_period_s", "tenant", "enabled", "muted_until",
    }
)  # fmt: skip

_TARGET_HELP = (
    "target 须为 park 或 {meter|virtual_meter|tenant|indicator|budget: 编号}",
    "target must be park or {meter|virtual_meter|tenant|indicator|budget: id}",
)


def _target(entry: Mapping[str, Any]) -> tuple[str, str | None] | None:
    target = entry.get("target", "park")
    if target == "park" or target == {"park": None}:
        return "park", None
    if isinstance(target, Mapping) and len(target) == 1:
        kind, ident = next(iter(target.items()))
        if kind in TARGET_KINDS:
            return str(kind), None if ident is None else str(ident)
    return None


def _time_s(value: Any) -> int | bool | None:
    """UTC epoch seconds of a time with its offset; None when absent; False when invalid."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    moment: datetime | None = value if isinstance(value, datetime) else None
    if moment is None:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return False
    if moment.tzinfo is None:
        return False
    return int(moment.timestamp())


def rule_from_entry(entry: Mapping[str, Any]) -> tuple[Rule | None, list[Problem]]:
    """The rule of a written entry, or None and the problems found."""
    extra = sorted(str(k) for k in set(entry) - RULE_FIELDS)
    if extra:
        return None, [(extra[0], f"未知字段 {extra[0]}", f"unknown field {extra[0]}")]
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident or len(ident) > 64:
        return None, [
            ("id", "规则须有编号 id（至多 64 字符）", "a rule needs an id (64 characters at most)")
        ]
    target = _target(entry)
    if target is None:
        return None, [("target", *_TARGET_HELP)]
    params = entry.get("params") or {}
    channels = entry.get("channels") or []
    if not isinstance(params, Mapping) or not isinstance(channels, list):
        return None, [
            (
                "params",
                "params 须为映射、channels 须为列表",
                "params must be a mapping and channels a list",
            )
        ]
    muted = _time_s(entry.get("muted_until"))
    if muted is False:
        return None, [
            (
                "muted_until",
                "时间须为带时区的 ISO 8601",
                "time must be ISO 8601 with its UTC offset",
            )
        ]
    try:
        quiet_s = entry.get("quiet_period_s")
        if quiet_s is None:
            quiet_s = float(entry.get("quiet_period_min", 60)) * 60
        rule = Rule(
            id=ident,
            kind=entry.get("kind"),  # type: ignore[arg-type]
            target_kind=target[0],  # type: ignore[arg-type]
            target_id=target[1],
            params={str(k): v for k, v in params.items()},
            severity=entry.get("severity", "warning"),
            channels=tuple(str(c) for c in channels),
            tenant_id=None if entry.get("tenant") is None else str(entry["tenant"]),
            enabled=bool(entry.get("enabled", True)),
            muted_until_s=None if muted is None else int(muted),
            clear_after=int(entry.get("clear_after", 1)),
            quiet_period_s=int(quiet_s),
            name=None if entry.get("name") is None else str(entry["name"]),
        )
    except (TypeError, ValueError):
        return None, [
            (
                "clear_after",
                "clear_after 与静默期须为数值",
                "clear_after and the quiet period must be numbers",
            )
        ]
    problems = rule_problems(rule)
    return (None, problems) if problems else (rule, [])


def channel_problems(entry: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a written notification channel; empty when valid."""
    ident, kind = entry.get("id"), entry.get("kind")
    if not isinstance(ident, str) or not ident or len(ident) > 64:
        return [("id", "通知渠道须有编号 id", "a channel needs an id")]
    if kind not in CHANNEL_KINDS:
        return [
            (
                "kind",
                "渠道类型须为 webhook/wecom/dingtalk/email",
                "channel kind must be webhook, wecom, dingtalk or email",
            )
        ]
    if kind == "email":
        for name in ("smtp_host", "sender", "recipients"):
            if not entry.get(name):
                return [(name, f"邮件渠道缺少 {name}", f"an e-mail channel needs {name}")]
        return []
    if not str(entry.get("url") or "").startswith(("http://", "https://")):
        return [("url", "渠道须有 http(s) 地址 url", "the channel needs an http(s) url")]
    return []
