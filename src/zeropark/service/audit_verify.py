"""``zeropark verify``: recompute the audit chain and the hashes of the stored rows it covers.

Checks, in one pass over the log (DESIGN.md §5):

1. the chain: sequence numbers without gaps, each entry's ``prev_sha256`` equal to the previous
   entry's hash, its payload hash and its own hash recomputed;
2. readings: for every ``readings.batch`` entry, the digest of the rows that batch wrote (rows now
   carrying its ``batch_id``, plus corrected rows' old values kept in ``corrections``) equals its
   recorded ``rows_sha256``; a stored reading of no audited batch is a failure too;
3. activity records: every stored record hashes to the hash the newest ``activities.write``
   entry recorded for its key (see :func:`zeropark.store.activities.seal_activities`, the
   writer's half of the contract, called by every write of activity records);
4. published inventories: every row's result hashes to its ``result_sha256``, which equals the
   one its ``inventory.publish`` entry recorded.

The report names the first record (lowest sequence number) that does not match. An auditor can
export the chain (:func:`zeropark.service.audit_export.export_chain`, JSON lines) and check it
offline with :func:`verify_export`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, inspect, select

from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import InputError
from zeropark.service.audit_export import EXPORT_FORMAT, log_rows, require_verifier
from zeropark.service.database import Database
from zeropark.store import audit
from zeropark.store.activities import activity_key, activity_sha256
from zeropark.store.schema import activity_records, corrections, meters, readings

__all__ = ["Mismatch", "VerifyReport", "verify_database", "verify_export"]
MAX_FAILURES = 20


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One record that does not match: the audit entry (``seq``), what, and why."""

    seq: int | None
    action: str | None
    entity: str | None
    kind: str
    reason: str


@dataclass
class VerifyReport:
    """Outcome of a verification: counts of what was checked and the failures found."""

    entries: int = 0
    batches: int = 0
    readings: int = 0
    activities: int = 0
    inventories: int = 0
    head_sha256: str = audit.GENESIS
    failures: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when everything matched."""
        return not self.failures

    @property
    def first_failure(self) -> Mismatch | None:
        """The failure of the lowest sequence number (records of no entry last)."""
        if not self.failures:
            return None
        return min(self.failures, key=lambda m: (m.seq is None, m.seq or 0))

    def fail(self, mismatch: Mismatch) -> None:
        """Record a failure (the first :data:`MAX_FAILURES` are kept)."""
        if len(self.failures) < MAX_FAILURES:
            self.failures.append(mismatch)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        first = self.first_failure
        return {
            "ok": self.ok,
            "entries": self.entries,
            "batches": self.batches,
            "readings": self.readings,
            "activities": self.activities,
            "inventories": self.inventories,
            "head_sha256": self.head_sha256,
            "first_failure": None if first is None else _mismatch_dict(first),
            "failures": [_mismatch_dict(m) for m in sorted(self.failures, key=_order)],
        }


def _order(m: Mismatch) -> tuple[bool, int]:
    return (m.seq is None, m.seq or 0)


def _mismatch_dict(m: Mismatch) -> dict[str, Any]:
    return {
        "seq": m.seq,
        "action": m.action,
        "entity": m.entity,
        "kind": m.kind,
        "reason": m.reason,
    }


# -- verification ------------------------------------------------------------------------------


@dataclass
class _Entry:
    seq: int
    action: str
    entity: str | None
    park_id: str | None
    payload: Any


def _check_chain(rows: Iterable[dict[str, Any]], report: VerifyReport) -> Iterator[_Entry]:
    """Check the chain links and hashes; yield every entry for the data checks."""
    prev, expected = audit.GENESIS, 1
    for row in rows:
        seq, action, entity = int(row["seq"]), str(row["action"]), row.get("entity")
        report.entries += 1

        def fail(
            kind: str, reason: str, seq: int = seq, action: str = action, entity: Any = entity
        ) -> None:
            report.fail(Mismatch(seq, action, entity, kind, reason))

        if seq != expected:
            fail("chain_gap", f"entries {expected}..{seq - 1} are missing before entry {seq}")
        if row["prev_sha256"] != prev:
            fail("chain_link", f"entry {seq} does not point to the hash of the entry before it")
        if "payload" in row:
            payload_sha = audit.sha256_hex(audit.canonical_json(row["payload"]))
            if payload_sha != row["payload_sha256"]:
                fail("payload", f"the payload of entry {seq} ({action}) was changed")
        at = row["at"]
        moment = datetime.fromisoformat(at) if isinstance(at, str) else at
        digest = audit.entry_hash(
            seq,
            moment,
            str(row["actor"]),
            action,
            entity,
            str(row["payload_sha256"]),
            str(row["prev_sha256"]),
        )
        if digest != row["sha256"]:
            fail("entry", f"entry {seq} ({action}) does not hash to its recorded hash")
        prev, expected = str(row["sha256"]), seq + 1
        yield _Entry(seq, action, entity, row.get("park_id"), row.get("payload"))
    report.head_sha256 = prev


def _check_readings(conn: Connection, batches: dict[int, _Entry], report: VerifyReport) -> None:
    """Recompute each batch's readings digest from the stored rows (and corrected old values)."""
    old: dict[int, list[tuple[str, int, float]]] = defaultdict(list)
    for r in conn.execute(
        select(meters.c.id, corrections.c.ts_s, corrections.c.old_value, corrections.c.old_batch_id)
        .join(meters, meters.c.key == corrections.c.meter_key)
        .where(corrections.c.old_batch_id.is_not(None))
    ):
        old[int(r.old_batch_id)].append((r.id, int(r.ts_s), float(r.old_value)))
    query = (
        select(meters.c.id, readings.c.ts_s, readings.c.value, readings.c.batch_id)
        .join(meters, meters.c.key == readings.c.meter_key)
        .order_by(readings.c.batch_id)
        .execution_options(yield_per=50_000)
    )
    seen: set[int] = set()
    current: int | None = None
    rows: list[tuple[str, int, float]] = []

    def close(batch: int | None) -> None:
        if batch is None:
            if rows:
                meter, ts, _ = rows[0]
                report.fail(
                    Mismatch(
                        None,
                        None,
                        None,
                        "reading",
                        f"{len(rows)} reading(s) of no audited "
                        f"batch, first: meter {meter!r} at {ts}",
                    )
                )
            return
        seen.add(batch)
        _compare_batch(batch, batches.get(batch), rows + old.get(batch, []), report)

    # Plain tuples, not Row attribute access: a year of a park's readings is millions of rows.
    for meter_id, ts_s, value, batch_id in conn.execute(query):
        batch = None if batch_id is None else int(batch_id)
        if batch != current or not rows:
            if rows:
                close(current)
            current, rows = batch, []
        rows.append((meter_id, int(ts_s), float(value)))
        report.readings += 1
    if rows:
        close(current)
    for batch, entry in batches.items():
        if batch not in seen:
            _compare_batch(batch, entry, old.get(batch, []), report)


def _compare_batch(
    batch: int, entry: _Entry | None, rows: list[tuple[str, int, float]], report: VerifyReport
) -> None:
    if entry is None:
        meter, ts, _ = rows[0]
        report.fail(
            Mismatch(
                batch,
                None,
                None,
                "reading",
                f"readings claim batch {batch}, which is no readings batch of the audit log "
                f"(first: meter {meter!r} at {ts})",
            )
        )
        return
    report.batches += 1
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    if audit.readings_digest(rows) != payload.get("rows_sha256"):
        report.fail(
            Mismatch(
                batch,
                entry.action,
                entry.entity,
                "readings",
                f"the readings of batch {batch} ({entry.entity}) do not match its audit entry: "
                f"{len(rows)} row(s) stored, {payload.get('rows')} recorded, digest differs",
            )
        )


def _check_activities(conn: Connection, entries: list[_Entry], report: VerifyReport) -> None:
    """Every stored record must hash to what the newest entry for its key recorded."""
    sealed: dict[tuple[str | None, str], tuple[_Entry, str]] = {}
    for entry in entries:
        for key, sha in (entry.payload or {}).get("records", []):
            sealed[(entry.park_id, str(key))] = (entry, str(sha))
    for r in conn.execute(select(activity_records).order_by(activity_records.c.id)):
        report.activities += 1
        params = json.loads(r.params) if isinstance(r.params, str) else r.params
        record = ActivityRecord(
            r.entity, r.period, r.category, r.item, r.quantity, r.unit, params or {}, r.evidence
        )
        key = activity_key(r.entity, r.period, r.category, r.item, r.unit)
        found = sealed.get((r.park_id, key))
        what = f"activity record {r.id} ({key}) of park {r.park_id!r}"
        if found is None:
            report.fail(Mismatch(None, None, None, "activity", f"{what} is in no audit entry"))
        elif activity_sha256(record) != found[1]:
            entry = found[0]
            report.fail(
                Mismatch(
                    entry.seq,
                    entry.action,
                    entry.entity,
                    "activity",
                    f"{what} does not match audit entry {entry.seq}",
                )
            )


def _check_inventories(conn: Connection, entries: list[_Entry], report: VerifyReport) -> None:
    """Published inventories: result hash recomputed and equal to the publishing entry's."""
    if not inspect(conn).has_table("published_inventories"):
        return
    from zeropark.store.schema import published_inventories as inv

    by_id: dict[int, _Entry] = {}
    for entry in entries:
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        ident = payload.get("inventory_id", payload.get("id"))
        if isinstance(ident, int):
            by_id[ident] = entry
    for r in conn.execute(select(inv).order_by(inv.c.id)):
        report.inventories += 1
        what = f"published inventory {r.id} ({r.entity} {r.period} v{r.version})"
        found = by_id.get(int(r.id))
        result = json.loads(r.result) if isinstance(r.result, str) else r.result
        recomputed = audit.sha256_hex(audit.canonical_json(result))
        if found is None:
            report.fail(Mismatch(None, None, None, "inventory", f"{what} is in no audit entry"))
            continue
        entry = found
        recorded = (entry.payload or {}).get("result_sha256")
        if recomputed != r.result_sha256 or recorded != r.result_sha256:
            report.fail(
                Mismatch(
                    entry.seq,
                    entry.action,
                    entry.entity,
                    "inventory",
                    f"{what} does not match audit entry {entry.seq}",
                )
            )


def verify_database(db: Database, principal: Principal) -> VerifyReport:
    """Verify the chain and every stored row it covers (auditors, park admins, the operator)."""
    require_verifier(principal)
    report = VerifyReport()
    batches: dict[int, _Entry] = {}
    activity_entries: list[_Entry] = []
    inventory_entries: list[_Entry] = []
    with db.transaction() as conn:
        for entry in _check_chain(log_rows(conn), report):
            if entry.action == "readings.batch":
                payload = entry.payload if isinstance(entry.payload, dict) else {}
                batches[int(payload.get("batch", entry.seq))] = entry
            elif entry.action in ("activities.write", "activities.batch"):
                activity_entries.append(entry)
            elif entry.action.startswith("inventory."):
                inventory_entries.append(entry)
        _check_readings(conn, batches, report)
        _check_activities(conn, activity_entries, report)
        _check_inventories(conn, inventory_entries, report)
    if principal.role != "system":
        report.failures = [_redact(m, principal, batches) for m in report.failures]
    return report


def _redact(m: Mismatch, principal: Principal, batches: dict[int, _Entry]) -> Mismatch:
    entry = batches.get(m.seq or -1)
    if entry is None or entry.park_id is None or principal.in_park(entry.park_id):
        return m
    return Mismatch(m.seq, m.action, None, m.kind, f"entry {m.seq} of another park does not match")


def verify_export(lines: Iterable[str], source: str = "export") -> VerifyReport:
    """Verify an exported chain offline (links, payload hashes, entry hashes)."""
    report = VerifyReport()

    def rows() -> Iterator[dict[str, Any]]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not JSON: {exc.msg}", source=source, location=f"line {number}"
                ) from None
            if number == 1:
                if doc.get("format") != EXPORT_FORMAT:
                    raise InputError(
                        f"not a {EXPORT_FORMAT} file", source=source, location="line 1"
                    )
                continue
            missing = {"seq", "at", "actor", "action", "payload_sha256", "prev_sha256", "sha256"}
            missing -= doc.keys()
            if missing:
                raise InputError(
                    f"missing field(s) {', '.join(sorted(missing))}",
                    source=source,
                    location=f"line {number}",
                )
            yield doc

    for _ in _check_chain(rows(), report):
        pass
    return report
