"""Use case: the scorecard of a park, a tenant or a building for a period (live or stated).

One transaction reads the boundary (:func:`zeropark.service.inventory.read_boundary`; a building
is the park's meters that belong to it), the rollups of its meters over the period, and the
activity records of the period, and accounts them with the inventory's one accounting
(:func:`zeropark.service.inventory.account_stored`). So the scorecard's CO2, 综合能耗 and
emissions are the inventory's, its electricity consumed, renewable share and headline emissions
the headline figures' (:func:`zeropark.domain.energy.headline.headline_figures`, the one
definition every page uses); the hourly load (peak demand, load factor) follows the overview's
rules
(:func:`zeropark.domain.energy.flows.meter_flows`, :func:`~zeropark.domain.energy.flows.load_kwh`,
the battery asset's meter) summed from the same hourly rollups. Records whose period only partly
overlaps the scorecard's period count with the share of their time inside it (a month's record
for the first 10 days of a 31-day month counts 10/31). A building holds metered data only (records
belong to tenants and the park).

Who sees what: a tenant its own scorecard (and its buildings'); the park's administrator and
auditor every level; a regulator the park level only, computed over the whole park.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection

from zeropark.domain import park_tree
from zeropark.domain.access import Principal
from zeropark.domain.accounting import AccountingOptions, LineResult, parse_period
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.energy.flows import FLOWS, load_kwh, meter_flows
from zeropark.domain.energy.headline import headline_figures
from zeropark.domain.energy.power import kwh_per_unit
from zeropark.domain.indicators import SYSTEMS, gap_text
from zeropark.domain.indicators.guiding import CLEAN_ENERGY_DEFINITIONS, CleanEnergyDefinition
from zeropark.domain.indicators.scorecard import ScorecardInputs, ScoreEntry, build_scorecard
from zeropark.domain.park import Asset, Building, Park
from zeropark.errors import InputError, NotFound
from zeropark.service.accounting import factor_set
from zeropark.service.database import Database
from zeropark.service.inventory import (
    Boundary,
    StoredInventory,
    account_stored,
    read_boundary,
    stored_records,
)
from zeropark.service.inventory.indicators import READERS
from zeropark.service.readings_query import local_iso
from zeropark.service.scorecard.periods import LIVE, ScorePeriod, resolve_period
from zeropark.store import inventories as inv_store
from zeropark.store.engine import clock_of
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import read_rollups
from zeropark.store.scope import require
from zeropark.units import conversion_factor

__all__ = ["Scorecard", "ScorecardFigures", "scorecard", "scorecard_figures", "scorecard_to_dict"]


@dataclass(frozen=True, slots=True)
class ScorecardFigures:
    """What a scorecard is built from: the stored inventory of the period, its flows [kWh], the
    hourly load [kWh] and the data coverage [0-1] (the diagnosis report reads them too)."""

    park: Park
    level: str
    entity_id: str
    entity_name: str
    period: ScorePeriod
    stored: StoredInventory
    inputs: ScorecardInputs
    entity_name_en: str = ""


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The scorecard of one entity and period under one indicator system."""

    figures: ScorecardFigures
    system: str
    clean_energy: str
    entries: tuple[ScoreEntry, ...]


def _boundary(
    conn: Connection,
    principal: Principal,
    reader: Principal,
    park: Park,
    tenant_id: str | None,
    building_id: str | None,
) -> tuple[Boundary, str, str, str, float | None]:
    """The boundary, its level, entity id and name, and floor area [m²]."""
    repo = ParkRepository(conn, reader)
    buildings = [Building(**b) for b in repo.section(park.id, "buildings", park_read=True)]
    if building_id is not None:
        found = [b for b in buildings if b.id == building_id]
        if not found:
            raise NotFound(f"no building {building_id!r} in park {park.id!r}")
        building = found[0]
        if principal.role == "tenant":
            require(
                building.tenant == principal.tenant_id,
                principal,
                f"building {building_id!r}",
                hide=True,
            )
        whole = read_boundary(conn, reader, park, building.tenant if building.tenant else None)
        meters = inv_store.accounting_meters(conn, reader, park.id)
        owned = {
            m["id"]
            for m in repo.section(park.id, "meters", park_read=True)
            if m.get("building") == building_id
        }
        roles = park_tree.meter_roles(
            {k: m.parent_id for k, m in meters.items()},
            {k: m.category for k, m in meters.items()},
            owned & set(meters),
        )
        boundary = Boundary(park, whole.tenant, meters, roles)
        return boundary, "building", building.id, building.name, building.floor_area_m2
    boundary = read_boundary(conn, reader, park, tenant_id)
    if tenant_id is None:
        return boundary, "park", park.id, park.name, park.floor_area_m2
    assert boundary.tenant is not None
    area = sum(b.floor_area_m2 or 0.0 for b in buildings if b.tenant == tenant_id)
    return boundary, "tenant", tenant_id, boundary.tenant.name, area or None


def _prorated(records: Sequence[ActivityRecord], period: ScorePeriod) -> list[ActivityRecord]:
    """Records overlapping the period, each scaled by the share of its time inside it."""
    out = []
    for r in records:
        p = parse_period(r.period)
        start = date(p.start // 12, p.start % 12 + 1, 1)
        end = date(p.end // 12, p.end % 12 + 1, 1)
        lo, hi = max(start, period.first), min(end, period.after)
        if hi <= lo:
            continue
        share = (hi - lo).days / (end - start).days
        out.append(r if share >= 1.0 else replace(r, quantity=r.quantity * share))
    return out


def _flow_keys(
    boundary: Boundary, assets: Sequence[Asset]
) -> dict[str, list[inv_store.AccountingMeter]]:
    battery = {a.meter for a in assets if a.type == "battery" and a.meter}
    flows: dict[str, list[inv_store.AccountingMeter]] = {}
    for ident, role in boundary.roles.items():
        m = boundary.meters[ident]
        for flow in meter_flows(
            m.carrier, m.category, m.item, counted=role == "counted", battery_meter=ident in battery
        ):
            flows.setdefault(flow, []).append(m)
    return flows


def _hourly_flows(
    conn: Connection,
    reader: Principal,
    boundary: Boundary,
    assets: Sequence[Asset],
    period: ScorePeriod,
) -> tuple[dict[str, float], np.ndarray]:
    """Energy [kWh] of each flow and the load over the period, and the load per hour."""
    flows = _flow_keys(boundary, assets)
    keys = sorted({m.key for ms in flows.values() for m in ms})
    rows = read_rollups(conn, reader, keys, period.lo_s, period.hi_s)
    hours = np.unique(rows.hour_s)
    per_hour: dict[str, np.ndarray] = {}
    for flow in FLOWS:
        total = np.zeros(hours.size)
        for m in flows.get(flow, []):
            mask = rows.meter_key == m.key
            np.add.at(
                total,
                np.searchsorted(hours, rows.hour_s[mask]),
                rows.quantity[mask] * kwh_per_unit(m.unit),
            )
        per_hour[flow] = total
    load = load_kwh(
        per_hour["grid_import"],
        per_hour["pv"],
        per_hour["battery_discharge"],
        per_hour["grid_export"],
        per_hour["battery_charge"],
    )
    energy = {flow: float(values.sum()) for flow, values in per_hour.items()}
    energy["load"] = float(load.sum())
    return energy, load


def _electricity_factors(results: Sequence[LineResult]) -> tuple[float, float | None, float | None]:
    """Grid electricity [MWh], its zero-carbon-park factor [tCO2/MWh] and coefficient [tce/MWh]."""
    mwh = co2 = tce = 0.0
    for r in results:
        if r.line.category == "purchased_electricity":
            amount = r.line.quantity * conversion_factor(r.line.unit, "MWh")
            mwh += amount
            co2 += r.result("zero_carbon_park")
            tce += r.energy_tce
    if mwh <= 0:
        return 0.0, None, None
    return mwh, co2 / mwh, tce / mwh


def _output_wan(results: Sequence[LineResult]) -> float | None:
    total, found = 0.0, False
    for r in results:
        if r.line.category == "output" and r.line.unit.strip() in ("万元", "元"):
            total += r.line.quantity * (1.0 if r.line.unit.strip() == "万元" else 1e-4)
            found = True
    return total if found else None


def _coverage(
    stored: StoredInventory,
    period: ScorePeriod,
    sums: Sequence[inv_store.PeriodSum],
    boundary: Boundary,
) -> float:
    counted = boundary.counted
    if not counted or period.hi_s <= period.lo_s:
        return 0.0
    seconds = sum(s.coverage_s for s in sums if s.meter_key in counted)
    return min(1.0, seconds / (len(counted) * (period.hi_s - period.lo_s)))


def scorecard_figures(
    conn: Connection,
    principal: Principal,
    park_id: str,
    period: str = "year",
    *,
    tenant_id: str | None = None,
    building_id: str | None = None,
) -> ScorecardFigures:
    """The figures of a scorecard, read in the caller's transaction (see the module doc)."""
    park = ParkRepository(conn, principal).get_park(park_id)  # NotFound outside the scope
    if principal.role == "tenant":
        tenant_id = tenant_id or principal.tenant_id
    aggregate = principal.role == "regulator"
    if aggregate:
        require(
            principal.role in READERS and principal.can_read_park(park.id),
            principal,
            f"read park {park.id}'s aggregated indicators",
        )
        if tenant_id is not None or building_id is not None:
            require(False, principal, "read a tenant's or a building's scorecard")
    reader = Principal.system() if aggregate else principal
    boundary, level, entity_id, name, area = _boundary(
        conn, principal, reader, park, tenant_id, building_id
    )
    zone = ZoneInfo(park.timezone)
    today = clock_of(conn).now().astimezone(zone).date()
    newest = None
    if period.strip() in LIVE:
        newest = inv_store.newest_hour(conn, reader, sorted(boundary.counted))
    resolved = resolve_period(period, park.timezone, newest, today)
    sums = inv_store.range_sums(
        conn, reader, sorted(boundary.keyed), [(resolved.lo_s, resolved.hi_s)]
    )
    records: list[ActivityRecord] = []
    if level != "building":
        tenant = boundary.tenant.id if boundary.tenant else None
        records = _prorated(stored_records(conn, reader, park.id, resolved.year, tenant), resolved)
    options = AccountingOptions(
        reporting_year=resolved.year, region=park.province, granularity="year"
    )
    stored = account_stored(boundary, resolved.year, options, factor_set(), list(sums), records)
    assets = [
        Asset(**a) for a in ParkRepository(conn, reader).section(park.id, "assets", park_read=True)
    ]
    flows, hourly = _hourly_flows(conn, reader, boundary, assets, resolved)
    inv = stored.inventory
    # the headline figures' one definition of electricity consumed and renewable share
    headline = headline_figures(inv)
    account = headline.electricity
    flows = dict(flows)
    flows.update(
        pv=account.onsite_generation_kwh,
        grid_export=account.grid_export_kwh,
        load=account.consumed_kwh,
    )
    grid_mwh, ef, tce_per_mwh = _electricity_factors(inv.results)
    output = _output_wan(inv.results)
    if output is None and level == "park" and park.output_value_cny and not resolved.live:
        output = park.output_value_cny / 1e4 * min(1.0, resolved.year_fraction)
    entity_energy = None
    if level == "park":  # a tenant's product is charged the tenant's own 综合能耗
        entity_energy = {}
        for tid in sorted({r.entity for r in records if r.category == "product_output"}):
            if tid == park.id:
                continue
            tb = read_boundary(conn, reader, park, tid)
            ts = inv_store.range_sums(
                conn, reader, sorted(tb.keyed), [(resolved.lo_s, resolved.hi_s)]
            )
            own = [r for r in records if r.entity == tid]
            tinv = account_stored(tb, resolved.year, options, factor_set(), list(ts), own)
            entity_energy[tid] = tinv.inventory.energy.total_tce
    product_params = {
        (r.entity, r.item): r.params for r in records if r.category == "product_output"
    }
    inputs = ScorecardInputs(
        co2_t=inv.park.co2_t,
        carbon_t=headline.emissions_t,
        energy=inv.energy,
        results=inv.results,
        year_fraction=resolved.year_fraction,
        flows_kwh=flows,
        hourly_load_kwh=hourly,
        coverage=_coverage(stored, resolved, sums, boundary),
        output_wan_cny=output,
        floor_area_m2=area,
        grid_mwh=grid_mwh,
        ef_fossil_t_per_mwh=ef,
        tce_per_mwh=tce_per_mwh,
        product_params=product_params,
        green_kwh=min(account.green_kwh, account.grid_import_kwh),
        renewable_share=headline.renewable_share,
        entity_energy_tce=entity_energy,
    )
    name_en = {
        "park": park.name_en or park.id,
        "tenant": (boundary.tenant.name_en if boundary.tenant else None) or entity_id,
    }.get(level, entity_id)
    return ScorecardFigures(park, level, entity_id, name, resolved, stored, inputs, name_en)


def scorecard(
    db: Database,
    principal: Principal,
    park_id: str,
    period: str = "year",
    *,
    tenant_id: str | None = None,
    building_id: str | None = None,
    system: str = "national",
    clean_energy: str = "non_fossil",
) -> Scorecard:
    """The scorecard of the park (or ``tenant_id``, or ``building_id``) for ``period``.

    ``period``: ``today``, ``month``, ``year`` (live, to date) or a stated period
    (:func:`~zeropark.service.scorecard.periods.resolve_period`). ``system``: a code of
    :data:`~zeropark.domain.indicators.SYSTEMS`; ``clean_energy``: the clean-energy definition.
    """
    if system not in SYSTEMS:
        raise InputError(f"system must be one of {', '.join(SYSTEMS)}", field="system")
    if clean_energy not in CLEAN_ENERGY_DEFINITIONS:
        raise InputError(
            f"clean_energy must be one of {', '.join(CLEAN_ENERGY_DEFINITIONS)}",
            field="clean_energy",
        )
    definition: CleanEnergyDefinition = (
        "non_fossil_and_natural_gas"
        if (clean_energy == "non_fossil_and_natural_gas")
        else "non_fossil"
    )
    with db.transaction() as conn:
        figures = scorecard_figures(
            conn, principal, park_id, period, tenant_id=tenant_id, building_id=building_id
        )
    entries = build_scorecard(figures.inputs, system=system, clean_energy=definition)
    return Scorecard(figures, system, clean_energy, entries)


def _product_dict(p: Any) -> dict[str, Any]:
    limit = p.limit
    return {
        "entity": p.entity,
        "product": p.product,
        "output": p.output,
        "output_unit": p.output_unit,
        "energy_tce": p.energy_tce,
        "unit_energy": p.unit_energy,
        "grade": p.grade,
        "reason": p.reason,
        "limit": None
        if limit is None
        else {
            "standard": limit.standard,
            "unit": limit.unit,
            "grade1": limit.grade1,
            "grade2": limit.grade2,
            "grade3": limit.grade3,
            "table": limit.table,
            "row": limit.row,
            "source": limit.source,
        },
    }


def _entry_dict(e: ScoreEntry) -> dict[str, Any]:
    return {
        "code": e.code,
        "group": e.group,
        "label_zh": e.label_zh,
        "label_en": e.label_en,
        "value": e.value,
        "unit": e.unit,
        "threshold": e.threshold,
        "comparison": e.comparison,
        "state": e.state,
        "reason": e.reason,
        "gaps": [
            {
                "what": g.what,
                "what_zh": g.what_zh,
                "quantity": g.quantity,
                "unit": g.unit,
                "more": g.more,
            }
            for g in e.gaps
        ],
        "gap_zh": gap_text(e.gaps, "zh") or None,
        "gap_en": gap_text(e.gaps, "en") or None,
        "definition_zh": e.definition_zh,
        "definition_en": e.definition_en,
        "source": e.source,
        "inputs": e.inputs,
        "products": [_product_dict(p) for p in e.products],
    }


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The scorecard as plain data (schema ``zeropark.scorecard/1``)."""
    f = card.figures
    system = SYSTEMS[card.system]
    tz = f.park.timezone
    return {
        "schema": "zeropark.scorecard/1",
        "park_id": f.park.id,
        "park_name": f.park.name,
        "level": f.level,
        "entity_id": f.entity_id,
        "entity_name": f.entity_name,
        "entity_name_en": f.entity_name_en,
        "period": {
            "label": f.period.label,
            "start": local_iso(f.period.lo_s, tz),
            "end": local_iso(f.period.hi_s, tz),
            "live": f.period.live,
        },
        "system": {
            "code": system.code,
            "name_zh": system.name_zh,
            "name_en": system.name_en,
            "source": system.source,
        },
        "clean_energy": card.clean_energy,
        "coverage": f.inputs.coverage,
        "electricity_basis": f.inputs.energy.electricity_basis,
        "entries": [_entry_dict(e) for e in card.entries],
    }
