"""Energy-carbon dual control (能碳双控): the alert-rule engine's tables (#12).

This revision holds the alert-rule engine's tables (store/monitoring_schema.py): rules,
notification channels, per-(rule, subject) lifecycle state and delivery records, and the
``rule_id`` of an alert.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 11:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _park_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["park_id"], ["parks.id"], name=op.f(f"fk_{table}_park_id_parks"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("rule_id", sa.String(length=64), nullable=True))
    op.create_table(
        "alert_rules",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("muted_until_s", sa.BigInteger(), nullable=True),
        sa.Column("clear_after", sa.Integer(), nullable=False),
        sa.Column("quiet_period_s", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_s", sa.BigInteger(), nullable=False),
        _park_fk("alert_rules"),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_alert_rules")),
    )
    op.create_table(
        "alert_channels",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        _park_fk("alert_channels"),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_alert_channels")),
    )
    op.create_table(
        "alert_states",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("alert_open", sa.Boolean(), nullable=False),
        sa.Column("clean_streak", sa.Integer(), nullable=False),
        sa.Column("recovered_at_s", sa.BigInteger(), nullable=True),
        sa.Column("clean_since_s", sa.BigInteger(), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_s", sa.BigInteger(), nullable=False),
        _park_fk("alert_states"),
        sa.PrimaryKeyConstraint("park_id", "rule_id", "subject", name=op.f("pk_alert_states")),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_s", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_s", sa.BigInteger(), nullable=False),
        sa.Column("sent_s", sa.BigInteger(), nullable=True),
        _park_fk("alert_deliveries"),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
    )
    op.create_index(
        "ix_alert_deliveries_due", "alert_deliveries", ["status", "next_attempt_s"], unique=False
    )
    op.create_index("ix_alert_deliveries_alert", "alert_deliveries", ["alert_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alert_deliveries_alert", table_name="alert_deliveries")
    op.drop_index("ix_alert_deliveries_due", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_table("alert_states")
    op.drop_table("alert_channels")
    op.drop_table("alert_rules")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("rule_id")
