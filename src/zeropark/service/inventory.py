"""Use case: the inventory of a park or one tenant from stored data, and its published versions.

Inputs are the hourly rollups of the mapped meters (summed in SQL by meter and period), the
meters' accounting mappings and the stored activity records, accounted together by
:func:`zeropark.domain.accounting.account` (so a record duplicating a meter is reported, not
counted twice). Which meters count follows the sub-metering tree (``docs/methodology.md``,
"Meter hierarchy"): within the boundary, a mapped meter counts unless one of its ancestors in
the boundary is mapped — for the park the topmost mapped meters, for a tenant the tenant's
topmost meters. Meters without a mapping (battery discharge) are listed and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    AccountingContext,
    AccountingOptions,
    ActivityLine,
    FactorSet,
    Inventory,
    MeterMapping,
    account,
    canonical_json,
    metered_lines,
)
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.categories import CATEGORIES
from zeropark.domain.park import Park, Tenant
from zeropark.errors import FactorNotFound, InputError
from zeropark.service.accounting import activity_line, factor_set, inventory_to_dict
from zeropark.service.database import Database
from zeropark.store import inventories as store
from zeropark.store.activities import list_activities
from zeropark.store.audit import sha256_hex
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require
from zeropark.units import conversion_factor, dimension_of

__all__ = [
    "LIQUID_DENSITY_T_PER_M3",
    "BoundaryMeter",
    "Publication",
    "StoredInventory",
    "compute_inventory",
    "inventory_versions",
    "meter_roles",
    "period_bounds_s",
    "publish_inventory",
    "resolve_park",
    "stored_inventory_to_dict",
]

MeterRole = Literal["counted", "sub_meter", "unmapped"]

#: Densities of liquid fuels metered by volume [t/m3], used until the factor library carries
#: densities: midpoints of GB 19147-2016 (diesel 810-850 kg/m3 at 20 °C) and GB 17930-2016
#: (gasoline 720-775 kg/m3). Every use is warned on the inventory.
LIQUID_DENSITY_T_PER_M3: dict[str, float] = {"diesel": 0.830, "gasoline": 0.7475}

_DEFAULT_ITEMS = {
    "purchased_electricity": "electricity",
    "exported_electricity": "electricity",
    "green_electricity": "green_electricity",
    "onsite_renewable": "renewable_electricity",
    "purchased_heat": "heat",
    "exported_heat": "heat",
}
_SCOPE3 = frozenset(code for code, c in CATEGORIES.items() if c.scope == "3")
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
    not_quantified: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

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

    The boundary is every meter for the park (``tenant_id`` None), else the tenant's meters.
    """
    inside = {k: m for k, m in meters.items() if tenant_id is None or m.tenant_id == tenant_id}
    roles: dict[str, MeterRole] = {}
    for ident, meter in inside.items():
        if meter.category is None:
            roles[ident] = "unmapped"
            continue
        seen, parent = {ident}, meter.parent_id
        role: MeterRole = "counted"
        while parent is not None and parent not in seen and parent in meters:
            seen.add(parent)
            if parent in inside and inside[parent].category is not None:
                role = "sub_meter"
                break
            parent = meters[parent].parent_id
        roles[ident] = role
    return roles


def period_bounds_s(year: int, timezone: str, granularity: str) -> list[tuple[int, datetime]]:
    """Park-local period starts of ``year`` (and the next year's start): UTC [s], local time."""
    zone, step = ZoneInfo(timezone), _MONTHS[granularity]
    starts = [datetime(year, m, 1, tzinfo=zone) for m in range(1, 13, step)]
    starts.append(datetime(year + 1, 1, 1, tzinfo=zone))
    return [(int(s.timestamp()), s.replace(tzinfo=None)) for s in starts]


def resolve_park(db: Database, principal: Principal, park_id: str | None) -> str:
    """``park_id``, or the only park the caller may see when it is None."""
    if park_id is not None:
        return park_id
    with db.transaction() as conn:
        ids = [p["id"] for p in ParkRepository(conn, principal).list_parks()]
    if len(ids) != 1:
        raise InputError(
            f"name the park (--park); the database holds {len(ids)}: {', '.join(ids)}",
            field="park",
        )
    return str(ids[0])


def _energy_unit(meter: store.AccountingMeter) -> tuple[str, float, str | None]:
    """The accounting unit of a meter's rollups, a factor onto it, and a warning if assumed."""
    dimension = dimension_of(meter.unit)
    if dimension == "power":
        return meter.unit + "h", 1.0, None
    density = LIQUID_DENSITY_T_PER_M3.get(meter.item or meter.carrier)
    if (
        dimension == "volume"
        and density is not None
        and meter.category in ("fuel_combustion", "mobile_combustion")
    ):
        factor = conversion_factor(meter.unit, "m3") * density
        note = (
            f"meter {meter.id}: {meter.unit} of {meter.item or meter.carrier} converted to t at "
            f"an assumed density of {density} t/m3 (GB 19147/17930 midpoint)"
        )
        return "t", factor, note
    return meter.unit, 1.0, None


def _mapping(meter: store.AccountingMeter, entity: str, unit: str) -> MeterMapping:
    assert meter.category is not None
    item = meter.item or _DEFAULT_ITEMS.get(meter.category, meter.carrier)
    return MeterMapping(meter.id, entity, meter.category, item, unit, meter.sector)


def _record_line(record: ActivityRecord, factors: FactorSet) -> ActivityLine:
    row: dict[str, str | None] = {
        "entity": record.entity,
        "period": record.period,
        "category": record.category,
        "item": record.item,
        "quantity": repr(record.quantity),
        "unit": record.unit,
        **{k: str(v) for k, v in record.params.items()},
    }
    ref = f"record:{record.entity}/{record.period}/{record.category}/{record.item}"
    return activity_line(row, ref, factors=factors)


def _quantifiable(
    lines: Sequence[ActivityLine], ctx: AccountingContext
) -> tuple[list[ActivityLine], list[str]]:
    """Scope-3 lines without a factor are set aside (scope 3 is optional) and named."""
    kept, dropped = [], []
    for line in lines:
        if line.category in _SCOPE3 and line.measured.emission_factor is None:
            try:
                ctx.national("ef_scope3", line.item, "ef", line)
            except FactorNotFound:
                dropped.append(
                    f"{line.ref or line.entity}: {line.category} {line.item} {line.quantity:g} "
                    f"{line.unit} has no scope-3 factor; not quantified (give emission_factor "
                    "or a custom factor set)"
                )
                continue
        kept.append(line)
    return kept, dropped


def _compute(
    conn: Connection,
    principal: Principal,
    park_id: str,
    year: int,
    tenant_id: str | None,
    options: AccountingOptions | None,
    factors: FactorSet,
) -> StoredInventory:
    repo = ParkRepository(conn, principal)
    park = repo.get_park(park_id)
    tenant = None
    if tenant_id is None:
        require(
            principal.can_read_row(park_id, None), principal, f"read park {park_id}'s inventory"
        )
    else:
        require(
            principal.can_read_row(park_id, tenant_id),
            principal,
            f"tenant {tenant_id!r}",
            hide=True,
        )
        # Access is checked above; the tenants table has no tenant_id column, so row_filter
        # would hide a tenant's own row from it: read the entry unscoped.
        tenants = ParkRepository(conn, Principal.system()).section(park_id, "tenants")
        found = [t for t in tenants if t["id"] == tenant_id]
        require(bool(found), principal, f"tenant {tenant_id!r}", hide=True)
        tenant = Tenant(**found[0])
    options = options or AccountingOptions(reporting_year=year, region=park.province)
    meters = store.accounting_meters(conn, principal, park_id)
    roles = meter_roles(meters, tenant_id)
    bounds = period_bounds_s(year, park.timezone, options.granularity)
    counted = {meters[i].key: meters[i] for i, role in roles.items() if role == "counted"}
    keyed = {meters[i].key: meters[i] for i in roles}
    sums = store.period_sums(conn, sorted(keyed), [b for b, _ in bounds])
    notes: list[str] = []
    mapping: dict[str, MeterMapping] = {}
    scale: dict[str, float] = {}
    for meter in counted.values():
        unit, factor, note = _energy_unit(meter)
        mapping[meter.id] = _mapping(meter, meter.tenant_id or park_id, unit)
        scale[meter.id] = factor
        if note:
            notes.append(note)
    per_period = [
        (counted[s.meter_key].id, bounds[s.period][1], s.quantity * scale[counted[s.meter_key].id])
        for s in sums
        if s.meter_key in counted
    ]
    metered = metered_lines(mapping, per_period, options.granularity)
    records_stored = [
        r
        for r in list_activities(conn, principal, park_id, period_prefix=str(year))
        if tenant_id is None or r.entity == tenant_id
    ]
    records = [_record_line(r, factors) for r in records_stored]
    ctx = AccountingContext(factors, options)
    metered, dropped_m = _quantifiable(metered, ctx)
    records, dropped_r = _quantifiable(records, ctx)
    inventory = account(records, factors, options, metered=metered)
    if notes:
        inventory = replace(inventory, warnings=(*inventory.warnings, *notes))
    seconds = bounds[-1][0] - bounds[0][0]
    totals: dict[int, list[float]] = {}
    for s in sums:
        acc = totals.setdefault(s.meter_key, [0.0, 0.0, 0.0])
        acc[0] += s.quantity
        acc[1] += s.estimated
        acc[2] += s.coverage_s
    boundary = []
    for key, meter in sorted(keyed.items(), key=lambda kv: kv[1].id):
        q, e, c = totals.get(key, [0.0, 0.0, 0.0])
        unit = meter.unit + "h" if dimension_of(meter.unit) == "power" else meter.unit
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
                unit,
                e,
                c / seconds,
            )
        )
    return StoredInventory(
        park=park,
        tenant=tenant,
        year=year,
        inventory=inventory,
        meters=tuple(boundary),
        records=len(records_stored),
        not_quantified=tuple(dropped_m + dropped_r),
        notes=tuple(notes),
    )


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
        return _compute(conn, principal, park_id, year, tenant_id, options, factors)


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
    data["data_quality"] = {
        "records": stored.records,
        "coverage": stored.coverage,
        "estimated_share": stored.estimated_share,
        "not_quantified": list(stored.not_quantified),
        "notes": list(stored.notes),
    }
    return data


@dataclass(frozen=True, slots=True)
class Publication:
    """The outcome of a publish: the stored version, and whether this call created it."""

    record: store.PublishedInventory
    created: bool


def publish_inventory(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
    options: AccountingOptions | None = None,
    custom_factors: str | Path | None = None,
    now: datetime | None = None,
) -> Publication:
    """Publish the inventory: the newest version if its inputs are unchanged, else version n+1.

    Park inventories are published by the park's administrators; a tenant may publish its own.
    """
    allowed = principal.can_configure(park_id) or (
        principal.role == "tenant" and tenant_id is not None and tenant_id == principal.tenant_id
    )
    require(allowed, principal, f"publish inventories of park {park_id!r}")
    factors = factor_set(custom_factors)
    with db.transaction() as conn:
        stored = _compute(conn, principal, park_id, year, tenant_id, options, factors)
        inv = stored.inventory
        period = str(year)
        options_doc = inv.options.canonical()
        options_sha = sha256_hex(canonical_json(options_doc))
        latest = store.latest_version(conn, principal, park_id, stored.entity, period, options_sha)
        if latest is not None and latest.input_hash == inv.input_hash:
            return Publication(latest, created=False)
        record = store.insert_version(
            conn,
            actor=principal.subject,
            park_id=park_id,
            tenant_id=tenant_id,
            entity=stored.entity,
            period=period,
            options=options_doc,
            options_sha256=options_sha,
            input_hash=inv.input_hash,
            factor_versions=inv.factor_versions,
            result=stored_inventory_to_dict(stored),
            published_at=now or datetime.now(ZoneInfo("UTC")),
        )
        return Publication(record, created=True)


def inventory_versions(
    db: Database, principal: Principal, park_id: str, *, tenant_id: str | None = None
) -> list[store.PublishedInventory]:
    """Published versions the caller may read (of one tenant when ``tenant_id`` is given)."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return store.list_versions(conn, principal, park_id, tenant_id)
