"""Read-only views of a park for the API and UI: parks, configuration sections, energy totals.

Every read goes through :class:`~zeropark.store.parks.ParkRepository` with the caller's
principal, so a tenant sees only its own tenants' rows, a regulator no tenant-level rows, and a
gateway nothing. :func:`counted_meters` is the rule of which meters make up the energy of a
tenant, building or carrier (each quantity once); :mod:`zeropark.service.energy_groups` sums them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from zeropark.domain import park_tree
from zeropark.domain.access import Principal
from zeropark.domain.energy.flows import STORAGE_CHARGE_ITEM
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.readings_query import local_iso
from zeropark.store.activities import list_activities
from zeropark.store.parks import ParkRepository

__all__ = [
    "SECTIONS",
    "GroupBy",
    "counted_meters",
    "get_park",
    "list_activity_records",
    "list_parks",
    "local_iso",
    "park_section",
]  # fmt: skip

GroupBy = Literal["tenant", "building", "carrier"]
SECTIONS = ("tenants", "buildings", "meters", "virtual_meters", "assets")
MAX_AGGREGATE_METERS = 500


def list_parks(db: Database, principal: Principal) -> list[dict[str, Any]]:
    """The parks the caller may see."""
    with db.transaction() as conn:
        return ParkRepository(conn, principal).list_parks()


def get_park(db: Database, principal: Principal, park_id: str) -> dict[str, Any]:
    """One park's own entry (NotFound when the caller may not see it)."""
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)
    return {k: v for k, v in asdict(park).items()}


def park_section(
    db: Database, principal: Principal, park_id: str, name: str
) -> list[dict[str, Any]]:
    """The entries of one section the caller may see, as park-file dicts."""
    if name not in SECTIONS:
        raise InputError(f"section must be one of {', '.join(SECTIONS)}", field="section")
    with db.transaction() as conn:
        return ParkRepository(conn, principal).section(park_id, name)


def counted_meters(
    specs: dict[str, dict[str, Any]], group_by: GroupBy
) -> list[tuple[dict[str, Any], str | None, float]]:
    """The meters whose quantities make up each group, with the group and a sign.

    Each quantity is counted once (the meter hierarchy rule of docs/methodology.md):

    - ``carrier``: the topmost mapped meters of each carrier — purchases and fuels, on-site
      generation added and exports subtracted — i.e. what the park consumed of each carrier;
    - ``tenant`` / ``building``: each group's own topmost mapped consumption meters (a battery's
      charging is no use); meters of no tenant (building) count only when no tenant's
      (building's) meter sits beneath them, so the park intake is never added on top of the
      tenants it feeds.

    Meters without an accounting mapping (battery discharge) are metered for the balance only.
    The rules are :func:`zeropark.domain.park_tree.carrier_meters` and
    :func:`~zeropark.domain.park_tree.group_meters`.
    """
    parent_of = {i: m.get("parent") for i, m in specs.items()}
    category_of = {i: (m.get("accounting") or {}).get("category") or None for i, m in specs.items()}
    if group_by == "carrier":
        signs = park_tree.carrier_meters(parent_of, category_of)
        return [(specs[i], str(specs[i]["carrier"]), sign) for i, sign in signs.items()]
    group_of = {i: None if m.get(group_by) is None else str(m[group_by]) for i, m in specs.items()}
    storage = {
        i
        for i, m in specs.items()
        if (m.get("accounting") or {}).get("item") == STORAGE_CHARGE_ITEM
    }
    groups = park_tree.group_meters(parent_of, category_of, group_of, storage)
    return [(specs[i], group, 1.0) for i, group in groups.items()]


def list_activity_records(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    period_prefix: str | None = None,
    entity: str | None = None,
) -> list[dict[str, Any]]:
    """Activity records the caller may read (a tenant: its own), as plain dicts."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        records = list_activities(conn, principal, park_id, period_prefix=period_prefix)
    return [asdict(r) for r in records if entity is None or r.entity == entity]
