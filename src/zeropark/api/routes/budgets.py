"""Energy and carbon budgets (用能预算 / 碳预算): set, list with projection, delete."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.dual_control_schemas import BudgetIn, BudgetPublic
from zeropark.api.routes.parks import Year
from zeropark.service.budgets import budget_to_dict, budget_views, remove_budget, set_budget

router = APIRouter(tags=["dual-control"])


@router.get("/parks/{park_id}/budgets", response_model=list[BudgetPublic])
async def list_budgets(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    year: Year,
    tenant_id: Annotated[str | None, Query(max_length=64)] = None,
    as_of: Annotated[dt.date | None, Query(description="project as it stood on this day")] = None,
) -> Response:
    """The year's budgets the caller may read, each against consumption, with the year-end
    projection and the projected run-out date (a tenant: its own)."""

    def compute() -> list[dict[str, Any]]:
        views = budget_views(db, principal, park_id, year, tenant_id=tenant_id, as_of=as_of)
        return [
            BudgetPublic.model_validate(budget_to_dict(v)).model_dump(mode="json", by_alias=True)
            for v in views
        ]

    return await cached_json(db, principal, park_id, ("budgets", year, tenant_id, as_of), compute)


@router.post("/parks/{park_id}/budgets", response_model=BudgetPublic)
def put_budget(park_id: str, body: BudgetIn, db: DbDep, principal: PrincipalDep) -> BudgetPublic:
    """Set (insert or replace) a budget; a tenant sets only its own (audited)."""
    row = set_budget(
        db,
        principal,
        park_id,
        body.year,
        body.kind,
        body.annual,
        tenant_id=body.tenant_id,
        split=body.split,
        months=body.months,
        method=body.method,
    )
    views = budget_views(db, principal, park_id, body.year, tenant_id=row.tenant_id)
    view = next(v for v in views if v.row.id == row.id)
    return BudgetPublic.model_validate(budget_to_dict(view))


@router.delete("/parks/{park_id}/budgets/{budget_id}", status_code=204, response_class=Response)
def delete_budget(park_id: str, budget_id: int, db: DbDep, principal: PrincipalDep) -> Response:
    """Delete a budget the caller may set (audited)."""
    remove_budget(db, principal, park_id, budget_id)
    return Response(status_code=204)
