"""Initial schema: park configuration, readings, rollups, activity data, users, audit log.

On PostgreSQL the readings table is partitioned by range of ts_s (UTC epoch seconds); monthly
partitions are created on demand by zeropark.store.bulk.ensure_reading_partitions before a write.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 02:38:22.411445
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("prev_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("sha256", name=op.f("uq_audit_log_sha256")),
    )
    op.create_table(
        "parks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("province", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parks")),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=80), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index("ix_quarantine_park_status", ["park_id", "status"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "activity_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
            name=op.f("fk_activity_records_park_id_parks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_records")),
        sa.UniqueConstraint(
            "park_id",
            "entity",
            "period",
            "category",
            "item",
            "unit",
            name="uq_activity_records_key",
        ),
    )
    with op.batch_alter_table("activity_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_records_park_tenant", ["park_id", "tenant_id"], unique=False
        )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("meter_ids", sa.JSON(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_api_keys_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_sha256", name=op.f("uq_api_keys_key_sha256")),
    )
    op.create_table(
        "assets",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_assets_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_assets")),
    )
    op.create_table(
        "buildings",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_buildings_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_buildings")),
    )
    op.create_table(
        "meters",
        sa.Column("key", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("building_id", sa.String(length=64), nullable=True),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("carrier", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=True),
        sa.Column("multiplier", sa.Float(), nullable=False),
        sa.Column("register_max", sa.Float(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("sector", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_meters_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meters")),
        sa.UniqueConstraint("park_id", "id", name="uq_meters_park_id_id"),
    )
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.create_index("ix_meters_park_tenant", ["park_id", "tenant_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_sessions")),
    )
    op.create_table(
        "sinks",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_sinks_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_sinks")),
    )
    op.create_table(
        "tenants",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry_code", sa.String(length=16), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_tenants_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_tenants")),
    )
    op.create_table(
        "virtual_meters",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
            name=op.f("fk_virtual_meters_park_id_parks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_virtual_meters")),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meter_key", sa.Integer(), nullable=False),
        sa.Column("ts_s", sa.BigInteger(), nullable=False),
        sa.Column("old_value", sa.Float(), nullable=False),
        sa.Column("new_value", sa.Float(), nullable=False),
        sa.Column("old_batch_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meter_key"],
            ["meters.key"],
            name=op.f("fk_corrections_meter_key_meters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index("ix_corrections_meter_ts", ["meter_key", "ts_s"], unique=False)

    op.create_table(
        "hourly_rollups",
        sa.Column("meter_key", sa.Integer(), nullable=False),
        sa.Column("hour_s", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("estimated", sa.Float(), nullable=False),
        sa.Column("coverage_s", sa.Integer(), nullable=False),
        sa.Column("quality", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meter_key"],
            ["meters.key"],
            name=op.f("fk_hourly_rollups_meter_key_meters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meter_key", "hour_s", name=op.f("pk_hourly_rollups")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "readings",
        sa.Column("meter_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ts_s", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("quality", sa.SmallInteger(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meter_key"],
            ["meters.key"],
            name=op.f("fk_readings_meter_key_meters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meter_key", "ts_s", name=op.f("pk_readings")),
        postgresql_partition_by="RANGE (ts_s)",
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("readings")
    op.drop_table("hourly_rollups")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_corrections_meter_ts")

    op.drop_table("corrections")
    op.drop_table("virtual_meters")
    op.drop_table("tenants")
    op.drop_table("sinks")
    op.drop_table("sessions")
    with op.batch_alter_table("meters", schema=None) as batch_op:
        batch_op.drop_index("ix_meters_park_tenant")

    op.drop_table("meters")
    op.drop_table("buildings")
    op.drop_table("assets")
    op.drop_table("api_keys")
    with op.batch_alter_table("activity_records", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_records_park_tenant")

    op.drop_table("activity_records")
    op.drop_table("users")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index("ix_quarantine_park_status")

    op.drop_table("quarantine")
    op.drop_table("parks")
    op.drop_table("audit_log")
