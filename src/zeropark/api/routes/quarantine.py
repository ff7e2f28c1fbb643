"""Quarantine: records refused at ingest, their review (re-submit or dismiss)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zeropark.api.data_schemas import QuarantineRecordPublic
from zeropark.api.deps import DbDep, PageDep, PrincipalDep
from zeropark.api.routes.readings import _report
from zeropark.api.schemas import IngestReportPublic, Page, QuarantineDismiss, QuarantineResubmit
from zeropark.service import quarantine_review

router = APIRouter(tags=["quarantine"])


@router.get("/parks/{park_id}/quarantine", response_model=Page[QuarantineRecordPublic])
def list_quarantine(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    page: PageDep,
    status: Annotated[str, Query(pattern="^(open|resubmitted|dismissed|reclassified)$")] = "open",
) -> Page[QuarantineRecordPublic]:
    """Quarantined records the caller may see, newest first (a tenant: its own)."""
    from zeropark.service.park_views import get_park

    get_park(db, principal, park_id)
    rows, total = quarantine_review.list_quarantine(db, principal, park_id, status=status)
    items = [QuarantineRecordPublic.of(r) for r in page.window(rows)]
    return Page[QuarantineRecordPublic](
        items=items, total=total, limit=page.limit, offset=page.offset
    )


@router.post("/parks/{park_id}/quarantine/dismiss", response_model=dict[str, int])
def dismiss_quarantine(
    park_id: str, body: QuarantineDismiss, db: DbDep, principal: PrincipalDep
) -> dict[str, int]:
    """Dismiss records with a reason (park admins; kept, and audited)."""
    return {"dismissed": quarantine_review.dismiss(db, principal, park_id, body.ids, body.reason)}


@router.post("/parks/{park_id}/quarantine/resubmit", response_model=IngestReportPublic)
def resubmit_quarantine(
    park_id: str, body: QuarantineResubmit, db: DbDep, principal: PrincipalDep
) -> IngestReportPublic:
    """Re-submit records with the failing field corrected (park admins)."""
    result = quarantine_review.resubmit(db, principal, park_id, body.ids, body.value)
    return _report(result.report)
