"""The database schema (SQLAlchemy 2 Core tables), one for SQLite and PostgreSQL.

Conventions:
- Timestamps of data are ``BIGINT`` UTC epoch seconds (``ts_s``): compact, exact, and the same on
  both databases. Record-keeping times (``created_at``) are timezone-aware UTC datetimes.
- Configuration rows (tenants, meters, ...) keep their whole park-file entry in ``spec`` (JSON),
  so ``park export`` writes back exactly what was applied; the columns beside it are the fields
  queries filter on.
- Readings are stored as the meter sent them (register values, interval quantities or power),
  keyed by (meter_key, ts_s): re-sending a batch cannot duplicate a reading. On PostgreSQL the
  readings table is partitioned by month of ``ts_s`` (see migrations).
- Derived interval quantities are not stored: they are recomputed from the readings by the pure
  normalisation of ``zeropark.domain.timeseries`` whenever they are asked for, so they can never
  disagree with the readings. Hourly rollups (park-local hours, keyed by their UTC start) are
  stored and recomputed for exactly the hours a new or corrected reading touches.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

__all__ = [
    "ROLLUP_INCOMPLETE_SQL",
    "activity_records",
    "alerts",
    "api_keys",
    "assets",
    "audit_log",
    "buildings",
    "corrections",
    "hourly_rollups",
    "metadata",
    "meters",
    "parks",
    "published_inventories",
    "quarantine",
    "readings",
    "sessions",
    "sinks",
    "tenants",
    "users",
    "virtual_meters",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# An id as written in a park file (see zeropark.domain.park.Ident).
_ID = String(64)


def _created() -> Column[object]:
    return Column("created_at", DateTime(timezone=True), nullable=False)


parks = Table(
    "parks",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("type", String(32), nullable=False),
    Column("province", String(32), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("spec", JSON, nullable=False),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

tenants = Table(
    "tenants",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("industry_code", String(16)),
    Column("spec", JSON, nullable=False),
)

buildings = Table(
    "buildings",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("tenant_id", _ID),
    Column("name", String(200), nullable=False),
    Column("spec", JSON, nullable=False),
)

meters = Table(
    "meters",
    metadata,
    # A surrogate key keeps the readings table narrow; (park_id, id) is the natural key.
    Column("key", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("id", _ID, nullable=False),
    Column("tenant_id", _ID),
    Column("building_id", _ID),
    Column("parent_id", _ID),
    Column("carrier", String(32), nullable=False),
    Column("unit", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("interval_s", Integer),
    Column("multiplier", Float, nullable=False),
    Column("register_max", Float),
    Column("category", String(40)),
    Column("sector", String(16)),
    Column("active", Boolean, nullable=False, default=True),
    Column("spec", JSON, nullable=False),
    UniqueConstraint("park_id", "id", name="uq_meters_park_id_id"),
)
Index("ix_meters_park_tenant", meters.c.park_id, meters.c.tenant_id)

virtual_meters = Table(
    "virtual_meters",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("tenant_id", _ID),
    Column("expression", Text, nullable=False),
    Column("carrier", String(32), nullable=False),
    Column("unit", String(32), nullable=False),
    Column("spec", JSON, nullable=False),
)

assets = Table(
    "assets",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("tenant_id", _ID),
    Column("spec", JSON, nullable=False),
)

sinks = Table(
    "sinks",
    metadata,
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", _ID, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("spec", JSON, nullable=False),
)

readings = Table(
    "readings",
    metadata,
    Column("meter_key", Integer, primary_key=True, autoincrement=False),
    Column("ts_s", BigInteger, primary_key=True, autoincrement=False),
    Column("value", Float, nullable=False),
    Column("quality", SmallInteger, nullable=False, default=0),
    # The audit-log sequence number of the batch that wrote this value (tamper evidence).
    Column("batch_id", Integer),
    ForeignKeyConstraint(["meter_key"], ["meters.key"], ondelete="CASCADE"),
    sqlite_with_rowid=False,
    postgresql_partition_by="RANGE (ts_s)",
)

hourly_rollups = Table(
    "hourly_rollups",
    metadata,
    Column("meter_key", Integer, ForeignKey("meters.key", ondelete="CASCADE"), primary_key=True),
    Column("hour_s", BigInteger, primary_key=True, autoincrement=False),
    Column("quantity", Float, nullable=False),
    Column("estimated", Float, nullable=False, default=0.0),
    Column("coverage_s", Integer, nullable=False),
    Column("quality", SmallInteger, nullable=False, default=0),
    sqlite_with_rowid=False,
)

#: Rollup rows that are not a complete, measured hour: some of the hour estimated or missing.
#: A partial index on them lets inventories sum ``estimated`` and ``coverage_s`` exactly without
#: reading those columns of every complete hour (sum = 3600 × rows + Σ over these rows).
ROLLUP_INCOMPLETE_SQL = "estimated <> 0 OR coverage_s <> 3600"
Index(
    "ix_hourly_rollups_incomplete",
    hourly_rollups.c.meter_key,
    hourly_rollups.c.hour_s,
    hourly_rollups.c.estimated,
    hourly_rollups.c.coverage_s,
    sqlite_where=text(ROLLUP_INCOMPLETE_SQL),
    postgresql_where=text(ROLLUP_INCOMPLETE_SQL),
)

corrections = Table(
    "corrections",
    metadata,
    # History of every changed reading: who changed it, when, from what to what, and why.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meter_key", Integer, ForeignKey("meters.key", ondelete="CASCADE"), nullable=False),
    Column("ts_s", BigInteger, nullable=False),
    Column("old_value", Float, nullable=False),
    Column("new_value", Float, nullable=False),
    # The audit entry (batch) that had written the old value: verification needs it.
    Column("old_batch_id", Integer),
    Column("actor", String(254), nullable=False),
    Column("reason", Text),
    Column("source", Text),
    _created(),
)
Index("ix_corrections_meter_ts", corrections.c.meter_key, corrections.c.ts_s)

activity_records = Table(
    "activity_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", _ID),
    Column("entity", _ID, nullable=False),
    Column("period", String(16), nullable=False),
    Column("category", String(40), nullable=False),
    Column("item", String(80), nullable=False),
    Column("quantity", Float, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("params", JSON, nullable=False, default=dict),
    Column("evidence", Text),
    Column("source", Text),
    Column("created_by", String(200), nullable=False),
    _created(),
    UniqueConstraint(
        "park_id", "entity", "period", "category", "item", "unit", name="uq_activity_records_key"
    ),
)
Index("ix_activity_records_park_tenant", activity_records.c.park_id, activity_records.c.tenant_id)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, nullable=False),
    Column("tenant_id", _ID),
    Column("source", Text, nullable=False),
    Column("location", String(200)),
    Column("field", String(80)),
    Column("value", Text),
    Column("code", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    # The reason as data (issue message catalogue): rows stored before 0008 have neither.
    Column("reason_code", String(64)),
    Column("params", JSON),
    Column("payload", JSON),
    Column("status", String(16), nullable=False, default="open"),
    # Who sent the record (the principal's subject); ``source`` is what the sender called it.
    Column("sent_by", String(254)),
    _created(),
)
Index("ix_quarantine_park_status", quarantine.c.park_id, quarantine.c.status)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("park_id", _ID),
    Column("tenant_id", _ID),
    Column("active", Boolean, nullable=False, default=True),
    # Login lock-out (zeropark.service.auth): failed logins counted since ``failed_since`` (the
    # start of the current window), the lock's end, and how many locks in a row (the lock grows).
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Column("failed_since", DateTime(timezone=True)),
    Column("lock_count", Integer, nullable=False, default=0, server_default=text("0")),
    _created(),
)

sessions = Table(
    "sessions",
    metadata,
    # Login tokens: only their SHA-256 is stored; a token is valid until it expires or is revoked.
    Column("token_sha256", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    _created(),
)

api_keys = Table(
    "api_keys",
    metadata,
    # Gateway keys, bound to the meters they may write; only the key's SHA-256 is stored.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key_sha256", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("meter_ids", JSON, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_by", String(254), nullable=False),
    _created(),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("park_id", _ID),
    Column("action", String(64), nullable=False),
    Column("entity", String(200)),
    Column("payload", JSON, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("prev_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
)

published_inventories = Table(
    "published_inventories",
    metadata,
    # A published inventory, never changed once written: a newer publication of the same park,
    # entity, period and options is version n+1, and only ``superseded`` of version n is set.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", _ID),
    Column("entity", _ID, nullable=False),
    Column("period", String(16), nullable=False),
    Column("options", JSON, nullable=False),
    Column("options_sha256", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("input_hash", String(64), nullable=False),
    Column("factor_versions", JSON, nullable=False),
    Column("result", JSON, nullable=False),
    Column("result_sha256", String(64), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("published_by", String(254), nullable=False),
    Column("superseded", Boolean, nullable=False, default=False),
    UniqueConstraint(
        "park_id",
        "entity",
        "period",
        "options_sha256",
        "version",
        name="uq_published_inventories_version",
    ),
)
Index(
    "ix_published_inventories_scope",
    published_inventories.c.park_id,
    published_inventories.c.entity,
    published_inventories.c.period,
)

# Alerts raised by checks, acknowledged and resolved by people (migration 0003).
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", _ID),
    Column("meter_id", _ID),
    Column("kind", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("message", Text, nullable=False),
    Column("details", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(254)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(254)),
    Column("note", Text),
    # The alert rule that raised it (migration 0010); None for alerts raised before rules.
    Column("rule_id", _ID),
)
Index("ix_alerts_park_status", alerts.c.park_id, alerts.c.status)

from zeropark.store import billing_schema as _billing_schema  # noqa: E402, F401
from zeropark.store import budgets_schema as _budgets_schema  # noqa: E402, F401
from zeropark.store import dispatch_schema as _dispatch_schema  # noqa: E402, F401
from zeropark.store import ledger_schema as _ledger_schema  # noqa: E402, F401
from zeropark.store import monitoring_schema as _monitoring_schema  # noqa: E402, F401
