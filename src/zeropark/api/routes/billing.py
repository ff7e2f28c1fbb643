"""Energy cost and tenant bills: a month's cost for the caller, one bill as JSON, PDF or xlsx,
and issuing (freezing) a month's bills.

Access is the service's (:mod:`zeropark.service.billing.views`): a tenant reads its own bill,
park roles every bill, a regulator the park's aggregated cost only; park admins issue
(:mod:`zeropark.service.billing.issued`). An issued bill is answered as it was issued, with
the bill recomputed now and the difference beside it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from zeropark.api.billing_schemas import (
    BillingMonthPublic,
    BillPublic,
    IssueBillsIn,
    IssuedBillPublic,
)
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.downloads import attachment
from zeropark.api.guard import write_gate
from zeropark.domain.access import Principal
from zeropark.i18n import get_lang
from zeropark.service.billing.issued import issue_bills, month_billing, tenant_bill
from zeropark.service.billing.render import write_bill

router = APIRouter(tags=["billing"])

Month = Annotated[str, PathParam(pattern=r"^\d{4}-\d{2}$", description="park-local YYYY-MM")]
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/parks/{park_id}/billing/{month}", response_model=BillingMonthPublic)
def get_billing_month(
    park_id: str, month: Month, db: DbDep, principal: PrincipalDep
) -> BillingMonthPublic:
    """The month's energy cost: by band, by carrier and by tenant, with the reconciliation.

    A tenant receives its own bill only; a regulator the park's aggregates (no tenant rows).
    Issued bills are shown as issued (``status`` issued, ``issue``: version, when, by whom,
    and the bill recomputed now with the difference); the others as drafts.
    """
    return BillingMonthPublic.model_validate(month_billing(db, principal, park_id, month))


@router.get(
    "/parks/{park_id}/billing/{month}/bills/{tenant_id}",
    response_model=BillPublic,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def get_bill(
    park_id: str,
    month: Month,
    tenant_id: str,
    db: DbDep,
    principal: PrincipalDep,
    format: Annotated[Literal["json", "pdf", "xlsx"], Query()] = "json",
) -> BillPublic | Response:
    """A tenant's monthly bill (月度账单) as JSON, or as a PDF or xlsx in the request's
    language (``?lang=`` or ``Accept-Language``): the issued version as it was issued, else
    the draft computed now."""
    doc = tenant_bill(db, principal, park_id, month, tenant_id)
    if format == "json":
        return BillPublic.model_validate(doc)
    with tempfile.TemporaryDirectory(prefix="zeropark-bill-") as folder:
        path = write_bill(doc, Path(folder) / f"bill.{format}", format, get_lang())
        content = path.read_bytes()
    name = f"{park_id}-{tenant_id}-{doc['month']}-bill.{format}"
    return Response(
        content,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": attachment(name)},
    )


@router.post("/parks/{park_id}/billing/{month}/issue", response_model=list[IssuedBillPublic])
@write_gate(Principal.can_configure)
def issue_month_bills(
    park_id: str,
    month: Month,
    db: DbDep,
    principal: PrincipalDep,
    body: IssueBillsIn | None = None,
) -> list[IssuedBillPublic]:
    """Issue (freeze) the month's bills as computed now: every tenant's, or one (park admins).

    Each is stored with its inputs and content hash and sealed in the audit chain. A bill that
    is issued already is refused (409) unless ``reissue`` with a ``reason``: version n+1, the
    older versions kept.
    """
    ask = body or IssueBillsIn()
    issued = issue_bills(
        db, principal, park_id, month,
        tenant_id=ask.tenant_id, reissue=ask.reissue, reason=ask.reason,
    )  # fmt: skip
    return [
        IssuedBillPublic(
            tenant_id=b.tenant_id,
            month=b.month,
            version=b.version,
            issued_at=b.issued_at.isoformat(),
            issued_by=b.issued_by,
            reason=b.reason,
            total_cny=float(b.total_cny),
            content_sha256=b.content_sha256,
        )
        for b in issued
    ]
