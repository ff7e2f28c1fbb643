"""Login lock-out: the start of the failure window and the count of locks in a row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("failed_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("lock_count", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("lock_count")
        batch.drop_column("failed_since")
