"""Use case: a year's energy across all carriers for the energy page (``docs/energy.md``).

One document per park (or tenant) and year, from the stored-data inventory of the year and of
the year before (monthly granularity), so every figure is the inventory's:

- ``headline_figures``: :func:`zeropark.domain.energy.headline.headline_figures`;
- ``carriers``: each carrier in its own unit(s) and in tce on the inventory's electricity basis
  (GB/T 2589-2020, the accounting's coefficients — none is repeated here), its share of 综合能耗,
  the change on the year before (year-on-year);
- ``months``: tce per carrier per park-local month, the same month a year before and the change
  on the month before (month-on-month); records of a whole year are in ``other_periods``;
- ``reconciliation``: the electricity balance and each carrier's parts
  (:mod:`zeropark.domain.energy.reconcile`);
- ``sankey``: sources → carriers → tenants and uses, with losses and the unmetered residual [tce];
- ``intensity``: 综合能耗 per output value (tce/万元) per tenant and for the park, output value
  from the ``output`` activity records.

A tenant reads its own boundary. A regulator reads park aggregates: tenants appear as one
"tenants" node and no tenant is named. Park admins and auditors read everything. A tenant's
metered tce is its quantity × the park's coefficient of the carrier and unit (the same
coefficient the inventory applied to the park's meter of that carrier).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from zeropark.domain import park_tree
from zeropark.domain.access import Principal
from zeropark.domain.accounting import AccountingOptions, LineResult
from zeropark.domain.accounting.conversions import convert
from zeropark.domain.carriers import CARRIERS, carrier_of_line
from zeropark.domain.energy.flows import STORAGE_CHARGE_ITEM, meter_flows
from zeropark.domain.energy.headline import headline_figures
from zeropark.domain.energy.reconcile import carrier_parts, electricity_balance
from zeropark.errors import UnitError
from zeropark.service.accounting import factor_set
from zeropark.service.cache import ScopedCache
from zeropark.service.database import Database
from zeropark.service.inventory.compute import BoundaryMeter, StoredInventory, compute_stored
from zeropark.service.inventory.indicators import READERS
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = ["SUMMARY_CACHE", "energy_summary"]

SUMMARY_CACHE = ScopedCache()
_COUNTED = ("fossil_fuel", "electricity", "heat", "onsite_renewable")
#: Output value units → 万元 (10^4 CNY).
_WAN_CNY = {"万元": 1.0, "元": 1e-4, "千元": 0.1, "亿元": 1e4}


def energy_summary(db: Database, principal: Principal, park_id: str, year: int) -> dict[str, Any]:
    """The energy document of ``year`` for the caller (see the module's description)."""
    with db.transaction() as conn:
        return _summary(conn, principal, park_id, year)


def _summary(conn: Connection, principal: Principal, park_id: str, year: int) -> dict[str, Any]:
    park = ParkRepository(conn, principal).get_park(park_id)
    tenant_id = principal.tenant_id if principal.role == "tenant" else None
    aggregate = principal.role == "regulator"
    reader = principal
    if tenant_id is None:
        require(
            principal.role in READERS and principal.can_read_park(park_id),
            principal,
            f"read park {park_id}'s energy",
        )
        reader = Principal.system()
    options = AccountingOptions(reporting_year=year, region=park.province, granularity="month")
    factors = factor_set()
    stored = compute_stored(conn, reader, park_id, year, tenant_id, options, factors)
    before_options = AccountingOptions(
        reporting_year=year - 1, region=park.province, granularity="month"
    )
    before = compute_stored(conn, reader, park_id, year - 1, tenant_id, before_options, factors)
    repo = ParkRepository(conn, reader)
    assets = repo.section(park_id, "assets", park_read=True)
    battery = {str(a["meter"]) for a in assets if a.get("type") == "battery" and a.get("meter")}
    tenants = {
        str(t["id"]): {"name": t.get("name") or t["id"], "name_en": t.get("name_en")}
        for t in repo.section(park_id, "tenants", park_read=True)
    }
    headline = headline_figures(stored.inventory)
    carriers = _carriers(stored, before)
    entity = tenant_id or park.id
    groups = _groups(stored, battery, entity)
    balance = _balance(stored, battery, headline.electricity_consumed_kwh)
    by_tenant = _tenant_energy(stored, groups, carriers, entity)
    output = _output_wan_cny(stored.inventory.results)
    doc: dict[str, Any] = {
        "schema": "zeropark.energy_summary/1",
        "park_id": park.id,
        "tenant_id": tenant_id,
        "scope": "tenant" if tenant_id else "aggregate" if aggregate else "park",
        "year": year,
        "timezone": park.timezone,
        "electricity_basis": stored.inventory.energy.electricity_basis,
        "units": {"energy": "tce", "intensity": "tce/万元"},
        "total_tce": stored.inventory.energy.total_tce,
        "previous_total_tce": before.inventory.energy.total_tce,
        "headline_figures": headline.as_dict(),
        "carriers": carriers,
        "months": _months(stored, before, year),
        "reconciliation": {"balance": balance, "groups": [g["parts"] for g in groups.values()]},
        "sankey": _sankey(headline.as_dict(), carriers, groups, by_tenant, aggregate),
        "intensity": _intensity(stored, by_tenant, output, tenants, aggregate, entity),
        "tenants": {} if aggregate else tenants,
    }
    return doc


def _carrier_of(result: LineResult, meters: Mapping[str, BoundaryMeter]) -> str | None:
    """The carrier of a result line: its meter's, or its category and item's."""
    line = result.line
    if line.origin == "meter" and line.ref.startswith("meter:"):
        meter = meters.get(line.ref.removeprefix("meter:"))
        if meter is not None and carrier_of_line(line.category, line.item) is not None:
            return meter.carrier
    return carrier_of_line(line.category, line.item)


def _unit(unit: str) -> str:
    """A display unit: 吨 → t, 千克 → kg; others as written."""
    return {"吨": "t", "千克": "kg", "公斤": "kg"}.get(unit, unit)


def _energy_lines(stored: StoredInventory) -> Iterable[tuple[str, LineResult]]:
    meters = {m.id: m for m in stored.meters}
    for r in stored.inventory.results:
        carrier = _carrier_of(r, meters)
        if carrier is not None and r.energy_class in _COUNTED:
            yield carrier, r


def _signed_quantity(r: LineResult) -> float:
    """The line's quantity, negative for what is sent out (exports)."""
    q = abs(r.line.quantity)
    return -q if r.line.category.startswith("exported_") else q


def _carrier_totals(stored: StoredInventory) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for carrier, r in _energy_lines(stored):
        acc = out.setdefault(carrier, {"tce": 0.0, "quantities": defaultdict(float)})
        acc["tce"] += r.energy_tce
        acc["quantities"][_unit(r.line.unit)] += _signed_quantity(r)
    return out


def _merge_units(quantities: Mapping[str, float], preferred: str) -> list[dict[str, Any]]:
    """Quantities per unit, those of ``preferred``'s dimension expressed in it."""
    merged: dict[str, float] = defaultdict(float)
    for unit, q in quantities.items():
        try:
            value, _ = convert(q, unit, preferred)
        except UnitError:
            merged[unit] += q
        else:
            merged[preferred] += value
    return [{"unit": u, "quantity": q} for u, q in merged.items()]


def _carriers(stored: StoredInventory, before: StoredInventory) -> list[dict[str, Any]]:
    now, prev = _carrier_totals(stored), _carrier_totals(before)
    total = stored.inventory.energy.total_tce
    meter_units = {m.carrier: m.unit for m in stored.meters if m.role == "counted"}
    out = []
    for code in sorted(now, key=lambda c: -now[c]["tce"]):
        info = CARRIERS.get(code)
        preferred = meter_units.get(code) or (info.default_unit if info else "")
        tce, prev_tce = now[code]["tce"], prev.get(code, {}).get("tce", 0.0)
        out.append(
            {
                "carrier": code,
                "name_zh": info.name_zh if info else code,
                "name_en": info.name_en if info else code,
                "quantities": _merge_units(now[code]["quantities"], preferred)
                if preferred
                else [{"unit": u, "quantity": q} for u, q in now[code]["quantities"].items()],
                "tce": tce,
                "share": tce / total if total > 0 else None,
                "previous_tce": prev_tce,
                "yoy": (tce - prev_tce) / prev_tce if prev_tce > 0 else None,
            }
        )
    return out


def _months(stored: StoredInventory, before: StoredInventory, year: int) -> dict[str, Any]:
    labels = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    prev_labels = [f"{year - 1:04d}-{m:02d}" for m in range(1, 13)]

    def per_month(s: StoredInventory) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
        by: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        other: dict[str, float] = defaultdict(float)
        for carrier, r in _energy_lines(s):
            label = r.line.period.label
            if len(label) == 7:
                by[label][carrier] += r.energy_tce
            else:
                other[label] += r.energy_tce
        return by, other

    now, other = per_month(stored)
    prev, _ = per_month(before)
    totals = [sum(now[m].values()) for m in labels]
    prev_totals = [sum(prev[m].values()) for m in prev_labels]
    mom: list[float | None] = []
    for i, value in enumerate(totals):
        base = totals[i - 1] if i else prev_totals[-1]
        mom.append((value - base) / base if base > 0 and value > 0 else None)
    carriers = sorted({c for m in labels for c in now[m]})
    headline = [headline_figures(stored.inventory, m) for m in labels]
    return {
        "months": labels,
        "tce_by_carrier": {c: [now[m].get(c, 0.0) for m in labels] for c in carriers},
        "total_tce": totals,
        "previous_year_tce": prev_totals,
        "yoy": [
            (v - p) / p if p > 0 and v > 0 else None
            for v, p in zip(totals, prev_totals, strict=True)
        ],
        "mom": mom,
        "electricity_consumed_kwh": [h.electricity_consumed_kwh for h in headline],
        "renewable_share": [h.renewable_share for h in headline],
        "other_periods_tce": dict(other),
    }


def _groups(stored: StoredInventory, battery: set[str], entity: str) -> dict[str, dict[str, Any]]:
    """Each carrier's metered park total and its parts (tenants, common, storage, unmetered),
    with each tenant's quantity, from the year's meter totals."""
    meters = {m.id: m for m in stored.meters}
    parent_of = {i: m.parent_id for i, m in meters.items()}
    category_of = {i: m.category for i, m in meters.items()}
    group_of = {i: m.tenant_id for i, m in meters.items()}
    storage = {i for i, m in meters.items() if m.item == STORAGE_CHARGE_ITEM}
    tops = park_tree.carrier_meters(parent_of, category_of)
    grouped = park_tree.group_meters(parent_of, category_of, group_of, storage)
    out: dict[str, dict[str, Any]] = {}
    units: dict[str, str] = {}
    for ident, sign in tops.items():
        m = meters[ident]
        units.setdefault(m.carrier, m.unit)
        if m.unit != units[m.carrier]:
            continue
        acc = out.setdefault(m.carrier, {"park": 0.0, "tenants": defaultdict(float), "common": 0.0})
        acc["park"] += sign * m.quantity
    for ident, group in grouped.items():
        m = meters[ident]
        if m.carrier not in out or m.unit != units[m.carrier]:
            continue
        if group is None:
            out[m.carrier]["common"] += m.quantity
        else:
            out[m.carrier]["tenants"][group] += m.quantity
    charge = sum(m.quantity for i, m in meters.items() if i in storage)
    discharge = sum(m.quantity for i, m in meters.items() if i in battery and m.category is None)
    for carrier, acc in out.items():
        loss = charge - discharge if carrier == "electricity" else 0.0
        parts = carrier_parts(
            carrier, units[carrier], acc["park"], sum(acc["tenants"].values()), acc["common"], loss
        )
        acc["parts"] = {
            "carrier": carrier,
            "unit": parts.unit,
            "park": parts.park,
            "tenants": parts.tenants,
            "common_metered": parts.common_metered,
            "storage_loss": parts.storage_loss,
            "unmetered": parts.unmetered,
        }
    del entity  # the boundary is already the caller's (a tenant's groups are its own)
    return out


def _balance(stored: StoredInventory, battery: set[str], headline_kwh: float) -> dict[str, Any]:
    flows: dict[str, float] = defaultdict(float)
    for m in stored.meters:
        if m.carrier != "electricity":
            continue
        try:
            kwh, _ = convert(m.quantity, m.unit, "kWh")
        except UnitError:
            continue
        counted = m.role == "counted"
        for flow in meter_flows(
            m.carrier, m.category, m.item, counted=counted, battery_meter=m.id in battery
        ):
            flows[flow] += kwh
    b = electricity_balance(
        flows["grid_import"], flows["pv"], flows["battery_discharge"],
        flows["grid_export"], flows["battery_charge"], headline_kwh,
    )  # fmt: skip
    return {
        "unit": "kWh",
        "grid_import_kwh": b.grid_import_kwh,
        "pv_kwh": b.pv_kwh,
        "battery_discharge_kwh": b.battery_discharge_kwh,
        "grid_export_kwh": b.grid_export_kwh,
        "battery_charge_kwh": b.battery_charge_kwh,
        "load_kwh": b.load_kwh,
        "storage_loss_kwh": b.storage_loss_kwh,
        "consumed_kwh": b.consumed_kwh,
        "headline_consumed_kwh": b.headline_kwh,
        "records_kwh": b.records_kwh,
        "closes": b.closes,
    }


def _tce_per_unit(stored: StoredInventory) -> dict[tuple[str, str], float]:
    """The coefficient the inventory applied per carrier and unit [tce per unit]."""
    tce: dict[tuple[str, str], float] = defaultdict(float)
    qty: dict[tuple[str, str], float] = defaultdict(float)
    for carrier, r in _energy_lines(stored):
        key = (carrier, _unit(r.line.unit))
        tce[key] += abs(r.energy_tce)
        qty[key] += abs(r.line.quantity)
    return {k: tce[k] / qty[k] for k in tce if qty[k] > 0}


def _tenant_energy(
    stored: StoredInventory,
    groups: Mapping[str, Mapping[str, Any]],
    carriers: list[dict[str, Any]],
    entity: str,
) -> dict[str, dict[str, float]]:
    """tce per tenant and carrier: metered (quantity × the park's coefficient) plus records."""
    ratio = _tce_per_unit(stored)
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for carrier, acc in groups.items():
        unit = acc["parts"]["unit"]
        for tenant, quantity in acc["tenants"].items():
            out[tenant][carrier] += quantity * ratio.get((carrier, unit), 0.0)
    for carrier, r in _energy_lines(stored):
        if r.line.origin == "record" and r.line.entity != stored.park.id:
            out[r.line.entity][carrier] += r.energy_tce
    del carriers, entity
    return {t: dict(v) for t, v in out.items()}


def _output_wan_cny(results: Iterable[LineResult]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for r in results:
        if r.line.category == "output" and r.line.unit in _WAN_CNY:
            out[r.line.entity] += r.line.quantity * _WAN_CNY[r.line.unit]
    return dict(out)


def _intensity(
    stored: StoredInventory,
    by_tenant: Mapping[str, Mapping[str, float]],
    output: Mapping[str, float],
    tenants: Mapping[str, Mapping[str, Any]],
    aggregate: bool,
    entity: str,
) -> dict[str, Any]:
    total_output = sum(output.values())
    total = stored.inventory.energy.total_tce
    rows = []
    if not aggregate:
        for tenant in sorted(set(by_tenant) | set(output)):
            if tenant == stored.park.id:
                continue
            tce = sum(by_tenant.get(tenant, {}).values())
            value = output.get(tenant)
            rows.append(
                {
                    "tenant_id": tenant,
                    "name": tenants.get(tenant, {}).get("name", tenant),
                    "name_en": tenants.get(tenant, {}).get("name_en"),
                    "tce": tce,
                    "output_wan_cny": value,
                    "tce_per_wan_cny": tce / value if value else None,
                }
            )
    return {
        "unit": "tce/万元",
        "definition_zh": "单位产值综合能耗 = 综合能耗（tce）÷ 产值（万元，产值活动记录）",
        "definition_en": "energy per output value = comprehensive energy consumption (tce) ÷ "
        "output value (10k CNY, from the output activity records)",
        "boundary": {
            "entity": entity,
            "tce": total,
            "output_wan_cny": total_output or None,
            "tce_per_wan_cny": total / total_output if total_output else None,
        },
        "tenants": sorted(rows, key=lambda r: -(r["tce_per_wan_cny"] or 0.0)),
    }


def _sankey(
    headline: Mapping[str, Any],
    carriers: list[dict[str, Any]],
    groups: Mapping[str, Mapping[str, Any]],
    by_tenant: Mapping[str, Mapping[str, float]],
    aggregate: bool,
) -> dict[str, Any]:
    """Nodes and links [tce]: sources → carriers → tenants, common, storage loss, unmetered.

    Node ids are codes (``source:grid``, ``carrier:natural_gas``, ``tenant:t_auto``,
    ``use:common``, ``use:unmetered``, ``use:storage_loss``, ``use:export``); the page names them.
    A negative residual (sub-meters above the intake) is left out of the diagram and listed in
    ``negative``.
    """
    links: list[dict[str, Any]] = []
    negative: list[dict[str, Any]] = []
    tce_of = {c["carrier"]: c["tce"] for c in carriers}

    def link(source: str, target: str, value: float) -> None:
        if value > 0:
            links.append({"source": source, "target": target, "value": value})
        elif value < 0:
            negative.append({"source": source, "target": target, "value": value})

    for c in carriers:
        code, tce = c["carrier"], c["tce"]
        if code == "electricity":
            grid, pv = headline["grid_import_kwh"], headline["onsite_generation_kwh"]
            export = headline["grid_export_kwh"]
            per_kwh = tce / (grid + pv - export) if grid + pv - export > 0 else 0.0
            link("source:grid", "carrier:electricity", grid * per_kwh)
            link("source:onsite", "carrier:electricity", pv * per_kwh)
            link("carrier:electricity", "use:export", export * per_kwh)
        else:
            link(f"source:{code}", f"carrier:{code}", tce)
        acc = groups.get(code)
        tenant_tce = {t: v.get(code, 0.0) for t, v in by_tenant.items() if v.get(code)}
        rest = tce - sum(tenant_tce.values())
        if aggregate:
            link(f"carrier:{code}", "use:tenants", sum(tenant_tce.values()))
        else:
            for tenant, value in sorted(tenant_tce.items()):
                link(f"carrier:{code}", f"tenant:{tenant}", value)
        if acc is not None and acc["parts"]["park"] > 0:
            parts = acc["parts"]
            per_unit = tce_of[code] / parts["park"]
            common = parts["common_metered"] * per_unit
            loss = parts["storage_loss"] * per_unit
            link(f"carrier:{code}", "use:common", common)
            link(f"carrier:{code}", "use:storage_loss", loss)
            link(f"carrier:{code}", "use:unmetered", rest - common - loss)
        else:
            link(f"carrier:{code}", "use:unmetered", rest)
    return {"unit": "tce", "nodes": _node_order(links), "links": links, "negative": negative}


def _node_order(links: list[dict[str, Any]]) -> list[str]:
    """Nodes in the order the diagram draws them, column by column: sources and carriers in the
    order of their links (carriers by tce), tenants by what they receive, then the uses."""
    received: dict[str, float] = defaultdict(float)
    order: list[str] = []
    for lk in links:
        received[lk["target"]] += lk["value"]
        for n in (lk["source"], lk["target"]):
            if n not in order:
                order.append(n)
    uses = ("use:tenants", "use:common", "use:storage_loss", "use:unmetered", "use:export")
    first = [n for n in order if n.startswith(("source:", "carrier:"))]
    tenants = sorted((n for n in order if n.startswith("tenant:")), key=lambda n: -received[n])
    return first + tenants + [u for u in uses if u in order]
