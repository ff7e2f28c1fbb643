"""``zeropark verify``: recompute the audit chain and check every stored row that moves a number
or a permission against it.

Checks, in one transaction (DESIGN.md §5, docs/security.md "The audit chain"):

1. the chain: sequence numbers without gaps, each entry's ``prev_sha256`` equal to the previous
   entry's hash, its payload hash and its own hash recomputed; with an anchor (:mod:`.audit_anchor`)
   the anchored entry must still be there with the anchored hash (a cut-off tail is detected);
2. readings: for every ``readings.batch`` entry, the digest of the rows that batch wrote (rows now
   carrying its ``batch_id``, plus corrected rows' old values kept in ``corrections``) equals its
   recorded ``rows_sha256``; a stored reading of no audited batch is a failure too;
3. hourly rollups: derived again from each meter's readings by the same function ingest uses
   (:func:`zeropark.ingest.normalise.meter_hours`, with the meter's current configuration) and
   compared hour by hour with the stored ones — they are recomputed, not sealed;
4. activity records: every stored record hashes to what the newest ``activities.write`` entry
   recorded for its key, and every record an entry sealed is still there;
5. sealed rows (:mod:`zeropark.store.seal`): parks, tenants, buildings, meters, virtual meters,
   assets, sinks, users, gateway keys, published inventories, budgets, dispatch plans, issued
   bills and the ledger's accounts equal the newest seal of their key; a row changed, deleted
   or inserted behind the system's back is named with its table, key and the changed fields;
6. published inventories: every row's result hashes to its ``result_sha256``, which equals the
   one its ``inventory.publish`` entry recorded;
7. issued tenant bills (also sealed rows, 5.): every version's document hashes to its
   ``content_sha256``, which equals the one its ``bills.issue`` entry recorded;
8. the carbon-asset ledger's movements (:mod:`.carbon_assets.verify`).

A park admin or auditor verifies the whole chain (links and hashes), but the data checks and
counts cover only the rows of their own park(s); entries of other parks that fail are reported
without their action, entity or reason. ``entries``/``chain_entries`` and the head are the only
chain-wide figures. An auditor can export the chain (:func:`.audit_export.export_chain`) and
check it offline with :func:`verify_export`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import InputError
from zeropark.ingest.normalise import meter_hours
from zeropark.service.audit_anchor import Anchor
from zeropark.service.audit_export import EXPORT_FORMAT
from zeropark.service.carbon_assets.verify import check_ledger
from zeropark.service.database import Database
from zeropark.store import audit, seal, verification
from zeropark.store.activities import activity_key, activity_sha256
from zeropark.store.billing import ISSUE_ACTION
from zeropark.store.readings import meter_refs, readings_between, rollup_hours
from zeropark.store.scope import verifier_parks

__all__ = ["Mismatch", "VerifyReport", "verify_database", "verify_export"]
MAX_FAILURES = 50
_ALL_TIME = (-(2**62), 2**62)
#: Relative and absolute tolerance of a stored rollup against the one derived again (the same
#: computation over the same intervals; the slack only absorbs the last bits of float sums).
_REL_TOL, _ABS_TOL = 1e-9, 1e-9


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One record that does not match: the audit entry (``seq``), what, and why.

    ``table``, ``key`` and ``field`` name the stored row (and its changed column) when the
    mismatch is about one.
    """

    seq: int | None
    action: str | None
    entity: str | None
    kind: str
    reason: str
    table: str | None = None
    key: str | None = None
    field: str | None = None


@dataclass
class VerifyReport:
    """Outcome of a verification: counts of what was checked and the failures found.

    ``chain_entries`` and ``head_*`` are chain-wide; every other count is of the parks in
    ``parks`` (None: the whole database).
    """

    entries: int = 0
    batches: int = 0
    readings: int = 0
    activities: int = 0
    inventories: int = 0
    issued_bills: int = 0
    sealed_rows: int = 0
    ledger_movements: int = 0
    rollup_meters: int = 0
    rollup_hours: int = 0
    chain_entries: int = 0
    head_seq: int = 0
    head_sha256: str = audit.GENESIS
    head_at: str | None = None
    parks: list[str] | None = None
    anchor: dict[str, Any] | None = None
    failures: list[Mismatch] = field(default_factory=list)
    failure_count: int = 0

    @property
    def ok(self) -> bool:
        """True when everything matched."""
        return not self.failures

    @property
    def first_failure(self) -> Mismatch | None:
        """The failure of the lowest sequence number (records of no entry last)."""
        if not self.failures:
            return None
        return min(self.failures, key=_order)

    def fail(self, mismatch: Mismatch) -> None:
        """Record a failure (the first :data:`MAX_FAILURES` are kept, all are counted)."""
        self.failure_count += 1
        if len(self.failures) < MAX_FAILURES:
            self.failures.append(mismatch)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        first = self.first_failure
        return {
            "ok": self.ok,
            "parks": self.parks,
            "entries": self.entries,
            "chain_entries": self.chain_entries,
            "batches": self.batches,
            "readings": self.readings,
            "activities": self.activities,
            "inventories": self.inventories,
            "issued_bills": self.issued_bills,
            "sealed_rows": self.sealed_rows,
            "ledger_movements": self.ledger_movements,
            "rollup_meters": self.rollup_meters,
            "rollup_hours": self.rollup_hours,
            "head_seq": self.head_seq,
            "head_sha256": self.head_sha256,
            "head_at": self.head_at,
            "anchor": self.anchor,
            "failure_count": self.failure_count,
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
        "table": m.table,
        "key": m.key,
        "field": m.field,
    }


# -- the chain -----------------------------------------------------------------------------------


@dataclass
class _Entry:
    seq: int
    action: str
    entity: str | None
    park_id: str | None
    payload: Any


def _check_chain(
    rows: Iterable[dict[str, Any]], report: VerifyReport, scope: Collection[str] | None = None
) -> Iterator[_Entry]:
    """Check the chain links and hashes; yield every entry for the data checks.

    Failures of entries of parks outside ``scope`` are reported without their action, entity
    and reason.
    """
    prev, expected = audit.GENESIS, 1
    for row in rows:
        seq, action, entity = int(row["seq"]), str(row.get("action")), row.get("entity")
        park = row.get("park_id")
        report.chain_entries += 1
        if scope is None or park in scope:
            report.entries += 1
        foreign = scope is not None and park is not None and park not in scope

        def fail(
            kind: str,
            reason: str,
            seq: int = seq,
            action: str = action,
            entity: Any = entity,
            foreign: bool = foreign,
        ) -> None:
            if foreign:
                report.fail(
                    Mismatch(seq, None, None, kind, f"entry {seq} of another park does not match")
                )
            else:
                report.fail(Mismatch(seq, action, entity, kind, reason))

        if seq != expected:
            fail("chain_gap", f"entries {expected}..{seq - 1} are missing before entry {seq}")
        if row["prev_sha256"] != prev:
            fail("chain_link", f"entry {seq} does not point to the hash of the entry before it")
        if "payload" in row:
            payload_sha = audit.sha256_hex(audit.canonical_json(row["payload"]))
            if payload_sha != row["payload_sha256"]:
                fail("payload", f"the payload of entry {seq} ({action}) was changed")
        if not row.get("withheld"):
            at = row["at"]
            moment = datetime.fromisoformat(at) if isinstance(at, str) else at
            aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
            report.head_at = aware.astimezone(UTC).isoformat(timespec="microseconds")
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
        else:
            report.head_at = None
        prev, expected = str(row["sha256"]), seq + 1
        report.head_seq = seq
        yield _Entry(seq, action, entity, park, row.get("payload"))
    report.head_sha256 = prev


def _check_anchor(conn: Connection, anchor: Anchor, report: VerifyReport) -> None:
    """The anchored entry must still be in the log with the anchored hash."""
    stored = audit.hash_at(conn, anchor.seq)
    report.anchor = {"seq": anchor.seq, "sha256": anchor.sha256, "anchored_at": anchor.anchored_at}
    if anchor.seq == 0:
        return
    what = f"entry {anchor.seq} of the anchor of {anchor.anchored_at}"
    if stored is None:
        report.fail(
            Mismatch(
                anchor.seq,
                None,
                None,
                "anchor",
                f"{what} is missing: the log ends at entry {report.head_seq} — its tail was cut "
                f"off ({anchor.entries} entries when anchored, {report.chain_entries} now)",
                table="audit_log",
                key=str(anchor.seq),
            )
        )
    elif stored != anchor.sha256:
        report.fail(
            Mismatch(
                anchor.seq,
                None,
                None,
                "anchor",
                f"{what} has another hash now: the log was rewritten up to there",
                table="audit_log",
                key=str(anchor.seq),
                field="sha256",
            )
        )


# -- readings and rollups ------------------------------------------------------------------------


def _check_readings(
    conn: Connection,
    principal: Principal,
    batches: dict[int, _Entry],
    report: VerifyReport,
) -> None:
    """Recompute each batch's readings digest from the stored rows (and corrected old values)."""
    old = verification.corrected_old_values(conn, principal)
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
                        table="readings",
                    )
                )
            return
        seen.add(batch)
        _compare_batch(batch, batches.get(batch), rows + old.get(batch, []), report)

    for meter_id, ts_s, value, batch in verification.readings_by_batch(conn, principal):
        if batch != current or not rows:
            if rows:
                close(current)
            current, rows = batch, []
        rows.append((meter_id, ts_s, value))
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
                table="readings",
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
                table="readings",
            )
        )


def _local(ts_s: int, timezone: str) -> str:
    return datetime.fromtimestamp(ts_s, UTC).astimezone(ZoneInfo(timezone)).isoformat()


def _check_rollups(conn: Connection, principal: Principal, report: VerifyReport) -> None:
    """Derive every meter's hourly rollups again from its readings and compare them."""
    for park_id, timezone in verification.park_timezones(conn, principal):
        for meter_id, ref in sorted(meter_refs(conn, principal, park_id).items()):
            key = seal.row_key("meters", park_id, meter_id)
            stored = rollup_hours(conn, principal, ref)
            ts, value, quality = readings_between(conn, principal, ref, *_ALL_TIME)
            report.rollup_meters += 1
            report.rollup_hours += int(stored.hour_s.size)

            def fail(reason: str, column: str, key: str = key) -> None:
                report.fail(
                    Mismatch(
                        None,
                        None,
                        None,
                        "rollup",
                        reason,
                        table="hourly_rollups",
                        key=key,
                        field=column,
                    )
                )

            what = f"the hourly rollups of meter {key}"
            try:
                derived = meter_hours(ref, ts, value, quality, timezone).hours if ts.size else None
            except InputError as exc:
                fail(f"{what} cannot be derived from its readings: {exc}", "quantity")
                continue
            hours = np.zeros(0, np.int64) if derived is None else derived.hour_start_s
            if not np.array_equal(hours, stored.hour_s):
                extra = np.setdiff1d(stored.hour_s, hours)
                missing = np.setdiff1d(hours, stored.hour_s)
                first = int(min([*extra[:1].tolist(), *missing[:1].tolist()]))
                fail(
                    f"{what} cover other hours than its readings: {extra.size} stored hour(s) "
                    f"no reading gives, {missing.size} derived hour(s) not stored, first "
                    f"{_local(first, timezone)}",
                    "hour_s",
                )
                continue
            if derived is None:
                continue
            for column, kept, again in (
                ("quantity", stored.quantity, derived.quantity),
                ("estimated", stored.estimated, derived.estimated_quantity),
            ):
                bad = ~np.isclose(kept, again, rtol=_REL_TOL, atol=_ABS_TOL)
                if bad.any():
                    i = int(np.flatnonzero(bad)[0])
                    fail(
                        f"{what} differ from its readings in {int(bad.sum())} of {bad.size} "
                        f"hour(s), first {_local(int(hours[i]), timezone)}: {column} stored "
                        f"{kept[i]:.6g}, derived {again[i]:.6g} {ref.unit}; total stored "
                        f"{math.fsum(kept):.6g}, derived {math.fsum(again):.6g}",
                        column,
                    )
                    break
            else:
                bad = stored.coverage_s != derived.coverage_s
                if bad.any():
                    i = int(np.flatnonzero(bad)[0])
                    fail(
                        f"{what} differ from its readings in coverage in {int(bad.sum())} "
                        f"hour(s), first {_local(int(hours[i]), timezone)}",
                        "coverage_s",
                    )
    for orphan in verification.orphan_rollup_keys(conn, principal):
        report.fail(
            Mismatch(
                None,
                None,
                None,
                "rollup",
                f"hourly rollups of meter key {orphan}, which is no meter",
                table="hourly_rollups",
                key=str(orphan),
            )
        )


# -- activity records ----------------------------------------------------------------------------


def _check_activities(
    conn: Connection,
    principal: Principal,
    entries: list[_Entry],
    report: VerifyReport,
    scope: Collection[str] | None,
) -> None:
    """Every stored record hashes to what the newest entry for its key recorded; every record
    an entry sealed (and none deleted since) is still stored."""
    sealed: dict[tuple[str | None, str], tuple[_Entry, str | None]] = {}
    for entry in entries:
        for key, sha in (entry.payload or {}).get("records", []):
            sealed[(entry.park_id, str(key))] = (entry, None if sha is None else str(sha))
    stored: set[tuple[str | None, str]] = set()
    for r in verification.activity_rows(conn, principal):
        report.activities += 1
        record = ActivityRecord(
            r["entity"],
            r["period"],
            r["category"],
            r["item"],
            r["quantity"],
            r["unit"],
            r["params"],
            r["evidence"],
        )
        key = activity_key(r["entity"], r["period"], r["category"], r["item"], r["unit"])
        stored.add((r["park_id"], key))
        found = sealed.get((r["park_id"], key))
        what = f"activity record {r['id']} ({key}) of park {r['park_id']!r}"
        if found is None or found[1] is None:
            reason = f"{what} is in no audit entry" if found is None else f"{what} was deleted"
            report.fail(
                Mismatch(None, None, None, "activity", reason, table="activity_records", key=key)
            )
        elif activity_sha256(record) != found[1]:
            entry = found[0]
            report.fail(
                Mismatch(
                    entry.seq,
                    entry.action,
                    entry.entity,
                    "activity",
                    f"{what} does not match audit entry {entry.seq}",
                    table="activity_records",
                    key=key,
                )
            )
    for (park, key), (entry, sha) in sorted(sealed.items(), key=lambda kv: kv[1][0].seq):
        if sha is None or (park, key) in stored or (scope is not None and park not in scope):
            continue
        report.fail(
            Mismatch(
                entry.seq,
                entry.action,
                entry.entity,
                "activity",
                f"activity record {key} of park {park!r}, written by audit entry {entry.seq}, "
                "was deleted behind the system's back",
                table="activity_records",
                key=key,
            )
        )


# -- sealed rows ---------------------------------------------------------------------------------


def _check_sealed(
    conn: Connection,
    principal: Principal,
    entries: list[_Entry],
    report: VerifyReport,
    scope: Collection[str] | None,
) -> None:
    """Every row of a sealed table equals the newest seal of its key; no sealed row is missing."""
    newest: dict[tuple[str, str], tuple[_Entry, dict[str, Any] | None]] = {}
    park_of: dict[tuple[str, str], Any] = {}
    for entry in entries:
        sealed = (entry.payload or {}).get("sealed")
        if not isinstance(sealed, dict):
            continue
        for table, rows in sealed.items():
            for key, value in (rows or {}).items():
                newest[(table, key)] = (entry, value if isinstance(value, dict) else None)
                if isinstance(value, dict):
                    park_of[(table, key)] = value.get("park")
    for table in seal.SEALED:
        present: set[str] = set()
        for key, now in seal.current_seals(conn, principal, table):
            present.add(key)
            report.sealed_rows += 1
            found = newest.get((table, key))
            what = f"{table} {key}"
            if found is None:
                report.fail(
                    Mismatch(
                        None,
                        None,
                        None,
                        "row",
                        f"{what} is in no audit entry: it was inserted behind the system's back",
                        table=table,
                        key=key,
                    )
                )
                continue
            entry, then = found
            if then is None:
                reason = f"{what} was deleted by audit entry {entry.seq} but is stored"
                report.fail(_row(entry, reason, table, key))
            elif then.get("sha256") != now["sha256"]:
                fields = sorted(
                    name
                    for name, hint in now["fields"].items()
                    if (then.get("fields") or {}).get(name) != hint
                )
                named = ", ".join(fields) if fields else "its content"
                reason = f"{what}: {named} changed since audit entry {entry.seq} sealed it"
                report.fail(_row(entry, reason, table, key, ",".join(fields) or None))
        for (name, key), (entry, then) in sorted(newest.items(), key=lambda kv: kv[1][0].seq):
            if name != table or then is None or key in present:
                continue
            if scope is not None and park_of.get((name, key)) not in scope:
                continue
            reason = (
                f"{table} {key}, sealed by audit entry {entry.seq}, was deleted "
                "behind the system's back"
            )
            report.fail(_row(entry, reason, table, key))


def _row(entry: _Entry, reason: str, table: str, key: str, column: str | None = None) -> Mismatch:
    return Mismatch(entry.seq, entry.action, entry.entity, "row", reason, table, key, column)


# -- published inventories -----------------------------------------------------------------------


def _check_inventories(
    conn: Connection, principal: Principal, entries: list[_Entry], report: VerifyReport
) -> None:
    """Published inventories: result hash recomputed and equal to the publishing entry's."""
    by_id: dict[int, _Entry] = {}
    for entry in entries:
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        ident = payload.get("inventory_id", payload.get("id"))
        if isinstance(ident, int):
            by_id[ident] = entry
    for r in verification.published_rows(conn, principal):
        report.inventories += 1
        what = f"published inventory {r['id']} ({r['entity']} {r['period']} v{r['version']})"
        found = by_id.get(int(r["id"]))
        recomputed = audit.sha256_hex(audit.canonical_json(r["result"]))
        if found is None:
            report.fail(
                Mismatch(
                    None,
                    None,
                    None,
                    "inventory",
                    f"{what} is in no audit entry",
                    table="published_inventories",
                    key=str(r["id"]),
                )
            )
            continue
        entry = found
        recorded = (entry.payload or {}).get("result_sha256")
        if recomputed != r["result_sha256"] or recorded != r["result_sha256"]:
            report.fail(
                Mismatch(
                    entry.seq,
                    entry.action,
                    entry.entity,
                    "inventory",
                    f"{what} does not match audit entry {entry.seq}",
                    table="published_inventories",
                    key=str(r["id"]),
                    field="result",
                )
            )


# -- issued bills --------------------------------------------------------------------------------


def _check_issued_bills(
    conn: Connection, principal: Principal, entries: list[_Entry], report: VerifyReport
) -> None:
    """Issued bills: each version's document hashed again equals the content hash its
    ``bills.issue`` entry recorded and the one stored beside it."""
    recorded: dict[int, tuple[_Entry, Any]] = {}
    for entry in entries:
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        for bill in payload.get("bills") or []:
            if isinstance(bill, dict) and isinstance(bill.get("id"), int):
                recorded[bill["id"]] = (entry, bill.get("content_sha256"))
    for r in verification.issued_bill_rows(conn, principal):
        report.issued_bills += 1
        key = str(r["id"])
        what = f"issued bill {key} ({r['tenant_id']} {r['month']} v{r['version']})"
        found = recorded.get(int(r["id"]))
        if found is None:
            report.fail(
                Mismatch(
                    None, None, None, "bill", f"{what} is in no audit entry",
                    table="issued_bills", key=key,
                )
            )  # fmt: skip
            continue
        entry, sha = found
        again = audit.sha256_hex(audit.canonical_json(r["document"]))
        if again != sha:
            reason = f"{what}: its document does not hash to what audit entry {entry.seq} recorded"
            report.fail(_bill(entry, reason, key, "document"))
        elif r["content_sha256"] != sha:
            reason = f"{what}: its content hash differs from what audit entry {entry.seq} recorded"
            report.fail(_bill(entry, reason, key, "content_sha256"))


def _bill(entry: _Entry, reason: str, key: str, column: str) -> Mismatch:
    return Mismatch(
        entry.seq, entry.action, entry.entity, "bill", reason, "issued_bills", key, column
    )


# -- entry points --------------------------------------------------------------------------------


def verify_database(
    db: Database, principal: Principal, *, anchor: Anchor | None = None
) -> VerifyReport:
    """Verify the chain and every stored row it covers (auditors, park admins, the operator).

    ``anchor`` (from :func:`.audit_anchor.read_anchor`, signature already checked) must match
    the entry it names. Park admins and auditors get the checks and counts of their own parks.
    """
    scope = verifier_parks(principal)
    report = VerifyReport(parks=None if scope is None else sorted(scope))
    batches: dict[int, _Entry] = {}
    activity_entries: list[_Entry] = []
    inventory_entries: list[_Entry] = []
    sealing: list[_Entry] = []
    ledger_entries: list[_Entry] = []
    bill_entries: list[_Entry] = []
    with db.snapshot() as conn:  # one state throughout: live batches committed meanwhile unseen
        for entry in _check_chain(audit.entries(conn, principal), report, scope):
            payload = entry.payload if isinstance(entry.payload, dict) else {}
            if "sealed" in payload:
                sealing.append(entry)
            in_scope = scope is None or entry.park_id in scope
            if entry.action == "readings.batch" and in_scope:
                batches[int(payload.get("batch", entry.seq))] = entry
            elif entry.action in ("activities.write", "activities.batch"):
                activity_entries.append(entry)
            elif entry.action.startswith("inventory."):
                inventory_entries.append(entry)
            elif entry.action == "ledger.movements":
                ledger_entries.append(entry)
            elif entry.action == ISSUE_ACTION:
                bill_entries.append(entry)
        if anchor is not None:
            _check_anchor(conn, anchor, report)
        _check_readings(conn, principal, batches, report)
        _check_rollups(conn, principal, report)
        _check_activities(conn, principal, activity_entries, report, scope)
        _check_inventories(conn, principal, inventory_entries, report)
        _check_issued_bills(conn, principal, bill_entries, report)
        _check_sealed(conn, principal, sealing, report, scope)
        _check_ledger(conn, principal, ledger_entries, report, scope)
    return report


def _check_ledger(
    conn: Connection,
    principal: Principal,
    entries: list[_Entry],
    report: VerifyReport,
    scope: Collection[str] | None,
) -> None:
    """8. Carbon-asset ledger movements (#14): each equals the hash its ``ledger.movements``
    entry recorded, and the ledger replayed through its rules refuses none
    (:func:`.carbon_assets.verify.check_ledger`)."""
    found = check_ledger(
        conn, principal, ((e.seq, e.action, e.entity, e.park_id, e.payload) for e in entries), scope
    )
    report.ledger_movements += found.movements
    for f in found.findings:
        report.fail(
            Mismatch(
                f.seq, f.action, f.entity, f.kind, f.reason, "ledger_movements", f.key, f.field
            )
        )


def verify_export(lines: Iterable[str], source: str = "export") -> VerifyReport:
    """Verify an exported chain offline (links, payload hashes, entry hashes).

    Entries exported as withheld (of parks outside the exporter's) are checked for their place
    in the chain (sequence and links) only: their fields are not in the export.
    """
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
            required = {"seq", "prev_sha256", "sha256"}
            if not doc.get("withheld"):
                required |= {"at", "actor", "action", "payload_sha256"}
            missing = required - doc.keys()
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
