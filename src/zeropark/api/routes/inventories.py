"""Inventories (compute, publish, versions), indicators and report downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.downloads import attachment
from zeropark.api.inventory_schemas import (
    InventoryPublic,
    InventoryVersionPublic,
    ParkIndicatorsPublic,
    PublishedVersionPublic,
    TenantIndicatorsPublic,
)
from zeropark.api.routes.parks import Year
from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.inventory import (
    StoredInventory,
    compute_inventory,
    inventory_versions,
    park_indicators,
    park_indicators_to_dict,
    publish_inventory,
    stored_inventory_to_dict,
)
from zeropark.service.inventory.aggregate import aggregated_inventory
from zeropark.service.reports import report_extras, write_inventory_report

router = APIRouter(tags=["inventories"])


def _readable_inventory(
    db: Database, principal: Principal, park_id: str, year: int, tenant_id: str | None
) -> StoredInventory:
    """The inventory the caller may read: a regulator (who reads no tenant row) the park's
    aggregates (:func:`aggregated_inventory`: lines merged to park level, no tenant, meter or
    record); everyone else the inventory of the park or of ``tenant_id`` as its scope allows."""
    if tenant_id is None and principal.reads_aggregates_only(park_id):
        return aggregated_inventory(db, principal, park_id, year)
    return compute_inventory(db, principal, park_id, year, tenant_id=tenant_id)


TenantQuery = Annotated[str | None, Query(max_length=64, description="a tenant's inventory")]
_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/parks/{park_id}/inventory", response_model=InventoryPublic)
async def get_inventory(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year, tenant_id: TenantQuery = None
) -> Response:
    """Compute the inventory of the park (or a tenant) for a year from stored data.

    A regulator reads the park's aggregates: lines merged to park level by category, item and
    unit, no tenant, meter or record. Cached per caller scope as pre-serialised JSON until the
    data change.
    """

    def compute() -> dict[str, Any]:
        stored = _readable_inventory(db, principal, park_id, year, tenant_id)
        return InventoryPublic.model_validate(stored_inventory_to_dict(stored)).model_dump(
            mode="json", by_alias=True
        )

    return await cached_json(db, principal, park_id, ("inventory", year, tenant_id), compute)


@router.post("/parks/{park_id}/inventories", response_model=PublishedVersionPublic)
def publish_inventory_version(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year, tenant_id: TenantQuery = None
) -> PublishedVersionPublic:
    """Publish the inventory: a new version when its inputs changed (audited)."""
    publication = publish_inventory(db, principal, park_id, year, tenant_id=tenant_id)
    version = InventoryVersionPublic.of(publication.record).model_dump()
    return PublishedVersionPublic(created=publication.created, **version)


@router.get("/parks/{park_id}/inventories", response_model=list[InventoryVersionPublic])
async def list_inventory_versions(
    park_id: str, db: DbDep, principal: PrincipalDep, tenant_id: TenantQuery = None
) -> Response:
    """Published versions the caller may read (from the store; cached until data change)."""

    def compute() -> list[dict[str, Any]]:
        versions = inventory_versions(db, principal, park_id, tenant_id=tenant_id)
        return [InventoryVersionPublic.of(v).model_dump(mode="json") for v in versions]

    return await cached_json(db, principal, park_id, ("inventories", tenant_id), compute)


@router.get(
    "/parks/{park_id}/indicators",
    response_model=ParkIndicatorsPublic | TenantIndicatorsPublic,
)
def get_indicators(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year
) -> ParkIndicatorsPublic | TenantIndicatorsPublic:
    """The zero-carbon park indicator, energy and emission totals for a year.

    Park admins, auditors and regulators read the park-level aggregates (schema
    ``zeropark.park_indicators/1``: no tenant, meter or line); a tenant reads its own.
    """
    if principal.role == "tenant":
        stored = compute_inventory(db, principal, park_id, year, tenant_id=principal.tenant_id)
        data = stored_inventory_to_dict(stored)
        return TenantIndicatorsPublic.model_validate(
            {
                "park_id": park_id,
                "tenant_id": principal.tenant_id,
                "year": year,
                "zero_carbon_park_indicator": data["zero_carbon_park_indicator"],
                "energy": data["energy"],
                "totals": data["totals"],
                "headline_figures": data["headline_figures"],
            }
        )
    view = park_indicators(db, principal, park_id, year)
    return ParkIndicatorsPublic.model_validate(park_indicators_to_dict(view))


@router.get(
    "/parks/{park_id}/reports/inventory",
    response_class=Response,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def download_inventory_report(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    year: Year,
    format: Annotated[str, Query(pattern="^(xlsx|pdf)$")] = "xlsx",
    tenant_id: TenantQuery = None,
) -> Response:
    """The inventory report in the national template's structure, as xlsx or pdf.

    A regulator receives the park's aggregated report (the same aggregates as ``get_inventory``).
    """
    stored = _readable_inventory(db, principal, park_id, year, tenant_id)
    with tempfile.TemporaryDirectory(prefix="zeropark-report-") as folder:
        extras = report_extras(db, principal, park_id, year, tenant_id=tenant_id)
        path = write_inventory_report(
            stored,
            Path(folder) / f"report.{format}",
            format,  # type: ignore[arg-type]
            **extras.as_kwargs(),  # type: ignore[arg-type]
        )
        content = path.read_bytes()
    name = f"{stored.entity}-{year}-inventory.{format}"
    return Response(
        content,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": attachment(name)},
    )
