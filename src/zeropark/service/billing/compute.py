"""Use case: a month's energy cost and tenant bills of a park, from its hourly rollups.

Which meters are what (``docs/billing.md``):

- the supplier's electricity meters: the park's topmost meters mapped to grid purchases
  (``purchased_electricity``/``green_electricity``, the intake; the same rule as the
  time-of-use split, :mod:`zeropark.service.energy_tou`);
- a tenant's consumption: its own topmost meters of the carrier;
- the park's own consumers: meters of no tenant directly below a supplier meter, except
  storage charging (the battery is not a consumer);
- on-site PV used on site: the park's topmost on-site renewable meters minus its exports, per
  hour, at least 0;
- other carriers: the park's topmost meters of the carrier are the supplier's.

Bills need every tenant's figures (the common pool and the PV shares depend on all of them),
so they are computed with the local operator's reach after the caller's access check; what
leaves depends on the caller (:mod:`zeropark.service.billing.views`). A month's billing is kept
for the data version it was computed on (:data:`BILLS_MEMO`): a new reading, a changed tariff
(park apply) or any other write computes it again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.billing.bills import (
    PARK,
    CarrierMonth,
    ElectricityMonth,
    MonthBilling,
    MonthInput,
    bill_month,
)
from zeropark.domain.energy.power import kwh_per_unit
from zeropark.domain.energy.tariffs import tou_periods
from zeropark.domain.park import Park
from zeropark.errors import InputError
from zeropark.i18n import t
from zeropark.service.cache import VersionedMemo
from zeropark.service.database import Database
from zeropark.service.energy_tou import CONSUMPTION_CATEGORIES
from zeropark.service.inventory.compute import meter_roles
from zeropark.service.readings_query import export_readings
from zeropark.store import inventories as store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import read_rollups
from zeropark.store.scope import require
from zeropark.units import conversion_factor

__all__ = [
    "BILLS_MEMO",
    "STORAGE_ITEMS",
    "MonthBills",
    "max_demand",
    "month_bills",
    "month_bounds",
    "parse_month",
]

#: Accounting items of meters that charge storage: neither tenants nor park consumers.
STORAGE_ITEMS = ("storage_charge",)
_HOUR_S = 3600


@dataclass(frozen=True, slots=True)
class MonthBills:
    """A month's billing of a park with what the views need about the park and its tenants.

    ``readings_sha256`` fingerprints every hourly rollup (meter key, hour, quantity) and the
    maximum demand the billing was computed from: equal fingerprints, equal inputs.
    """

    park: Park
    month: str
    billing: MonthBilling
    tenant_names: dict[str, tuple[str, str | None]]
    floor_area_m2: dict[str, float]
    units: dict[str, str]
    hours: int
    has_data: bool
    readings_sha256: str = ""


#: Month billings by (park, year, month), each valid for one data version of its database.
BILLS_MEMO: VersionedMemo[MonthBills] = VersionedMemo(size=64)


def parse_month(text: str) -> tuple[int, int]:
    """``2024-03`` → (2024, 3); :class:`InputError` otherwise."""
    try:
        stamp = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise InputError(
            t(f"“{text}”不是月份 YYYY-MM", f"{text!r} is not a month YYYY-MM"), field="month"
        ) from None
    return stamp.year, stamp.month


def month_bounds(year: int, month: int, zone: ZoneInfo) -> tuple[int, int]:
    """The month's park-local start and end as UTC epoch seconds ``[start, end)``."""
    lo = datetime(year, month, 1, tzinfo=zone)
    hi = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return int(lo.timestamp()), int(hi.timestamp())


def _counted(
    meters: dict[str, store.AccountingMeter], tenant_id: str | None
) -> list[store.AccountingMeter]:
    roles = meter_roles(meters, tenant_id)
    return [meters[m] for m, role in sorted(roles.items()) if role == "counted"]


def month_bills(db: Database, principal: Principal, park_id: str, month: str) -> MonthBills:
    """The month's supplier cost and tenant bills of ``park_id`` (module docstring).

    :class:`NotFound` for a park outside the caller's scope (gateways included),
    :class:`InputError` for a bad month or a park without tariffs.
    """
    year, mon = parse_month(month)
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)  # NotFound outside the scope
        require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
        if park.tariffs is None or (park.time_of_use is None and park.tariffs.electricity):
            raise InputError(
                t(
                    "园区未配置电价（园区配置文件的 park.tariffs 与 park.time_of_use）",
                    "the park has no tariffs (park.tariffs and park.time_of_use in the park file)",
                ),
                field="tariffs",
            )
    # The same for every caller (the views filter it): computed once per data version.
    return BILLS_MEMO.get(
        db, ("bills", park_id, year, mon), lambda: _compute(db, park_id, year, mon)
    )


def _compute(db: Database, park_id: str, year: int, mon: int) -> MonthBills:
    """The month's billing with the operator's reach (the caller was checked)."""
    reader = Principal.system("billing")
    with db.transaction() as conn:
        park = ParkRepository(conn, reader).get_park(park_id)
        assert park.tariffs is not None
        repo = ParkRepository(conn, reader)
        tenants = repo.section(park_id, "tenants", park_read=True)
        buildings = repo.section(park_id, "buildings", park_read=True)
        meters = store.accounting_meters(conn, reader, park_id)
        zone = ZoneInfo(park.timezone)
        lo_s, hi_s = month_bounds(year, mon, zone)
        rollups = read_rollups(conn, reader, sorted(m.key for m in meters.values()), lo_s, hi_s)
    hours = (hi_s - lo_s) // _HOUR_S
    index = ((rollups.hour_s - lo_s) // _HOUR_S).astype(np.int64)
    by_key: dict[int, np.ndarray] = {}
    for key in np.unique(rollups.meter_key).tolist():
        series = np.zeros(hours)
        mask = rollups.meter_key == key
        np.add.at(series, index[mask], rollups.quantity[mask])
        by_key[int(key)] = series
    tenant_ids = [str(t["id"]) for t in tenants]
    areas: dict[str, float] = defaultdict(float)
    for b in buildings:
        areas[str(b.get("tenant") or PARK)] += float(b.get("floor_area_m2") or 0.0)
    demand = max_demand(db, park, _supply(meters), lo_s, hi_s) if park.tariffs.electricity else None
    data = MonthInput(
        month=mon,
        tenants=tenant_ids,
        floor_area_m2=dict(areas),
        electricity=_electricity(park, meters, tenant_ids, by_key, lo_s, hours, demand),
        others=_others(park, meters, tenant_ids, by_key),
    )
    fingerprint = hashlib.sha256()
    for column in (rollups.meter_key, rollups.hour_s):
        fingerprint.update(np.ascontiguousarray(column, dtype=np.int64).tobytes())
    fingerprint.update(np.ascontiguousarray(rollups.quantity, dtype=np.float64).tobytes())
    fingerprint.update(repr(demand).encode())
    assert park.tariffs is not None
    billing = bill_month(park.tariffs, data)
    units = {"electricity": "kWh", **{t.carrier: t.unit for t in park.tariffs.others}}
    return MonthBills(
        park=park,
        month=f"{year:04d}-{mon:02d}",
        billing=billing,
        tenant_names={str(t["id"]): (str(t["name"]), t.get("name_en")) for t in tenants},
        floor_area_m2=dict(areas),
        units=units,
        hours=hours,
        has_data=bool(len(rollups.hour_s)),
        readings_sha256=fingerprint.hexdigest(),
    )


def _supply(meters: dict[str, store.AccountingMeter]) -> list[store.AccountingMeter]:
    """The supplier's electricity meters: the park's topmost grid-purchase meters."""
    return [
        m
        for m in _counted(meters, None)
        if m.carrier == "electricity" and m.category in CONSUMPTION_CATEGORIES
    ]


def _series(
    meters: list[store.AccountingMeter], by_key: dict[int, np.ndarray], hours: int, factor: str
) -> np.ndarray:
    """Sum of the meters' hourly series, converted to ``factor`` (kWh, or a tariff unit)."""
    out = np.zeros(hours)
    for m in meters:
        if m.key in by_key:
            scale = kwh_per_unit(m.unit) if factor == "kWh" else conversion_factor(m.unit, factor)
            out += by_key[m.key] * scale
    return out


def _electricity(
    park: Park,
    meters: dict[str, store.AccountingMeter],
    tenants: list[str],
    by_key: dict[int, np.ndarray],
    lo_s: int,
    hours: int,
    demand: tuple[float, int] | None,
) -> ElectricityMonth | None:
    assert park.tariffs is not None
    if park.tariffs.electricity is None or park.time_of_use is None:
        return None
    top = [m for m in _counted(meters, None) if m.carrier == "electricity"]
    supply = _supply(meters)
    supply_ids = {m.id for m in supply}
    pv = [m for m in top if m.category == "onsite_renewable"]
    export = [m for m in top if m.category == "exported_electricity"]
    own = [
        m
        for m in meters.values()
        if m.tenant_id is None
        and m.carrier == "electricity"
        and m.parent_id in supply_ids
        and m.category in CONSUMPTION_CATEGORIES
        and m.item not in STORAGE_ITEMS
    ]
    loads = {
        t: _series(
            [m for m in _counted(meters, t) if m.carrier == "electricity"
             and m.category in CONSUMPTION_CATEGORIES],
            by_key, hours, "kWh",
        )
        for t in tenants
    }  # fmt: skip
    loads[PARK] = _series(own, by_key, hours, "kWh")
    starts = lo_s + _HOUR_S * np.arange(hours)
    bands = [b or "" for b in tou_periods(starts, park.timezone, park.time_of_use)]
    pv_self = np.clip(
        _series(pv, by_key, hours, "kWh") - _series(export, by_key, hours, "kWh"), 0, None
    )
    return ElectricityMonth(
        bands=bands,
        grid_kwh=_series(supply, by_key, hours, "kWh"),
        pv_self_kwh=pv_self,
        loads_kwh=loads,
        max_demand_kw=demand[0] if demand else None,
        peak_hour=demand[1] if demand else None,
    )


def max_demand(
    db: Database, park: Park, meters: list[store.AccountingMeter], lo_s: int, hi_s: int
) -> tuple[float, int] | None:
    """The intake's maximum demand [kW] over ``[lo_s, hi_s)`` from its 15-minute intervals
    (re-derived from the raw readings, :func:`~zeropark.service.readings_query.export_readings`)
    and the index of the hour holding it; None without intervals."""
    if not meters:
        return None
    zone = ZoneInfo(park.timezone)
    start = datetime.fromtimestamp(lo_s, zone).isoformat()
    end = datetime.fromtimestamp(hi_s, zone).isoformat()
    sums: dict[tuple[int, int], float] = defaultdict(float)
    for m in meters:
        rows = export_readings(db, Principal.system(), park.id, m.id, start, end, "15min").rows
        scale = kwh_per_unit(m.unit)
        for r in rows:
            if r.quantity is not None and r.start_s >= lo_s and r.end_s <= hi_s:
                sums[(r.start_s, r.end_s)] += r.quantity * scale
    if not sums:
        return None
    (s0, s1), kwh = max(sums.items(), key=lambda item: item[1] / (item[0][1] - item[0][0]))
    return kwh * _HOUR_S / (s1 - s0), (s0 - lo_s) // _HOUR_S


def _others(
    park: Park,
    meters: dict[str, store.AccountingMeter],
    tenants: list[str],
    by_key: dict[int, np.ndarray],
) -> list[CarrierMonth]:
    assert park.tariffs is not None
    out = []
    top = _counted(meters, None)
    for tariff in park.tariffs.others:
        supply = [m for m in top if m.carrier == tariff.carrier]
        supply_ids = {m.id for m in supply}
        own = [
            m
            for m in meters.values()
            if m.tenant_id is None and m.carrier == tariff.carrier and m.parent_id in supply_ids
        ]

        def total(ms: list[store.AccountingMeter], unit: str = tariff.unit) -> float:
            return float(sum(by_key[m.key].sum() * conversion_factor(m.unit, unit)
                             for m in ms if m.key in by_key))  # fmt: skip

        consumption = {
            t: total([m for m in _counted(meters, t) if m.carrier == tariff.carrier])
            for t in tenants
        }
        consumption[PARK] = total(own)
        out.append(CarrierMonth(tariff.carrier, total(supply), consumption))
    return out
