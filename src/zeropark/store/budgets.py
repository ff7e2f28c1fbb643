"""Budgets in the database, scoped to the caller: a tenant reads and sets only its own; the
park's administrator every budget of the park; auditors read. Every write appends a
``budgets.write`` audit entry carrying the row's seal (``zeropark verify`` covers it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from zeropark.domain.access import Principal
from zeropark.store import audit, seal
from zeropark.store.budgets_schema import budgets
from zeropark.store.engine import clock_of
from zeropark.store.scope import require, row_filter

__all__ = ["BudgetRow", "delete_budget", "list_budgets", "put_budget"]


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """A stored budget: annual amount [unit], its twelve months, split and projection method."""

    id: int
    park_id: str
    tenant_id: str | None
    year: int
    kind: str
    annual: float
    unit: str
    split: str
    months: list[float]
    method: str


def _row(r: Any) -> BudgetRow:
    return BudgetRow(
        r.id,
        r.park_id,
        r.tenant_id,
        r.year,
        r.kind,
        r.annual,
        r.unit,
        r.split,
        [float(v) for v in r.months],
        r.method,
    )


def list_budgets(
    conn: Connection, principal: Principal, park_id: str, year: int | None = None
) -> list[BudgetRow]:
    """The park's budgets the caller may read (of ``year``, or all)."""
    query = select(budgets).where(budgets.c.park_id == park_id, row_filter(principal, budgets))
    if year is not None:
        query = query.where(budgets.c.year == year)
    rows = conn.execute(query.order_by(budgets.c.year, budgets.c.scope_key, budgets.c.kind))
    return [_row(r) for r in rows]


def put_budget(
    conn: Connection,
    principal: Principal,
    park_id: str,
    tenant_id: str | None,
    year: int,
    kind: str,
    *,
    annual: float,
    unit: str,
    split: str,
    months: list[float],
    method: str,
) -> BudgetRow:
    """Insert or replace the budget of (park, tenant, year, kind); sealed in the audit log."""
    require(
        principal.can_write_activity(park_id, tenant_id),
        principal,
        f"set the {kind} budget of {tenant_id or park_id}",
    )
    key = tenant_id or ""
    values = {
        "annual": annual,
        "unit": unit,
        "split": split,
        "months": months,
        "method": method,
        "created_by": principal.subject,
        "updated_at": clock_of(conn).now(),
    }
    where = (
        (budgets.c.park_id == park_id)
        & (budgets.c.scope_key == key)
        & (budgets.c.year == year)
        & (budgets.c.kind == kind)
    )
    found = conn.execute(select(budgets.c.id).where(where)).scalar()
    if found is None:
        inserted = conn.execute(
            budgets.insert().values(
                park_id=park_id, tenant_id=tenant_id, scope_key=key, year=year, kind=kind, **values
            )
        ).inserted_primary_key
        assert inserted is not None
        found = inserted[0]
    else:
        conn.execute(budgets.update().where(budgets.c.id == found).values(**values))
    _seal(conn, principal, park_id, int(found), "budgets.write")
    row = conn.execute(select(budgets).where(budgets.c.id == found)).one()
    return _row(row)


def delete_budget(conn: Connection, principal: Principal, park_id: str, budget_id: int) -> None:
    """Delete a budget the caller may set; sealed (the seal of a deleted row is None)."""
    row = conn.execute(
        select(budgets).where(
            budgets.c.park_id == park_id, budgets.c.id == budget_id, row_filter(principal, budgets)
        )
    ).first()
    require(row is not None, principal, f"budget {budget_id}", hide=True)
    assert row is not None
    require(
        principal.can_write_activity(park_id, row.tenant_id),
        principal,
        f"delete budget {budget_id}",
    )
    conn.execute(budgets.delete().where(budgets.c.id == budget_id))
    _seal(conn, principal, park_id, budget_id, "budgets.delete")


def _seal(
    conn: Connection, principal: Principal, park_id: str, budget_id: int, action: str
) -> None:
    audit.append(
        conn,
        actor=principal.subject,
        action=action,
        park_id=park_id,
        entity=f"budget:{budget_id}",
        payload={"sealed": {"budgets": seal.seal_rows(conn, "budgets", [str(budget_id)])}},
    )
