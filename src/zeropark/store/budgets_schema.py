"""The budgets table (用能预算 / 碳预算, #12): one annual energy or carbon budget of the park or a
tenant per year, with its monthly split. Created by migration 0013; registered on the one
``metadata`` of :mod:`zeropark.store.schema`. Budgets move reported numbers, so rows are sealed
(:mod:`zeropark.store.seal`) and every write appends an audit entry."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from zeropark.store.schema import metadata

__all__ = ["budgets"]

_ID = String(64)

budgets = Table(
    "budgets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", _ID),
    # the tenant's id, or "" for the park's own budget (a NULL would not be unique)
    Column("scope_key", _ID, nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # energy (tce) | carbon (tCO2)
    Column("annual", Float, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("split", String(16), nullable=False),  # even | profile | given
    Column("months", JSON, nullable=False),
    Column("method", String(16), nullable=False),  # projection: seasonal | run_rate
    Column("created_by", String(254), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("park_id", "scope_key", "year", "kind", name="uq_budgets_key"),
)
