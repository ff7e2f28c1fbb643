"""Seal the rows of a database written before seals existed, in one explicit baseline entry.

Since this version every write of park configuration, users, gateway keys and published
inventories seals the rows it changes in its audit entry (zeropark.store.seal), and
``zeropark verify`` compares every row with its newest seal. A database written before has rows
no entry sealed; this migration appends one ``state.seal`` entry (actor ``migration:0007``)
sealing them as they are now — an explicit, logged baseline: it vouches for nothing before it.
An empty database (a new install) gets no entry.

The seal definition is imported from the package: it is the one ``zeropark verify`` uses.
Only the tables sealed at this revision are sealed here (tables sealed later, such as dispatch
plans or the carbon-asset ledger, do not exist yet when this migration runs).

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


#: The sealed tables as of this revision.
TABLES = (
    "parks", "tenants", "buildings", "meters", "virtual_meters", "assets", "sinks", "users",
    "api_keys", "published_inventories",
)  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    baseline = seal.seal_everything(conn, TABLES)
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
