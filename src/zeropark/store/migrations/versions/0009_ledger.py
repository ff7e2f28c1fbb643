"""The carbon-asset ledger (碳资产): accounts, movements, serial ranges, trades, prices (#14).

Tables of store/ledger_schema.py: accounts, append-only movements (serial ranges and trade
prices on the movement), price series, compliance obligations and per-park settings.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 11:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _park_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["park_id"], ["parks.id"], name=op.f(f"fk_{table}_park_id_parks"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        _park_fk("ledger_accounts"),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_ledger_accounts")),
    )
    op.create_table(
        "ledger_movements",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("instrument", sa.String(length=80), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("from_account", sa.String(length=80), nullable=False),
        sa.Column("to_account", sa.String(length=80), nullable=False),
        sa.Column("from_tenant", sa.String(length=64), nullable=True),
        sa.Column("to_tenant", sa.String(length=64), nullable=True),
        sa.Column("serial_start", sa.String(length=32), nullable=True),
        sa.Column("serial_end", sa.String(length=32), nullable=True),
        sa.Column("beneficiary", sa.String(length=64), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("compliance_year", sa.Integer(), nullable=True),
        sa.Column("price_cny", sa.String(length=32), nullable=True),
        sa.Column("counterparty", sa.String(length=200), nullable=True),
        sa.Column("exchange", sa.String(length=200), nullable=True),
        sa.Column("occurred_on", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        _park_fk("ledger_movements"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_movements")),
    )
    for name, columns in (
        ("ix_ledger_movements_instrument", ["park_id", "instrument", "serial_start"]),
        ("ix_ledger_movements_from", ["park_id", "instrument", "from_account", "quantity_milli"]),
        ("ix_ledger_movements_to", ["park_id", "instrument", "to_account", "quantity_milli"]),
        ("ix_ledger_movements_claim", ["park_id", "beneficiary", "period"]),
    ):
        op.create_index(name, "ledger_movements", columns)
    op.create_table(
        "ledger_prices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("market", sa.String(length=80), nullable=False),
        sa.Column("on_date", sa.String(length=10), nullable=False),
        sa.Column("price_cny", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        _park_fk("ledger_prices"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_prices")),
    )
    op.create_index(
        "ix_ledger_prices_market", "ledger_prices", ["park_id", "market", "on_date"], unique=True
    )
    op.create_table(
        "ledger_obligations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=16), nullable=False),
        sa.Column("verified_t", sa.String(length=32), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        _park_fk("ledger_obligations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_obligations")),
    )
    op.create_index(
        "ix_ledger_obligations_tenant_year",
        "ledger_obligations",
        ["park_id", "tenant_id", "year"],
        unique=True,
    )
    op.create_table(
        "ledger_settings",
        sa.Column("park_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        _park_fk("ledger_settings"),
        sa.PrimaryKeyConstraint("park_id", "id", name=op.f("pk_ledger_settings")),
    )


def downgrade() -> None:
    op.drop_table("ledger_settings")
    op.drop_index("ix_ledger_obligations_tenant_year", table_name="ledger_obligations")
    op.drop_table("ledger_obligations")
    op.drop_index("ix_ledger_prices_market", table_name="ledger_prices")
    op.drop_table("ledger_prices")
    for name in (
        "ix_ledger_movements_claim",
        "ix_ledger_movements_to",
        "ix_ledger_movements_from",
        "ix_ledger_movements_instrument",
    ):
        op.drop_index(name, table_name="ledger_movements")
    op.drop_table("ledger_movements")
    op.drop_table("ledger_accounts")
