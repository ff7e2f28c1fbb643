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
- ``headline_figures``: the one definition of electricity consumed, renewable share, headline
  emissions (method named) and 综合能耗 for the year (:mod:`zeropark.domain.energy.headline`,
  ``docs/energy.md``), from the same inventory as ``carbon``;
- ``renewable_share``: the headline renewable share for the year and the month (certificates of
  the month count; a yearly record only in the year) and, for the day, its metered flows;
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
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    METHODS,
    AccountingOptions,
    Method,
    MethodTotals,
    gross_by_method,
    metered_lines,
)
from zeropark.domain.energy.flows import FLOWS, load_kwh, meter_flows
from zeropark.domain.energy.headline import (
    DEFINITIONS,
    HEADLINE_METHOD,
    ElectricityAccount,
    headline_figures,
    renewable_share,
)
from zeropark.domain.energy.power import kwh_per_unit
from zeropark.domain.park import Asset, Park
from zeropark.service.accounting import factor_set
from zeropark.service.cache import ScopedCache, scope_key
from zeropark.service.database import Database
from zeropark.service.inventory import (
    Boundary,
    StoredInventory,
    account_stored,
    period_bounds_s,
    read_boundary,
    stored_records,
)
from zeropark.service.inventory.indicators import READERS
from zeropark.service.readings_query import local_iso
from zeropark.store import alerts as alert_store
from zeropark.store import inventories as inv_store
from zeropark.store.engine import clock_of
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import RollupRows, read_rollups
from zeropark.store.scope import require

__all__ = ["FLOWS", "OVERVIEW_CACHE", "overview", "overview_json"]

DEFAULT_METHOD: Method = HEADLINE_METHOD
OVERVIEW_CACHE = ScopedCache()
_HOUR_S = 3600
_DAY = 12  # index of the day's range after the twelve months (see _overview)


@dataclass(frozen=True, slots=True)
class _Scope:
    """Whose figures: the park (``tenant_id`` None) or a tenant; ``aggregate`` for regulators."""

    tenant_id: str | None
    aggregate: bool


def overview_json(db: Database, principal: Principal, park_id: str, year: int | None) -> bytes:
    """:func:`overview` as JSON bytes, from the cache while the data are unchanged.

    One transaction: the access check, the data version of the cache and, on a miss, every
    figure are read from the same snapshot (``docs/api.md``: the statements it runs).
    """
    key = ("overview", park_id, year, scope_key(principal))
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)  # NotFound outside the scope
        return OVERVIEW_CACHE.get(
            db, key, lambda: _overview(conn, principal, park, year), conn=conn
        )


def overview(db: Database, principal: Principal, park_id: str, year: int | None) -> dict[str, Any]:
    """The overview document of ``park_id`` for the caller (see the module's description)."""
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)
        return _overview(conn, principal, park, year)


def _overview(
    conn: Connection, principal: Principal, park: Park, year: int | None
) -> dict[str, Any]:
    """The document, read in the caller's transaction; ``park`` is visible to ``principal``."""
    scope = _Scope(principal.tenant_id if principal.role == "tenant" else None,
                   principal.role == "regulator")  # fmt: skip
    if scope.aggregate:
        require(
            principal.role in READERS and principal.can_read_park(park.id),
            principal,
            f"read park {park.id}'s aggregated indicators",
        )
    # Regulators read aggregates computed over the whole park; nothing per meter leaves here.
    reader = Principal.system() if scope.aggregate else principal
    zone = ZoneInfo(park.timezone)
    boundary = read_boundary(conn, reader, park, scope.tenant_id)
    assets = [
        Asset(**a) for a in ParkRepository(conn, reader).section(park.id, "assets", park_read=True)
    ]
    within = None if year is None else _year_bounds(year, zone)
    newest = inv_store.newest_hour(
        conn, reader, sorted(boundary.counted), *(within or (None, None))
    )
    clock_day = clock_of(conn).now().astimezone(zone).date()  # the transaction's clock
    if newest is None:
        year = year or clock_day.year
        day = None
    else:
        local = datetime.fromtimestamp(newest, zone)
        year, day = local.year, local.date()
    flows = _flow_meters(boundary.meters, boundary.roles, assets)
    doc: dict[str, Any] = {
        "park_id": park.id,
        "park_name": park.name,
        "timezone": park.timezone,
        "scope": {"level": "tenant" if scope.tenant_id else "park", "tenant_id": scope.tenant_id},
        "year": year,
        "day": None if day is None else day.isoformat(),
        "live": day is not None and day == clock_day,
        "data_until": None if newest is None else local_iso(newest + _HOUR_S, park.timezone),
    }
    periods = _periods(year, day, zone)
    # One statement sums every boundary meter by month (the inventory) and over the day.
    months = [b for b, _ in period_bounds_s(year, park.timezone, "month")]
    ranges = list(pairwise(months)) + ([periods["today"]] if "today" in periods else [])
    sums = inv_store.range_sums(conn, reader, sorted(boundary.keyed), ranges)
    series = _flow_series(conn, reader, flows, newest, periods)
    doc["open_alerts"] = alert_store.count_alerts(conn, reader, park.id, status="open")
    doc["periods"] = {
        name: {"start": local_iso(lo, park.timezone), "end": local_iso(hi, park.timezone)}
        for name, (lo, hi) in periods.items()
    }
    doc["power_flow"] = _power_flow(series, park.timezone)
    energy = _energy(flows, sums, months, periods)
    doc["energy"] = {"unit": "kWh", **energy}
    doc["profile"] = _profile(series, periods.get("today"), park.timezone)
    options = AccountingOptions(reporting_year=year, region=park.province, granularity="month")
    factors = factor_set()
    records = stored_records(conn, reader, park.id, year, scope.tenant_id)
    month_sums = [s for s in sums if s.period < _DAY]
    stored = account_stored(boundary, year, options, factors, month_sums, records)
    today = None
    if "today" in periods:
        day_sums = [s for s in sums if s.period == _DAY]
        today = _day_gross(boundary, options, periods["today"][0], day_sums)
    doc["carbon"], doc["data_quality"] = _carbon(stored, scope, today, periods, park.timezone)
    # The one definition of each headline figure (docs/energy.md), from the same inventory.
    headline = headline_figures(stored.inventory)
    doc["headline_figures"] = headline.as_dict()
    month_label = _month_label(periods, park.timezone)
    doc["renewable_share"] = {
        "definition": DEFINITIONS["renewable_share"][1],
        "definition_zh": DEFINITIONS["renewable_share"][0],
        "today": _share(energy["today"]) if "today" in energy else None,
        "month": headline_figures(stored.inventory, month_label).renewable_share
        if month_label
        else None,
        "year": headline.renewable_share,
    }
    capacity = sum(float(a.params.get("capacity_kwp", 0.0)) for a in assets if a.type == "pv")
    doc["pv"] = {
        "capacity_kwp": capacity if flows.get("pv") else 0.0,
        "yield_kwh_per_kwp": energy["year"]["pv"] / capacity
        if capacity and flows.get("pv")
        else None,
    }
    return doc


def _year_bounds(year: int, zone: ZoneInfo) -> tuple[int, int]:
    lo = int(datetime(year, 1, 1, tzinfo=zone).timestamp())
    return lo, int(datetime(year + 1, 1, 1, tzinfo=zone).timestamp())


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
    flows: dict[str, list[inv_store.AccountingMeter]] = defaultdict(list)
    for ident, role in roles.items():
        m = meters[ident]
        counted, own = role == "counted", ident in battery
        for flow in meter_flows(m.carrier, m.category, m.item, counted=counted, battery_meter=own):
            flows[flow].append(m)
    return flows


def _kwh_factor(unit: str) -> float:
    return kwh_per_unit(unit)


def _load(kwh: Mapping[str, Any]) -> Any:
    """The load the flows balance to: import + PV + discharge − export − charge."""
    return load_kwh(
        kwh["grid_import"], kwh["pv"], kwh["battery_discharge"],
        kwh["grid_export"], kwh["battery_charge"],
    )  # fmt: skip


def _energy(
    flows: Mapping[str, list[inv_store.AccountingMeter]],
    sums: list[inv_store.PeriodSum],
    months: list[int],
    periods: Mapping[str, tuple[int, int]],
) -> dict[str, dict[str, float]]:
    """Energy [kWh] of each flow and the load per period, from the meters' range sums.

    ``sums`` hold the twelve months (range 0-11) and the day (range 12); a period is the
    months it spans, or the day.
    """
    quantity = {(s.meter_key, s.period): s.quantity for s in sums}
    spans = {"today": [_DAY]} if "today" in periods else {}
    for name in ("month", "year"):
        if name in periods:
            lo, hi = periods[name]
            spans[name] = [i for i, (a, b) in enumerate(pairwise(months)) if lo <= a and b <= hi]
    out = {}
    for name in periods:
        kwh: dict[str, float] = {}
        for flow in FLOWS:
            total = 0.0
            for m in flows.get(flow, []):
                meter = sum((quantity.get((m.key, i), 0.0) for i in spans[name]), 0.0)
                total += meter * _kwh_factor(m.unit)
            kwh[flow] = total
        kwh["load"] = _load(kwh)
        kwh["consumed"] = _account(kwh).consumed_kwh
        out[name] = kwh
    return out


@dataclass(frozen=True, slots=True)
class _Series:
    hours: np.ndarray  # hour starts [UTC s], ascending
    kwh: dict[str, np.ndarray]  # flow → energy per hour [kWh]


def _hourly(flows: Mapping[str, list[inv_store.AccountingMeter]], rows: RollupRows) -> _Series:
    """Hourly energy [kWh] of each flow and the load over the hours of ``rows``."""
    hours = np.unique(rows.hour_s)
    kwh: dict[str, np.ndarray] = {}
    for flow in FLOWS:
        total = np.zeros(hours.size)
        for m in flows.get(flow, []):
            mask = rows.meter_key == m.key
            index = np.searchsorted(hours, rows.hour_s[mask])
            np.add.at(total, index, rows.quantity[mask] * _kwh_factor(m.unit))
        kwh[flow] = total
    kwh["load"] = _load(kwh)
    return _Series(hours, kwh)


def _flow_series(
    conn: Connection,
    reader: Principal,
    flows: Mapping[str, list[inv_store.AccountingMeter]],
    newest: int | None,
    periods: Mapping[str, tuple[int, int]],
) -> _Series:
    """The flows by hour from the start of the day to the end of the year: the day's profile,
    and the newest hour with flow data for the power flow.

    When the flow meters have no data from the day on (their data stop before the newest data
    of the park), the newest hour of the year with flow data is read instead.
    """
    keys = sorted({m.key for ms in flows.values() for m in ms})
    if newest is None or "today" not in periods or not keys:
        return _hourly(flows, read_rollups(conn, reader, [], 0, 0))
    rows = read_rollups(conn, reader, keys, periods["today"][0], periods["year"][1])
    if not rows.hour_s.size:
        last = inv_store.newest_hour(conn, reader, keys, *periods["year"])
        if last is not None:
            rows = read_rollups(conn, reader, keys, last, last + 1)
    return _hourly(flows, rows)


def _account(energy: Mapping[str, float]) -> ElectricityAccount:
    """The metered flows of a period as the headline's electricity account [kWh]."""
    return ElectricityAccount(
        grid_import_kwh=energy["grid_import"],
        onsite_generation_kwh=energy["pv"],
        grid_export_kwh=energy["grid_export"],
        green_kwh=energy["green"],
    )


def _share(energy: Mapping[str, float]) -> float | None:
    """The day's renewable share from its metered flows (no record covers a single day)."""
    return renewable_share(_account(energy))


def _month_label(periods: Mapping[str, tuple[int, int]], timezone: str) -> str | None:
    if "month" not in periods:
        return None
    start = datetime.fromtimestamp(periods["month"][0], ZoneInfo(timezone))
    return f"{start.year:04d}-{start.month:02d}"


def _power_flow(series: _Series, timezone: str) -> dict[str, Any] | None:
    """Mean power [kW] of each flow over the newest hour with data."""
    if not series.hours.size:
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


def _carbon(
    stored: StoredInventory,
    scope: _Scope,
    today: dict[Method, float] | None,
    periods: Mapping[str, tuple[int, int]],
    timezone: str,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Gross emissions [tCO2e] of the day, month and year under each method; data quality."""
    totals: dict[Method, MethodTotals] = stored.inventory.totals
    park_indicator = stored.inventory.park
    quality: dict[str, Any] | None = None
    if not scope.aggregate:
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
    month = None
    if "month" in periods:
        start = datetime.fromtimestamp(periods["month"][0], ZoneInfo(timezone))
        month = f"{start.year:04d}-{start.month:02d}"
    return {
        "unit": "tCO2e",
        "basis": "gross emissions; 'today' covers metered sources only",
        "default_method": DEFAULT_METHOD,
        "methods": {
            m: {
                "today": None if today is None else today[m],
                "month": None if month is None else totals[m].by_period.get(month, 0.0),
                "year": totals[m].gross_t,
                "year_net": totals[m].net_t,
            }
            for m in METHODS
        },
        "indicator": indicator,
    }, quality


def _day_gross(
    boundary: Boundary,
    options: AccountingOptions,
    day_start: int,
    sums: list[inv_store.PeriodSum],
) -> dict[Method, float]:
    """The day's metered emissions per method, accounted like the inventory's metered lines
    (line by line: the inventory itself is accounted once, in :func:`account_stored`)."""
    park, counted = boundary.park, boundary.counted
    start = datetime.fromtimestamp(day_start, ZoneInfo(park.timezone)).replace(tzinfo=None)
    day = [(counted[s.meter_key].id, start, s.quantity) for s in sums if s.meter_key in counted]
    return gross_by_method(metered_lines(boundary.mapping(), day, "month"), factor_set(), options)
