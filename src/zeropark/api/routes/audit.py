"""The audit chain: list a park's entries, verify the chain, export it for offline checks, and
read its signed head (an anchor to keep outside the database)."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import AwareDatetime

from zeropark.api.deps import DbDep, PageDep, PrincipalDep, SettingsDep
from zeropark.api.schemas import AuditEntryPublic, AuditHeadPublic, Page, VerifyReportPublic
from zeropark.service import audit_anchor, audit_export, audit_verify

router = APIRouter(tags=["audit"])


@router.get("/parks/{park_id}/audit", response_model=Page[AuditEntryPublic])
def list_audit(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    page: PageDep,
    action: Annotated[
        str | None, Query(max_length=64, description="action prefix, e.g. user. or readings.batch")
    ] = None,
    since: Annotated[AwareDatetime | None, Query(description="from this time (ISO 8601)")] = None,
    until: Annotated[AwareDatetime | None, Query(description="before this time (ISO 8601)")] = None,
) -> Page[AuditEntryPublic]:
    """Audit entries of the park, newest first (auditors and park admins); ``action`` keeps
    the entries whose action starts with it, ``since``/``until`` a time window."""
    rows, total = audit_export.list_entries(
        db,
        principal,
        park_id,
        limit=page.limit,
        offset=page.offset,
        action=action,
        since=since,
        until=until,
    )
    return Page[AuditEntryPublic](
        items=[AuditEntryPublic.model_validate(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("/audit/verify", response_model=VerifyReportPublic)
def verify_audit(db: DbDep, principal: PrincipalDep) -> VerifyReportPublic:
    """Recompute the chain and check the stored rows of the caller's park(s) against it; name
    the first record that differs. Counts are of the caller's parks (``chain_entries`` and the
    head are chain-wide)."""
    report = audit_verify.verify_database(db, principal)
    return VerifyReportPublic.model_validate(report.as_dict())


@router.get(
    "/audit/export",
    response_class=Response,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export_audit(db: DbDep, principal: PrincipalDep) -> Response:
    """The chain as JSON lines, for ``zeropark verify --file`` offline: entries of the caller's
    park(s) in full, every other entry withheld (sequence number and hashes only)."""
    out = io.StringIO()
    audit_export.export_chain(db, principal, out)
    return Response(
        out.getvalue(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="zeropark-audit.jsonl"'},
    )


@router.get("/audit/head", response_model=AuditHeadPublic)
def audit_head(db: DbDep, principal: PrincipalDep, settings: SettingsDep) -> AuditHeadPublic:
    """The head of the whole chain, signed: keep it outside the database (periodically) and
    check it with ``zeropark verify --anchor FILE`` (auditors and park admins)."""
    head = audit_anchor.chain_head(db, principal)
    return AuditHeadPublic.model_validate(audit_anchor.sign_anchor(head, settings.secret_key))
