"""The readings pipeline: parsed readings → checks → idempotent store → re-rolled hours → report.

Every path (file, HTTP batch, MQTT, Modbus) hands parsed readings to :func:`ingest_parsed`, which,
inside the caller's transaction:

1. quarantines rows that did not parse, readings of meters the caller may not write, and
   readings whose time is outside the meter's plausible window (``implausible_time``: before the
   floor date or the meter's commissioning, or ahead of the clock; see :class:`TimeCheck`);
2. drops readings already stored with the same value (re-sending a batch changes nothing),
   replaces stored readings only when the new one is flagged ``corrected`` (keeping the history:
   who, when, old value, new value), and quarantines any other conflicting value;
3. inserts the new readings, then re-derives intervals (cumulative, interval or power, by the
   meter's kind) over exactly the window the new readings can affect, and rewrites the park-local
   hourly rollups of those hours only;
4. quarantines readings normalisation rejects (spikes, jumps, misaligned intervals) with reasons;
   every quarantined reading names where it came from (a file's row; a live worker's topic and
   record, through ``locate``);
5. judges again the stored readings around the new ones (:func:`reroll_meter`'s window): a
   reading whose judgement changed (a ``jump`` that later readings show was a transient
   ``spike``; one that now counts, or is now set aside) has its open record closed
   ``reclassified`` and, when still set aside, a new record with the new reason, so the
   quarantine ends as if the readings had come in one batch;
6. appends one audit entry for what it accepted (and one ``quarantine.reclassify`` entry naming
   the records it closed, if any).

Files are processed chunk by chunk, one transaction per chunk, so an interrupted import leaves
whole chunks and the same import run again completes it exactly.
"""

from __future__ import annotations

import copy
import logging
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Connection

from zeropark.config import Settings, load_settings
from zeropark.domain.access import Principal
from zeropark.domain.issues import Issue, ParamValue
from zeropark.domain.timeseries import (
    Quality,
    TimeWindow,
    TimeWindowRules,
    local_hour_bounds,
    plausible_window,
)
from zeropark.domain.timeseries.quality import iso_utc
from zeropark.errors import InputError, PartialImport, PermissionDenied, ZeroparkError
from zeropark.i18n import t
from zeropark.ingest.files import DEFAULT_CHUNK_ROWS, iter_readings_file
from zeropark.ingest.normalise import lookahead_of, meter_hours
from zeropark.ingest.prefetch import prefetch
from zeropark.ingest.readings_format import ParsedReadings, RowRejection
from zeropark.service.database import Database
from zeropark.service.monitor.hook import after_batch
from zeropark.service.reading_quarantine import (
    EXCLUDED_REASON_CODES,
    Rejudging,
    excluded_reason,
    reading_record,
    rejudge,
    withheld,
)
from zeropark.store import audit
from zeropark.store.engine import clock_of
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import (
    QuarantineRecord,
    add_records,
    new_records,
    open_reading_meters,
)
from zeropark.store.readings import (
    MeterRef,
    correct_readings,
    delete_rollups,
    insert_readings,
    meter_refs,
    neighbour_times,
    readings_between,
    write_rollups,
)

__all__ = [
    "MAX_SOURCE_CHARS",
    "IngestReport",
    "Locate",
    "TimeCheck",
    "display_name",
    "ingest_chunks",
    "ingest_parsed",
    "ingest_readings_file",
    "park_timezone",
    "reroll_meter",
    "time_check",
    "time_rules",
    "unseen_records",
]

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Window = tuple[IntArray, FloatArray, npt.NDArray[np.uint8]]
"""Readings of one meter as (ts_s, value, quality) arrays sorted by time."""
Locate = Callable[[int], tuple[str, str]]
"""Where the reading of source row ``row`` (``ParsedReadings.row``) came from, as the quarantine
names it: ``(source, location)``, e.g. an MQTT message's topic and ``received …, record 2``."""


@dataclass
class IngestReport:
    """What one ingest did: counts of every outcome, and the first issues as data.

    Counts are net, so the reports of readings sent in several batches (or a file stored in
    several chunks) add up to the report of the same readings in one: a batch that re-judges an
    earlier batch's reading takes its record out (``rejected`` and its code's count minus one,
    ``quarantined_quantity`` minus what that record withheld, ``accepted`` plus one when the
    reading now counts) and puts the new judgement's record in. ``reclassified`` counts the
    records it closed; a code's count in one batch's report may be negative.
    """

    source: str
    received: int = 0
    accepted: int = 0
    duplicates: int = 0
    corrected: int = 0
    rejected: int = 0
    estimated_intervals: int = 0
    quarantined_quantity: float = 0.0
    hours_rerolled: int = 0
    reclassified: int = 0
    """Records of readings stored before that this ingest closed as ``reclassified``."""
    meters: set[str] = field(default_factory=set)
    rejected_by_code: Counter[str] = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    """The first :data:`MAX_ISSUES` issues (every issue of a rejected record, in order)."""
    chunks: int = 0
    """Chunks committed (each in its own transaction: all of a chunk is stored, or none)."""
    stored_through_row: int | None = None
    """The last source row of the last committed chunk (files: every row up to it is done)."""

    MAX_ISSUES = 200

    def reject(self, record: QuarantineRecord, issues: Sequence[Issue] | None = None) -> None:
        """Count one rejected record and keep its issues (default: the record's own), the
        first few hundred."""
        self.rejected += 1
        self.rejected_by_code[record.code] += 1
        for issue in issues if issues is not None else (record.issue(),):
            if len(self.issues) >= self.MAX_ISSUES:
                break
            self.issues.append(issue)

    def reclassify(self, code: str, quantity: float, issue: Issue, *, now_counted: bool) -> None:
        """Take back one record closed as ``reclassified`` (code ``code``, withholding
        ``quantity``); ``now_counted``: its reading now counts in derived quantities. ``issue``
        says so in the report."""
        self.reclassified += 1
        self.rejected -= 1
        self.rejected_by_code[code] -= 1
        self.quarantined_quantity -= quantity
        self.accepted += int(now_counted)
        if len(self.issues) < self.MAX_ISSUES:
            self.issues.append(issue)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output and the audit log."""
        return {
            "source": self.source,
            "received": self.received,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "corrected": self.corrected,
            "rejected": self.rejected,
            "estimated_intervals": self.estimated_intervals,
            "quarantined_quantity": self.quarantined_quantity,
            "hours_rerolled": self.hours_rerolled,
            "meters": sorted(self.meters),
            "rejected_by_code": {c: n for c, n in sorted(self.rejected_by_code.items()) if n},
            "chunks": self.chunks,
            **({"reclassified": self.reclassified} if self.reclassified else {}),
            **(
                {"stored_through_row": self.stored_through_row}
                if self.stored_through_row is not None
                else {}
            ),
        }

    def restore(self, snapshot: IngestReport) -> None:
        """Take back the counts of a chunk whose transaction rolled back."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(snapshot, name))

    def committed(self, parsed: ParsedReadings) -> None:
        """Count one committed chunk and the last source row it covered."""
        self.chunks += 1
        rows = [int(parsed.row.max())] if len(parsed) else []
        rows += [r.row for r in parsed.rejections if r.row is not None]
        if rows and max(rows) >= 0:
            self.stored_through_row = max(self.stored_through_row or 0, max(rows))


def time_rules(settings: Settings | None = None) -> TimeWindowRules:
    """The plausibility rules of ``settings`` (default: the environment's ``ZEROPARK_*``)."""
    s = settings if settings is not None else load_settings()
    return TimeWindowRules(s.readings_earliest, s.readings_max_age_days, s.readings_clock_skew_s)


@dataclass(frozen=True, slots=True)
class TimeCheck:
    """The clock and rules a batch's reading times are checked against.

    The pipeline's one view of "now": an entry point takes it once (a file import at its start,
    a live batch when it is stored) and every meter's window derives from it.
    """

    now_s: int
    rules: TimeWindowRules

    def window(self, ref: MeterRef, timezone: str) -> TimeWindow:
        """The plausible times of ``ref``'s readings."""
        return plausible_window(
            self.now_s, self.rules, timezone=timezone, commissioned=ref.commissioned
        )


def time_check(now_s: float, rules: TimeWindowRules | None = None) -> TimeCheck:
    """A :class:`TimeCheck` at ``now_s`` [UTC epoch s] (the caller's clock: ``db.clock``) with
    ``rules`` (default: :func:`time_rules` of the environment)."""
    return TimeCheck(int(now_s), rules if rules is not None else time_rules())


def _row_record(rej: RowRejection) -> QuarantineRecord:
    return QuarantineRecord.of_issue(rej.issue(), payload=rej.record, reason=rej.reason)


def _where(source: str, row: int | None, locate: Locate | None) -> tuple[str, str | None]:
    """The source and location of the reading of source row ``row`` (None or negative: the
    reading has no row, e.g. a Modbus value: the batch alone)."""
    if row is None or row < 0:
        return source, None
    if locate is not None:
        return locate(row)
    return source, f"row {row}"


def _reject(
    report: IngestReport,
    records: list[QuarantineRecord],
    *,
    meter: str,
    tenant_id: str | None,
    row: int | None,
    ts_s: int,
    value: float,
    code: str,
    reason: str,
    reason_code: str,
    params: dict[str, ParamValue],
    extra: dict[str, Any] | None = None,
    locate: Locate | None = None,
) -> None:
    """Quarantine one reading and count it in the report.

    ``row`` is the reading's source row (``ParsedReadings.row``; None or negative: none), named
    as ``row <n>`` of the report's source or, with ``locate``, where ``locate`` says.

    ``extra`` goes into the quarantine payload only (what an admin reviews), never into the
    reason the sender gets back: a stored value, for one, is not the sender's to learn.
    ``reason_code`` and ``params`` give the reason as data (the message catalogue's), so a
    reader sees it in its language; ``reason`` is its English words.
    """
    source, location = _where(report.source, row, locate)
    record = reading_record(
        source, location, meter, ts_s, value, code, reason, tenant_id, extra, reason_code, params
    )
    records.append(record)
    report.reject(record)


def refuse_foreign_meters(principal: Principal, park_id: str, meter_ids: set[str]) -> None:
    """Refuse a whole batch (403, nothing stored) that names meters the sender may not write.

    Park admins (and the local operator) keep the review queue: their readings of an unknown or
    deactivated meter are quarantined. Anyone else (a gateway) may only send its bound meters;
    a batch naming any other is refused whole, so a foreign or misconfigured device can neither
    write nor fill the quarantine. The message names the meters it sent, nothing stored.
    """
    if principal.role != "gateway":
        # Admins keep the review queue; a tenant's rows of a meter it does not own are
        # quarantined under its own tenant (its review queue), each with its reason.
        return
    denied = sorted(m for m in meter_ids if not principal.can_write_reading(park_id, m))
    if denied:
        shown = ", ".join(repr(m) for m in denied[:5]) + (" …" if len(denied) > 5 else "")
        raise PermissionDenied(
            t(
                f"此调用方不能写入这些电表的读数: {shown}；整批未写入",
                f"this caller may not write readings of {shown}; nothing of the batch was stored",
            )
        )


def ingest_parsed(
    conn: Connection,
    principal: Principal,
    park_id: str,
    timezone: str,
    parsed: ParsedReadings,
    report: IngestReport,
    *,
    times: TimeCheck | None = None,
    refuse_foreign: bool = False,
    locate: Locate | None = None,
) -> None:
    """Run one chunk of parsed readings through the pipeline (module doc), in ``conn``'s tx.

    ``times`` is the clock and rules reading times are checked against (default: the time of
    ``conn``'s clock, with the environment's rules). ``refuse_foreign``: a request (HTTP batch or
    upload) naming a meter its sender may not write is refused whole
    (:func:`refuse_foreign_meters`); a live worker (MQTT, Modbus) instead quarantines such
    readings, since the broker, not the message, says who sent them and one device's mistake
    must not stop the others. ``locate`` says where a source row came from when it is more than
    ``row <n>`` of ``report.source`` (an MQTT batch: the message's topic and record).
    """
    source = report.source
    times = times if times is not None else time_check(clock_of(conn).now_s())
    if refuse_foreign:
        refuse_foreign_meters(principal, park_id, set(parsed.meter.tolist()))
    records: list[QuarantineRecord] = []
    report.received += len(parsed) + len(parsed.rejections)
    for rej in parsed.rejections:
        record = _row_record(rej)
        records.append(record)
        report.reject(record)
    refs = meter_refs(conn, principal, park_id, set(parsed.meter.tolist()))
    batch = audit.reserve_seq(conn)
    written: list[tuple[str, IntArray, FloatArray]] = []
    rejudging = Rejudging(
        open_reading_meters(conn, principal, park_id, list(refs), EXCLUDED_REASON_CODES)
    )
    codes, _ = pd.factorize(parsed.meter, sort=True)
    order = np.lexsort((parsed.ts_s, codes))
    meter_sorted = parsed.meter[order]
    starts = np.flatnonzero(np.r_[True, meter_sorted[1:] != meter_sorted[:-1]])
    if meter_sorted.size == 0:  # every row of the batch was rejected by the parser
        starts = starts[:0]
    stops = np.r_[starts[1:], meter_sorted.size][: starts.size]
    for lo, hi in zip(starts.tolist(), stops.tolist(), strict=True):
        idx = order[lo:hi]
        meter_id = str(meter_sorted[lo])
        ref = refs.get(meter_id)
        owner = ref.tenant_id if ref is not None else None
        writable = principal.can_write_reading(park_id, meter_id, owner)
        if ref is None or not ref.active or not writable:
            code = "inactive_meter" if ref is not None and ref.active is False else "unknown_meter"
            reason = (
                f"meter {meter_id!r} is deactivated"
                if code == "inactive_meter"
                else f"no meter {meter_id!r} in park {park_id!r} that this caller may write"
            )
            for i in idx.tolist():
                _reject(
                    report,
                    records,
                    meter=meter_id,
                    tenant_id=principal.tenant_id if principal.role == "tenant" else None,
                    row=int(parsed.row[i]),
                    ts_s=int(parsed.ts_s[i]),
                    value=float(parsed.value[i]),
                    code=code,
                    reason=reason,
                    reason_code=code,
                    params={"meter": meter_id, "park": park_id},
                    locate=locate,
                )
            continue
        window = times.window(ref, timezone)
        outside = window.outside(parsed.ts_s[idx])
        if outside.any():
            for i in idx[outside].tolist():
                ts_i = int(parsed.ts_s[i])
                _reject(
                    report,
                    records,
                    meter=meter_id,
                    tenant_id=ref.tenant_id,
                    row=int(parsed.row[i]),
                    ts_s=ts_i,
                    value=float(parsed.value[i]),
                    code="implausible_time",
                    reason=f"{meter_id}: {window.reason(ts_i)}",
                    reason_code="implausible_time",
                    params={
                        "meter": meter_id,
                        "time": iso_utc(ts_i),
                        "window": window.describe(),
                        "window_zh": window.describe_zh(),
                    },
                    locate=locate,
                )
            idx = idx[~outside]
            if idx.size == 0:
                continue
        changed, values, rows, middle = _store_meter(
            conn, principal, ref, parsed, idx, records, report, batch, locate
        )
        if changed.size:
            report.meters.add(meter_id)
            written.append((meter_id, changed, values))
            reroll_meter(
                conn, principal, ref, changed, timezone, report, records, source, middle,
                rows=rows, locate=locate, rejudging=rejudging,
            )  # fmt: skip
    if principal.role == "tenant":
        # A tenant's rejected rows are its own to review: its quarantine list shows them.
        records = [r if r.tenant_id else replace(r, tenant_id=principal.tenant_id) for r in records]
    records = unseen_records(conn, park_id, records)
    add_records(conn, park_id, records, sent_by=principal.subject)
    if written:
        audit.append(
            conn,
            actor=principal.subject,
            action="readings.batch",
            park_id=park_id,
            entity=f"source:{source}",
            payload={
                "batch": batch,
                "source": source,
                "rows": sum(ts.size for _, ts, _ in written),
                "rows_sha256": audit.readings_digest_arrays(written),
            },
        )
    if rejudging.closed:
        # After the batch's own entry: its readings carry the sequence number reserved for it.
        ids = [int(r["id"]) for r in rejudging.closed]
        audit.append(
            conn,
            actor=principal.subject,
            action="quarantine.reclassify",
            park_id=park_id,
            entity=_entity("quarantine", ids),
            payload={"ids": ids, "source": source, "batch": batch, "records": rejudging.closed},
        )


def _entity(kind: str, ids: Sequence[int]) -> str:
    """An audit entity naming records by id, cut to the column (the payload names them all)."""
    text = f"{kind}:{','.join(map(str, ids))}"
    return text if len(text) <= 200 else text[:199] + "…"


def _store_meter(
    conn: Connection,
    principal: Principal,
    ref: MeterRef,
    parsed: ParsedReadings,
    idx: IntArray,
    records: list[QuarantineRecord],
    report: IngestReport,
    batch: int,
    locate: Locate | None = None,
) -> tuple[IntArray, FloatArray, IntArray, Window]:
    """Store one meter's readings of a chunk.

    Returns the times, values and source rows written (new or corrected) and the meter's stored
    readings between the chunk's first and last time after the write (for :func:`reroll_meter`).
    Written
    rows carry ``batch`` (the audit sequence number of this batch) for verification.
    """
    ts, value = parsed.ts_s[idx], parsed.value[idx]
    quality, rows = parsed.quality[idx], parsed.row[idx]
    # Within the batch: the same time twice with the same value is a duplicate, else a conflict.
    repeat = np.r_[False, ts[1:] == ts[:-1]]
    same = np.r_[False, value[1:] == value[:-1]]
    report.duplicates += int((repeat & same).sum())
    _reject_where(
        report,
        records,
        ref,
        repeat & ~same,
        (rows, ts, value),
        "conflicting_duplicate",
        lambda i: f"a second, different value for {iso_utc(int(ts[i]))} in the same batch",
        params=lambda i: {"meter": ref.id, "time": iso_utc(int(ts[i]))},
        locate=locate,
    )
    keep = ~repeat
    ts, value, quality, rows = ts[keep], value[keep], quality[keep], rows[keep]
    stored_ts, stored_value, stored_quality = readings_between(
        conn, principal, ref, int(ts.min()), int(ts.max())
    )
    if stored_ts.size:
        pos = np.clip(np.searchsorted(stored_ts, ts), 0, stored_ts.size - 1)
        exists = stored_ts[pos] == ts
        old = np.where(exists, stored_value[pos], np.nan)
    else:
        exists, old = np.zeros(ts.size, bool), np.full(ts.size, np.nan)
    duplicate = exists & (old == value)
    correcting = exists & ~duplicate & ((quality & np.uint8(Quality.CORRECTED)) != 0)
    conflict = exists & ~duplicate & ~correcting
    report.duplicates += int(duplicate.sum())
    _reject_where(
        report,
        records,
        ref,
        conflict,
        (rows, ts, value),
        "conflict",
        lambda i: (
            f"{ref.id} at {iso_utc(int(ts[i]))} already has a different stored value; "
            "send it with quality 'corrected' to replace it"
        ),
        extra=lambda i: {"stored_value": float(old[i])},
        params=lambda i: {"meter": ref.id, "time": iso_utc(int(ts[i]))},
        locate=locate,
    )
    new = ~exists
    report.accepted += insert_readings(
        conn, principal, ref, ts[new], value[new], quality[new], batch
    )
    if correcting.any():
        report.corrected += correct_readings(
            conn,
            principal,
            ref,
            (ts[correcting], value[correcting], quality[correcting]),
            old[correcting],
            batch,
            source=report.source,
        )
    written = new | correcting
    middle = _merge(
        (stored_ts, stored_value, stored_quality),
        (ts[written], value[written], quality[written]),
    )
    return ts[written], value[written], rows[written], middle


def _reject_where(
    report: IngestReport,
    records: list[QuarantineRecord],
    ref: MeterRef,
    mask: npt.NDArray[np.bool_],
    columns: tuple[IntArray, IntArray, FloatArray],
    code: str,
    reason: Callable[[int], str],
    params: Callable[[int], dict[str, ParamValue]],
    extra: Callable[[int], dict[str, Any]] | None = None,
    locate: Locate | None = None,
) -> None:
    """Quarantine the readings of one meter selected by ``mask`` (rows, ts_s, value columns);
    ``params`` gives the reason's parameters (reason code: ``code``)."""
    rows, ts, value = columns
    for i in np.flatnonzero(mask).tolist():
        _reject(
            report,
            records,
            meter=ref.id,
            tenant_id=ref.tenant_id,
            row=int(rows[i]),
            ts_s=int(ts[i]),
            value=float(value[i]),
            code=code,
            reason=reason(i),
            extra=extra(i) if extra is not None else None,
            reason_code=code,
            params=params(i),
            locate=locate,
        )


def _merge(stored: Window, written: Window) -> Window:
    """Stored readings with the written ones applied (a written time replaces a stored one)."""
    ts = np.concatenate([stored[0], written[0]])
    order = np.argsort(ts, kind="stable")
    ts = ts[order]
    last = np.r_[ts[1:] != ts[:-1], True] if ts.size else np.zeros(0, bool)
    value = np.concatenate([stored[1], written[1]])[order][last]
    quality = np.concatenate([stored[2], written[2]])[order][last]
    return ts[last], value, quality


def reroll_meter(
    conn: Connection,
    principal: Principal,
    ref: MeterRef,
    changed_ts: IntArray,
    timezone: str,
    report: IngestReport,
    records: list[QuarantineRecord],
    source: str,
    middle: Window | None = None,
    *,
    rows: IntArray | None = None,
    locate: Locate | None = None,
    rejudging: Rejudging | None = None,
) -> None:
    """Re-derive the intervals new readings can affect and rewrite exactly those hours.

    The hours are those from the ``lookahead + 1``-th reading before the first changed one to
    the ``lookahead + 1``-th after the last; they are re-derived from every reading they need plus
    ``lookahead + 1`` readings of context on each side. ``middle`` — the stored readings between
    the first and last changed time, when the caller has them — saves reading them again.
    ``principal`` is the writer of the readings (it may write the meter's rollups).
    ``rows`` are the source rows of ``changed_ts`` (same order), so a reading normalisation sets
    aside is quarantined with its row (placed by ``locate`` as for :func:`_reject`).

    The stored readings from the ``lookahead + 1``-th before to the ``lookahead + 1``-th after
    (whose intervals are in the rewritten hours) are judged again (:func:`rejudge`); the records
    it closes are appended to ``rejudging.closed`` (for the batch's audit entry).
    """
    context = lookahead_of(ref) + 1
    lo_s, hi_s = int(changed_ts[0]), int(changed_ts[-1])
    t_a, t_b = neighbour_times(conn, principal, ref, lo_s, hi_s, context)
    bounds = local_hour_bounds(t_a, t_b, timezone)
    h_lo, h_hi = int(bounds[0]), int(bounds[-1])
    if h_hi <= t_b:
        h_hi = int(local_hour_bounds(t_b, t_b + 3600, timezone)[1])
    f_lo, f_hi = neighbour_times(conn, principal, ref, h_lo, h_hi, context)
    if middle is None:
        ts, value, quality = readings_between(conn, principal, ref, f_lo, f_hi)
    else:
        before = readings_between(conn, principal, ref, f_lo, lo_s - 1)
        after = readings_between(conn, principal, ref, hi_s + 1, f_hi)
        inside = (middle[0] >= lo_s) & (middle[0] <= hi_s)
        ts = np.concatenate([before[0], middle[0][inside], after[0]])
        value = np.concatenate([before[1], middle[1][inside], after[1]])
        quality = np.concatenate([before[2], middle[2][inside], after[2]])
    derived = meter_hours(ref, ts, value, quality, timezone)
    result, ending, rollup = derived.intervals, derived.ending, derived.hours
    if f_lo >= h_lo and result.start_s.size and int(result.start_s.min()) < h_lo:
        # No stored reading before the first hour: the intervals that begin before it (an
        # interval meter's first reading ends its interval) come from these readings only, so
        # their hours are rewritten too (verify derives the whole series the same way).
        h_lo = int(local_hour_bounds(int(result.start_s.min()), h_lo, timezone)[0])
    keep = (rollup.hour_start_s >= h_lo) & (rollup.hour_start_s < h_hi)
    delete_rollups(conn, principal, ref, h_lo, h_hi)
    write_rollups(
        conn,
        principal,
        ref,
        rollup.hour_start_s[keep],
        rollup.quantity[keep],
        rollup.estimated_quantity[keep],
        rollup.coverage_s[keep],
    )
    report.hours_rerolled += int(keep.sum())
    new_end = _members(ts[ending], changed_ts) if ts.size else np.zeros(0, bool)
    estimated = (result.quality & np.uint8(Quality.ESTIMATED)) != 0
    report.estimated_intervals += int((estimated & new_end).sum())
    changed = set(changed_ts.tolist())
    for rej in result.rejections:
        if rej.ts_s not in changed:
            continue
        report.accepted -= 1
        report.quarantined_quantity += rej.quarantined_quantity
        reason, reason_code, params = excluded_reason(ref.id, rej)
        row = None if rows is None else int(rows[np.searchsorted(changed_ts, rej.ts_s)])
        _reject(
            report,
            records,
            meter=ref.id,
            tenant_id=ref.tenant_id,
            row=row,
            ts_s=rej.ts_s,
            value=rej.value,
            code=str(rej.code),
            reason=reason,
            reason_code=reason_code,
            params=params,
            extra=withheld(rej),
            locate=locate,
        )
    rejudging = rejudging if rejudging is not None else Rejudging()
    again = [r for r in result.rejections if t_a <= r.ts_s <= t_b and r.ts_s not in changed]
    if again or rejudging.open_meters is None or ref.id in rejudging.open_meters:
        window = (t_a, t_b)
        closed = rejudge(conn, principal, ref, window, changed, again, report, records)
        rejudging.closed += closed


def _members(values: IntArray, sorted_set: IntArray) -> npt.NDArray[np.bool_]:
    """Which ``values`` are in ``sorted_set`` (sorted ascending), by binary search."""
    pos = np.clip(np.searchsorted(sorted_set, values), 0, max(sorted_set.size - 1, 0))
    found: npt.NDArray[np.bool_] = (
        sorted_set[pos] == values if sorted_set.size else values != values
    )
    return found


def unseen_records(
    conn: Connection, park_id: str, records: list[QuarantineRecord]
) -> list[QuarantineRecord]:
    """Drop records already quarantined (open) from the same source: re-imports add nothing."""
    return new_records(conn, park_id, records)


def park_timezone(conn: Connection, principal: Principal, park_id: str) -> str:
    """The park's timezone, for any principal of the park (gateways included)."""
    return ParkRepository(conn, principal).timezone(park_id)


#: The longest name a batch is given in reports, quarantine and the audit log.
MAX_SOURCE_CHARS = 160


def display_name(source: str) -> str:
    """The name a batch is known by in reports, quarantine and the audit log.

    The caller's name for it (an upload's file name, never the server's temporary path), trimmed
    and cut to :data:`MAX_SOURCE_CHARS`; a name holding a control character (NUL included) is
    refused with a 422, since it could be neither stored nor shown.
    """
    if any(unicodedata.category(c) == "Cc" for c in source):
        raise InputError(
            "the source name contains a control character", field="source", location="source"
        )
    name = source.strip() or "upload"
    return name if len(name) <= MAX_SOURCE_CHARS else name[: MAX_SOURCE_CHARS - 1] + "…"


def _run_chunks(
    db: Database,
    principal: Principal,
    park_id: str,
    timezone: str,
    chunks: Iterable[tuple[ParsedReadings, int]],
    report: IngestReport,
    times: TimeCheck,
    on_chunk: Callable[[int], None] | None,
) -> None:
    """Store chunks one transaction each; an error after the first commit names what is stored.

    A chunk is all or nothing: the report's counts of a chunk that rolled back are taken back.
    An error before any chunk committed is raised as it is (nothing was written); after, it is
    raised as :class:`~zeropark.errors.PartialImport` whose text says how many chunks and rows
    were stored, so a caller never gets a bare failure after a partial write.
    """
    try:
        for parsed, position in chunks:
            snapshot = copy.deepcopy(report)
            try:
                with db.transaction() as conn:
                    ingest_parsed(
                        conn, principal, park_id, timezone, parsed, report,
                        times=times, refuse_foreign=True,
                    )  # fmt: skip
            except BaseException:
                report.restore(snapshot)
                raise
            report.committed(parsed)
            if on_chunk:
                on_chunk(position)
    except Exception as exc:
        if report.chunks == 0:
            raise
        raise _partial(report, exc) from exc


def _partial(report: IngestReport, exc: Exception) -> PartialImport:
    """The error of an import stopped by ``exc`` after ``report.chunks`` chunks committed."""
    through = report.stored_through_row
    stored = (
        f"the import stopped after {report.chunks:,} chunk(s) were stored "
        f"({report.accepted:,} readings accepted, {report.rejected:,} quarantined"
        + (f", every row up to row {through:,}" if through is not None else "")
        + "); nothing after them was stored"
    )
    if isinstance(exc, ZeroparkError):
        cause, status = str(exc), exc.http_status
    else:
        log.exception("readings import %s stopped by an internal error", report.source)
        cause, status = "an internal error", 500
    return PartialImport(
        f"{stored}. Cause: {cause}. Import the same file again once fixed: the stored rows "
        "count as duplicates and change nothing.",
        source=report.source,
        location=f"rows after {through}" if through is not None else None,
        stored=report.as_dict(),
        http_status=status,
    )


def ingest_chunks(
    db: Database,
    principal: Principal,
    park_id: str,
    chunks: Iterable[ParsedReadings],
    *,
    source: str,
    on_chunk: Callable[[int], None] | None = None,
    now_s: float | None = None,
    rules: TimeWindowRules | None = None,
) -> IngestReport:
    """Ingest chunks, each in its own transaction; ``on_chunk`` receives each chunk's index.

    ``now_s`` and ``rules`` set the plausibility check of reading times (default: the system
    clock, ``db.clock``, and the environment's settings). See :func:`_run_chunks` for errors
    part-way.
    """
    report = IngestReport(display_name(source))
    times = time_check(db.clock.now_s() if now_s is None else now_s, rules)
    with db.transaction() as conn:
        timezone = park_timezone(conn, principal, park_id)
    numbered = ((parsed, number) for number, parsed in enumerate(chunks))
    _run_chunks(db, principal, park_id, timezone, numbered, report, times, on_chunk)
    return report


def ingest_readings_file(
    db: Database,
    principal: Principal,
    park_id: str,
    path: Path,
    *,
    on_progress: Callable[[int], None] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    source: str | None = None,
    now_s: float | None = None,
    rules: TimeWindowRules | None = None,
) -> IngestReport:
    """Import a CSV or Excel readings file; ``on_progress`` gets bytes (CSV) or rows (Excel).

    ``source`` names the file in reports and quarantine (default: its path), e.g. the name of
    an uploaded file rather than the temporary path it was saved under: every issue text is
    written with it. Chunks (:func:`~zeropark.ingest.files.chunk_sizes`) are stored one
    transaction each; ``now_s`` and ``rules`` as for :func:`ingest_chunks`.
    """
    name = display_name(source if source is not None else str(path))
    times = time_check(db.clock.now_s() if now_s is None else now_s, rules)
    with db.transaction() as conn:
        timezone = park_timezone(conn, principal, park_id)
    report = IngestReport(name)
    chunks = iter_readings_file(path, timezone=timezone, chunk_rows=chunk_rows, source=name)
    pairs = ((chunk.parsed, chunk.position) for chunk in prefetch(chunks))
    _run_chunks(db, principal, park_id, timezone, pairs, report, times, on_progress)
    after_batch(db, park_id)  # the alert rules watching this park's meters (service/monitor)
    return report
