"""Response schemas of data quality (``GET /parks/{id}/quality``) and the quarantine list."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, JsonValue

from zeropark.api.schema_types import LocalTime
from zeropark.service.quality import QualityReport
from zeropark.service.readings_query import local_iso

__all__ = ["QualityPublic", "QualityRowPublic", "QuarantineRecordPublic"]


class QualityRowPublic(BaseModel):
    """One meter over one park-local period.

    ``coverage``: the share [0-1] of the period that derived intervals cover;
    ``estimated_share``: the estimated share of its quantity (null without quantity);
    ``last_seen``: the newest reading in the period (null: none); ``open_quarantine``: open
    quarantine records of the meter whose reading falls in the period.
    """

    meter_id: str
    start: LocalTime
    end: LocalTime
    coverage: float
    estimated_share: float | None
    last_seen: LocalTime | None
    open_quarantine: int


class QualityPublic(BaseModel):
    """Data quality per meter and park-local day or month.

    ``unplaced_quarantine``: open quarantine records per meter whose time is unreadable.
    """

    park_id: str
    timezone: str
    period: Literal["day", "month"]
    rows: list[QualityRowPublic]
    unplaced_quarantine: dict[str, int]

    @classmethod
    def of(cls, report: QualityReport) -> QualityPublic:
        """The answer of the service's report (times park-local)."""
        tz = report.timezone
        return cls(
            park_id=report.park_id,
            timezone=tz,
            period=report.period,
            rows=[
                QualityRowPublic(
                    meter_id=r.meter_id,
                    start=local_iso(r.start_s, tz),
                    end=local_iso(r.end_s, tz),
                    coverage=r.coverage,
                    estimated_share=r.estimated_share,
                    last_seen=None if r.last_seen_s is None else local_iso(r.last_seen_s, tz),
                    open_quarantine=r.open_quarantine,
                )
                for r in report.rows
            ],
            unplaced_quarantine=report.unplaced_quarantine,
        )


class QuarantineRecordPublic(BaseModel):
    """A record refused at ingest, as stored (every column of the quarantine table).

    ``source``: what the sender called the batch (file, topic, ``http``); ``location``: the row
    or position in it; ``field``/``value``: what failed; ``code``/``reason``: why (``reason``
    in words as written when refused; ``reason_code`` and ``params``, of the issue message
    catalogue, render it in the reader's language — null on rows stored before); ``payload``:
    the record as received (JSON); ``sent_by``: the sender's principal; ``status``: ``open``
    until an admin resolves it (``resubmitted``, ``dismissed``) or later readings judge its
    reading again (``reclassified``: the new judgement, if any, is a new record).
    """

    id: int
    park_id: str
    tenant_id: str | None
    source: str
    location: str | None
    field: str | None
    value: str | None
    code: str
    reason: str
    reason_code: str | None = None
    params: dict[str, JsonValue] | None = None
    payload: dict[str, JsonValue] | None
    status: Literal["open", "resubmitted", "dismissed", "reclassified"]
    sent_by: str | None
    created_at: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> QuarantineRecordPublic:
        """A stored row (``created_at`` as ISO 8601 text)."""
        created = row.get("created_at")
        return cls.model_validate(
            {**row, "created_at": created.isoformat() if created is not None else None}
        )
