"""Budgets (用能预算 / 碳预算) and the inputs of the newly fed scorecard indicators (#12).

The indicator inputs (solid waste, waste heat, water reuse, product output) are activity
records (``activity_records``, new categories): no table. This revision creates ``budgets``
(``store/budgets_schema.py``); the table starts empty, so there is nothing to seal yet.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", _ID, nullable=False),
        sa.Column("tenant_id", _ID, nullable=True),
        sa.Column("scope_key", _ID, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("annual", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("split", sa.String(length=16), nullable=False),
        sa.Column("months", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_budgets_park_id_parks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("park_id", "scope_key", "year", "kind", name="uq_budgets_key"),
    )


def downgrade() -> None:
    op.drop_table("budgets")
