"""Typed API schemas of alerts with their delivery records, alert rules and notification
channels (docs/monitoring.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from zeropark.api.schemas import AlertPublic, DbRowId

__all__ = [
    "AlertBulk",
    "AlertDetailPublic",
    "AlertRuleCreate",
    "AlertRuleIn",
    "AlertRulePublic",
    "BulkResultPublic",
    "ChannelCreate",
    "ChannelIn",
    "ChannelPublic",
    "DeliveryPublic",
    "MonitorPassPublic",
    "MuteIn",
]


class DeliveryPublic(BaseModel):
    """One notification of an alert to one channel: its outcome and attempts."""

    channel_id: str
    event: str = Field(description="raised | recovered")
    status: str = Field(description="pending | sent | failed")
    attempts: int
    last_error: str | None
    sent_local: str | None = Field(description="when it was sent, park-local ISO 8601")
    next_attempt_local: str | None = Field(description="next retry, park-local ISO 8601")


class AlertDetailPublic(AlertPublic):
    """An alert with its rule, park-local times and (when asked) its delivery records."""

    rule_id: str | None = None
    raised_at_local: str | None = None
    acknowledged_at_local: str | None = None
    resolved_at_local: str | None = None
    deliveries: list[DeliveryPublic] = Field(default_factory=list)


class AlertBulk(BaseModel):
    """Acknowledge (or resolve) many alerts at once."""

    ids: list[DbRowId] = Field(min_length=1, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)
    resolve: bool = False


class BulkResultPublic(BaseModel):
    """Ids changed by a bulk acknowledge or resolve."""

    changed: list[int]


class AlertRuleIn(BaseModel):
    """An alert rule as written (docs/monitoring.md, "Rules are data"); its id is in the path."""

    name: str | None = Field(default=None, max_length=200)
    kind: str = Field(max_length=40)
    target: Any = Field(
        default="park", description="park, or {meter|virtual_meter|tenant|indicator|budget: id}"
    )
    params: dict[str, float | str] = Field(default_factory=dict)
    severity: str = Field(default="warning", max_length=16)
    channels: list[str] = Field(default_factory=list, max_length=20)
    clear_after: int = Field(default=1, ge=1, le=1000)
    quiet_period_min: float = Field(default=60, ge=0, le=7 * 24 * 60)
    tenant: str | None = Field(default=None, max_length=64)
    enabled: bool = True
    muted_until: str | None = Field(default=None, max_length=40)


class AlertRuleCreate(AlertRuleIn):
    """An alert rule with its id (create or replace by POST)."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")


class AlertRulePublic(BaseModel):
    """A stored alert rule."""

    id: str
    name: str | None
    kind: str
    target: Any
    params: dict[str, Any]
    severity: str
    channels: list[str]
    clear_after: int
    quiet_period_s: int
    tenant: str | None
    enabled: bool
    muted_until_s: int | None
    source: str = Field(description="builtin | park_file | api")


class MuteIn(BaseModel):
    """Mute a rule's notifications until a time (None: unmute)."""

    until: str | None = Field(default=None, max_length=40, description="ISO 8601 with offset")


class ChannelIn(BaseModel):
    """A notification channel as written (secrets shown back as ``***``; sending ``***``
    keeps the stored secret); its id is in the path."""

    kind: str = Field(max_length=16, description="webhook | wecom | dingtalk | email")
    url: str | None = Field(default=None, max_length=2000)
    secret: str | None = Field(default=None, max_length=500)
    smtp_host: str | None = Field(default=None, max_length=255)
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_user: str | None = Field(default=None, max_length=255)
    smtp_password: str | None = Field(default=None, max_length=500)
    sender: str | None = Field(default=None, max_length=255)
    recipients: list[str] | None = Field(default=None, max_length=50)
    starttls: bool | None = None
    tenant: str | None = Field(default=None, max_length=64)
    enabled: bool = True


class ChannelCreate(ChannelIn):
    """A notification channel with its id (create or replace by POST)."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")


class ChannelPublic(BaseModel):
    """A stored channel (secrets masked)."""

    id: str
    kind: str
    tenant: str | None
    enabled: bool
    config: dict[str, Any]
    source: str


class MonitorPassPublic(BaseModel):
    """What one pass of the monitor did."""

    rules: int
    observations: int
    raised: list[int]
    recovered: list[int]
    sent: int
    retrying: int
    failed: int
