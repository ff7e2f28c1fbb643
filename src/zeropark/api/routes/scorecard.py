"""The zero-carbon scorecard (零碳园区指标看板) of a park, tenant or building."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.dual_control_schemas import ScorecardPublic
from zeropark.domain.indicators import SYSTEMS
from zeropark.service.scorecard import scorecard, scorecard_to_dict

router = APIRouter(tags=["dual-control"])

_SYSTEMS = "^(" + "|".join(SYSTEMS) + ")$"


@router.get("/parks/{park_id}/scorecard", response_model=ScorecardPublic)
async def get_scorecard(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    period: Annotated[
        str,
        Query(
            max_length=40,
            description="today, month, year (live, to date), or 2024, 2024-Q1, 2024-03, "
            "2024-03-05, 2024-03-01..2024-03-15",
        ),
    ] = "year",
    tenant_id: Annotated[str | None, Query(max_length=64)] = None,
    building_id: Annotated[str | None, Query(max_length=64)] = None,
    system: Annotated[str, Query(pattern=_SYSTEMS)] = "national",
    clean_energy: Annotated[
        str, Query(pattern="^(non_fossil|non_fossil_and_natural_gas)$")
    ] = "non_fossil",
) -> Response:
    """Every indicator with value, threshold, state and gap (a tenant: its own; a regulator:
    the park level). Cached per caller scope until the data change."""

    def compute() -> dict[str, Any]:
        card = scorecard(
            db,
            principal,
            park_id,
            period,
            tenant_id=tenant_id,
            building_id=building_id,
            system=system,
            clean_energy=clean_energy,
        )
        return ScorecardPublic.model_validate(scorecard_to_dict(card)).model_dump(
            mode="json", by_alias=True
        )

    key = ("scorecard", period, tenant_id, building_id, system, clean_energy)
    return await cached_json(db, principal, park_id, key, compute)
