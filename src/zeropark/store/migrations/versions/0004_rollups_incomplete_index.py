"""Partial index on incomplete or estimated hourly rollups (inventory data-quality sums).

Inventories sum ``estimated`` and ``coverage_s`` of a year of rollups per meter. Complete,
measured hours (``estimated = 0``, ``coverage_s = 3600``) are the bulk and need only be counted;
this index holds the others, so the exact sums read those columns only where they differ.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_WHERE = "estimated <> 0 OR coverage_s <> 3600"


def upgrade() -> None:
    op.create_index(
        "ix_hourly_rollups_incomplete",
        "hourly_rollups",
        ["meter_key", "hour_s", "estimated", "coverage_s"],
        unique=False,
        sqlite_where=sa.text(_WHERE),
        postgresql_where=sa.text(_WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_hourly_rollups_incomplete", table_name="hourly_rollups")
