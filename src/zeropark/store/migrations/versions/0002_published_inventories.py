"""Published inventories: versioned, immutable results with their input hash and factor versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_inventories",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("options_sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("factor_versions", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("result_sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=254), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
            name=op.f("fk_published_inventories_park_id_parks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_inventories")),
        sa.UniqueConstraint(
            "park_id",
            "entity",
            "period",
            "options_sha256",
            "version",
            name="uq_published_inventories_version",
        ),
    )
    op.create_index(
        "ix_published_inventories_scope",
        "published_inventories",
        ["park_id", "entity", "period"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_published_inventories_scope", table_name="published_inventories")
    op.drop_table("published_inventories")
