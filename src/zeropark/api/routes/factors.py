"""The factor library (因子库): datasets and the active set, and factors with their sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zeropark.api.deps import DbDep, PageDep, PrincipalDep
from zeropark.api.library_schemas import FactorPublic, FactorSetsPublic
from zeropark.api.schemas import Page
from zeropark.service.library import factors

router = APIRouter(tags=["factors"])


@router.get("/factor-sets", response_model=FactorSetsPublic)
def get_factor_sets(
    db: DbDep,
    principal: PrincipalDep,
    park_id: Annotated[str | None, Query(max_length=64)] = None,
) -> FactorSetsPublic:
    """The library's datasets (version, title, factor count) and the active set (the park's
    pinned ``factor_version`` when ``park_id`` is given, else ``packaged``)."""
    return FactorSetsPublic.model_validate(factors.factor_sets(db, principal, park_id))


@router.get("/factors", response_model=Page[FactorPublic])
def list_factors(
    principal: PrincipalDep,
    page: PageDep,
    dataset: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=100, description="code, name or region")] = None,
) -> Page[FactorPublic]:
    """Factors with value, unit, year, region and source (document and clause), filtered."""
    found = factors.factor_page(
        principal, dataset=dataset, query=q, limit=page.limit, offset=page.offset
    )
    return Page[FactorPublic](
        items=[FactorPublic.model_validate(f) for f in found.items],
        total=found.total,
        limit=page.limit,
        offset=page.offset,
    )
