"""The inventory report as an Excel workbook (openpyxl): one sheet per section.

Every cell goes through :func:`~zeropark.domain.spreadsheet.safe_cell`: names, items and notes
come from users, and no text of theirs may become a formula.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from zeropark.domain.spreadsheet import safe_cell
from zeropark.service.reports.content import Cell, Report

__all__ = ["write_xlsx"]


def _row(cells: list[Cell] | list[str]) -> list[Cell]:
    return [safe_cell(c) for c in cells]


_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_xlsx(report: Report, path: Path) -> Path:
    """Write ``report`` to ``path`` (.xlsx); numbers stay numbers (tCO2e to 3 decimals)."""
    book = Workbook()
    book.remove(book.active)
    for number, section in enumerate(report.sections, start=1):
        sheet = book.create_sheet(f"{number} " + section.title.split(" / ")[-1][3:][:26])
        sheet.append(_row([report.title]))
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(_row([report.subtitle]))
        sheet.append(_row([section.title]))
        sheet["A3"].font = Font(bold=True, size=12)
        for paragraph in section.paragraphs:
            sheet.append(_row([paragraph]))
        widths: dict[int, int] = {}
        for table in section.tables:
            sheet.append([])
            sheet.append(_row(table.columns))
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for row in table.rows:
                sheet.append(_row(row))
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, float):
                        cell.number_format = "#,##0.000"
            for i, column in enumerate(table.columns, start=1):
                longest = max([len(str(column)) // 2, *(len(str(r[i - 1])) for r in table.rows)])
                widths[i] = max(widths.get(i, 10), min(60, longest + 2))
        for i, width in widths.items():
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
