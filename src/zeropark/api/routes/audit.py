"""The audit chain: list a park's entries, verify the chain, export it for offline checks."""

from __future__ import annotations

import io

from fastapi import APIRouter
from fastapi.responses import Response

from zeropark.api.deps import DbDep, PageDep, PrincipalDep
from zeropark.api.schemas import AuditEntryPublic, Page, VerifyReportPublic
from zeropark.service import audit_export, audit_verify

router = APIRouter(tags=["audit"])


@router.get("/parks/{park_id}/audit", response_model=Page[AuditEntryPublic])
def list_audit(
    park_id: str, db: DbDep, principal: PrincipalDep, page: PageDep
) -> Page[AuditEntryPublic]:
    """Audit entries of the park, newest first (auditors and park admins)."""
    rows, total = audit_export.list_entries(
        db, principal, park_id, limit=page.limit, offset=page.offset
    )
    return Page[AuditEntryPublic](
        items=[AuditEntryPublic.model_validate(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/audit/verify", response_model=VerifyReportPublic)
def verify_audit(db: DbDep, principal: PrincipalDep) -> VerifyReportPublic:
    """Recompute the chain and the stored rows' hashes; name the first record that differs."""
    report = audit_verify.verify_database(db, principal)
    return VerifyReportPublic.model_validate(report.as_dict())


@router.get(
    "/audit/export",
    response_class=Response,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export_audit(db: DbDep, principal: PrincipalDep) -> Response:
    """The chain as JSON lines, for ``zeropark verify --file`` offline."""
    out = io.StringIO()
    audit_export.export_chain(db, principal, out)
    return Response(
        out.getvalue(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="zeropark-audit.jsonl"'},
    )
