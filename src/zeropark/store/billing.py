"""Issued tenant bills in the database (all SQL of issuing; the table: ``billing_schema.py``).

Who reads what: a tenant its own bills, the park's admins and auditors every bill of the park,
a regulator none (it reads the park's aggregates, computed by the service as the aggregator).
Issuing needs :meth:`~zeropark.domain.access.Principal.can_configure` of the park. A bill is
written once: issuing it again is version n+1 (only ``superseded`` of version n is set), in one
transaction with its ``bills.issue`` audit entry, which seals every row it wrote or superseded
and records each bill's content hash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, update

from zeropark.domain.access import Principal
from zeropark.store import audit, seal
from zeropark.store.billing_schema import issued_bills
from zeropark.store.scope import require, row_filter

__all__ = ["ISSUE_ACTION", "IssuedBill", "NewBill", "insert_issued", "issued_bills_of"]

#: The audit action of an issue.
ISSUE_ACTION = "bills.issue"


@dataclass(frozen=True, slots=True)
class NewBill:
    """A bill to issue: the tenant, its document and inputs, its amount due [CNY]."""

    tenant_id: str
    document: Mapping[str, Any]
    inputs: Mapping[str, Any]
    total_cny: Decimal


@dataclass(frozen=True, slots=True)
class IssuedBill:
    """One stored version of a tenant's bill of a month."""

    id: int
    park_id: str
    tenant_id: str
    month: str
    version: int
    document: dict[str, Any]
    content_sha256: str
    inputs: dict[str, Any]
    inputs_sha256: str
    total_cny: Decimal
    issued_at: datetime
    issued_by: str
    reason: str | None
    superseded: bool


def _decoded(value: Any) -> dict[str, Any]:
    return dict(json.loads(value) if isinstance(value, str) else value)


def _issued(row: Any) -> IssuedBill:
    return IssuedBill(
        id=int(row.id),
        park_id=row.park_id,
        tenant_id=row.tenant_id,
        month=row.month,
        version=int(row.version),
        document=_decoded(row.document),
        content_sha256=row.content_sha256,
        inputs=_decoded(row.inputs),
        inputs_sha256=row.inputs_sha256,
        total_cny=Decimal(row.total_cny),
        # SQLite hands back naive datetimes: they were written in UTC.
        issued_at=row.issued_at if row.issued_at.tzinfo else row.issued_at.replace(tzinfo=UTC),
        issued_by=row.issued_by,
        reason=row.reason,
        superseded=bool(row.superseded),
    )


def issued_bills_of(
    conn: Connection,
    principal: Principal,
    park_id: str,
    month: str,
    *,
    tenant_id: str | None = None,
    current_only: bool = True,
) -> list[IssuedBill]:
    """The month's issued bills the caller may read, by tenant and version: the version in
    force of each tenant (``current_only``) or every version; of one tenant when given."""
    t = issued_bills
    query = select(t).where(t.c.park_id == park_id, t.c.month == month, row_filter(principal, t))
    if tenant_id is not None:
        query = query.where(t.c.tenant_id == tenant_id)
    if current_only:
        query = query.where(t.c.superseded.is_(False))
    return [_issued(r) for r in conn.execute(query.order_by(t.c.tenant_id, t.c.version))]


def insert_issued(
    conn: Connection,
    principal: Principal,
    *,
    park_id: str,
    month: str,
    bills: Sequence[NewBill],
    issued_at: datetime,
    reason: str | None,
) -> list[IssuedBill]:
    """Store each bill as the next version of its tenant and month (the previous version
    superseded), and append one ``bills.issue`` entry sealing every row touched.

    The caller decides whether a re-issue is allowed (the service refuses one without a reason).
    """
    require(principal.can_configure(park_id), principal, f"issue bills of park {park_id!r}")
    t = issued_bills
    touched: list[int] = []
    recorded: list[dict[str, Any]] = []
    for bill in bills:
        scope = (t.c.park_id == park_id, t.c.tenant_id == bill.tenant_id, t.c.month == month)
        version = int(conn.execute(select(func.max(t.c.version)).where(*scope)).scalar() or 0) + 1
        previous = list(
            conn.execute(select(t.c.id).where(*scope, t.c.superseded.is_(False))).scalars()
        )
        conn.execute(update(t).where(*scope, t.c.superseded.is_(False)).values(superseded=True))
        document, inputs = dict(bill.document), dict(bill.inputs)
        content_sha = audit.sha256_hex(audit.canonical_json(document))
        inputs_sha = audit.sha256_hex(audit.canonical_json(inputs))
        inserted = conn.execute(
            t.insert().values(
                park_id=park_id,
                tenant_id=bill.tenant_id,
                month=month,
                version=version,
                document=document,
                content_sha256=content_sha,
                inputs=inputs,
                inputs_sha256=inputs_sha,
                total_cny=str(bill.total_cny),
                issued_at=issued_at,
                issued_by=principal.subject,
                reason=reason if version > 1 else None,
                superseded=False,
            )
        )
        assert inserted.inserted_primary_key is not None
        row_id = int(inserted.inserted_primary_key[0])
        touched += [*previous, row_id]
        recorded.append(
            {
                "id": row_id,
                "tenant_id": bill.tenant_id,
                "version": version,
                "content_sha256": content_sha,
                "inputs_sha256": inputs_sha,
                "total_cny": str(bill.total_cny),
                "supersedes": previous[0] if previous else None,
            }
        )
    if not recorded:
        return []
    first = recorded[0]
    entity = (
        f"bill:{first['tenant_id']}/{month}/v{first['version']}"
        if len(recorded) == 1
        else f"bills:{month}/{len(recorded)} tenants"
    )
    audit.append(
        conn,
        actor=principal.subject,
        action=ISSUE_ACTION,
        park_id=park_id,
        entity=entity[:200],
        payload={
            "month": month,
            "reason": reason,
            "bills": recorded,
            "sealed": {"issued_bills": seal.seal_rows(conn, "issued_bills", map(str, touched))},
        },
    )
    ids = [r["id"] for r in recorded]
    rows = conn.execute(select(t).where(t.c.id.in_(ids)).order_by(t.c.tenant_id))
    return [_issued(r) for r in rows]
