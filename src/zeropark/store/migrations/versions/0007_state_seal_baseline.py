"""Seal the rows of a database written before seals existed, in one explicit baseline entry.

Since this version every write of park configuration, users, gateway keys and published
inventories seals the rows it changes in its audit entry (zeropark.store.seal), and
``zeropark verify`` compares every row with its newest seal. A database written before has rows
no entry sealed; this migration appends one ``state.seal`` entry (actor ``migration:0007``)
sealing them as they are now — an explicit, logged baseline: it vouches for nothing before it.
An empty database (a new install) gets no entry.

The seal definition is imported from the package: it is the one ``zeropark verify`` uses.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 11:00:00.000000
"""

from alembic import op

from zeropark.store import seal

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    baseline = seal.seal_everything(conn)
    if baseline:
        seal.append_seal(
            conn,
            actor="migration:0007",
            sealed=baseline,
            entity="baseline",
            extra={"reason": "baseline of rows written before seals existed"},
        )


def downgrade() -> None:
    """The audit log is append-only: the baseline entry stays."""
