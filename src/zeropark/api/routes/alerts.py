"""Alerts (list with delivery records, acknowledge and resolve one or many, the data-quality
check, one monitor pass), alert rules (CRUD, mute) and notification channels."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zeropark.api.alert_schemas import (
    AlertBulk,
    AlertDetailPublic,
    AlertRuleCreate,
    AlertRuleIn,
    AlertRulePublic,
    BulkResultPublic,
    ChannelCreate,
    ChannelIn,
    ChannelPublic,
    MonitorPassPublic,
    MuteIn,
)
from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, DbId, PageDep, PrincipalDep
from zeropark.api.schemas import AlertNote, AlertPublic, CheckResultPublic, IsoDateTime, Page
from zeropark.service import alerts
from zeropark.service.monitor import rules_api
from zeropark.service.monitor.deliveries import deliver_due
from zeropark.service.monitor.engine import run_pass
from zeropark.service.monitor.rules_io import parse_rule

router = APIRouter(tags=["alerts"])


@router.get("/parks/{park_id}/alerts", response_model=Page[AlertDetailPublic])
async def list_alerts(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    page: PageDep,
    status: Annotated[str | None, Query(pattern="^(open|acknowledged|resolved)$")] = None,
    rule_id: Annotated[str | None, Query(max_length=64)] = None,
    deliveries: Annotated[bool, Query(description="include delivery records")] = False,
) -> Response:
    """Alerts the caller may see (a tenant: its own), newest first, with park-local times and,
    with ``deliveries``, their delivery records (cached until data change)."""

    def compute() -> bytes:
        rows, total = alerts.list_alerts(
            db,
            principal,
            park_id,
            status=status,
            rule_id=rule_id,
            limit=page.limit,
            offset=page.offset,
            deliveries=deliveries,
        )
        return (
            Page[AlertDetailPublic](
                items=[AlertDetailPublic.model_validate(r) for r in rows],
                total=total,
                limit=page.limit,
                offset=page.offset,
            )
            .model_dump_json()
            .encode()
        )

    key = ("alerts", status, rule_id, deliveries, page.limit, page.offset)
    return await cached_json(db, principal, park_id, key, compute)


@router.post("/parks/{park_id}/alerts/acknowledge", response_model=BulkResultPublic)
def acknowledge_many(
    park_id: str, body: AlertBulk, db: DbDep, principal: PrincipalDep
) -> BulkResultPublic:
    """Acknowledge (or, with ``resolve``, resolve) many alerts at once (park admins); audited."""
    changed = alerts.acknowledge_alerts(
        db, principal, park_id, list(body.ids), body.note, resolve=body.resolve
    )
    return BulkResultPublic(changed=changed)


@router.post("/parks/{park_id}/monitor/run", response_model=MonitorPassPublic)
def monitor_pass(park_id: str, db: DbDep, principal: PrincipalDep) -> MonitorPassPublic:
    """One pass of the monitor (every enabled rule), then the due deliveries (park admins)."""
    result = run_pass(db, principal, park_id)
    sent = deliver_due(db, principal, park_id)
    return MonitorPassPublic(
        rules=result.rules,
        observations=result.observations,
        raised=result.raised,
        recovered=result.recovered,
        sent=len(sent.sent),
        retrying=len(sent.retrying),
        failed=len(sent.failed),
    )


@router.get("/parks/{park_id}/alert-rules", response_model=list[AlertRulePublic])
def list_rules(park_id: str, db: DbDep, principal: PrincipalDep) -> list[AlertRulePublic]:
    """Alert rules the caller may see (a tenant: its own)."""
    return [AlertRulePublic.model_validate(r) for r in rules_api.list_rules(db, principal, park_id)]


@router.put("/parks/{park_id}/alert-rules/{rule_id}", response_model=AlertRulePublic)
def save_rule(
    park_id: str, rule_id: str, body: AlertRuleIn, db: DbDep, principal: PrincipalDep
) -> AlertRulePublic:
    """Create or replace an alert rule (a tenant: its own, on what it may read); audited."""
    entry = body.model_dump(exclude_none=True)
    entry["id"] = rule_id
    return AlertRulePublic.model_validate(rules_api.save_rule(db, principal, park_id, entry))


@router.post("/parks/{park_id}/alert-rules", response_model=AlertRulePublic)
def create_rule(
    park_id: str, body: AlertRuleCreate, db: DbDep, principal: PrincipalDep
) -> AlertRulePublic:
    """Create or replace an alert rule named in the body (as PUT …/alert-rules/{id})."""
    entry = body.model_dump(exclude_none=True)
    return AlertRulePublic.model_validate(rules_api.save_rule(db, principal, park_id, entry))


@router.post("/parks/{park_id}/alert-rules/{rule_id}/mute", response_model=AlertRulePublic)
def mute_rule(
    park_id: str, rule_id: str, body: MuteIn, db: DbDep, principal: PrincipalDep
) -> AlertRulePublic:
    """Mute a rule's notifications until ``until`` (null: unmute); audited."""
    until_s = None
    if body.until is not None:
        probe = {"id": rule_id, "kind": "open_quarantine", "muted_until": body.until}
        until_s = parse_rule(probe).muted_until_s
    return AlertRulePublic.model_validate(
        rules_api.mute_rule(db, principal, park_id, rule_id, until_s=until_s)
    )


@router.delete("/parks/{park_id}/alert-rules/{rule_id}", status_code=204)
def delete_rule(park_id: str, rule_id: str, db: DbDep, principal: PrincipalDep) -> Response:
    """Delete an alert rule (its alerts stay as history); audited."""
    rules_api.delete_rule(db, principal, park_id, rule_id)
    return Response(status_code=204)


@router.get("/parks/{park_id}/alert-channels", response_model=list[ChannelPublic])
def list_channels(park_id: str, db: DbDep, principal: PrincipalDep) -> list[ChannelPublic]:
    """Notification channels the caller may see (secrets masked)."""
    rows = rules_api.list_channels(db, principal, park_id)
    return [ChannelPublic.model_validate(r) for r in rows]


@router.put("/parks/{park_id}/alert-channels/{channel_id}", response_model=ChannelPublic)
def save_channel(
    park_id: str, channel_id: str, body: ChannelIn, db: DbDep, principal: PrincipalDep
) -> ChannelPublic:
    """Create or replace a notification channel; audited (without secrets)."""
    entry = body.model_dump(exclude_none=True)
    entry["id"] = channel_id
    return ChannelPublic.model_validate(rules_api.save_channel(db, principal, park_id, entry))


@router.post("/parks/{park_id}/alert-channels", response_model=ChannelPublic)
def create_channel(
    park_id: str, body: ChannelCreate, db: DbDep, principal: PrincipalDep
) -> ChannelPublic:
    """Create or replace a channel named in the body (as PUT …/alert-channels/{id})."""
    entry = body.model_dump(exclude_none=True)
    return ChannelPublic.model_validate(rules_api.save_channel(db, principal, park_id, entry))


@router.delete("/parks/{park_id}/alert-channels/{channel_id}", status_code=204)
def delete_channel(park_id: str, channel_id: str, db: DbDep, principal: PrincipalDep) -> Response:
    """Delete a notification channel; audited."""
    rules_api.delete_channel(db, principal, park_id, channel_id)
    return Response(status_code=204)


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
