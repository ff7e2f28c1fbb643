"""Alerts: list, acknowledge, resolve, and run the data-quality check."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, DbId, PageDep, PrincipalDep
from zeropark.api.schemas import AlertNote, AlertPublic, CheckResultPublic, IsoDateTime, Page
from zeropark.service import alerts

router = APIRouter(tags=["alerts"])


@router.get("/parks/{park_id}/alerts", response_model=Page[AlertPublic])
async def list_alerts(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    page: PageDep,
    status: Annotated[str | None, Query(pattern="^(open|acknowledged|resolved)$")] = None,
) -> Response:
    """Alerts the caller may see (a tenant: its own), newest first (cached until data change)."""

    def compute() -> bytes:
        rows, total = alerts.list_alerts(
            db, principal, park_id, status=status, limit=page.limit, offset=page.offset
        )
        return (
            Page[AlertPublic](
                items=[AlertPublic.model_validate(r) for r in rows],
                total=total,
                limit=page.limit,
                offset=page.offset,
            )
            .model_dump_json()
            .encode()
        )

    key = ("alerts", status, page.limit, page.offset)
    return await cached_json(db, principal, park_id, key, compute)


@router.post("/parks/{park_id}/alerts/check", response_model=CheckResultPublic)
def check_alerts(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    at: Annotated[IsoDateTime | None, Query(description="check as of (default: now)")] = None,
    silent_after_s: Annotated[int, Query(ge=60, le=366 * 86400)] = alerts.DEFAULT_SILENT_AFTER_S,
) -> CheckResultPublic:
    """Raise alerts for silent meters and open quarantine; resolve those that cleared."""
    now_s = int(at.timestamp()) if isinstance(at, datetime) else None
    result = alerts.check_data_quality(
        db, principal, park_id, now_s=now_s, silent_after_s=silent_after_s
    )
    return CheckResultPublic(raised=result.raised, resolved=result.resolved)


@router.post("/parks/{park_id}/alerts/{alert_id}/acknowledge", response_model=AlertPublic)
def acknowledge_alert(
    park_id: str, alert_id: DbId, body: AlertNote, db: DbDep, principal: PrincipalDep
) -> AlertPublic:
    """Acknowledge an alert (park admins)."""
    return AlertPublic.model_validate(
        alerts.acknowledge_alert(db, principal, park_id, alert_id, body.note)
    )


@router.post("/parks/{park_id}/alerts/{alert_id}/resolve", response_model=AlertPublic)
def resolve_alert(
    park_id: str, alert_id: DbId, body: AlertNote, db: DbDep, principal: PrincipalDep
) -> AlertPublic:
    """Resolve an alert (park admins)."""
    return AlertPublic.model_validate(
        alerts.resolve_alert(db, principal, park_id, alert_id, body.note)
    )
