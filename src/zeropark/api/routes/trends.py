"""Trends: electricity by time-of-use period, the inventory per month, energy across carriers.

Access is the service's: :func:`~zeropark.service.energy_tou.energy_by_tou` (a tenant reads its
own meters) and :func:`~zeropark.service.inventory.monthly_inventory` (as ``get_inventory``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.energy_schemas import EnergySummaryPublic
from zeropark.api.routes.parks import Year
from zeropark.api.schemas import IsoDateTime
from zeropark.api.trend_schemas import EnergyTouPublic, InventoryMonthlyPublic
from zeropark.errors import InputError
from zeropark.service import park_views
from zeropark.service.cache import scope_key
from zeropark.service.energy.summary import SUMMARY_CACHE, energy_summary
from zeropark.service.energy_tou import energy_by_tou, tou_breakdown_to_dict
from zeropark.service.inventory import monthly_inventory, monthly_trend_to_dict

router = APIRouter(tags=["trends"])

TouStart = Annotated[
    IsoDateTime,
    Query(description="ISO 8601 with offset: a park-local midnight, inclusive"),
]
TouEnd = Annotated[
    IsoDateTime,
    Query(description="ISO 8601 with offset: a park-local midnight, exclusive (≤ 400 days)"),
]
TenantQuery = Annotated[str | None, Query(max_length=64, description="a tenant's inventory")]


def _local_date(value: datetime, zone: ZoneInfo, name: str) -> date:
    """The park-local date of ``value``, which must be a park-local midnight."""
    local = value.astimezone(zone)
    if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
        raise InputError(
            f"{name} must be a park-local midnight ({zone.key}), e.g. "
            f"{local.date().isoformat()}T00:00:00{local.strftime('%z')[:3]}:"
            f"{local.strftime('%z')[3:]}",
            field=name,
        )
    return local.date()


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


@router.get("/parks/{park_id}/energy/tou", response_model=EnergyTouPublic)
def get_energy_tou(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    start: TouStart,
    end: TouEnd,
    bucket: Annotated[Literal["total", "day", "month"], Query()] = "total",
) -> EnergyTouPublic:
    """Electricity [kWh] per time-of-use period (尖峰/峰/平/谷) of the park's schedule.

    Counts the top-level consumption meters (grid and green-power supply) the caller may read —
    a tenant its own — over park-local days ``[start, end)``, in total or per day or month.
    A park without a schedule answers ``configured: false`` and no figures.
    """
    zone = ZoneInfo(park_views.get_park(db, principal, park_id)["timezone"])  # 404 outside scope
    lo, hi = _local_date(start, zone, "start"), _local_date(end, zone, "end")
    view = energy_by_tou(db, principal, park_id, lo, hi, bucket=bucket)
    doc = tou_breakdown_to_dict(view)
    doc["start"] = _midnight(view.start, zone)
    doc["end"] = _midnight(view.end, zone)
    doc["bucket"] = bucket
    return EnergyTouPublic.model_validate(doc)


@router.get("/parks/{park_id}/inventory/monthly", response_model=InventoryMonthlyPublic)
def get_inventory_monthly(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year, tenant_id: TenantQuery = None
) -> InventoryMonthlyPublic:
    """The inventory of a year per park-local month: gross tCO2e per method, split by scope.

    Records of a whole year or quarter are not split into months (that would invent a
    profile): they are listed apart (``other_periods_tco2e``); the months plus those equal the
    yearly gross. Access as ``get_inventory`` (a tenant: ``tenant_id`` its own).
    """
    trend = monthly_inventory(db, principal, park_id, year, tenant_id=tenant_id)
    return InventoryMonthlyPublic.model_validate(monthly_trend_to_dict(trend))


@router.get("/parks/{park_id}/energy/summary", response_model=EnergySummaryPublic)
async def get_energy_summary(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year
) -> Response:
    """A year's energy across all carriers: each carrier in its unit and in tce with its share
    and year-on-year change, tce per month (year-on-year, month-on-month), the headline figures,
    the reconciliation (electricity balance; tenants + common + unmetered = park), the energy
    flow (sources → carriers → tenants and uses) and energy per output value per tenant.

    A tenant reads its own meters and records; a regulator park aggregates (no tenant named).
    Served from a per-scope cache of pre-serialised JSON until the data change.
    """
    key = ("energy_summary", park_id, year, scope_key(principal))
    body = SUMMARY_CACHE.peek(db, key) if principal.can_read_park(park_id) else None
    if body is None:

        def compute() -> bytes:
            park_views.get_park(db, principal, park_id)  # NotFound outside the caller's scope

            def document() -> bytes:
                doc = energy_summary(db, principal, park_id, year)
                public = EnergySummaryPublic.model_validate(doc)
                return public.model_dump_json(by_alias=True).encode()

            return SUMMARY_CACHE.get(db, key, document)

        body = await run_in_threadpool(compute)
    return Response(body, media_type="application/json")
