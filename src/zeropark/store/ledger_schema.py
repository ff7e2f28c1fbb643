"""Tables of the carbon-asset ledger (碳资产台账, #14), on the shared MetaData (migration 0009).

- ``ledger_accounts``: the park's and each tenant's holding accounts and the registry/market
  accounts they trade with (kind per :data:`zeropark.domain.ledger.movements.ACCOUNT_KINDS`);
- ``ledger_movements``: append-only; each row moves ``quantity_milli`` thousandths of one
  instrument from one account to another (ids assigned in order under the audit chain's lock);
  each batch's ``ledger.movements`` audit entry records every row's content hash;
- ``ledger_prices``: the entered price series (CNY per unit) per market (CEA, CCER, GEC, ...);
- ``ledger_obligations``: a covered tenant's compliance year: sector, verified emissions,
  whether it is on the key emitting units list (``listed``), deadline, evidence;
- ``ledger_settings``: per park, e.g. ``cost_method`` (``avg``/``fifo``).

Accounts, prices, obligations and settings are sealed rows (:mod:`zeropark.store.seal`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from zeropark.store.schema import metadata

__all__ = [
    "ledger_accounts",
    "ledger_movements",
    "ledger_obligations",
    "ledger_prices",
    "ledger_settings",
]

_ID = String(64)


def _park() -> ForeignKey:
    return ForeignKey("parks.id", ondelete="CASCADE")


ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("park_id", _ID, _park(), primary_key=True),
    Column("id", String(80), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("tenant_id", _ID),
    Column("name", String(200), nullable=False),
)

ledger_movements = Table(
    "ledger_movements",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("park_id", _ID, _park(), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("instrument", String(80), nullable=False),
    Column("quantity_milli", BigInteger, nullable=False),
    Column("from_account", String(80), nullable=False),
    Column("to_account", String(80), nullable=False),
    Column("from_tenant", _ID),
    Column("to_tenant", _ID),
    Column("serial_start", String(32)),
    Column("serial_end", String(32)),
    Column("beneficiary", _ID),
    Column("period", String(16)),
    Column("compliance_year", Integer),
    Column("price_cny", String(32)),
    Column("counterparty", String(200)),
    Column("exchange", String(200)),
    Column("occurred_on", String(10), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("audit_seq", BigInteger, nullable=False),
)
Index(
    "ix_ledger_movements_instrument",
    ledger_movements.c.park_id,
    ledger_movements.c.instrument,
    ledger_movements.c.serial_start,
)
# Covering indexes of the balance sums (park, instrument, account, quantity).
Index(
    "ix_ledger_movements_from",
    ledger_movements.c.park_id,
    ledger_movements.c.instrument,
    ledger_movements.c.from_account,
    ledger_movements.c.quantity_milli,
)
Index(
    "ix_ledger_movements_to",
    ledger_movements.c.park_id,
    ledger_movements.c.instrument,
    ledger_movements.c.to_account,
    ledger_movements.c.quantity_milli,
)
Index(
    "ix_ledger_movements_claim",
    ledger_movements.c.park_id,
    ledger_movements.c.beneficiary,
    ledger_movements.c.period,
)

ledger_prices = Table(
    "ledger_prices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, _park(), nullable=False),
    Column("market", String(80), nullable=False),
    Column("on_date", String(10), nullable=False),
    Column("price_cny", String(32), nullable=False),
    Column("source", Text, nullable=False),
)
Index(
    "ix_ledger_prices_market",
    ledger_prices.c.park_id,
    ledger_prices.c.market,
    ledger_prices.c.on_date,
    unique=True,
)

ledger_obligations = Table(
    "ledger_obligations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, _park(), nullable=False),
    Column("tenant_id", _ID, nullable=False),
    Column("year", Integer, nullable=False),
    Column("sector", String(16), nullable=False),
    Column("verified_t", String(32), nullable=False),
    Column("listed", Boolean, nullable=False),
    Column("deadline", String(10), nullable=False),
    Column("evidence", Text, nullable=False),
)
Index(
    "ix_ledger_obligations_tenant_year",
    ledger_obligations.c.park_id,
    ledger_obligations.c.tenant_id,
    ledger_obligations.c.year,
    unique=True,
)

ledger_settings = Table(
    "ledger_settings",
    metadata,
    Column("park_id", _ID, _park(), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)
