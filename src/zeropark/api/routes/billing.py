"""Energy cost and tenant bills: a month's cost for the caller, one bill as JSON, PDF or xlsx.

Access is the service's (:mod:`zeropark.service.billing.views`): a tenant reads its own bill,
park roles every bill, a regulator the park's aggregated cost only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from zeropark.api.billing_schemas import BillingMonthPublic, BillPublic
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.downloads import attachment
from zeropark.i18n import get_lang
from zeropark.service.billing.compute import month_bills
from zeropark.service.billing.render import write_bill
from zeropark.service.billing.views import bill_to_dict, billing_to_dict, readable_bill

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
    """
    view = month_bills(db, principal, park_id, month)
    return BillingMonthPublic.model_validate(billing_to_dict(view, principal))


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
    language (``?lang=`` or ``Accept-Language``)."""
    view = month_bills(db, principal, park_id, month)
    doc = bill_to_dict(view, readable_bill(view, principal, tenant_id))
    if format == "json":
        return BillPublic.model_validate(doc)
    with tempfile.TemporaryDirectory(prefix="zeropark-bill-") as folder:
        path = write_bill(doc, Path(folder) / f"bill.{format}", format, get_lang())
        content = path.read_bytes()
    name = f"{park_id}-{tenant_id}-{view.month}-bill.{format}"
    return Response(
        content,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": attachment(name)},
    )
