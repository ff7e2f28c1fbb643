"""Readings: batch ingest (JSON and files, through the data-integration path) and queries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from zeropark.api.caching import READINGS_CACHE, cached_json
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.energy_schemas import EnergyPublic
from zeropark.api.guard import write_gate
from zeropark.api.schemas import IngestReportPublic, IsoDateTime, ReadingsBatch, ReadingsSeries
from zeropark.api.uploads import saved_upload
from zeropark.domain.access import Principal
from zeropark.errors import InputError
from zeropark.i18n import get_lang
from zeropark.service.energy_groups import aggregate_energy
from zeropark.service.ingest import IngestReport, ingest_readings_file, time_rules
from zeropark.service.live_ingest import ingest_records
from zeropark.service.readings_query import export_readings, local_iso

router = APIRouter(tags=["readings"])

Start = Annotated[IsoDateTime, Query(description="ISO 8601 with offset, inclusive")]
End = Annotated[IsoDateTime, Query(description="ISO 8601 with offset, exclusive")]
MAX_SPAN_S = 3 * 366 * 86400
#: Seconds per row of each interval (a month counted long), to size a readings answer.
_ROW_S = {"15min": 900, "hour": 3600, "day": 86400, "month": 28 * 86400}
#: Answers of at most this many rows (two days of 15-minute intervals, a week of hours) are
#: computed on the event loop (api/caching.py says why); a larger one goes to the thread pool.
INLINE_MAX_ROWS = 192


def _report(report: IngestReport) -> IngestReportPublic:
    issues = [issue.as_dict(get_lang()) for issue in report.issues[:200]]
    return IngestReportPublic.model_validate({**report.as_dict(), "issues": issues})


def _window(start: datetime, end: datetime) -> tuple[int, int]:
    lo, hi = int(start.timestamp()), int(end.timestamp())
    if hi <= lo:
        raise InputError("end must be after start", field="end")
    if hi - lo > MAX_SPAN_S:
        raise InputError("the window is longer than three years", field="end")
    return lo, hi


@router.post("/parks/{park_id}/readings", response_model=IngestReportPublic)
@write_gate(Principal.can_write_readings_in)
def ingest_readings(
    park_id: str, body: ReadingsBatch, request: Request, db: DbDep, principal: PrincipalDep
) -> IngestReportPublic:
    """Ingest a batch of readings (gateways: only their bound meters; others are quarantined)."""
    records: list[dict[str, object]] = [
        {"meter": r.meter, "ts": r.ts.isoformat(), "value": repr(r.value), "quality": r.quality}
        for r in body.readings
    ]
    rules = time_rules(request.app.state.settings)
    return _report(ingest_records(db, principal, park_id, records, source=body.source, rules=rules))


@router.post("/parks/{park_id}/readings/upload", response_model=IngestReportPublic)
@write_gate(Principal.can_write_readings_in)
def upload_readings(
    park_id: str,
    request: Request,
    db: DbDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="CSV or Excel: meter, ts, value[, quality]")],
) -> IngestReportPublic:
    """Import a readings file (CSV or Excel) through the same pipeline as the CLI."""
    with saved_upload(file, request.app.state.max_upload_bytes) as path:
        report = ingest_readings_file(
            db,
            principal,
            park_id,
            path,
            source=file.filename or "upload",  # issue texts name the upload, not the temp path
            rules=time_rules(request.app.state.settings),
        )
    return _report(report)


@router.get("/parks/{park_id}/readings/{meter_id}", response_model=ReadingsSeries)
async def get_readings(
    park_id: str,
    meter_id: str,
    db: DbDep,
    principal: PrincipalDep,
    start: Start,
    end: End,
    interval: Annotated[str, Query(pattern="^(15min|hour|day|month)$")] = "hour",
) -> Response:
    """A meter's (or virtual meter's) quantities by 15 min, park-local hour, day or month.

    Cached per caller scope as pre-serialised JSON until the data change.
    """
    lo, hi = _window(start, end)

    def compute() -> dict[str, Any]:
        # Built directly in the shape of ReadingsSeries (the response schema; the API's
        # response-schema tests check it): a day of 15-minute rows is the hot path.
        export = export_readings(
            db, principal, park_id, meter_id, start.isoformat(), end.isoformat(), interval
        )
        tz = export.timezone
        # Each row's end is the next row's start: format each time once.
        times = {r.start_s for r in export.rows} | {r.end_s for r in export.rows}
        iso = {ts_s: local_iso(ts_s, tz) for ts_s in times}
        return {
            "park_id": export.park_id,
            "meter_id": export.meter_id,
            "unit": export.unit,
            "interval": export.interval,
            "timezone": tz,
            "virtual": export.virtual,
            "rows": [
                {
                    "start": iso[r.start_s],
                    "end": iso[r.end_s],
                    "quantity": r.quantity,
                    "estimated": r.estimated,
                    "coverage": r.coverage,
                    "quality": r.quality,
                }
                for r in export.rows
            ],
        }

    key = ("readings", meter_id, lo, hi, interval)
    inline = (hi - lo) / _ROW_S[interval] <= INLINE_MAX_ROWS
    return await cached_json(
        db, principal, park_id, key, compute, cache=READINGS_CACHE, inline=inline
    )


@router.get("/parks/{park_id}/energy", response_model=EnergyPublic)
async def get_energy(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    start: Start,
    end: End,
    interval: Annotated[str, Query(pattern="^(hour|day|month)$")] = "day",
    group_by: Annotated[str, Query(pattern="^(tenant|building|carrier)$")] = "carrier",
) -> Response:
    """Energy by park-local hour, day or month and by tenant, building or carrier.

    Cached per caller scope as pre-serialised JSON until the data change.
    """
    lo, hi = _window(start, end)

    def compute() -> dict[str, Any]:
        energy = aggregate_energy(
            db, principal, park_id, lo, hi, interval=interval, group_by=group_by
        )
        return EnergyPublic.of(energy).model_dump(mode="json")

    key = ("energy", lo, hi, interval, group_by)
    return await cached_json(db, principal, park_id, key, compute)
