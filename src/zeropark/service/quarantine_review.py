"""Reviewing quarantine: list open records, re-submit a corrected value, or dismiss with a reason.

A re-submitted reading re-enters through the readings pipeline
(:func:`~zeropark.service.ingest.ingest_parsed`) like any other: with quality ``corrected`` when
it replaces a stored reading (a spike that was kept but excluded, a conflicting value), else
``manual``. A re-submitted activity row is the quarantined row with the failing field replaced,
validated again and stored. Only when the new value is accepted is the record marked
``resubmitted``, all in one transaction with its audit entry; a dismissal is audited with its
reason. Records are never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.timeseries import Quality
from zeropark.errors import InputError, NotFound, ValidationFailed
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.activities_io import store_activity_rows
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_parsed, park_timezone
from zeropark.service.readings_query import parse_local_time
from zeropark.store import audit
from zeropark.store.quarantine import get_records, list_records, resolve_records
from zeropark.store.readings import meter_refs, readings_between
from zeropark.store.scope import require

__all__ = ["ResubmitResult", "dismiss", "list_quarantine", "resubmit"]


@dataclass(frozen=True, slots=True)
class ResubmitResult:
    """What re-submitting did: the records resolved and the pipeline's report."""

    ids: list[int]
    report: IngestReport


def list_quarantine(
    db: Database, principal: Principal, park_id: str, *, status: str | None = "open"
) -> tuple[list[dict[str, Any]], int]:
    """Quarantined records the caller may see (newest first, at most 1000) and their count."""
    with db.transaction() as conn:
        return list_records(conn, principal, park_id, status=status)


def _open_records(
    conn: Connection, principal: Principal, park_id: str, ids: Sequence[int]
) -> list[dict[str, Any]]:
    require(principal.can_configure(park_id), principal, f"resolve quarantine of {park_id!r}")
    found = get_records(conn, principal, park_id, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"quarantine record(s) {', '.join(map(str, missing))} not found")
    closed = [f"{i} ({found[i]['status']})" for i in ids if found[i]["status"] != "open"]
    if closed:
        raise InputError(f"record(s) already resolved: {', '.join(closed)}", field="id")
    return [found[i] for i in ids]


def _reading_of(
    conn: Connection, principal: Principal, park_id: str, timezone: str, record: dict[str, Any]
) -> tuple[str, int, int]:
    """Meter id, time [UTC epoch s] and quality bits of a re-submitted reading.

    A row that did not parse keeps its text as received: a time without an offset is park-local.
    """
    payload = record.get("payload") or {}
    if "meter" not in payload or "ts" not in payload:
        raise InputError(
            f"record {record['id']} holds no meter and time ({record['code']}); fix the source "
            "file and import it again, or dismiss the record",
            field="id",
        )
    meter_id = str(payload["meter"])
    try:
        ts_s = parse_local_time(str(payload["ts"]), timezone)
    except InputError as exc:
        raise InputError(
            f"record {record['id']}: its time is unreadable ({exc.reason}); fix the source file "
            "and import it again, or dismiss the record",
            field="id",
        ) from None
    ref = meter_refs(conn, principal, park_id, [meter_id]).get(meter_id)
    stored = ref is not None and readings_between(conn, principal, ref, ts_s, ts_s)[0].size > 0
    return meter_id, ts_s, int(Quality.CORRECTED if stored else Quality.MANUAL)


def resubmit(
    db: Database, principal: Principal, park_id: str, ids: Sequence[int], value: str
) -> ResubmitResult:
    """Re-submit records with a corrected ``value``; raises if the pipeline refuses it."""
    report = IngestReport(f"quarantine:{','.join(map(str, ids))}")
    with db.transaction() as conn:
        timezone = park_timezone(conn, principal, park_id)
        records = _open_records(conn, principal, park_id, ids)
        readings = [r for r in records if "row" not in (r.get("payload") or {})]
        activities = [r for r in records if "row" in (r.get("payload") or {})]
        if readings:
            try:
                number = float(value)
            except ValueError:
                raise InputError(f"{value!r} is not a number", field="value") from None
            found = [_reading_of(conn, principal, park_id, timezone, r) for r in readings]
            parsed = ParsedReadings(
                meter=np.asarray([m for m, _, _ in found], dtype=object),
                ts_s=np.asarray([t for _, t, _ in found], np.int64),
                value=np.full(len(found), number),
                quality=np.asarray([q for _, _, q in found], np.uint8),
                row=np.asarray([-1] * len(found), np.int64),
            )
            ingest_parsed(conn, principal, park_id, timezone, parsed, report)
        if activities:
            store_activity_rows(conn, principal, park_id, activities, value, report)
        if report.rejected:
            raise ValidationFailed(list(report.issues), source=report.source)
        resolve_records(conn, principal, park_id, ids, "resubmitted")
        audit.append(
            conn,
            actor=principal.subject,
            action="quarantine.resubmit",
            park_id=park_id,
            entity=f"quarantine:{','.join(map(str, ids))}",
            payload={"ids": list(ids), "value": value, "report": report.as_dict()},
        )
    return ResubmitResult(list(ids), report)


def dismiss(
    db: Database, principal: Principal, park_id: str, ids: Sequence[int], reason: str
) -> int:
    """Mark open records ``dismissed`` with a reason (kept in the audit log); returns how many."""
    if not reason.strip():
        raise InputError("give the reason for dismissing", field="reason")
    with db.transaction() as conn:
        _open_records(conn, principal, park_id, ids)
        count = resolve_records(conn, principal, park_id, ids, "dismissed")
        audit.append(
            conn,
            actor=principal.subject,
            action="quarantine.dismiss",
            park_id=park_id,
            entity=f"quarantine:{','.join(map(str, ids))}",
            payload={"ids": list(ids), "reason": reason},
        )
    return count
