"""The park's physical assets as typed read views, and the asset-type table."""

from __future__ import annotations

from fastapi import APIRouter

from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.library_schemas import AssetTypePublic, AssetViewPublic
from zeropark.errors import PermissionDenied
from zeropark.service.library import assets

router = APIRouter(tags=["assets"])


@router.get("/asset-types", response_model=list[AssetTypePublic])
def list_asset_types(principal: PrincipalDep) -> list[AssetTypePublic]:
    """Every asset type with its parameters (unit, default, range, Chinese name)."""
    if principal.role == "gateway":
        raise PermissionDenied("a gateway key reads no asset types")
    return [AssetTypePublic.model_validate(a) for a in assets.asset_types()]


@router.get("/parks/{park_id}/asset-views", response_model=list[AssetViewPublic])
def list_asset_views(park_id: str, db: DbDep, principal: PrincipalDep) -> list[AssetViewPublic]:
    """The park's assets the caller may see, each parameter typed, with its unit and range and
    whether the park file gave it or it is the table's default."""
    return [AssetViewPublic.model_validate(v) for v in assets.asset_views(db, principal, park_id)]
