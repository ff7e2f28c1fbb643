"""Tables of the alert-rule engine (#12): rules, notification channels, per-subject state,
deliveries. Created by migration 0010; registered on the one ``metadata`` of
:mod:`zeropark.store.schema`. Alerts themselves stay in ``alerts`` (0003; ``rule_id`` added by
0010)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from zeropark.store.schema import metadata

__all__ = ["alert_channels", "alert_deliveries", "alert_rules", "alert_states"]

_ID = String(64)

alert_rules = Table(
    "alert_rules",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("tenant_id", _ID),
    Column("name", String(200)),
    Column("kind", String(40), nullable=False),
    Column("target_kind", String(20), nullable=False),
    Column("target_id", String(200)),
    Column("params", JSON, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("channels", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("muted_until_s", BigInteger),
    Column("clear_after", Integer, nullable=False),
    Column("quiet_period_s", Integer, nullable=False),
    # park_file | api | builtin: who wrote the rule (a park-file apply replaces only its own).
    Column("source", String(16), nullable=False),
    Column("updated_s", BigInteger, nullable=False),
)

alert_channels = Table(
    "alert_channels",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("tenant_id", _ID),
    Column("kind", String(16), nullable=False),
    Column("config", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("source", String(16), nullable=False),
)

alert_states = Table(
    "alert_states",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("rule_id", _ID, primary_key=True),
    Column("subject", String(200), primary_key=True),
    Column("alert_open", Boolean, nullable=False),
    Column("clean_streak", Integer, nullable=False),
    Column("recovered_at_s", BigInteger),
    Column("clean_since_s", BigInteger),
    Column("alert_id", Integer),
    Column("evaluated_s", BigInteger, nullable=False),
)

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", _ID),
    Column("channel_id", _ID, nullable=False),
    Column("event", String(16), nullable=False),
    # pending (to send at next_attempt_s) | sent | failed (gave up after the last attempt)
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_s", BigInteger),
    Column("last_error", Text),
    Column("created_s", BigInteger, nullable=False),
    Column("sent_s", BigInteger),
)
Index("ix_alert_deliveries_due", alert_deliveries.c.status, alert_deliveries.c.next_attempt_s)
Index("ix_alert_deliveries_alert", alert_deliveries.c.alert_id)
