"""Parks and their configuration (tenants, buildings, meters, virtual meters, assets), overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zeropark.api.caching import cached_json
from zeropark.api.data_schemas import QualityPublic
from zeropark.api.deps import DbDep, PageDep, PrincipalDep
from zeropark.api.overview_schemas import OverviewPublic
from zeropark.api.schemas import Page, ParkPublic, Record
from zeropark.service import park_views
from zeropark.service.cache import scope_key
from zeropark.service.overview import OVERVIEW_CACHE, overview_json
from zeropark.service.quality import data_quality

router = APIRouter(tags=["parks"])

Year = Annotated[int, Query(ge=1990, le=2100, description="reporting year (park-local)")]
OptionalYear = Annotated[
    int | None,
    Query(ge=1990, le=2100, description="park-local year (default: the year of the newest data)"),
]


@router.get("/parks", response_model=Page[ParkPublic])
def list_parks(db: DbDep, principal: PrincipalDep, page: PageDep) -> Page[ParkPublic]:
    """Parks the caller may see."""
    parks = park_views.list_parks(db, principal)
    return Page[ParkPublic](
        items=[ParkPublic.model_validate(p) for p in page.window(parks)],
        total=len(parks),
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/parks/{park_id}", response_model=ParkPublic)
def get_park(park_id: str, db: DbDep, principal: PrincipalDep) -> ParkPublic:
    """One park's own entry (404 when the caller may not see it)."""
    return ParkPublic.model_validate(park_views.get_park(db, principal, park_id))


def _section(name: str, summary: str) -> None:
    async def route(park_id: str, db: DbDep, principal: PrincipalDep, page: PageDep) -> Response:
        def compute() -> bytes:
            rows = park_views.park_section(db, principal, park_id, name)
            return (
                Page[Record](
                    items=[Record.model_validate(r) for r in page.window(rows)],
                    total=len(rows),
                    limit=page.limit,
                    offset=page.offset,
                )
                .model_dump_json()
                .encode()
            )

        key = (name, page.limit, page.offset)
        return await cached_json(db, principal, park_id, key, compute)

    route.__doc__ = summary
    router.add_api_route(
        f"/parks/{{park_id}}/{name.replace('_', '-')}",
        route,
        methods=["GET"],
        response_model=Page[Record],
        name=f"list_{name}",
        summary=summary,
    )


_section("tenants", "Tenants of the park (a tenant sees itself)")
_section("buildings", "Buildings of the park (a tenant sees its own)")
_section("meters", "Meters of the park (a tenant sees its own)")
_section("virtual_meters", "Virtual meters of the park (a tenant sees its own)")
_section("assets", "Assets of the park (a tenant sees its own)")


@router.get("/parks/{park_id}/overview", response_model=OverviewPublic)
async def get_overview(
    park_id: str, db: DbDep, principal: PrincipalDep, year: OptionalYear = None
) -> Response:
    """Power flow, energy and carbon of the day/month/year, renewable share, open alerts.

    Served from a per-scope cache of pre-serialised JSON until the data change.
    """
    body = None
    if principal.can_read_park(park_id):  # the cache is per scope, not per park membership
        body = OVERVIEW_CACHE.peek(db, ("overview", park_id, year, scope_key(principal)))
    if body is None:
        body = await run_in_threadpool(overview_json, db, principal, park_id, year)
    return Response(body, media_type="application/json")


@router.get("/parks/{park_id}/quality", response_model=QualityPublic)
def get_quality(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    period: Annotated[str, Query(pattern="^(day|month)$")] = "month",
) -> QualityPublic:
    """Data quality per meter and park-local period (coverage, estimates, quarantine).

    ``unplaced_quarantine``: open quarantine records per meter whose time is unreadable.
    """
    return QualityPublic.of(data_quality(db, principal, park_id, period=period))
