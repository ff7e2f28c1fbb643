"""Use case: energy by park-local hour, day or month and by tenant, building or carrier.

:func:`aggregate_energy` sums the quantities of the meters that make up each group, counting
each quantity once (:func:`~zeropark.service.park_views.counted_meters`, the meter hierarchy
rule), in one transaction:

- by day or month, the hourly rollups are summed in SQL per meter and period
  (:func:`zeropark.store.inventories.range_sums`: streaming scans of the primary key, one row per
  meter and period comes back — a year by month is 12 × meters rows, not 8,784 × meters);
- by hour, each rollup hour is its own period: the rollups are read and put in their hours.

By tenant or building, the group None (a park-wide caller's view) is the park's consumption of
each carrier (the carrier view) less every named group — common loads, unmetered use and losses
(公共及未计量) — so the groups add up to the park; ``missing_meters`` of that group counts the
park-level meters without data.

The figures are those of summing each meter's derived quantities
(:func:`~zeropark.service.readings_query.export_readings`) per period: a period in which a meter
has no hour counts as zero for it and adds one to ``missing_meters``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.park_views import MAX_AGGREGATE_METERS, GroupBy, counted_meters
from zeropark.service.readings_query import period_bounds
from zeropark.store.inventories import PeriodSum, range_sums
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import meter_refs, read_rollups

__all__ = ["EnergyAggregate", "EnergyGroup", "EnergyPeriod", "EnergyStep", "aggregate_energy"]

EnergyStep = Literal["hour", "day", "month"]
#: A meter of a group: its spec, the group, its sign, and whether it counts as missing.
_Member = tuple[dict[str, Any], str | None, float, bool]
GROUP_BYS: tuple[GroupBy, ...] = ("tenant", "building", "carrier")


@dataclass(frozen=True, slots=True)
class EnergyPeriod:
    """One group's quantity over ``[start_s, end_s)`` [UTC epoch s], in the group's unit.

    ``estimated`` is the part flagged estimated; ``missing_meters`` counts the group's meters
    with no data in the period (their quantity is taken as zero).
    """

    start_s: int
    end_s: int
    quantity: float
    estimated: float
    missing_meters: int


@dataclass(frozen=True, slots=True)
class EnergyGroup:
    """The periods of one group (a tenant, building or carrier; None: no tenant/building)."""

    group: str | None
    unit: str
    rows: tuple[EnergyPeriod, ...]


@dataclass(frozen=True, slots=True)
class EnergyAggregate:
    """Energy by group and park-local period over a window."""

    park_id: str
    timezone: str
    interval: EnergyStep
    group_by: GroupBy
    groups: tuple[EnergyGroup, ...]


def aggregate_energy(
    db: Database,
    principal: Principal,
    park_id: str,
    lo_s: int,
    hi_s: int,
    *,
    interval: str = "day",
    group_by: str = "carrier",
) -> EnergyAggregate:
    """Quantities per park-local period and group over ``[lo_s, hi_s)`` [UTC epoch s].

    Periods run from the one holding ``lo_s`` past ``hi_s``
    (:func:`~zeropark.service.readings_query.period_bounds`).
    """
    if interval not in ("hour", "day", "month"):
        raise InputError("aggregation is by hour, day or month", field="interval")
    if group_by not in GROUP_BYS:
        raise InputError("group_by must be tenant, building or carrier", field="group_by")
    if hi_s <= lo_s:
        raise InputError("end must be after start", field="end")
    step = cast(EnergyStep, interval)
    grouping: GroupBy = group_by
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        timezone = repo.get_park(park_id).timezone
        specs = {m["id"]: m for m in repo.section(park_id, "meters", park_read=True)}
        grouped = counted_meters(specs, grouping)
        counted: list[_Member] = [(spec, name, sign, True) for spec, name, sign in grouped]
        if grouping != "carrier" and principal.role != "tenant":
            counted = _with_common(specs, grouped)
        counted.sort(key=lambda c: str(c[0]["id"]))
        if len(counted) > MAX_AGGREGATE_METERS:
            raise InputError(f"more than {MAX_AGGREGATE_METERS} meters to aggregate", field="park")
        refs = meter_refs(conn, principal, park_id, [str(spec["id"]) for spec, *_ in counted])
        bounds = period_bounds(lo_s, hi_s, timezone, step)
        keys = sorted(ref.key for ref in refs.values())
        if step == "hour":
            sums = _hourly_sums(conn, principal, keys, bounds)
        else:
            sums = range_sums(conn, principal, keys, list(pairwise(bounds.tolist())))
    by_meter = {(s.meter_key, s.period): s for s in sums}
    n = bounds.size - 1
    totals: dict[tuple[str | None, str], list[list[float]]] = defaultdict(
        lambda: [[0.0, 0.0, 0.0] for _ in range(n)]
    )
    for spec, name, sign, counts_missing in counted:
        ref = refs[str(spec["id"])]
        periods = totals[(name, ref.unit)]
        for i in range(n):
            found = by_meter.get((ref.key, i))
            acc = periods[i]
            acc[0] += sign * (0.0 if found is None else found.quantity)
            acc[1] += sign * (0.0 if found is None else found.estimated)
            acc[2] += 1.0 if found is None and counts_missing else 0.0
    edges = bounds.tolist()
    groups = tuple(
        EnergyGroup(
            name,
            unit,
            tuple(
                EnergyPeriod(edges[i], edges[i + 1], q, e, int(m))
                for i, (q, e, m) in enumerate(periods)
            ),
        )
        for (name, unit), periods in sorted(
            totals.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])
        )
    )
    return EnergyAggregate(park_id, timezone, step, grouping, groups)


def _with_common(
    specs: dict[str, dict[str, Any]], grouped: list[tuple[dict[str, Any], str | None, float]]
) -> list[_Member]:
    """The named groups' meters, and the group None as the park's consumption of each carrier
    less every named group: common loads, unmetered use, losses (公共及未计量).

    So the groups of a tenant or building view add up to the carrier view (issue #11: the
    common part was dropped). A park-level meter counts for the residual with its carrier sign
    (exports −), each named group's meter with −1 (not counted again as missing).
    """
    named: list[_Member] = [(spec, group, sign, True) for spec, group, sign in grouped if group]
    park: list[_Member] = [
        (spec, None, sign, True) for spec, _, sign in counted_meters(specs, "carrier")
    ]
    taken: list[_Member] = [(spec, None, -sign, False) for spec, _, sign, _ in named]
    return named + park + taken


def _hourly_sums(
    conn: Connection, principal: Principal, keys: list[int], bounds: npt.NDArray[np.int64]
) -> list[PeriodSum]:
    """Rollups of ``keys`` put in the periods ``bounds`` delimits (hours: one rollup each)."""
    rows = read_rollups(conn, principal, keys, int(bounds[0]), int(bounds[-1]))
    n = bounds.size - 1
    slot = np.searchsorted(bounds, rows.hour_s, side="right") - 1
    index = np.searchsorted(np.asarray(keys, np.int64), rows.meter_key) * n + slot
    size = len(keys) * n
    quantity = np.bincount(index, weights=rows.quantity, minlength=size)
    estimated = np.bincount(index, weights=rows.estimated, minlength=size)
    covered = np.bincount(index, weights=rows.coverage_s, minlength=size)
    seen = np.flatnonzero(np.bincount(index, minlength=size))
    return [
        PeriodSum(keys[i // n], i % n, float(quantity[i]), float(estimated[i]), int(covered[i]))
        for i in seen.tolist()
    ]
