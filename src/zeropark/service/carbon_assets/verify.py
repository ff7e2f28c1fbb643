"""The ledger's part of ``zeropark verify`` (#14): every movement against its audit entry, and
the whole ledger replayed through the rules.

1. Each ``ledger.movements`` entry records the content hash of every movement it wrote (ids
   ``first``, ``first + 1``, ...). A stored movement whose hash differs is named (id, entry);
   one of no entry was inserted behind the system's back; one an entry recorded that is gone
   was deleted.
2. The movements of each park are replayed in id order through
   :class:`~zeropark.domain.ledger.LedgerState`: a movement the rules refuse (a balance gone
   negative, serials not held or held twice, a sink account giving) is named with the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.ledger import LedgerRefusal, LedgerState
from zeropark.store import ledger as store

__all__ = ["LedgerCheck", "LedgerFinding", "check_ledger"]


@dataclass(frozen=True, slots=True)
class LedgerFinding:
    """One movement that does not match (the fields of a verify mismatch)."""

    seq: int | None
    action: str | None
    entity: str | None
    kind: str
    reason: str
    key: str
    field: str | None = None


@dataclass
class LedgerCheck:
    """Movements checked and the findings."""

    movements: int = 0
    findings: list[LedgerFinding] = field(default_factory=list)


def check_ledger(
    conn: Connection,
    principal: Principal,
    entries: Iterable[tuple[int, str, str | None, str | None, Any]],
    scope: Collection[str] | None,
) -> LedgerCheck:
    """Check the stored movements of the verifier's parks against ``entries`` — the chain's
    ``ledger.movements`` entries as (seq, action, entity, park_id, payload)."""
    result = LedgerCheck()
    recorded: dict[int, tuple[int, str, str | None, str]] = {}
    for seq, action, entity, park, payload in entries:
        if scope is not None and park not in scope:
            continue
        block = (payload or {}).get("movements") if isinstance(payload, dict) else None
        if not isinstance(block, dict):
            continue
        first = int(block.get("first", 0))
        for n, sha in enumerate(block.get("sha256") or []):
            recorded[first + n] = (seq, action, entity, str(sha))
    states = {
        park: LedgerState(accounts)
        for park, accounts in store.accounts_for_verify(conn, principal).items()
    }
    seen: set[int] = set()
    for stored in store.movement_rows_for_verify(conn, principal):
        result.movements += 1
        seen.add(stored.id)
        key = str(stored.id)
        what = f"ledger movement {stored.id} ({stored.movement.kind} {stored.movement.instrument})"
        found = recorded.get(stored.id)
        if found is None:
            result.findings.append(
                LedgerFinding(
                    None,
                    None,
                    None,
                    "ledger",
                    f"{what} is in no audit entry: inserted behind the system's back",
                    key,
                )
            )
        elif store.movement_sha256(stored.park_id, stored.id, stored.movement) != found[3]:
            result.findings.append(
                LedgerFinding(
                    found[0],
                    found[1],
                    found[2],
                    "ledger",
                    f"{what} does not match audit entry {found[0]}",
                    key,
                    "content",
                )
            )
        state = states.setdefault(stored.park_id, LedgerState({}))
        try:
            state.apply(stored.movement)
        except LedgerRefusal as refusal:
            at = found[0] if found else None
            reasons = "; ".join(i.message for i in refusal.ledger_issues)
            result.findings.append(
                LedgerFinding(
                    at,
                    found[1] if found else None,
                    found[2] if found else None,
                    "ledger_rule",
                    f"{what} breaks the ledger's rules: {reasons}",
                    key,
                )
            )
    for ident, (seq, action, entity, _) in sorted(recorded.items()):
        if ident not in seen:
            result.findings.append(
                LedgerFinding(
                    seq,
                    action,
                    entity,
                    "ledger",
                    f"ledger movement {ident}, written by audit entry {seq}, was deleted "
                    "behind the system's back",
                    str(ident),
                )
            )
    return result
