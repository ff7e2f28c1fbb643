"""Activity records (fuel, process, refrigerant, waste, output...): list, enter, import."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile

from zeropark.api.deps import DbDep, PageDep, PrincipalDep
from zeropark.api.guard import write_gate
from zeropark.api.routes.readings import _report
from zeropark.api.schemas import ActivityCreate, IngestReportPublic, Page
from zeropark.api.uploads import saved_upload
from zeropark.domain.access import Principal
from zeropark.service import park_views
from zeropark.service.activities_io import import_activities_file

router = APIRouter(tags=["activities"])

_COLUMNS = ("entity", "period", "category", "item", "quantity", "unit", "evidence")


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


@router.post("/parks/{park_id}/activities", response_model=IngestReportPublic)
@write_gate(Principal.can_write_activities_in)
def create_activities(
    park_id: str, body: list[ActivityCreate], db: DbDep, principal: PrincipalDep
) -> IngestReportPublic:
    """Enter activity records; each is checked like an imported row (bad ones quarantined)."""
    with tempfile.TemporaryDirectory(prefix="zeropark-activities-") as folder:
        path = Path(folder) / "api.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(_COLUMNS)
            for r in body[:10_000]:
                writer.writerow(
                    [r.entity, r.period, r.category, r.item, repr(r.quantity), r.unit,
                     r.evidence or ""]
                )  # fmt: skip
        report = import_activities_file(db, principal, park_id, path, source="api")
    return _report(report)


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
