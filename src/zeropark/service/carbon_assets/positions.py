"""Use cases: holdings, ETS compliance positions, valuation and profit (#14).

- holdings: balance per (account, instrument) from the movements (certificates with their
  serial ranges), valued at the latest entered price of the instrument's market;
- compliance: per obligation (covered tenant, year) the surrender position of
  :func:`zeropark.domain.ledger.compliance_position` (CCER ≤ 5 %, gap at the latest CEA price);
- trades: purchases and sales per holding account and instrument, cost by the park's
  ``cost_method`` setting (``avg`` or ``fifo``), realised and unrealised profit;
- a regulator reads the aggregated positions only (no tenant row).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.ledger import (
    CompliancePosition,
    CostPosition,
    LedgerState,
    TradeLeg,
    compliance_position,
    cost_position,
    parse_instrument,
)
from zeropark.domain.ledger.instruments import Instrument
from zeropark.service.database import Database
from zeropark.store import ledger as store
from zeropark.store.scope import require

__all__ = [
    "Holding",
    "aggregated_positions",
    "compliance_positions",
    "holdings",
    "latest_price",
    "trade_positions",
]


@dataclass(frozen=True, slots=True)
class Holding:
    """What an account holds of one instrument, its serial ranges and value at the latest price."""

    account: str
    tenant_id: str | None
    instrument: str
    unit: str
    quantity: Decimal
    serials: tuple[str, ...]
    price_cny: Decimal | None
    value_cny: Decimal | None


def latest_price(
    conn: Connection,
    principal: Principal,
    park_id: str,
    market: str,
    on_or_before: str | None = None,
) -> Decimal | None:
    """The latest entered price of ``market`` (on or before the date when given)."""
    points = [
        p
        for p in store.prices(conn, principal, park_id, market)
        if on_or_before is None or p[1] <= on_or_before
    ]
    return points[-1][2] if points else None


def _state(conn: Connection, principal: Principal, park_id: str) -> LedgerState:
    state = LedgerState(store.accounts(conn, principal.aggregator(), park_id))
    for s in store.list_movements(conn, principal.aggregator(), park_id):
        state.apply(s.movement)
    return state


def _instrument(code: str) -> Instrument:
    parsed = parse_instrument(code)
    assert isinstance(parsed, Instrument), code
    return parsed


def holdings_in(conn: Connection, principal: Principal, park_id: str) -> list[Holding]:
    """:func:`holdings` inside the caller's transaction."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    readable = store.accounts(conn, principal, park_id)
    state = _state(conn, principal, park_id)
    prices: dict[str, Decimal | None] = {}
    out = []
    for (account, code), quantity in sorted(state.balances.items()):
        acc = state.accounts.get(account)
        if acc is None or acc.kind != "holding" or account not in readable or quantity == 0:
            continue
        if principal.reads_aggregates_only(park_id):
            continue
        instrument = _instrument(code)
        if instrument.market not in prices:
            prices[instrument.market] = latest_price(conn, principal, park_id, instrument.market)
        price = prices[instrument.market]
        out.append(
            Holding(
                account,
                acc.tenant_id,
                code,
                instrument.unit,
                quantity,
                tuple(r.label() for r in state.ranges.get((account, code), [])),
                price,
                None if price is None else (quantity * price).quantize(Decimal("0.01")),
            )
        )
    return out


def holdings(db: Database, principal: Principal, park_id: str) -> list[Holding]:
    """Holdings of the accounts the caller may read (none for a regulator: see
    :func:`aggregated_positions`)."""
    with db.transaction() as conn:
        return holdings_in(conn, principal, park_id)


def compliance_in(
    conn: Connection, principal: Principal, park_id: str, year: int, *, as_of: str | None = None
) -> list[CompliancePosition]:
    """:func:`compliance_positions` inside the caller's transaction."""
    found = store.obligations(conn, principal, park_id)
    if principal.reads_aggregates_only(park_id):
        principal = principal.aggregator()
    state = _state(conn, principal, park_id)
    price = latest_price(conn, principal.aggregator(), park_id, "CEA", as_of)
    out = []
    for o in found:
        if o.year != year:
            continue
        mine = {
            a.id
            for a in state.accounts.values()
            if a.kind == "holding" and a.tenant_id == o.tenant_id
        }
        cea = ccer = Decimal(0)
        for (account, code), q in state.balances.items():
            if account not in mine:
                continue
            inst = _instrument(code)
            if inst.kind == "CEA" and inst.vintage <= year:
                cea += q
            elif inst.kind == "CCER":
                ccer += q
        allocated = sum(
            (
                s.movement.quantity
                for s in store.list_movements(
                    conn,
                    principal.aggregator(),
                    park_id,
                    kinds=["allocation"],
                    tenant_id=o.tenant_id,
                )
                if s.movement.instrument == f"CEA:{year}"
            ),
            Decimal(0),
        )
        done = store.surrendered(conn, principal.aggregator(), park_id, o.tenant_id, year)
        out.append(
            compliance_position(
                tenant_id=o.tenant_id,
                year=year,
                sector=o.sector,
                emissions_t=o.verified_t,
                allocated_t=allocated,
                cea_held_t=cea,
                ccer_held_t=ccer,
                surrendered_cea_t=done.get("CEA", Decimal(0)),
                surrendered_ccer_t=done.get("CCER", Decimal(0)),
                price_cny_per_t=price,
                deadline=o.deadline,
                listed=o.listed,
            )
        )
    return out


def compliance_positions(
    db: Database, principal: Principal, park_id: str, year: int, *, as_of: str | None = None
) -> list[CompliancePosition]:
    """Surrender positions of the covered tenants the caller may read for ``year`` (a regulator
    gets them only through :func:`aggregated_positions`)."""
    require(not principal.reads_aggregates_only(park_id), principal, "read tenants' positions")
    with db.transaction() as conn:
        return compliance_in(conn, principal, park_id, year, as_of=as_of)


def aggregated_positions(
    db: Database, principal: Principal, park_id: str, year: int
) -> dict[str, Any]:
    """Park-wide totals of the compliance positions (what a regulator reads): counts and tonnes,
    never a tenant's row."""
    require(principal.can_read_aggregates(park_id), principal, "read the park's positions")
    with db.transaction() as conn:
        rows = compliance_in(conn, principal.aggregator(), park_id, year)

    def total(name: str) -> Decimal:
        return sum((getattr(p, name) for p in rows), Decimal(0))

    return {
        "year": year,
        "covered_entities": sum(1 for p in rows if p.covered),
        "obligation_t": str(total("obligation_t")),
        "surrendered_t": str(total("surrendered_cea_t") + total("surrendered_ccer_t")),
        "gap_t": str(total("gap_t")),
        "surplus_t": str(total("surplus_t")),
        "entities_with_gap": sum(1 for p in rows if p.gap_t > 0),
    }


def trade_positions(
    db: Database, principal: Principal, park_id: str
) -> list[tuple[str, str, CostPosition]]:
    """(account, instrument, cost position) of every holding account's traded instruments, by
    the park's ``cost_method`` (``avg`` default), valued at the latest price. Every movement
    of a traded instrument counts (:mod:`zeropark.domain.ledger.costs`): allocations and
    transfers in at zero cost, surrenders, retirements and transfers out at cost. Instruments
    all used up at cost (nothing held, nothing realised) are left out."""
    require(not principal.reads_aggregates_only(park_id), principal, "read trades")
    with db.transaction() as conn:
        method = store.get_setting(conn, principal, park_id, "cost_method", "avg")
        holding = {
            a.id for a in store.accounts(conn, principal, park_id).values() if a.kind == "holding"
        }
        trades: dict[tuple[str, str], list[TradeLeg]] = {}
        traded: set[tuple[str, str]] = set()
        for s in store.list_movements(conn, principal, park_id):
            m = s.movement
            on = f"{m.occurred_on}#{s.id:012d}"
            if m.to_account in holding:
                cost = m.price_cny if m.kind == "purchase" and m.price_cny else Decimal(0)
                trades.setdefault((m.to_account, m.instrument), []).append(
                    TradeLeg(on, "buy", m.quantity, cost)
                )
            if m.from_account in holding:
                side: Literal["sell", "use"] = "sell" if m.kind == "sale" else "use"
                trades.setdefault((m.from_account, m.instrument), []).append(
                    TradeLeg(on, side, m.quantity, m.price_cny or Decimal(0))
                )
            if m.kind in ("purchase", "sale"):
                traded |= {(m.to_account, m.instrument), (m.from_account, m.instrument)}
        trades = {k: v for k, v in trades.items() if k in traded}
        out = []
        for (account, code), legs in sorted(trades.items()):
            price = latest_price(conn, principal, park_id, _instrument(code).market)
            position = cost_position(legs, "fifo" if method == "fifo" else "avg", price)
            if position.held or position.realised_cny:  # all used at cost: nothing to show
                out.append((account, code, position))
    return out
