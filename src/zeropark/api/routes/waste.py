"""Waste detection (跑冒滴漏): findings of a park's year."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.dual_control_schemas import WastePublic
from zeropark.api.routes.parks import Year
from zeropark.service.waste import detect_park_waste, waste_to_dict

router = APIRouter(tags=["dual-control"])


@router.get("/parks/{park_id}/waste", response_model=WastePublic)
async def get_waste(park_id: str, db: DbDep, principal: PrincipalDep, year: Year) -> Response:
    """Night and closed-day load above the meters' own history (a tenant: its own meters), with
    the estimated kWh and tCO2 a year if it continues. Cached until the data change."""

    def compute() -> dict[str, Any]:
        report = detect_park_waste(db, principal, park_id, year)
        return WastePublic.model_validate(waste_to_dict(report)).model_dump(
            mode="json", by_alias=True
        )

    return await cached_json(db, principal, park_id, ("waste", year), compute)
