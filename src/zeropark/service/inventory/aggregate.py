"""Use case: the park's inventory as a regulator may read it — park-level aggregates only.

A regulator (DESIGN.md §1) reads the park's aggregated figures, never a tenant's rows. The
inventory is computed for the whole park by the aggregator (:meth:`Principal.aggregator`, after
:meth:`Principal.can_read_aggregates` was checked), then reduced to the park level by
:func:`park_level`: every result line is merged with the lines of the same source category,
item, unit, scope, sector and gas into one park line for the year (entity: the park), so the
totals by scope, category and sector and every method's column are exactly the park's; no
tenant, meter, record reference, measured parameter or per-entity warning is left. The same
reduced inventory feeds the carbon page and the aggregated xlsx/pdf report, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from zeropark.domain.access import Principal
from zeropark.domain.accounting import LineResult, NotQuantified
from zeropark.domain.accounting.lines import MeasuredParameters
from zeropark.domain.accounting.periods import parse_period
from zeropark.service.database import Database
from zeropark.service.inventory.compute import StoredInventory, compute_inventory
from zeropark.store.scope import require

__all__ = ["aggregated_inventory", "park_level"]


def aggregated_inventory(
    db: Database, principal: Principal, park_id: str, year: int
) -> StoredInventory:
    """The park's inventory for ``year`` reduced to park-level aggregates (:func:`park_level`).

    Raises :class:`PermissionDenied` unless the principal may read the park's aggregates.
    """
    require(
        principal.can_read_aggregates(park_id),
        principal,
        f"read park {park_id}'s aggregated inventory",
    )
    return park_level(compute_inventory(db, principal.aggregator(), park_id, year))


def _merge(group: list[LineResult], park_id: str, year: int) -> LineResult:
    first = group[0]
    period = parse_period(str(year))
    quantity = sum(r.line.quantity for r in group)
    line = replace(
        first.line,
        entity=park_id,
        period=period,
        quantity=quantity,
        measured=MeasuredParameters(),
        ref=f"{first.line.category}:{first.line.item}",
    )
    methods = {m for r in group for m in r.co2e_t}
    factors = tuple(dict.fromkeys(f for r in group for f in r.factors))
    return replace(
        first,
        line=line,
        activity_value=sum(r.activity_value for r in group),
        formula=first.formula if len(group) == 1 else "",
        gas_mass_t=sum(r.gas_mass_t for r in group),
        co2e_t={m: sum(r.co2e_t.get(m, 0.0) for r in group) for m in sorted(methods)},
        removal_t=sum(r.removal_t for r in group),
        offset_t=sum(r.offset_t for r in group),
        energy_tce=sum(r.energy_tce for r in group),
        factors=factors if len(group) == 1 else factors[:1] if len(set(factors)) == 1 else factors,
        warnings=(),
    )


def _merged_results(results: Iterable[LineResult], park_id: str, year: int) -> list[LineResult]:
    groups: dict[tuple[object, ...], list[LineResult]] = {}
    for r in results:
        key = (
            r.line.category,
            r.line.item,
            r.line.unit,
            r.activity_unit,
            r.scope,
            r.sector,
            r.gas,
            r.energy_class,
        )
        groups.setdefault(key, []).append(r)
    return [_merge(g, park_id, year) for g in groups.values()]


def _merged_aside(aside: Iterable[NotQuantified], park_id: str, year: int) -> list[NotQuantified]:
    groups: dict[tuple[str, str, str, str], list[NotQuantified]] = {}
    for n in aside:
        groups.setdefault((n.category, n.item, n.unit, n.supply), []).append(n)
    return [
        replace(
            g[0],
            ref=f"{g[0].category}:{g[0].item}",
            entity=park_id,
            period=str(year),
            quantity=sum(n.quantity for n in g),
        )
        for g in groups.values()
    ]


def park_level(stored: StoredInventory) -> StoredInventory:
    """``stored`` (the park's inventory) with its lines merged to park level (module doc).

    Totals, energy, the park indicator, factor versions and the input hash are unchanged but for
    the split by entity, which becomes the park's one entry; the meter boundary, double-counting
    pairs and warnings (which name meters and tenants) are dropped.
    """
    park_id, year = stored.park.id, stored.year
    inv = stored.inventory
    inventory = replace(
        inv,
        totals={
            m: replace(t, by_entity={park_id: sum(t.by_entity.values())})
            for m, t in inv.totals.items()
        },
        energy=replace(inv.energy, by_entity={park_id: sum(inv.energy.by_entity.values())}),
        results=tuple(_merged_results(stored.inventory.results, park_id, year)),
        not_quantified=tuple(_merged_aside(stored.inventory.not_quantified, park_id, year)),
        double_counting=(),
        warnings=(),
    )
    return replace(stored, tenant=None, inventory=inventory, meters=(), records=0)
