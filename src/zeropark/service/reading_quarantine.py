"""Readings that normalisation sets aside, in the quarantine: their records and their re-judging.

A reading is judged by the readings around it (a register rise that has not come back is a
``jump``, one that comes back a transient ``spike``), so a later batch can change the judgement
of readings an earlier one stored. :func:`rejudge` keeps the quarantine in step: records are
evidence and are never edited, an open record whose reason no longer holds is closed
``reclassified``, and a reading still set aside gets a record with its present reason. Called
by the readings pipeline (:mod:`zeropark.service.ingest`) inside the batch's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.issue_messages import render
from zeropark.domain.issues import Issue, ParamValue
from zeropark.domain.timeseries import Rejection
from zeropark.domain.timeseries.quality import iso_utc
from zeropark.store.quarantine import (
    RECLASSIFIED,
    QuarantineRecord,
    reading_records,
    reclassify_records,
)
from zeropark.store.readings import MeterRef, batch_sources

if TYPE_CHECKING:
    from zeropark.service.ingest import IngestReport

__all__ = [
    "EXCLUDED_REASON_CODES",
    "Rejudging",
    "excluded_reason",
    "reading_record",
    "rejudge",
    "withheld",
]


def reading_record(
    source: str,
    location: str | None,
    meter: str,
    ts_s: int,
    value: float,
    code: str,
    reason: str,
    tenant_id: str | None,
    extra: dict[str, Any] | None,
    reason_code: str,
    params: dict[str, ParamValue],
) -> QuarantineRecord:
    """The quarantine record of one reading (``meter`` at ``ts_s`` [UTC s]) set aside."""
    return QuarantineRecord(
        source=source,
        code=code,
        reason=reason,
        location=location,
        field="value",
        value=repr(float(value)),
        tenant_id=tenant_id,
        payload={"meter": meter, "ts": iso_utc(ts_s), "value": float(value), **(extra or {})},
        reason_code=reason_code,
        params=params,
    )


#: The reason codes of the records of readings normalisation set aside (:func:`excluded_reason`).
EXCLUDED_REASON_CODES = ("reading_excluded_because", "reading_excluded")


@dataclass
class Rejudging:
    """What one batch's re-judgement of stored readings (:func:`rejudge`) needs and did.

    ``open_meters``: the meters with open records of readings set aside when the batch began
    (None: unknown, look); a meter without any, whose re-derived window sets nothing aside, has
    nothing to re-judge. ``closed``: the records closed as reclassified, for the audit entry.
    """

    open_meters: set[str] | None = None
    closed: list[dict[str, Any]] = field(default_factory=list)


def withheld(rej: Rejection) -> dict[str, Any] | None:
    """The quarantine payload's note of the derived quantity ``rej`` withholds (a jump's)."""
    return {"quarantined_quantity": rej.quarantined_quantity} if rej.quarantined_quantity else None


def rejudge(
    conn: Connection,
    principal: Principal,
    ref: MeterRef,
    window: tuple[int, int],
    changed: set[int],
    rejections: Sequence[Rejection],
    report: IngestReport,
    records: list[QuarantineRecord],
) -> list[dict[str, Any]]:
    """Bring the quarantine of the stored readings in ``window`` (those not in ``changed``) up
    to this derivation's judgement of them (``rejections``: those it sets aside).

    A reading is judged by the readings around it (a rise that has not come back is a ``jump``,
    one that comes back a transient ``spike``), so new readings can change the judgement of
    readings already stored. Records are evidence and are never edited: an open record whose
    reason no longer holds is closed ``reclassified``; a reading set aside with no record of its
    present reason (open, or resolved by an admin) gets a new record, named after where the
    reading came from (its earlier record's source and location, else the batch that stored
    it). The report counts both (:class:`IngestReport`); returns the closed records, for the
    audit entry.
    """
    lo, hi = window
    now = {iso_utc(r.ts_s): r for r in rejections}
    known: dict[str, list[dict[str, Any]]] = {}
    # Nothing set aside now: only open records can need closing.
    statuses = None if rejections else ("open",)
    for stored in reading_records(
        conn, principal, ref, iso_utc(lo), iso_utc(hi), EXCLUDED_REASON_CODES, statuses
    ):
        known.setdefault(str(stored["payload"]["ts"]), []).append(stored)
    changed_iso = {iso_utc(t) for t in changed}
    closed: list[dict[str, Any]] = []
    added: list[tuple[Rejection, dict[str, Any] | None]] = []
    for time in sorted(set(now) | set(known)):
        if time in changed_iso:
            continue  # judged with the batch (reroll_meter)
        rej, mine = now.get(time), known.get(time, [])
        reason = None if rej is None else excluded_reason(ref.id, rej)
        opened = [r for r in mine if r["status"] == "open"]
        stale = [r for r in opened if reason is None or r["reason"] != reason[0]]
        held = reason is not None and any(
            r["reason"] == reason[0] and r["status"] != RECLASSIFIED for r in mine
        )
        if stale:
            reclassify_records(conn, principal, ref, [int(r["id"]) for r in stale])
        for k, record in enumerate(stale):  # the reading counts again once, however many
            closed.append(_reclassified(ref.id, record, rej, reason, report, first=k == 0))
        if rej is not None and not held:
            was_excluded = any(r["status"] in ("open", "dismissed") for r in mine)
            report.accepted -= int(not was_excluded)
            added.append((rej, mine[-1] if mine else None))
    if added:
        origins = batch_sources(conn, principal, ref, [r.ts_s for r, last in added if last is None])
        for judged, last in added:
            source, location = (
                (last["source"], last["location"])
                if last is not None
                else (origins.get(judged.ts_s) or report.source, None)
            )
            words, reason_code, params = excluded_reason(ref.id, judged)
            new = reading_record(
                source, location, ref.id, judged.ts_s, judged.value, str(judged.code), words,
                ref.tenant_id, withheld(judged), reason_code, params,
            )  # fmt: skip
            records.append(new)
            report.reject(new)
            report.quarantined_quantity += judged.quarantined_quantity
    return closed


def _reclassified(
    meter: str,
    record: dict[str, Any],
    rej: Rejection | None,
    reason: tuple[str, str, dict[str, ParamValue]] | None,
    report: IngestReport,
    *,
    first: bool,
) -> dict[str, Any]:
    """Count ``record`` (closed as reclassified) out of ``report`` with an issue saying why
    (``first``: the first closed record of its reading); returns what the audit entry says."""
    time = str(record["payload"]["ts"])
    params: dict[str, ParamValue] = {"record": int(record["id"]), "meter": meter, "time": time}
    if rej is None or reason is None:
        code = "quarantine_reclassified_accepted"
        detail = (
            f"{meter} {time}: judged again with later readings, the reading counts in derived "
            f"quantities; quarantine record {record['id']} is closed as reclassified"
        )
    else:
        code = "quarantine_reclassified"
        reason_params = reason[2]
        params["reason_zh"] = reason_params.get("reason_zh", rej.reason)
        params["reason_en"] = rej.reason
        detail = (
            f"{meter} {time}: judged again with later readings; quarantine record "
            f"{record['id']} is closed as reclassified, the reason now: {rej.reason}"
        )
    params["detail"] = detail
    issue = Issue(
        "reclassified",
        code,
        params,
        source=record["source"],
        location=record["location"],
        field=record["field"],
        value=record["value"],
    )
    withheld = float((record["payload"] or {}).get("quarantined_quantity") or 0.0)
    report.reclassify(str(record["code"]), withheld, issue, now_counted=rej is None and first)
    return {
        "id": int(record["id"]),
        "meter": meter,
        "time": time,
        "was": record["code"],
        "now": None if rej is None else str(rej.code),
        "reason_code": code,
        "params": params,
    }


def excluded_reason(meter: str, rej: Rejection) -> tuple[str, str, dict[str, ParamValue]]:
    """The reason of a reading normalisation set aside: in English, and as a reason code and
    parameters: ``reading_excluded_because`` with the rejection's own reason in both languages
    (``reading_excluded``, English inside, when the rejection has no reason code)."""
    time = iso_utc(rej.ts_s)
    reason = (
        f"{meter} {time}: {rej.reason} (the reading is kept but excluded from derived quantities)"
    )
    if not rej.reason_code:
        return reason, "reading_excluded", {"meter": meter, "time": time, "detail": rej.reason}
    params: dict[str, ParamValue] = {
        "meter": meter,
        "time": time,
        "reason_zh": render(rej.reason_code, rej.params, "zh"),
        "reason_en": rej.reason,
        "detail": reason,
    }
    return reason, "reading_excluded_because", params
