"""Read-only views of a park for the API and UI: parks, configuration sections, energy totals.

Every read goes through :class:`~zeropark.store.parks.ParkRepository` with the caller's
principal, so a tenant sees only its own tenants' rows, a regulator no tenant-level rows, and a
gateway nothing. :func:`aggregate_energy` sums meters' derived quantities by park-local period
and by tenant, building or carrier, counting each quantity once (:func:`counted_meters`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Literal

from zeropark.domain import park_tree
from zeropark.domain.access import Principal
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.readings_query import Interval, export_readings, local_iso
from zeropark.store.activities import list_activities
from zeropark.store.parks import ParkRepository

__all__ = [
    "SECTIONS",
    "GroupBy",
    "aggregate_energy",
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


def _iso(ts_s: int) -> str:
    return datetime.fromtimestamp(ts_s, UTC).isoformat()


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


def aggregate_energy(
    db: Database,
    principal: Principal,
    park_id: str,
    lo_s: int,
    hi_s: int,
    *,
    interval: Interval = "day",
    group_by: GroupBy = "carrier",
) -> dict[str, Any]:
    """Quantities per park-local period and group over ``[lo_s, hi_s)`` [UTC epoch s]."""
    if interval == "15min":
        raise InputError("aggregation is by hour, day or month", field="interval")
    if group_by not in ("tenant", "building", "carrier"):
        raise InputError("group_by must be tenant, building or carrier", field="group_by")
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        timezone = repo.get_park(park_id).timezone
        specs = {m["id"]: m for m in repo.section(park_id, "meters")}
    counted = counted_meters(specs, group_by)
    if len(counted) > MAX_AGGREGATE_METERS:
        raise InputError(f"more than {MAX_AGGREGATE_METERS} meters to aggregate", field="park")
    sums: dict[tuple[str | None, str], dict[int, list[float]]] = defaultdict(dict)
    bounds: dict[int, int] = {}
    for spec, name, sign in sorted(counted, key=lambda c: str(c[0]["id"])):
        export = export_readings(
            db, principal, park_id, str(spec["id"]), _iso(lo_s), _iso(hi_s), interval
        )
        bucket = sums[(name, export.unit)]
        for row in export.rows:
            bounds[row.start_s] = row.end_s
            acc = bucket.setdefault(row.start_s, [0.0, 0.0, 0.0])
            acc[0] += sign * (row.quantity or 0.0)
            acc[1] += sign * row.estimated
            acc[2] += 1.0 if row.quantity is None else 0.0
    groups = []
    for (name, unit), periods in sorted(sums.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        groups.append(
            {
                "group": name,
                "unit": unit,
                "rows": [
                    {
                        "start": local_iso(start, timezone),
                        "end": local_iso(bounds[start], timezone),
                        "quantity": values[0],
                        "estimated": values[1],
                        "missing_meters": int(values[2]),
                    }
                    for start, values in sorted(periods.items())
                ],
            }
        )
    return {
        "park_id": park_id,
        "timezone": timezone,
        "interval": interval,
        "group_by": group_by,
        "groups": groups,
    }


def counted_meters(
    specs: dict[str, dict[str, Any]], group_by: GroupBy
) -> list[tuple[dict[str, Any], str | None, float]]:
    """The meters whose quantities make up each group, with the group and a sign.

    Each quantity is counted once (the meter hierarchy rule of docs/methodology.md):

    - ``carrier``: the topmost mapped meters of each carrier — purchases and fuels, on-site
      generation added and exports subtracted — i.e. what the park consumed of each carrier;
    - ``tenant`` / ``building``: each group's own topmost mapped consumption meters; meters of
      no tenant (building) count only when no tenant's (building's) meter sits beneath them, so
      the park intake is never added on top of the tenants it feeds.

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
    groups = park_tree.group_meters(parent_of, category_of, group_of)
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
