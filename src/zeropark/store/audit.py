"""The append-only, hash-chained audit log (the whitepaper's tamper evidence).

Each entry stores the SHA-256 of its canonical JSON payload, the previous entry's hash, and its own
hash over (sequence, time, actor, action, entity, payload hash, previous hash). Changing any stored
entry, or a row an entry covers, breaks the chain from there on; ``zeropark verify`` recomputes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, func, select, text

from zeropark.domain.access import Principal
from zeropark.store.engine import clock_of
from zeropark.store.schema import audit_log
from zeropark.store.scope import require, row_filter

__all__ = [
    "GENESIS",
    "append",
    "canonical_json",
    "entries",
    "entry_hash",
    "hash_at",
    "head",
    "list_entries",
    "readings_digest",
    "readings_digest_arrays",
    "reserve_seq",
    "sha256_hex",
]

GENESIS = "0" * 64


def canonical_json(payload: Any) -> str:
    """Canonical JSON (sorted keys, no spaces, UTF-8 kept) so equal payloads hash equally."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    """SHA-256 of UTF-8 text, as lowercase hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int, at: datetime, actor: str, action: str, entity: str | None, payload_sha: str, prev: str
) -> str:
    """The hash of one audit entry over all its fields and the previous entry's hash."""
    # SQLite hands back naive datetimes: they were written in UTC.
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    stamp = aware.astimezone(UTC).isoformat(timespec="microseconds")
    return sha256_hex("|".join((str(seq), stamp, actor, action, entity or "", payload_sha, prev)))


def readings_digest(rows: Iterable[tuple[str, int, float]]) -> str:
    """SHA-256 of readings ``(meter_id, ts_s, value)``, independent of their order, exact.

    Readings are grouped by meter (meters in sorted order) and sorted by time; each group hashes
    as the meter id in UTF-8, a NUL byte, then its times as little-endian int64 and its values as
    little-endian float64. Recomputing it from the stored rows of a batch gives the same digest.
    """
    groups: dict[str, list[tuple[int, float]]] = {}
    for meter, ts, value in rows:
        groups.setdefault(str(meter), []).append((int(ts), float(value)))
    return readings_digest_arrays(
        (meter, np.array([t for t, _ in pairs], np.int64), np.array([v for _, v in pairs]))
        for meter, pairs in groups.items()
    )


def readings_digest_arrays(
    groups: Iterable[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.float64]]],
) -> str:
    """:func:`readings_digest` of readings given as (meter_id, ts_s, value) arrays per meter."""
    merged: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
    for meter, ts_s, value in groups:
        if meter in merged:
            ts_s = np.concatenate([merged[meter][0], ts_s])
            value = np.concatenate([merged[meter][1], value])
        merged[meter] = (np.asarray(ts_s, np.int64), np.asarray(value, np.float64))
    digest = hashlib.sha256()
    for meter in sorted(merged):
        ts_s, value = merged[meter]
        order = np.argsort(ts_s, kind="stable")
        digest.update(meter.encode("utf-8") + b"\0")
        digest.update(ts_s[order].astype("<i8").tobytes())
        digest.update(value[order].astype("<f8").tobytes())
    return digest.hexdigest()


def reserve_seq(conn: Connection) -> int:
    """The sequence number the next entry appended in this transaction will get.

    On PostgreSQL a transaction-scoped advisory lock serialises writers of the chain, so two
    concurrent batches cannot claim the same number; SQLite serialises writers itself.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7247031)"))
    last = conn.execute(select(func.max(audit_log.c.seq))).scalar()
    return int(last or 0) + 1


def head(conn: Connection) -> tuple[int, str, datetime | None, int]:
    """The newest entry's sequence number, hash and time, and how many entries the log holds
    (``0, GENESIS, None, 0`` for an empty log)."""
    row = conn.execute(
        select(audit_log.c.seq, audit_log.c.sha256, audit_log.c.at)
        .order_by(audit_log.c.seq.desc())
        .limit(1)
    ).first()
    count = int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
    if row is None:
        return 0, GENESIS, None, count
    at: datetime = row.at
    return int(row.seq), str(row.sha256), at if at.tzinfo else at.replace(tzinfo=UTC), count


def hash_at(conn: Connection, seq: int) -> str | None:
    """The hash of entry ``seq`` (None: no such entry). Chain metadata, as :func:`head`."""
    found = conn.execute(select(audit_log.c.sha256).where(audit_log.c.seq == seq)).scalar()
    return None if found is None else str(found)


def entries(conn: Connection, principal: Principal) -> Iterator[dict[str, Any]]:
    """Every entry in sequence order, as dicts (streamed), for a verifier
    (:meth:`Principal.can_verify`).

    The whole chain: its links and hashes cover every park's entries, so a park's verifier reads
    them all; what it may disclose of other parks' entries is the caller's to withhold (the
    export and the verify report do).
    """
    require(principal.can_verify(), principal, "verify the audit chain")
    query = select(audit_log).order_by(audit_log.c.seq).execution_options(yield_per=10_000)
    for row in conn.execute(query):
        yield dict(row._mapping)


def list_entries(
    conn: Connection,
    principal: Principal,
    park_id: str,
    *,
    limit: int = 100,
    offset: int = 0,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Entries of a park the caller may read, newest first, and their total count; only those
    whose action starts with ``action`` and whose time is in ``[since, until)`` when given.

    Regulators may not read the audit log (:class:`PermissionDenied`); tenants read nothing of
    it (its rows have no owning tenant).
    """
    require(principal.role != "regulator", principal, "read the audit log")
    cond = [audit_log.c.park_id == park_id, row_filter(principal, audit_log)]
    if action:
        cond.append(audit_log.c.action.startswith(action, autoescape=True))
    if since is not None:
        cond.append(audit_log.c.at >= since.astimezone(UTC))
    if until is not None:
        cond.append(audit_log.c.at < until.astimezone(UTC))
    total = conn.execute(select(func.count()).select_from(audit_log).where(*cond)).scalar_one()
    rows = conn.execute(
        select(audit_log).where(*cond).order_by(audit_log.c.seq.desc()).limit(limit).offset(offset)
    )
    out = []
    for r in rows:
        entry = dict(r._mapping)
        at: datetime = entry["at"]
        entry["at"] = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        out.append(entry)
    return out, int(total)


def append(
    conn: Connection,
    *,
    actor: str,
    action: str,
    payload: Any,
    park_id: str | None = None,
    entity: str | None = None,
) -> str:
    """Append one entry inside the caller's transaction; returns its hash."""
    seq = reserve_seq(conn)
    prev = (
        conn.execute(select(audit_log.c.sha256).where(audit_log.c.seq == seq - 1)).scalar()
        or GENESIS
    )
    at = clock_of(conn).now()
    payload_sha = sha256_hex(canonical_json(payload))
    digest = entry_hash(seq, at, actor, action, entity, payload_sha, prev)
    conn.execute(
        audit_log.insert().values(
            seq=seq,
            at=at,
            actor=actor,
            park_id=park_id,
            action=action,
            entity=entity,
            payload=payload,
            payload_sha256=payload_sha,
            prev_sha256=prev,
            sha256=digest,
        )
    )
    return digest
