"""Use case: the inventory of a park or one tenant from stored data.

Inputs are the hourly rollups of the mapped meters (summed in SQL by meter and period), the
meters' accounting mappings and the stored activity records, accounted together by
:func:`zeropark.domain.accounting.account` (so a record duplicating a meter is reported, not
counted twice). Which meters count follows the sub-metering tree (``docs/methodology.md``,
"Meter hierarchy"): within the boundary, a mapped meter counts unless one of its ancestors in
the boundary is mapped — for the park the topmost mapped meters, for a tenant the tenant's
topmost meters. Meters without a mapping (battery discharge) are listed and ignored.

Volumes of liquid fuels (diesel in L) go to the engine as they are: it converts them with the
densities of the factor library, traced on the line. Scope-3 lines without a factor are set aside
by the engine too (``Inventory.not_quantified``), the same rule as ``zeropark account``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from zeropark.domain import park_tree
from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    AccountingOptions,
    ActivityLine,
    FactorSet,
    Inventory,
    MeterMapping,
    NotQuantified,
    account,
    metered_lines,
)
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.energy.headline import headline_figures
from zeropark.domain.energy.power import energy_unit
from zeropark.domain.park import Park, Tenant
from zeropark.domain.park_tree import MeterRole
from zeropark.service.accounting import factor_set, inventory_to_dict, stored_record_line
from zeropark.service.carbon_assets.green import ledger_green_lines
from zeropark.service.database import Database
from zeropark.store import inventories as store
from zeropark.store.activities import list_activities
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = [
    "DEFAULT_ITEMS",
    "Boundary",
    "BoundaryMeter",
    "MeterRole",
    "StoredInventory",
    "account_stored",
    "compute_inventory",
    "compute_stored",
    "meter_roles",
    "period_bounds_s",
    "read_boundary",
    "stored_inventory_to_dict",
    "stored_records",
]

#: The item of a metered line when the meter's mapping names none.
DEFAULT_ITEMS = {
    "purchased_electricity": "electricity",
    "exported_electricity": "electricity",
    "green_electricity": "green_electricity",
    "onsite_renewable": "renewable_electricity",
    "purchased_heat": "heat",
    "exported_heat": "heat",
}
_MONTHS = {"year": 12, "quarter": 3, "month": 1}


@dataclass(frozen=True, slots=True)
class BoundaryMeter:
    """A meter inside the inventory's boundary, its role and its totals for the year.

    ``quantity`` and ``estimated`` are in ``unit`` (energy for power meters); ``coverage`` is the
    share of the year's seconds its rollups cover [0-1].
    """

    id: str
    name: str | None
    tenant_id: str | None
    parent_id: str | None
    carrier: str
    category: str | None
    item: str | None
    role: MeterRole
    quantity: float
    unit: str
    estimated: float
    coverage: float


@dataclass(frozen=True, slots=True)
class StoredInventory:
    """An inventory from stored data, with the boundary and data-quality facts reports need."""

    park: Park
    tenant: Tenant | None
    year: int
    inventory: Inventory
    meters: tuple[BoundaryMeter, ...]
    records: int

    @property
    def not_quantified(self) -> tuple[NotQuantified, ...]:
        """Scope-3 lines set aside by the engine for want of a factor."""
        return self.inventory.not_quantified

    @property
    def entity(self) -> str:
        """The reporting entity: the tenant's id, or the park's."""
        return self.tenant.id if self.tenant else self.park.id

    @property
    def coverage(self) -> float:
        """Mean data coverage of the counted meters over the year [0-1]."""
        counted = [m for m in self.meters if m.role == "counted"]
        return sum(m.coverage for m in counted) / len(counted) if counted else 0.0

    @property
    def estimated_share(self) -> float:
        """Estimated (gap-filled) share of the counted meters' quantities [0-1]."""
        counted = [m for m in self.meters if m.role == "counted"]
        total = sum(abs(m.quantity) for m in counted)
        return sum(abs(m.estimated) for m in counted) / total if total else 0.0


def meter_roles(
    meters: Mapping[str, store.AccountingMeter], tenant_id: str | None = None
) -> dict[str, MeterRole]:
    """Each boundary meter's role: counted, sub-meter (a mapped ancestor counts it) or unmapped.

    The boundary is every meter for the park (``tenant_id`` None), else the tenant's meters; the
    rule is :func:`zeropark.domain.park_tree.meter_roles`.
    """
    return park_tree.meter_roles(
        {k: m.parent_id for k, m in meters.items()},
        {k: m.category for k, m in meters.items()},
        None if tenant_id is None else {k for k, m in meters.items() if m.tenant_id == tenant_id},
    )


def period_bounds_s(year: int, timezone: str, granularity: str) -> list[tuple[int, datetime]]:
    """Park-local period starts of ``year`` (and the next year's start): UTC [s], local time."""
    zone, step = ZoneInfo(timezone), _MONTHS[granularity]
    starts = [datetime(year, m, 1, tzinfo=zone) for m in range(1, 13, step)]
    starts.append(datetime(year + 1, 1, 1, tzinfo=zone))
    return [(int(s.timestamp()), s.replace(tzinfo=None)) for s in starts]


def _mapping(meter: store.AccountingMeter, entity: str, unit: str) -> MeterMapping:
    assert meter.category is not None
    item = meter.item or DEFAULT_ITEMS.get(meter.category, meter.carrier)
    return MeterMapping(meter.id, entity, meter.category, item, unit, meter.sector)


def _record_line(record: ActivityRecord) -> ActivityLine:
    ref = f"record:{record.entity}/{record.period}/{record.category}/{record.item}"
    return stored_record_line(record, ref)


def _boundary_meters(
    keyed: Mapping[int, store.AccountingMeter],
    roles: Mapping[str, MeterRole],
    sums: list[store.PeriodSum],
    seconds: int,
) -> tuple[BoundaryMeter, ...]:
    totals: dict[int, list[float]] = {}
    for s in sums:
        acc = totals.setdefault(s.meter_key, [0.0, 0.0, 0.0])
        acc[0] += s.quantity
        acc[1] += s.estimated
        acc[2] += s.coverage_s
    boundary = []
    for key, meter in sorted(keyed.items(), key=lambda kv: kv[1].id):
        q, e, c = totals.get(key, [0.0, 0.0, 0.0])
        boundary.append(
            BoundaryMeter(
                meter.id,
                meter.name,
                meter.tenant_id,
                meter.parent_id,
                meter.carrier,
                meter.category,
                meter.item,
                roles[meter.id],
                q,
                energy_unit(meter.unit),
                e,
                c / seconds,
            )
        )
    return tuple(boundary)


def _tenant(conn: Connection, principal: Principal, park_id: str, tenant_id: str) -> Tenant:
    require(
        principal.can_read_row(park_id, tenant_id), principal, f"tenant {tenant_id!r}", hide=True
    )
    # row_filter lets a tenant read its own tenants row (keyed by its id) and admins and
    # auditors every one: the caller reads the entry as itself.
    tenants = ParkRepository(conn, principal).section(park_id, "tenants", park_read=True)
    found = [t for t in tenants if t["id"] == tenant_id]
    require(bool(found), principal, f"tenant {tenant_id!r}", hide=True)
    return Tenant(**found[0])


@dataclass(frozen=True, slots=True)
class Boundary:
    """Whose inventory: the park, or a tenant of it, and the meters inside its boundary.

    ``meters`` are all the meters the reader may read (the tree needs ancestors outside the
    boundary); ``roles`` holds each boundary meter's role (:func:`meter_roles`).
    """

    park: Park
    tenant: Tenant | None
    meters: dict[str, store.AccountingMeter]
    roles: dict[str, MeterRole]

    @property
    def keyed(self) -> dict[int, store.AccountingMeter]:
        """The boundary meters by surrogate key."""
        return {self.meters[i].key: self.meters[i] for i in self.roles}

    @property
    def counted(self) -> dict[int, store.AccountingMeter]:
        """The counted meters by surrogate key."""
        return {m.key: m for i, m in self.meters.items() if self.roles.get(i) == "counted"}

    def mapping(self) -> dict[str, MeterMapping]:
        """The accounting mapping of each counted meter, by meter id (entity: its tenant, or
        the park)."""
        park_id = self.park.id
        return {
            m.id: _mapping(m, m.tenant_id or park_id, energy_unit(m.unit))
            for m in self.counted.values()
        }


def read_boundary(
    conn: Connection, principal: Principal, park: Park, tenant_id: str | None
) -> Boundary:
    """The boundary of the park's (or ``tenant_id``'s) inventory, read as ``principal``.

    ``park`` was read by the caller with :meth:`ParkRepository.get_park` in this transaction.
    Raises :class:`PermissionDenied`/:class:`NotFound` when the principal may not read it.
    """
    tenant = None
    if tenant_id is None:
        require(
            principal.can_read_row(park.id, None), principal, f"read park {park.id}'s inventory"
        )
    else:
        tenant = _tenant(conn, principal, park.id, tenant_id)
    meters = store.accounting_meters(conn, principal, park.id)
    return Boundary(park, tenant, meters, meter_roles(meters, tenant_id))


def stored_records(
    conn: Connection, principal: Principal, park_id: str, year: int, tenant_id: str | None
) -> list[ActivityRecord]:
    """The activity records of ``year`` in the boundary (all, or the tenant's)."""
    return [
        r
        for r in list_activities(conn, principal, park_id, period_prefix=str(year))
        if tenant_id is None or r.entity == tenant_id
    ]


def account_stored(
    boundary: Boundary,
    year: int,
    options: AccountingOptions,
    factors: FactorSet,
    sums: list[store.PeriodSum],
    records: list[ActivityRecord],
    ledger_lines: Sequence[ActivityLine] = (),
) -> StoredInventory:
    """Account the boundary's rollup ``sums`` (by period of ``options.granularity``) and
    ``records``: the one accounting of a stored-data inventory (no I/O)."""
    park = boundary.park
    bounds = period_bounds_s(year, park.timezone, options.granularity)
    keyed, counted = boundary.keyed, boundary.counted
    mapping = boundary.mapping()
    per_period = [
        (counted[s.meter_key].id, bounds[s.period][1], s.quantity)
        for s in sums
        if s.meter_key in counted
    ]
    metered = metered_lines(mapping, per_period, options.granularity)
    lines = [_record_line(r) for r in records] + list(ledger_lines)
    entity = boundary.tenant.id if boundary.tenant else park.id
    inventory = account(lines, factors, options, metered=metered, boundary=entity)
    return StoredInventory(
        park=park,
        tenant=boundary.tenant,
        year=year,
        inventory=inventory,
        meters=_boundary_meters(keyed, boundary.roles, sums, bounds[-1][0] - bounds[0][0]),
        records=len(records),
    )


def compute_stored(
    conn: Connection,
    principal: Principal,
    park_id: str,
    year: int,
    tenant_id: str | None,
    options: AccountingOptions | None,
    factors: FactorSet,
) -> StoredInventory:
    """:func:`compute_inventory` inside the caller's transaction (publishing uses it)."""
    park = ParkRepository(conn, principal).get_park(park_id)
    boundary = read_boundary(conn, principal, park, tenant_id)
    options = options or AccountingOptions(reporting_year=year, region=park.province)
    bounds = period_bounds_s(year, park.timezone, options.granularity)
    sums = store.period_sums(conn, principal, sorted(boundary.keyed), [b for b, _ in bounds])
    records = stored_records(conn, principal, park_id, year, tenant_id)
    # Certificates retired in the carbon-asset ledger replace free-typed green electricity (#14).
    records, ledger_lines = ledger_green_lines(conn, principal, park_id, year, tenant_id, records)
    return account_stored(boundary, year, options, factors, sums, records, ledger_lines)


def compute_inventory(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
    options: AccountingOptions | None = None,
    custom_factors: str | Path | None = None,
) -> StoredInventory:
    """The inventory of the park (or of ``tenant_id``) for ``year`` from stored data.

    Default options: reporting year ``year``, the park's province for grid factors, AR5.
    Raises :class:`NotFound`/:class:`PermissionDenied` when the caller may not read it.
    """
    factors = factor_set(custom_factors)
    with db.transaction() as conn:
        return compute_stored(conn, principal, park_id, year, tenant_id, options, factors)


def stored_inventory_to_dict(stored: StoredInventory) -> dict[str, Any]:
    """The inventory JSON (``inventory_to_dict``) plus scope, boundary and data quality."""
    data = inventory_to_dict(stored.inventory)
    data["scope"] = {
        "park_id": stored.park.id,
        "park_name": stored.park.name,
        "tenant_id": stored.tenant.id if stored.tenant else None,
        "tenant_name": stored.tenant.name if stored.tenant else None,
        "entity": stored.entity,
        "year": stored.year,
    }
    data["boundary"] = [
        {
            "meter": m.id,
            "name": m.name,
            "tenant": m.tenant_id,
            "parent": m.parent_id,
            "carrier": m.carrier,
            "category": m.category,
            "item": m.item,
            "role": m.role,
            "quantity": m.quantity,
            "unit": m.unit,
            "estimated": m.estimated,
            "coverage": m.coverage,
        }
        for m in stored.meters
    ]
    # The one definition of each headline figure (docs/energy.md), shown on every page.
    data["headline_figures"] = headline_figures(stored.inventory).as_dict()
    data["data_quality"] = {
        "records": stored.records,
        "coverage": stored.coverage,
        "estimated_share": stored.estimated_share,
    }
    return data
