"""Use case: the ledger export for a verifier (核查机构): every movement with its evidence,
reference, audit entry and content hash, as CSV (UTF-8 with BOM, opens in Excel).

The verifier recomputes each ``sha256`` from the row's fields (canonical JSON of the movement,
:func:`zeropark.store.ledger.movement_sha256`) and finds it in the chain export
(``zeropark audit export``) under the row's ``audit_seq``; ``zeropark verify`` does both.
"""

from __future__ import annotations

import csv
import io

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.store import ledger as store
from zeropark.store.scope import require

__all__ = ["EXPORT_COLUMNS", "export_ledger_csv"]

EXPORT_COLUMNS = (
    "id",
    "audit_seq",
    "kind",
    "instrument",
    "quantity",
    "from_account",
    "to_account",
    "serial_start",
    "serial_end",
    "beneficiary",
    "period",
    "compliance_year",
    "price_cny",
    "counterparty",
    "exchange",
    "occurred_on",
    "evidence",
    "reference",
    "created_by",
    "sha256",
)


def export_ledger_csv(db: Database, principal: Principal, park_id: str) -> str:
    """The park's movements the caller may read (auditors and admins: all) as CSV text."""
    require(not principal.reads_aggregates_only(park_id), principal, "export the ledger")
    with db.transaction() as conn:
        movements = store.list_movements(conn, principal, park_id)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for s in movements:
        c = s.movement.canonical()
        writer.writerow(
            [s.id, s.audit_seq]
            + [c[k] if c[k] is not None else "" for k in EXPORT_COLUMNS[2:-2]]
            + [s.created_by, store.movement_sha256(s.park_id, s.id, s.movement)]
        )
    return out.getvalue()
