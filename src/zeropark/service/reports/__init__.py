"""Inventory reports in the structure of the national enterprise GHG report, xlsx and pdf."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from zeropark.service.inventory import StoredInventory
from zeropark.service.reports.content import Report, build_report
from zeropark.service.reports.pdf import write_pdf
from zeropark.service.reports.xlsx import write_xlsx

__all__ = ["Report", "build_report", "write_inventory_report"]


def write_inventory_report(
    stored: StoredInventory,
    path: Path,
    report_format: Literal["xlsx", "pdf"],
    *,
    version: int | None = None,
) -> Path:
    """Write the bilingual inventory report of ``stored`` to ``path`` as xlsx or pdf."""
    report = build_report(stored, version=version)
    if report_format == "xlsx":
        return write_xlsx(report, path)
    return write_pdf(report, path)
