"""Activity records (fuel, process, refrigerant, waste, output...): list, enter, import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile

from zeropark.api.deps import DbDep, PageDep, PrincipalDep
from zeropark.api.guard import write_gate
from zeropark.api.routes.readings import _report
from zeropark.api.schemas import ActivityCreate, IngestReportPublic, Page
from zeropark.api.uploads import UploadTooLarge, saved_upload
from zeropark.domain.access import Principal
from zeropark.i18n import t
from zeropark.service import park_views
from zeropark.service.activities_io import import_activities_file, import_activity_records

router = APIRouter(tags=["activities"])


@router.get("/parks/{park_id}/activities", response_model=Page[ActivityCreate])
def list_activities(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    page: PageDep,
    period: Annotated[str | None, Query(max_length=16, description="period prefix")] = None,
    entity: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[ActivityCreate]:
    """Activity records the caller may read (a tenant: its own)."""
    rows = park_views.list_activity_records(
        db, principal, park_id, period_prefix=period, entity=entity
    )
    return Page[ActivityCreate](
        items=[ActivityCreate.model_validate(r) for r in page.window(rows)],
        total=len(rows),
        limit=page.limit,
        offset=page.offset,
    )


#: Records one ``POST /activities`` takes; more are refused whole (413), never cut off.
MAX_RECORDS_PER_REQUEST = 10_000


@router.post("/parks/{park_id}/activities", response_model=IngestReportPublic)
@write_gate(Principal.can_write_activities_in)
def create_activities(
    park_id: str, body: list[ActivityCreate], db: DbDep, principal: PrincipalDep
) -> IngestReportPublic:
    """Enter activity records (at most 10,000 a request; more: 413, nothing stored).

    Each is checked like an imported row (bad ones quarantined, named ``record <n>``).
    """
    if len(body) > MAX_RECORDS_PER_REQUEST:
        raise UploadTooLarge(
            t(
                f"一次最多提交 {MAX_RECORDS_PER_REQUEST:,} 条活动数据（收到 {len(body):,} 条）；"
                "请分批提交或上传文件",
                f"at most {MAX_RECORDS_PER_REQUEST:,} activity records a request "
                f"({len(body):,} sent); send them in parts or upload a file",
            ),
            source="api",
            field="body",
        )
    records = [r.model_dump(exclude_none=True) for r in body]
    return _report(import_activity_records(db, principal, park_id, records, source="api"))


@router.post("/parks/{park_id}/activities/upload", response_model=IngestReportPublic)
@write_gate(Principal.can_write_activities_in)
def upload_activities(
    park_id: str,
    request: Request,
    db: DbDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="the activities template (.xlsx) or a CSV")],
) -> IngestReportPublic:
    """Import an activities file (.xlsx template or .csv)."""
    with saved_upload(file, request.app.state.max_upload_bytes) as path:
        report = import_activities_file(
            db, principal, park_id, path, source=file.filename or "upload"
        )
    return _report(report)
