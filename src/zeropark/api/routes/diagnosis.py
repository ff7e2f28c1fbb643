"""The park diagnosis report (全局诊断) download."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.downloads import attachment
from zeropark.api.routes.parks import Year
from zeropark.domain.indicators import SYSTEMS
from zeropark.i18n import get_lang
from zeropark.service.reports.diagnosis import Costs, diagnosis_report

router = APIRouter(tags=["dual-control"])

_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
Price = Annotated[float | None, Query(ge=0, le=1000, allow_inf_nan=False)]


@router.get(
    "/parks/{park_id}/reports/diagnosis",
    response_class=Response,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def download_diagnosis(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    year: Year,
    format: Annotated[str, Query(pattern="^(xlsx|pdf)$")] = "pdf",
    system: Annotated[str | None, Query(pattern="^(" + "|".join(SYSTEMS) + ")$")] = None,
    electricity: Price = None,
    peak: Price = None,
    valley: Price = None,
    natural_gas: Price = None,
    diesel: Price = None,
    roof_area_m2: Annotated[float | None, Query(gt=0, le=1e8)] = None,
) -> Response:
    """The diagnosis of the park's year as pdf or xlsx, in the request's language (park
    administrators and auditors: it ranks tenants). Prices [CNY per kWh, Nm³, L] fill the
    money column."""
    costs = Costs(electricity, peak, valley, natural_gas, diesel)
    with tempfile.TemporaryDirectory(prefix="zeropark-diagnosis-") as folder:
        path = diagnosis_report(
            db,
            principal,
            park_id,
            year,
            Path(folder) / f"diagnosis.{format}",
            format,  # type: ignore[arg-type]
            system=system,
            costs=costs,
            roof_area_m2=roof_area_m2,
            lang=get_lang(),
        )
        content = path.read_bytes()
    return Response(
        content,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": attachment(f"{park_id}-{year}-diagnosis.{format}")},
    )
