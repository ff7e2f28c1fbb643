"""Use case: electricity consumption by time-of-use period (分时用电: 尖峰/峰/平/谷).

The hourly rollups of the caller's visible **top-level electricity consumption meters** are
summed per period of the park's schedule (``park.time_of_use``) over a range of park-local
dates. Which meters count follows the meter hierarchy of the inventories
(``docs/methodology.md``, "Meter hierarchy"): for the park its topmost mapped meters (the
intake), for a tenant its own topmost meters; of those, the meters mapped to grid purchases
(``purchased_electricity``) or green-power supply (``green_electricity``) — on-site generation
and exports are not consumption bought at a tariff. A regulator gets the park's split
(aggregates only: no meter ids). A park without a schedule gives
``configured = False`` and no figures: periods are never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.energy.power import kwh_per_unit
from zeropark.domain.energy.tariffs import day_periods, tou_periods
from zeropark.domain.park import TOU_PERIODS
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.inventory.compute import meter_roles
from zeropark.store import inventories as store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import read_rollups

__all__ = ["CONSUMPTION_CATEGORIES", "TouBreakdown", "energy_by_tou", "tou_breakdown_to_dict"]

#: Meter mappings whose electricity is consumption bought at a tariff.
CONSUMPTION_CATEGORIES = ("purchased_electricity", "green_electricity")
#: Longest range one call sums [days].
MAX_DAYS = 400

Bucket = Literal["total", "day", "month"]


@dataclass(frozen=True, slots=True)
class TouBreakdown:
    """Electricity [kWh] per time-of-use period over ``[start, end)`` park-local dates.

    ``periods`` holds every code the schedule uses (``critical_peak``, ``peak``, ``flat``,
    ``valley``); ``uncovered_kwh`` is consumption in months the schedule does not cover;
    ``rows`` the same split per park-local day or month (empty for ``bucket="total"``).
    """

    park_id: str
    tenant_id: str | None
    timezone: str
    start: date
    end: date
    configured: bool
    note: str | None
    meters: tuple[str, ...]
    periods: dict[str, float] = field(default_factory=dict)
    uncovered_kwh: float = 0.0
    estimated_kwh: float = 0.0
    rows: tuple[dict[str, Any], ...] = ()

    @property
    def total_kwh(self) -> float:
        """All consumption of the counted meters in the range."""
        return sum(self.periods.values()) + self.uncovered_kwh


def _consumption_meters(
    meters: dict[str, store.AccountingMeter], tenant_id: str | None
) -> list[store.AccountingMeter]:
    roles = meter_roles(meters, tenant_id)
    return sorted(
        (
            meters[ident]
            for ident, role in roles.items()
            if role == "counted"
            and meters[ident].carrier == "electricity"
            and meters[ident].category in CONSUMPTION_CATEGORIES
        ),
        key=lambda m: m.id,
    )


def _bucket_label(ts: int, zone: ZoneInfo, bucket: Bucket) -> str:
    local = datetime.fromtimestamp(ts, zone)
    return local.strftime("%Y-%m-%d" if bucket == "day" else "%Y-%m")


def energy_by_tou(
    db: Database,
    principal: Principal,
    park_id: str,
    start: date,
    end: date,
    *,
    bucket: Bucket = "total",
) -> TouBreakdown:
    """Electricity consumption [kWh] per time-of-use period for park-local dates ``[start, end)``.

    A tenant principal gets its own topmost meters; others the park's. Raises
    :class:`NotFound` for a park outside the caller's scope, :class:`InputError` for an empty
    or too long range or an unknown bucket.
    """
    if end <= start:
        raise InputError("the end date must be after the start date", field="end")
    if (end - start).days > MAX_DAYS:
        raise InputError(f"at most {MAX_DAYS} days per query", field="end")
    if bucket not in ("total", "day", "month"):
        raise InputError("bucket must be total, day or month", field="bucket")
    tenant_id = principal.tenant_id if principal.role == "tenant" else None
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)  # NotFound outside scope
        # A regulator reads the park's aggregate (the intake's split), never a meter's rows:
        # the sums are computed with the operator's reach, as the overview does.
        reader = Principal.system() if principal.role == "regulator" else principal
        zone = ZoneInfo(park.timezone)
        lo_s = int(datetime(start.year, start.month, start.day, tzinfo=zone).timestamp())
        hi_s = int(datetime(end.year, end.month, end.day, tzinfo=zone).timestamp())
        counted = _consumption_meters(store.accounting_meters(conn, reader, park_id), tenant_id)
        schedule = park.time_of_use
        base = TouBreakdown(
            park_id=park.id,
            tenant_id=tenant_id,
            timezone=park.timezone,
            start=start,
            end=end,
            configured=schedule is not None,
            note=schedule.note if schedule else None,
            meters=() if reader is not principal else tuple(m.id for m in counted),
        )
        if schedule is None or not counted:
            return base
        rollups = read_rollups(conn, reader, [m.key for m in counted], lo_s, hi_s)
    factor = {m.key: kwh_per_unit(m.unit) for m in counted}
    scale = np.array([factor[int(k)] for k in rollups.meter_key.tolist()], dtype=np.float64)
    kwh = rollups.quantity * scale
    estimated = float((rollups.estimated * scale).sum())
    codes = tou_periods(rollups.hour_s, park.timezone, schedule)
    used = {c for season in schedule.periods for c in day_periods(season)}
    periods = {c: 0.0 for c in TOU_PERIODS if c in used}
    uncovered = 0.0
    per_bucket: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(periods, 0.0))
    for hour, code, value in zip(rollups.hour_s.tolist(), codes, kwh.tolist(), strict=True):
        if code is None:
            uncovered += value
        else:
            periods[code] += value
        if bucket != "total":
            row = per_bucket[_bucket_label(hour, zone, bucket)]
            key = code or "uncovered"
            row[key] = row.get(key, 0.0) + value
    rows = tuple({"period": label, **values} for label, values in sorted(per_bucket.items()))
    return replace(
        base, periods=periods, uncovered_kwh=uncovered, estimated_kwh=estimated, rows=rows
    )


def tou_breakdown_to_dict(view: TouBreakdown) -> dict[str, Any]:
    """The breakdown as plain data (schema ``zeropark.energy_tou/1``)."""
    return {
        "schema": "zeropark.energy_tou/1",
        "park_id": view.park_id,
        "tenant_id": view.tenant_id,
        "timezone": view.timezone,
        "start": view.start.isoformat(),
        "end": view.end.isoformat(),
        "configured": view.configured,
        "note": view.note,
        "unit": "kWh",
        "meters": list(view.meters),
        "periods": [
            {
                "code": code,
                "label_zh": TOU_PERIODS[code][0],
                "label_en": TOU_PERIODS[code][1],
                "kwh": value,
            }
            for code, value in view.periods.items()
        ],
        "uncovered_kwh": view.uncovered_kwh if view.configured else None,
        "estimated_kwh": view.estimated_kwh if view.configured else None,
        "total_kwh": view.total_kwh if view.configured else None,
        "rows": list(view.rows),
    }
