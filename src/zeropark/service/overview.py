"""The park overview (DESIGN.md §7): power flow, energy and carbon, renewable share, alerts.

What the caller may see of one park, in one document (``docs/api.md``, "Overview"):

- ``power_flow`` [kW]: mean power of the newest hour with data — grid import and export, on-site
  PV, battery charge and discharge, and the load they balance to
  (load = import + PV + discharge − export − charge);
- ``energy`` [kWh] of the same flows for the park-local *day* of the newest data, its month
  and its year. With live data that day is today; with historical data (the demo's 2024) it is
  the latest day that has data, named in ``day`` — nothing is extrapolated;
- ``carbon`` [tCO2e] for that day, month and year under each accounting method, from the
  stored-data inventory (:mod:`zeropark.service.inventory`): month and year are the inventory's
  monthly and annual gross totals (records entered for a whole year count in the year only); the
  day is the metered sources of that day accounted with the same factors;
- ``renewable_share``: (on-site PV + green electricity) / electricity consumption (the load),
  per period, at most 1;
- ``open_alerts`` and ``profile``, the hourly flows of the day.

Tenants get figures of their own meters and records. Regulators get park-level aggregates only:
their carbon comes from :func:`zeropark.service.inventory.park_indicators`, and the document
holds no meter, tenant or record. Park admins, auditors and the operator see the park.
Documents are cached per park, year and scope until the data change (:mod:`.cache`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, func, select

from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    METHODS,
    AccountingOptions,
    MeterMapping,
    Method,
    MethodTotals,
    account,
    metered_lines,
)
from zeropark.domain.park import Asset, Park
from zeropark.service.accounting import factor_set
from zeropark.service.cache import ScopedCache, scope_key
from zeropark.service.database import Database
from zeropark.service.inventory import (
    DEFAULT_ITEMS,
    compute_inventory,
    meter_roles,
    park_indicators,
)
from zeropark.service.readings_query import local_iso
from zeropark.store import alerts as alert_store
from zeropark.store import inventories as inv_store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import read_rollups
from zeropark.store.schema import hourly_rollups
from zeropark.units import conversion_factor, dimension_of

__all__ = ["FLOWS", "OVERVIEW_CACHE", "overview", "overview_json"]

FLOWS = ("grid_import", "grid_export", "pv", "green", "battery_charge", "battery_discharge")
DEFAULT_METHOD: Method = "zero_carbon_park"
OVERVIEW_CACHE = ScopedCache()
_HOUR_S = 3600


@dataclass(frozen=True, slots=True)
class _Scope:
    """Whose figures: the park (``tenant_id`` None) or a tenant; ``aggregate`` for regulators."""

    tenant_id: str | None
    aggregate: bool


def overview_json(db: Database, principal: Principal, park_id: str, year: int | None) -> bytes:
    """:func:`overview` as JSON bytes, from the cache while the data are unchanged."""
    key = ("overview", park_id, year, scope_key(principal))
    with db.transaction() as conn:  # access first: NotFound outside the caller's scope
        ParkRepository(conn, principal).get_park(park_id)
    return OVERVIEW_CACHE.get(db, key, lambda: overview(db, principal, park_id, year))


def overview(db: Database, principal: Principal, park_id: str, year: int | None) -> dict[str, Any]:
    """The overview document of ``park_id`` for the caller (see the module's description)."""
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)
    scope = _Scope(principal.tenant_id if principal.role == "tenant" else None,
                   principal.role == "regulator")  # fmt: skip
    # Regulators read aggregates computed over the whole park; nothing per meter leaves here.
    reader = Principal.system() if scope.aggregate else principal
    zone = ZoneInfo(park.timezone)
    with db.transaction() as conn:
        meters = inv_store.accounting_meters(conn, reader, park_id)
        assets = [Asset(**a) for a in ParkRepository(conn, reader).section(park_id, "assets")]
        roles = meter_roles(meters, scope.tenant_id)
        counted = [meters[i] for i, role in roles.items() if role == "counted"]
        newest = _newest_hour(conn, [m.key for m in counted], year, zone)
    if newest is None:
        year = year or datetime.now(zone).year
        day = None
    else:
        local = datetime.fromtimestamp(newest, zone)
        year, day = local.year, local.date()
    flows = _flow_meters(meters, roles, assets)
    doc: dict[str, Any] = {
        "park_id": park.id,
        "park_name": park.name,
        "timezone": park.timezone,
        "scope": {"level": "tenant" if scope.tenant_id else "park", "tenant_id": scope.tenant_id},
        "year": year,
        "day": None if day is None else day.isoformat(),
        "live": day is not None and day == datetime.now(zone).date(),
        "data_until": None if newest is None else local_iso(newest + _HOUR_S, park.timezone),
    }
    periods = _periods(year, day, zone)
    with db.transaction() as conn:
        series = _flow_series(conn, flows, periods["year"])
        doc["open_alerts"] = _open_alerts(conn, reader if scope.aggregate else principal, park_id)
    doc["periods"] = {
        name: {"start": local_iso(lo, park.timezone), "end": local_iso(hi, park.timezone)}
        for name, (lo, hi) in periods.items()
    }
    doc["power_flow"] = _power_flow(series, newest, park.timezone)
    doc["energy"] = {"unit": "kWh", **{n: _energy(series, b) for n, b in periods.items()}}
    doc["renewable_share"] = {
        "definition": "(on-site PV + green electricity) / electricity consumption",
        **{n: _share(doc["energy"][n]) for n in periods},
    }
    doc["profile"] = _profile(series, periods.get("today"), park.timezone)
    doc["carbon"], doc["data_quality"] = _carbon(
        db, principal, park, scope, year, periods, meters, roles
    )
    capacity = sum(float(a.params.get("capacity_kwp", 0.0)) for a in assets if a.type == "pv")
    doc["pv"] = {
        "capacity_kwp": capacity if flows.get("pv") else 0.0,
        "yield_kwh_per_kwp": doc["energy"]["year"]["pv"] / capacity
        if capacity and flows.get("pv")
        else None,
    }
    return doc


def _newest_hour(conn: Connection, keys: list[int], year: int | None, zone: ZoneInfo) -> int | None:
    """Start [UTC s] of the newest hour with data of ``keys`` (within ``year`` when given)."""
    if not keys:
        return None
    query = select(func.max(hourly_rollups.c.hour_s)).where(hourly_rollups.c.meter_key.in_(keys))
    if year is not None:
        lo = int(datetime(year, 1, 1, tzinfo=zone).timestamp())
        hi = int(datetime(year + 1, 1, 1, tzinfo=zone).timestamp())
        query = query.where(hourly_rollups.c.hour_s >= lo, hourly_rollups.c.hour_s < hi)
    found = conn.execute(query).scalar()
    return None if found is None else int(found)


def _periods(year: int, day: date | None, zone: ZoneInfo) -> dict[str, tuple[int, int]]:
    """UTC bounds [s] of the day, its month and the year (the year only without data)."""

    def at(d: date) -> int:
        return int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp())

    out = {"year": (at(date(year, 1, 1)), at(date(year + 1, 1, 1)))}
    if day is not None:
        month_end = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        out["today"] = (at(day), at(day + timedelta(days=1)))
        out["month"] = (at(day.replace(day=1)), at(month_end))
    return {k: out[k] for k in ("today", "month", "year") if k in out}


def _flow_meters(
    meters: Mapping[str, inv_store.AccountingMeter],
    roles: Mapping[str, str],
    assets: list[Asset],
) -> dict[str, list[inv_store.AccountingMeter]]:
    """The electricity meters of each flow within the boundary (``roles``)."""
    battery = {a.meter for a in assets if a.type == "battery" and a.meter}
    by_category = {
        "purchased_electricity": "grid_import",
        "exported_electricity": "grid_export",
        "onsite_renewable": "pv",
        "green_electricity": "green",
    }
    flows: dict[str, list[inv_store.AccountingMeter]] = defaultdict(list)
    for ident, role in roles.items():
        m = meters[ident]
        if m.carrier != "electricity":
            continue
        if m.item == "storage_charge":
            flows["battery_charge"].append(m)
        elif ident in battery and m.category is None:
            flows["battery_discharge"].append(m)
        if role == "counted" and m.category in by_category:
            flows[by_category[m.category]].append(m)
    return flows


@dataclass(frozen=True, slots=True)
class _Series:
    hours: np.ndarray  # hour starts [UTC s], ascending
    kwh: dict[str, np.ndarray]  # flow → energy per hour [kWh]


def _kwh_factor(unit: str) -> float:
    energy = unit + "h" if dimension_of(unit) == "power" else unit
    return conversion_factor(energy, "kWh")


def _flow_series(
    conn: Connection, flows: Mapping[str, list[inv_store.AccountingMeter]], year: tuple[int, int]
) -> _Series:
    """Hourly energy [kWh] of each flow over the year."""
    keys = sorted({m.key for ms in flows.values() for m in ms})
    rows = read_rollups(conn, keys, *year)
    hours = np.unique(rows.hour_s)
    kwh: dict[str, np.ndarray] = {}
    for flow in FLOWS:
        total = np.zeros(hours.size)
        for m in flows.get(flow, []):
            mask = rows.meter_key == m.key
            index = np.searchsorted(hours, rows.hour_s[mask])
            np.add.at(total, index, rows.quantity[mask] * _kwh_factor(m.unit))
        kwh[flow] = total
    kwh["load"] = (
        kwh["grid_import"] + kwh["pv"] + kwh["battery_discharge"]
        - kwh["grid_export"] - kwh["battery_charge"]
    )  # fmt: skip
    return _Series(hours, kwh)


def _energy(series: _Series, bounds: tuple[int, int]) -> dict[str, float]:
    mask = (series.hours >= bounds[0]) & (series.hours < bounds[1])
    return {flow: float(values[mask].sum()) for flow, values in series.kwh.items()}


def _share(energy: Mapping[str, float]) -> float | None:
    load = energy["load"]
    return None if load <= 0 else min(1.0, (energy["pv"] + energy["green"]) / load)


def _power_flow(series: _Series, newest: int | None, timezone: str) -> dict[str, Any] | None:
    """Mean power [kW] of each flow over the newest hour with data."""
    if newest is None or not series.hours.size:
        return None
    hour = int(series.hours[-1])
    flows = {f"{flow}_kw": float(values[-1]) for flow, values in series.kwh.items()}
    return {
        "start": local_iso(hour, timezone),
        "end": local_iso(hour + _HOUR_S, timezone),
        "unit": "kW",
        **flows,
    }


def _profile(series: _Series, day: tuple[int, int] | None, timezone: str) -> list[dict[str, Any]]:
    """The day's hourly flows [kW] (mean power of each hour)."""
    if day is None:
        return []
    mask = (series.hours >= day[0]) & (series.hours < day[1])
    return [
        {"start": local_iso(int(hour), timezone)}
        | {f"{flow}_kw": float(values[mask][i]) for flow, values in series.kwh.items()}
        for i, hour in enumerate(series.hours[mask])
    ]


def _open_alerts(conn: Connection, principal: Principal, park_id: str) -> int:
    _, total = alert_store.list_alerts(conn, principal, park_id, status="open", limit=1)
    return total


def _carbon(
    db: Database,
    principal: Principal,
    park: Park,
    scope: _Scope,
    year: int,
    periods: Mapping[str, tuple[int, int]],
    meters: Mapping[str, inv_store.AccountingMeter],
    roles: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Gross emissions [tCO2e] of the day, month and year under each method; data quality."""
    options = AccountingOptions(reporting_year=year, region=park.province, granularity="month")
    totals: dict[Method, MethodTotals]
    quality: dict[str, Any] | None = None
    if scope.aggregate:
        view = park_indicators(db, principal, park.id, year, options=options)
        totals, park_indicator = view.totals, view.indicator
    else:
        stored = compute_inventory(
            db, principal, park.id, year, tenant_id=scope.tenant_id, options=options
        )
        totals, park_indicator = stored.inventory.totals, stored.inventory.park
        quality = {
            "coverage": stored.coverage,
            "estimated_share": stored.estimated_share,
            "records": stored.records,
        }
    indicator = {
        "intensity_tco2_per_tce": park_indicator.intensity_tco2_per_tce,
        "threshold_tco2_per_tce": park_indicator.threshold_tco2_per_tce,
        "meets": park_indicator.meets,
    }
    today = _day_totals(db, park, scope, options, periods.get("today"), meters, roles)
    month = None
    if "month" in periods:
        start = datetime.fromtimestamp(periods["month"][0], ZoneInfo(park.timezone))
        month = f"{start.year:04d}-{start.month:02d}"
    return {
        "unit": "tCO2e",
        "basis": "gross emissions; 'today' covers metered sources only",
        "default_method": DEFAULT_METHOD,
        "methods": {
            m: {
                "today": None if today is None else today[m].gross_t,
                "month": None if month is None else totals[m].by_period.get(month, 0.0),
                "year": totals[m].gross_t,
                "year_net": totals[m].net_t,
            }
            for m in METHODS
        },
        "indicator": indicator,
    }, quality


def _day_totals(
    db: Database,
    park: Park,
    scope: _Scope,
    options: AccountingOptions,
    day: tuple[int, int] | None,
    meters: Mapping[str, inv_store.AccountingMeter],
    roles: Mapping[str, str],
) -> dict[Method, MethodTotals] | None:
    """The day's metered emissions, accounted like the inventory's metered lines."""
    if day is None:
        return None
    counted = [meters[i] for i, role in roles.items() if role == "counted"]
    with db.transaction() as conn:
        sums = inv_store.period_sums(conn, sorted(m.key for m in counted), list(day))
    by_key = {m.key: m for m in counted}
    mapping: dict[str, MeterMapping] = {}
    for m in counted:
        assert m.category is not None
        unit = m.unit + "h" if dimension_of(m.unit) == "power" else m.unit
        item = m.item or DEFAULT_ITEMS.get(m.category, m.carrier)
        mapping[m.id] = MeterMapping(m.id, m.tenant_id or park.id, m.category, item, unit, m.sector)
    start = datetime.fromtimestamp(day[0], ZoneInfo(park.timezone)).replace(tzinfo=None)
    lines = metered_lines(
        mapping, [(by_key[s.meter_key].id, start, s.quantity) for s in sums], "month"
    )
    inventory = account([], factor_set(), options, metered=lines,
                        boundary=scope.tenant_id or park.id)  # fmt: skip
    return inventory.totals
