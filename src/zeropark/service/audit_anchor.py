"""Anchors of the audit chain: its head, signed, kept outside the database.

The chain proves that no entry was changed or removed *before its head*; whoever can write the
database can still cut off the newest entries together with the data they cover, and the chain
that remains is intact. An anchor pins the head at a moment — sequence number, hash, time and
entry count — signed with an HMAC-SHA256 under ``ZEROPARK_SECRET_KEY``, so that
``zeropark verify --anchor FILE`` can tell that the anchored entry is still there with the same
hash, and a forged anchor is refused. Anchors are written by ``zeropark verify --write-anchor
FILE`` (only when verification passes) and served by ``GET /api/v1/audit/head``; keep them
where the database's writers cannot reach (another machine, WORM storage, a ticket, e-mail).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from zeropark.domain.access import Principal
from zeropark.errors import ConfigError, InputError
from zeropark.i18n import t
from zeropark.service.audit_export import require_verifier
from zeropark.service.database import Database
from zeropark.store import audit

__all__ = [
    "ANCHOR_FORMAT",
    "Anchor",
    "chain_head",
    "read_anchor",
    "sign_anchor",
    "write_anchor",
]

ANCHOR_FORMAT = "zeropark-audit-anchor"
ANCHOR_VERSION = 1


@dataclass(frozen=True, slots=True)
class Anchor:
    """The head of the chain at ``anchored_at``: entry ``seq`` with hash ``sha256``, appended at
    ``at``, when the log held ``entries`` entries."""

    seq: int
    sha256: str
    at: str | None
    entries: int
    anchored_at: str


def chain_head(db: Database, principal: Principal) -> Anchor:
    """The current head of the whole chain (auditors, park admins and the operator)."""
    require_verifier(principal)
    with db.transaction() as conn:
        seq, sha, at, count = audit.head(conn)
    stamp = None if at is None else at.astimezone(UTC).isoformat(timespec="microseconds")
    now = db.clock.now().isoformat(timespec="seconds")
    return Anchor(seq, sha, stamp, count, now)


def _fields(anchor: Anchor) -> dict[str, Any]:
    return {"format": ANCHOR_FORMAT, "version": ANCHOR_VERSION, **asdict(anchor)}


def _mac(fields: dict[str, Any], secret_key: str) -> str:
    message = audit.canonical_json(fields).encode("utf-8")
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign_anchor(anchor: Anchor, secret_key: str) -> dict[str, Any]:
    """The anchor as a JSON document with its HMAC-SHA256 (``hmac``) under ``secret_key``."""
    if not secret_key:
        raise ConfigError("ZEROPARK_SECRET_KEY is empty: anchors cannot be signed")
    fields = _fields(anchor)
    return {**fields, "hmac": _mac(fields, secret_key)}


def write_anchor(path: Path, anchor: Anchor, secret_key: str) -> None:
    """Write the signed anchor to ``path`` (JSON)."""
    text = json.dumps(sign_anchor(anchor, secret_key), ensure_ascii=False, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from exc


def read_anchor(text: str, secret_key: str, source: str = "anchor") -> Anchor:
    """Parse a signed anchor and check its signature; :class:`InputError` when it is malformed,
    or forged (or signed with another ``ZEROPARK_SECRET_KEY``)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", source=source, field="anchor") from None
    if not isinstance(doc, dict) or doc.get("format") != ANCHOR_FORMAT:
        raise InputError(f"not a {ANCHOR_FORMAT} file", source=source, field="format")
    if doc.get("version") != ANCHOR_VERSION:
        raise InputError(
            f"anchor version {doc.get('version')!r} is not {ANCHOR_VERSION}",
            source=source,
            field="version",
        )
    try:
        anchor = Anchor(
            seq=_int(doc["seq"]),
            sha256=str(doc["sha256"]),
            at=None if doc["at"] is None else str(doc["at"]),
            entries=_int(doc["entries"]),
            anchored_at=str(doc["anchored_at"]),
        )
        given = str(doc["hmac"])
    except KeyError as exc:
        raise InputError(
            f"the anchor has no {exc.args[0]!r}", source=source, field="anchor"
        ) from None
    expected = _mac(_fields(anchor), secret_key)
    if set(doc) != {*_fields(anchor), "hmac"} or not hmac.compare_digest(given, expected):
        raise InputError(
            t(
                "锚点签名不符: 它是伪造的, 或用另一个 ZEROPARK_SECRET_KEY 签名",
                "the anchor's signature does not match: it was forged or changed, or signed "
                "with another ZEROPARK_SECRET_KEY",
            ),
            source=source,
            field="hmac",
        )
    return anchor


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{value!r} is not a sequence number", field="anchor")
    return value
