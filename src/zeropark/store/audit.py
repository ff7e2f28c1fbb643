"""The append-only, hash-chained audit log (the whitepaper's tamper evidence).

Each entry stores the SHA-256 of its canonical JSON payload, the previous entry's hash, and its own
hash over (sequence, time, actor, action, entity, payload hash, previous hash). Changing any stored
entry, or a row an entry covers, breaks the chain from there on; ``zeropark verify`` recomputes it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from zeropark.store.schema import audit_log

__all__ = ["GENESIS", "append", "canonical_json", "entry_hash", "sha256_hex"]

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
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.sha256).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq = (last.seq + 1) if last else 1
    prev = last.sha256 if last else GENESIS
    at = datetime.now(UTC)
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
