"""Issued tenant bills (已出具账单): frozen, versioned and sealed (follow-up of #11).

Creates ``issued_bills`` (``store/billing_schema.py``). The table starts empty, so there is
nothing to seal yet; every issue seals the rows it writes (``zeropark.store.seal``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "issued_bills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", _ID, nullable=False),
        sa.Column("tenant_id", _ID, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("total_cny", sa.String(length=32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=254), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"],
            ["parks.id"],
            name=op.f("fk_issued_bills_park_id_parks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_bills")),
        sa.UniqueConstraint(
            "park_id", "tenant_id", "month", "version", name="uq_issued_bills_version"
        ),
    )
    op.create_index("ix_issued_bills_month", "issued_bills", ["park_id", "month"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_issued_bills_month", table_name="issued_bills")
    op.drop_table("issued_bills")
