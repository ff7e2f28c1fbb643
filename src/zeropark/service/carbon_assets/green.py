"""Green electricity from the ledger (绿电/绿证): certificates retired for a consumer and period
feed the inventory, and the green-electricity statement (#14).

When the ledger holds certificate retirements for an entity in a year, the inventory uses them
instead of that entity's free-typed ``green_electricity`` activity records: each retirement
becomes a ``green_electricity`` line of its consumer and period whose ``ref`` names the
certificate range and the movement (``ledger:GEC <first>-<last> (movement 17)``), so the trace
shows which certificates reduced market-based scope 2 and the zero-carbon park figure. The
same certificates cannot reduce two inventories: a range is retired once, for one consumer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    AccountingOptions,
    ActivityLine,
    MeasuredParameters,
    parse_period,
)
from zeropark.domain.activity import ActivityRecord
from zeropark.store import ledger as store
from zeropark.store.ledger import StoredMovement

__all__ = [
    "GreenLine",
    "grid_mwh_in",
    "inventory_grid_mwh",
    "ledger_green_lines",
    "monthly_grid_mwh",
    "retirement_ref",
]


@dataclass(frozen=True, slots=True)
class GreenLine:
    """A retirement as used by an inventory: consumer, period, MWh and the range's label."""

    movement_id: int
    beneficiary: str
    period: str
    mwh: Decimal
    serials: str


def retirement_ref(s: StoredMovement) -> str:
    """``ledger:GEC <first>-<last> (movement N)``: the trace reference of a retirement."""
    m = s.movement
    return f"ledger:GEC {m.serial_start}-{m.serial_end} (movement {s.id})"


def ledger_green_lines(
    conn: Connection,
    principal: Principal,
    park_id: str,
    year: int,
    tenant_id: str | None,
    records: Sequence[ActivityRecord],
) -> tuple[list[ActivityRecord], list[ActivityLine]]:
    """``records`` without the free-typed green electricity of every entity that has ledger
    retirements in ``year``, and the lines of those retirements (the boundary's: a tenant's
    own, or all for the park)."""
    found = [
        s
        for s in store.retirements(conn, principal, park_id, str(year))
        if tenant_id is None or s.movement.beneficiary == tenant_id
    ]
    if not found:
        return list(records), []
    replaced = {s.movement.beneficiary for s in found}
    kept = [r for r in records if not (r.category == "green_electricity" and r.entity in replaced)]
    lines = [
        ActivityLine(
            entity=str(s.movement.beneficiary),
            period=parse_period(str(s.movement.period)),
            category="green_electricity",
            item="green_electricity",
            quantity=float(s.movement.quantity),
            unit="MWh",
            measured=MeasuredParameters(),
            origin="record",
            ref=retirement_ref(s),
        )
        for s in found
    ]
    return kept, lines


def monthly_grid_mwh(conn: Connection, park_id: str, entity: str, year: int) -> list[ActivityLine]:
    """The entity's purchased-electricity lines of ``year`` by month (quantities in MWh as
    accounted) from its monthly inventory (meters and records), read as the local operator."""
    from zeropark.service.accounting import factor_set
    from zeropark.service.inventory.compute import compute_stored
    from zeropark.store.parks import ParkRepository

    system = Principal.system("ledger: grid electricity check")
    park = ParkRepository(conn, system).get_park(park_id)
    tenant = None if entity == park_id else entity
    options = AccountingOptions(reporting_year=year, region=park.province, granularity="month")
    stored = compute_stored(conn, system, park_id, year, tenant, options, factor_set())
    return [
        replace(r.line, quantity=r.activity_value, unit="MWh")
        for r in stored.inventory.results
        if r.line.category == "purchased_electricity" and r.line.entity == entity
    ]


def grid_mwh_in(lines: Sequence[ActivityLine], period: str) -> Decimal:
    """Grid electricity [MWh] of ``lines`` within ``period`` (2024, 2024-Q1, 2024-03)."""
    claim = parse_period(period)
    total = sum(ln.quantity for ln in lines if claim.contains(ln.period))
    return Decimal(str(round(total, 6)))


def inventory_grid_mwh(conn: Connection, park_id: str, entity: str, period: str) -> Decimal:
    """The entity's purchased grid electricity [MWh] in ``period`` (``2024``, ``2024-Q1``,
    ``2024-03``) from its monthly inventory."""
    return grid_mwh_in(monthly_grid_mwh(conn, park_id, entity, parse_period(period).year), period)
