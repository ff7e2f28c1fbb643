"""The issued tenant bills (已出具账单, follow-up of #11): one row per version of a tenant's bill
of a month. Created by migration 0014; registered on the one ``metadata`` of
:mod:`zeropark.store.schema`.

An issued bill is never changed once written: issuing the same tenant and month again (a
re-issue, with its reason) is version n+1, and only ``superseded`` of version n is set (as
published inventories and dispatch plans). ``document`` is the bill as it was computed when
issued (schema ``zeropark.bill/1``), ``inputs`` what it was computed from; each has its SHA-256
over canonical JSON. Rows are sealed (:mod:`zeropark.store.seal`): a bill a tenant was sent is
a number ``zeropark verify`` covers.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from zeropark.store.schema import metadata

__all__ = ["issued_bills"]

_ID = String(64)

issued_bills = Table(
    "issued_bills",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    # No foreign key to tenants: a bill once issued outlives its tenant's park-file entry.
    Column("tenant_id", _ID, nullable=False),
    Column("month", String(7), nullable=False),  # park-local YYYY-MM
    Column("version", Integer, nullable=False),
    Column("document", JSON, nullable=False),  # the bill as issued (zeropark.bill/1)
    Column("content_sha256", String(64), nullable=False),  # of canonical JSON of ``document``
    Column("inputs", JSON, nullable=False),  # tariffs, consumption, shares it was computed from
    Column("inputs_sha256", String(64), nullable=False),
    Column("total_cny", String(32), nullable=False),  # the amount due, exact to the fen
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issued_by", String(254), nullable=False),
    Column("reason", Text),  # why a version was issued again (None for version 1)
    Column("superseded", Boolean, nullable=False, default=False),
    UniqueConstraint("park_id", "tenant_id", "month", "version", name="uq_issued_bills_version"),
)
Index("ix_issued_bills_month", issued_bills.c.park_id, issued_bills.c.month)
