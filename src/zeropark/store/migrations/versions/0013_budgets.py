"""Budgets (用能预算 / 碳预算) and the inputs of the newly fed scorecard indicators (#12).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:50:00.000000
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
