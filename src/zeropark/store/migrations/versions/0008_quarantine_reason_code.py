"""Quarantine rows keep their reason as data: the reason code and its parameters.

The issue message catalogue (zeropark.domain.issue_messages) renders the reason in the reader's
language from them; rows stored before this revision have neither and show their reason text.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quarantine") as batch:
        batch.add_column(sa.Column("reason_code", sa.String(64), nullable=True))
        batch.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quarantine") as batch:
        batch.drop_column("params")
        batch.drop_column("reason_code")
