"""Inventory reports in the structure of the national enterprise GHG report, xlsx and pdf.

:func:`inventory_report` is the use case (the CLI's ``zeropark report inventory`` and the API's
``/parks/{id}/reports/inventory``): it computes the inventory, its monthly split and the
company names, and writes the file in the caller's language with the date of the database's
clock. :func:`write_inventory_report` renders an inventory already computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from zeropark.clock import default_clock
from zeropark.domain.access import Principal
from zeropark.domain.accounting import AccountingOptions, Inventory
from zeropark.i18n import Lang, get_lang, use_lang
from zeropark.service.accounting import factor_set
from zeropark.service.database import Database
from zeropark.service.inventory import StoredInventory, compute_inventory, compute_stored
from zeropark.service.reports.content import Report, build_report
from zeropark.service.reports.pdf import write_pdf
from zeropark.service.reports.xlsx import write_xlsx
from zeropark.store.parks import ParkRepository

__all__ = [
    "Report",
    "ReportExtras",
    "build_report",
    "inventory_report",
    "report_extras",
    "write_inventory_report",
]

ReportFormat = Literal["xlsx", "pdf"]


def write_inventory_report(
    stored: StoredInventory,
    path: Path,
    report_format: ReportFormat,
    *,
    version: int | None = None,
    monthly: Inventory | None = None,
    tenant_names: dict[str, str] | None = None,
    issued_at: datetime | None = None,
    lang: Lang | None = None,
) -> Path:
    """Write the inventory report of ``stored`` to ``path`` as xlsx or pdf, in ``lang``
    (default: the current language). ``issued_at`` defaults to the process clock's now."""
    report = build_report(
        stored,
        version=version,
        monthly=monthly,
        tenant_names=tenant_names,
        issued_at=issued_at or default_clock().now(),
        lang=lang,
    )
    if report_format == "xlsx":
        return write_xlsx(report, path)
    return write_pdf(report, path)


@dataclass(frozen=True, slots=True)
class ReportExtras:
    """What a report needs beyond the yearly inventory: its month-granularity twin, company
    names in the report's language and the report date (the database's clock)."""

    monthly: Inventory | None
    tenant_names: dict[str, str]
    issued_at: datetime

    def as_kwargs(self) -> dict[str, object]:
        """Keyword arguments of :func:`write_inventory_report`."""
        return {
            "monthly": self.monthly,
            "tenant_names": self.tenant_names,
            "issued_at": self.issued_at,
        }


def report_extras(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
    custom_factors: str | Path | None = None,
    lang: Lang | None = None,
) -> ReportExtras:
    """The monthly inventory, company names and date for the report of the park (or of
    ``tenant_id``) as ``principal`` may read it.

    A caller who reads the park's aggregates only (a regulator) gets no company names and no
    monthly split (the report says so): both would need tenant rows it may not read.
    """
    lang = lang or get_lang()
    if tenant_id is None and principal.reads_aggregates_only(park_id):
        return ReportExtras(None, {}, db.clock.now())
    factors = factor_set(custom_factors)
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        options = AccountingOptions(reporting_year=year, region=park.province, granularity="month")
        monthly = compute_stored(conn, principal, park_id, year, tenant_id, options, factors)
        tenants = repo.section(park_id, "tenants", park_read=True)
    names = {
        str(row["id"]): str((row.get("name_en") or row["name"]) if lang == "en" else row["name"])
        for row in tenants
    }
    return ReportExtras(monthly.inventory, names, db.clock.now())


def inventory_report(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    path: Path,
    report_format: ReportFormat,
    *,
    tenant_id: str | None = None,
    custom_factors: str | Path | None = None,
    lang: Lang | None = None,
) -> StoredInventory:
    """Compute the inventory of the park (or ``tenant_id``) for ``year`` and write its report
    in ``lang`` (default: the current language); returns the yearly inventory written.

    Access as :func:`~zeropark.service.inventory.compute_inventory`; the extras as
    :func:`report_extras`.
    """
    lang = lang or get_lang()
    stored = compute_inventory(
        db, principal, park_id, year, tenant_id=tenant_id, custom_factors=custom_factors
    )
    extras = report_extras(
        db,
        principal,
        park_id,
        year,
        tenant_id=tenant_id,
        custom_factors=custom_factors,
        lang=lang,
    )
    with use_lang(lang):
        write_inventory_report(
            stored,
            path,
            report_format,
            monthly=extras.monthly,
            tenant_names=extras.tenant_names,
            issued_at=extras.issued_at,
            lang=lang,
        )
    return stored
