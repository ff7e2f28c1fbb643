"""Reading the audit log: list a park's entries, export the chain as JSON lines.

An auditor exports the chain (:func:`export_chain`) and checks it offline with
:func:`zeropark.service.audit_verify.verify_export`. A park admin's or auditor's export holds the
entries of their own park(s) in full; every other entry (another park's, or a chain-wide one)
is exported *withheld*: only its sequence number, its hash and the previous entry's hash, so the
links of the whole chain still verify but nothing of it is disclosed. The local operator
exports everything.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TextIO

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.store import audit
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = ["EXPORT_FORMAT", "export_chain", "list_entries", "require_verifier"]

EXPORT_FORMAT = "zeropark-audit-chain"


def require_verifier(principal: Principal) -> None:
    """Auditors, park admins and the local operator may verify and export the chain."""
    require(principal.can_verify(), principal, "verify the audit chain")


def _export_row(row: dict[str, Any], principal: Principal) -> dict[str, Any]:
    park = row["park_id"]
    if principal.role != "system" and (park is None or not principal.in_park(park)):
        return {
            "seq": row["seq"],
            "withheld": True,
            "prev_sha256": row["prev_sha256"],
            "sha256": row["sha256"],
        }
    at: datetime = row["at"]
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    out = {
        "seq": row["seq"],
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": row["actor"],
        "park_id": row["park_id"],
        "action": row["action"],
        "entity": row["entity"],
        "payload_sha256": row["payload_sha256"],
        "prev_sha256": row["prev_sha256"],
        "sha256": row["sha256"],
    }
    out["payload"] = row["payload"]
    return out


def export_chain(db: Database, principal: Principal, out: TextIO) -> int:
    """Write the chain as JSON lines (a header, then one entry a line); returns entries written."""
    require_verifier(principal)
    header = {"format": EXPORT_FORMAT, "version": 1, "exported_at": db.clock.now().isoformat()}
    out.write(json.dumps(header) + "\n")
    count = 0
    with db.transaction() as conn:
        for row in audit.entries(conn, principal):
            out.write(audit.canonical_json(_export_row(row, principal)) + "\n")
            count += 1
    return count


def list_entries(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    limit: int = 100,
    offset: int = 0,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Audit entries of a park the caller may read (auditors, park admins), newest first;
    filtered by action prefix and time ``[since, until)`` when given."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return audit.list_entries(
            conn,
            principal,
            park_id,
            limit=limit,
            offset=offset,
            action=action,
            since=since,
            until=until,
        )
