"""Use case: record ledger movements (one unit of work), with the rules that need stored data.

Beyond the pure rules of :class:`~zeropark.domain.ledger.LedgerState` (double entry, no negative
balance, serial ranges held once), recording checks:

- a CCER surrender for a compliance year stays within 5 % of the tenant's obligation
  (MEE Order No. 19, 2021; reference/carbon_markets.md §1) — a surrender needs the obligation;
- certificates retired for a consumer and period do not exceed its grid electricity of that
  period (the period's purchased_electricity in its inventory; ``grid_mwh`` overrides it).

Either every movement of a call is recorded, or none (refusals name the movement's position).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.issues import Issue
from zeropark.domain.ledger import (
    Account,
    LedgerRefusal,
    LedgerState,
    Movement,
    ccer_cap_t,
)
from zeropark.domain.ledger.serials import SerialRange
from zeropark.service.database import Database
from zeropark.store import ledger as store

__all__ = ["GridMwh", "open_accounts", "record_in", "record_movements"]

#: (connection, park, consumer, period) → the consumer's grid electricity [MWh] in the period.
GridMwh = Callable[[Connection, str, str, str], Decimal]


def open_accounts(
    db: Database, principal: Principal, park_id: str, accounts: Sequence[Account]
) -> list[str]:
    """Open ledger accounts (those that exist are kept); returns the ids created."""
    with db.transaction() as conn:
        return store.put_accounts(conn, principal, park_id, accounts)


def _ccer_problem(
    conn: Connection,
    principal: Principal,
    park_id: str,
    m: Movement,
    state: LedgerState,
    pending: dict[tuple[str, int], Decimal],
) -> Issue | None:
    tenant = state.accounts[m.from_account].tenant_id or m.from_account
    year = int(m.compliance_year or 0)
    found = [
        o
        for o in store.obligations(conn, principal.aggregator(), park_id, tenant_id=tenant)
        if o.year == year
    ]
    if not found:
        return Issue("ledger_no_obligation", params={"tenant": tenant, "year": year})
    obligation = found[0].verified_t
    cap = ccer_cap_t(obligation)
    used = store.surrendered(conn, principal, park_id, tenant, year).get(
        "CCER", Decimal(0)
    ) + pending.get((tenant, year), Decimal(0))
    if used + m.quantity > cap:
        return Issue(
            "ledger_ccer_cap",
            params={
                "tenant": tenant,
                "year": year,
                "obligation": str(obligation),
                "cap": str(cap),
                "used": str(used),
                "quantity": str(m.quantity),
            },
        )
    pending[(tenant, year)] = pending.get((tenant, year), Decimal(0)) + m.quantity
    return None


def record_in(
    conn: Connection,
    principal: Principal,
    park_id: str,
    movements: Sequence[Movement],
    *,
    grid_mwh: GridMwh | None = None,
    entity: str | None = None,
    source: str = "request",
    dry_run: bool = False,
) -> list[int]:
    """:func:`record_movements` inside the caller's transaction (``dry_run``: check only)."""
    instruments = {m.instrument for m in movements}
    windows: dict[str, list[SerialRange]] = {}
    for m in movements:
        try:
            serials = m.serials
        except ValueError:  # a range that ends before it starts: the rules name it
            serials = None
        if serials is not None:
            windows.setdefault(m.instrument, []).append(serials)
    state = store.load_state(conn, principal, park_id, instruments, windows)
    pending_ccer: dict[tuple[str, int], Decimal] = {}
    pending_green: dict[tuple[str, str], Decimal] = {}
    grid_cache: dict[tuple[str, str], Decimal] = {}
    lines_cache: dict[tuple[str, str], list[Any]] = {}
    for n, m in enumerate(movements, start=1):
        where = f"movement {n}" if len(movements) > 1 else None
        problems = state.problems(m)
        if not problems and m.kind == "surrender" and m.instrument.startswith("CCER:"):
            found = _ccer_problem(conn, principal, park_id, m, state, pending_ccer)
            problems = [found] if found else []
        if (
            not problems
            and m.kind == "retirement"
            and m.instrument.startswith("GEC:")
            and m.beneficiary
            and m.period
        ):
            key = (m.beneficiary, m.period)
            if key not in grid_cache:
                if grid_mwh is None:
                    from zeropark.service.carbon_assets.green import grid_mwh_in, monthly_grid_mwh

                    year = (m.beneficiary, m.period[:4])
                    if year not in lines_cache:
                        lines_cache[year] = monthly_grid_mwh(
                            conn, park_id, m.beneficiary, int(m.period[:4])
                        )
                    grid_cache[key] = grid_mwh_in(lines_cache[year], m.period)
                else:
                    grid_cache[key] = grid_mwh(conn, park_id, m.beneficiary, m.period)
            claimed = (
                store.claimed_mwh(conn, principal, park_id, m.beneficiary, m.period)
                + pending_green.get(key, Decimal(0))
                + m.quantity
            )
            if claimed > grid_cache[key]:
                problems = [
                    Issue(
                        "ledger_green_exceeds_grid",
                        params={
                            "beneficiary": m.beneficiary,
                            "period": m.period,
                            "claimed": str(claimed),
                            "quantity": str(m.quantity),
                            "grid": str(grid_cache[key].quantize(Decimal("0.001"))),
                        },
                    )
                ]
            else:
                pending_green[key] = pending_green.get(key, Decimal(0)) + m.quantity
        if problems:
            raise LedgerRefusal(
                [p.at(source=source, location=where) for p in problems], source=source
            )
        state.apply(m)
    if dry_run:
        return []
    return store.append_movements(conn, principal, park_id, movements, entity=entity)


def record_movements(
    db: Database,
    principal: Principal,
    park_id: str,
    movements: Sequence[Movement],
    *,
    grid_mwh: GridMwh | None = None,
    entity: str | None = None,
    source: str = "request",
) -> list[int]:
    """Record ``movements`` (all or none) and their audit entry; returns their ids.

    Raises :class:`~zeropark.domain.ledger.LedgerRefusal` (a :class:`ValidationFailed`) with the
    issues of the first movement refused.
    """
    with db.transaction() as conn:
        return record_in(
            conn, principal, park_id, movements, grid_mwh=grid_mwh, entity=entity, source=source
        )
