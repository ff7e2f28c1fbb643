"""Quarantine: every rejected record, kept with its source, field, value and reason.

Records stay ``open`` until they are resolved (re-submitted corrected, or dismissed with a reason)
or, for a reading normalisation set aside, until later readings change its judgement: the record is
then closed ``reclassified`` and the new judgement, if the reading is still set aside, is a new
record. Nothing is ever deleted or rewritten, so a verifier can see everything that was refused and
why, and what was believed when.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, update

from zeropark.domain.access import Principal
from zeropark.domain.issues import Issue
from zeropark.store.engine import clock_of
from zeropark.store.readings import MeterRef
from zeropark.store.schema import quarantine
from zeropark.store.scope import require, row_filter

__all__ = [
    "RECLASSIFIED",
    "STATUSES",
    "QuarantineRecord",
    "add_records",
    "count_open",
    "get_records",
    "list_records",
    "new_records",
    "open_by_tenant",
    "open_payloads",
    "open_reading_meters",
    "reading_records",
    "reclassify_records",
    "resolve_records",
    "storable",
]

#: What stands for a NUL character in stored text (PostgreSQL text cannot hold U+0000).
NUL_STANDIN = "\u2400"

#: The status of a record whose reading later readings judged otherwise (closed by the pipeline).
RECLASSIFIED = "reclassified"
#: Every status a record can have: ``open`` until resolved by an admin (``resubmitted``,
#: ``dismissed``) or by a new judgement of its reading (``reclassified``).
STATUSES = ("open", "resubmitted", "dismissed", RECLASSIFIED)


@dataclass(frozen=True, slots=True)
class QuarantineRecord:
    """One rejected record: source (file, topic, device), location (row), field, value, why.

    ``reason`` is the reason in words as written when the record was refused; ``reason_code``
    and ``params`` (of the issue message catalogue) let a reader render it in its language.
    Rows stored before they existed have neither (``reason`` is shown).
    """

    source: str
    code: str
    reason: str
    location: str | None = None
    field: str | None = None
    value: str | None = None
    tenant_id: str | None = None
    payload: dict[str, Any] | None = None
    reason_code: str | None = None
    params: dict[str, Any] | None = None

    @classmethod
    def of_issue(
        cls,
        issue: Issue,
        *,
        tenant_id: str | None = None,
        payload: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> QuarantineRecord:
        """The record of an issue (``reason``: the words kept, default the issue's, English)."""
        return cls(
            source=issue.source or "",
            code=issue.code,
            reason=reason if reason is not None else issue.reason("en"),
            location=issue.location,
            field=issue.field,
            value=issue.value,
            tenant_id=tenant_id,
            payload=payload,
            reason_code=issue.reason_code,
            params=dict(issue.params),
        )

    def issue(self) -> Issue:
        """The record's issue (a record without a reason code: its reason as ``detail``)."""
        if self.reason_code:
            return Issue(
                self.code,
                self.reason_code,
                self.params or {},
                source=self.source,
                location=self.location,
                field=self.field,
                value=self.value,
            )
        return Issue(
            self.code,
            "text",
            {"text": self.reason, "detail": self.reason},
            source=self.source,
            location=self.location,
            field=self.field,
            value=self.value,
        )


def _text(value: str | None, limit: int | None = None) -> str | None:
    if value is None:
        return None
    text = value.replace("\x00", NUL_STANDIN)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> Any:
    """``value`` (JSON-like) with NUL characters in its strings replaced, keys included."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def storable(record: QuarantineRecord) -> QuarantineRecord:
    """``record`` as it is stored: a rejected record may hold any text the sender sent, NUL
    characters included, which are shown as U+2400 (␀); location and field are cut to their
    columns."""
    return QuarantineRecord(
        source=_text(record.source) or "",
        code=record.code,
        reason=_text(record.reason) or "",
        location=_text(record.location, 200),
        field=_text(record.field, 80),
        value=_text(record.value),
        tenant_id=record.tenant_id,
        payload=_plain(record.payload),
        reason_code=record.reason_code,
        params=_plain(record.params),
    )


def add_records(
    conn: Connection, park_id: str, records: Sequence[QuarantineRecord], *, sent_by: str
) -> int:
    """Store rejected records in the caller's transaction; returns how many.

    ``sent_by`` is the sender's principal subject: the records' ``source`` is what the sender
    called its data, ``sent_by`` who it was.
    """
    if not records:
        return 0
    records = [storable(r) for r in records]
    now = clock_of(conn).now()
    conn.execute(
        quarantine.insert(),
        [
            {
                "park_id": park_id,
                "tenant_id": r.tenant_id,
                "source": r.source,
                "location": r.location,
                "field": r.field,
                "value": r.value,
                "code": r.code,
                "reason": r.reason,
                "reason_code": r.reason_code,
                "params": r.params,
                "payload": r.payload,
                "status": "open",
                "sent_by": sent_by,
                "created_at": now,
            }
            for r in records
        ],
    )
    return len(records)


def new_records(
    conn: Connection, park_id: str, records: Sequence[QuarantineRecord]
) -> list[QuarantineRecord]:
    """``records`` without those already quarantined (open) from the same source, as stored.

    For the writer about to add them (a re-import adds nothing): it returns a subset of its own
    input and no stored row, so it takes no principal.
    """
    if not records:
        return list(records)
    stored = [storable(r) for r in records]
    sources = sorted({r.source for r in stored})
    seen = {
        (row.source, row.location, row.field, row.code, row.value)
        for row in conn.execute(
            select(
                quarantine.c.source,
                quarantine.c.location,
                quarantine.c.field,
                quarantine.c.code,
                quarantine.c.value,
            ).where(
                quarantine.c.park_id == park_id,
                quarantine.c.status == "open",
                quarantine.c.source.in_(sources),
            )
        )
    }
    return [
        r
        for r, k in zip(records, stored, strict=True)
        if (k.source, k.location, k.field, k.code, k.value) not in seen
    ]


def _open(principal: Principal, park_id: str) -> tuple[ColumnElement[bool], ...]:
    return (
        quarantine.c.park_id == park_id,
        quarantine.c.status == "open",
        row_filter(principal, quarantine),
    )


def count_open(conn: Connection, principal: Principal, park_id: str) -> int:
    """How many open records of the park the caller may see."""
    query = select(func.count()).select_from(quarantine).where(*_open(principal, park_id))
    return int(conn.execute(query).scalar_one())


def open_by_tenant(conn: Connection, principal: Principal, park_id: str) -> dict[str | None, int]:
    """Open records the caller may see, counted by tenant (None: park-level)."""
    rows = conn.execute(
        select(quarantine.c.tenant_id, func.count())
        .where(*_open(principal, park_id))
        .group_by(quarantine.c.tenant_id)
    )
    return {tenant: int(n) for tenant, n in rows}


def open_payloads(conn: Connection, principal: Principal, park_id: str) -> list[Any]:
    """The payloads (what was rejected: meter, time, value...) of the open records the caller
    may see."""
    query = select(quarantine.c.payload).where(*_open(principal, park_id))
    return [payload for (payload,) in conn.execute(query)]


def get_records(
    conn: Connection, principal: Principal, park_id: str, ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """The records of ``ids`` the caller may see, by id (any status)."""
    rows = conn.execute(
        select(quarantine).where(
            quarantine.c.park_id == park_id,
            quarantine.c.id.in_(list(ids)),
            row_filter(principal, quarantine),
        )
    )
    return {int(r.id): dict(r._mapping) for r in rows}


def list_records(
    conn: Connection,
    principal: Principal,
    park_id: str,
    *,
    status: str | None = "open",
    limit: int = 1000,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Quarantined records the caller may see, newest first, and the total count."""
    cond = [quarantine.c.park_id == park_id, row_filter(principal, quarantine)]
    if status is not None:
        cond.append(quarantine.c.status == status)
    total = conn.execute(select(func.count()).select_from(quarantine).where(*cond)).scalar_one()
    rows = conn.execute(
        select(quarantine).where(*cond).order_by(quarantine.c.id.desc()).limit(limit).offset(offset)
    )
    return [dict(r._mapping) for r in rows], int(total)


def _may_rejudge(principal: Principal, meter: MeterRef) -> None:
    """The readings pipeline re-judges the records of a meter whose readings its caller writes."""
    require(
        principal.can_write_reading(meter.park_id, meter.id, meter.tenant_id),
        principal,
        f"re-judge quarantined readings of meter {meter.id!r}",
    )


def reading_records(
    conn: Connection,
    principal: Principal,
    meter: MeterRef,
    first: str,
    last: str,
    reason_codes: Sequence[str],
    statuses: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Records with one of ``reason_codes`` (and ``statuses``; None: any) whose payload names a
    reading of ``meter`` at a time from ``first`` to ``last`` (ISO 8601 UTC text as the
    payload writes it, ``2024-03-01T00:15:00Z``), in id order.

    For the readings pipeline re-judging readings it stored: the caller must be one who may
    write the meter's readings (it is writing them in this transaction).
    """
    _may_rejudge(principal, meter)
    payload_meter = quarantine.c.payload["meter"].as_string()
    ts = quarantine.c.payload["ts"].as_string()
    cond = [
        quarantine.c.park_id == meter.park_id,
        quarantine.c.reason_code.in_(list(reason_codes)),
        payload_meter == meter.id,
        ts >= first,
        ts <= last,
    ]
    if statuses is not None:
        cond.append(quarantine.c.status.in_(list(statuses)))
    rows = conn.execute(select(quarantine).where(*cond).order_by(quarantine.c.id))
    return [dict(r._mapping) for r in rows]


def open_reading_meters(
    conn: Connection,
    principal: Principal,
    park_id: str,
    meter_ids: Collection[str],
    reason_codes: Sequence[str],
) -> set[str]:
    """Those of ``meter_ids`` (the meters of the caller's batch) that open records with one of
    ``reason_codes`` name (their payload's ``meter``): the readings pipeline looks for records
    to re-judge of these meters only."""
    require(principal.in_park(park_id), principal, f"write readings in {park_id!r}")
    if not meter_ids:
        return set()
    payload_meter = quarantine.c.payload["meter"].as_string()
    rows = conn.execute(
        select(payload_meter)
        .distinct()
        .where(
            quarantine.c.park_id == park_id,
            quarantine.c.status == "open",
            quarantine.c.reason_code.in_(list(reason_codes)),
            payload_meter.in_(sorted(meter_ids)),
        )
    )
    return {str(m) for (m,) in rows if m is not None}


def reclassify_records(
    conn: Connection, principal: Principal, meter: MeterRef, ids: Sequence[int]
) -> int:
    """Close open records of ``meter`` as ``reclassified`` (their reading was judged again by
    the readings pipeline, in the caller's transaction); returns how many. Records already
    closed, or of another meter, stay."""
    _may_rejudge(principal, meter)
    if not ids:
        return 0
    result = conn.execute(
        update(quarantine)
        .where(
            quarantine.c.park_id == meter.park_id,
            quarantine.c.payload["meter"].as_string() == meter.id,
            quarantine.c.id.in_(list(ids)),
            quarantine.c.status == "open",
        )
        .values(status=RECLASSIFIED)
    )
    return int(result.rowcount)


def resolve_records(
    conn: Connection, principal: Principal, park_id: str, ids: Sequence[int], status: str
) -> int:
    """Mark records ``resubmitted`` or ``dismissed`` (admins of the park)."""
    require(principal.can_configure(park_id), principal, f"resolve quarantine of {park_id!r}")
    result = conn.execute(
        update(quarantine)
        .where(quarantine.c.park_id == park_id, quarantine.c.id.in_(list(ids)))
        .values(status=status)
    )
    return int(result.rowcount)
