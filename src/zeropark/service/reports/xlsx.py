"""The inventory report as an Excel workbook (openpyxl): a cover sheet, one sheet per section
and the declaration, sheet names in the report's language.

Sheet names are the sections' short names, at most 31 characters (Excel's limit), shortened at a
word boundary if ever longer and never cut mid-word. The header row of each sheet's first table
is frozen (with its first column); numbers stay numbers with the unit in the column header.

Every cell goes through :func:`~zeropark.domain.spreadsheet.safe_cell`: names, items and notes
come from users, and no text of theirs may become a formula.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zeropark.domain.spreadsheet import safe_cell
from zeropark.service.reports.content import Cell, Report, Table

__all__ = ["sheet_name", "write_xlsx"]

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INVALID = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET = 31


def sheet_name(text: str, taken: set[str] | None = None) -> str:
    """``text`` as a valid, unique sheet name of at most 31 characters.

    Characters Excel forbids become spaces; a longer name is shortened at the last space (or
    Chinese punctuation) before the limit, not in the middle of a word.
    """
    name = " ".join(_INVALID.sub(" ", text).split()).strip("'") or "Sheet"
    if len(name) > MAX_SHEET:
        cut = max(name.rfind(" ", 0, MAX_SHEET + 1), name.rfind("、", 0, MAX_SHEET + 1))
        name = name[:cut].rstrip() if cut > 0 else name[:MAX_SHEET]
    taken = taken if taken is not None else set()
    base, number = name, 2
    while name.casefold() in {n.casefold() for n in taken}:
        suffix = f" ({number})"
        name = base[: MAX_SHEET - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def _row(cells: list[Cell] | list[str]) -> list[Cell]:
    return [safe_cell(c) for c in cells]


def _header(sheet: Worksheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_table(sheet: Worksheet, table: Table, widths: dict[int, int]) -> int:
    """Append ``table``; the row number of its header."""
    if table.title:
        sheet.append(_row([table.title]))
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append(_row(table.columns))
    header = int(sheet.max_row)
    _header(sheet)
    for row in table.rows:
        sheet.append(_row(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.000"
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"
    if table.total_rows:
        for r in range(sheet.max_row - table.total_rows + 1, sheet.max_row + 1):
            for cell in sheet[r]:
                cell.font = Font(bold=True)
    for i, column in enumerate(table.columns, start=1):
        cells = [r[i - 1] for r in table.rows if i - 1 < len(r)]
        longest = max([len(str(column)) // 2 + 2, *(len(_shown(c)) for c in cells)])
        widths[i] = max(widths.get(i, 10), min(60, longest + 2))
    return header


def _shown(cell: Cell) -> str:
    return f"{cell:,.3f}" if isinstance(cell, float) else str(cell)


def write_xlsx(report: Report, path: Path) -> Path:
    """Write ``report`` to ``path`` (.xlsx)."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    cover = book.create_sheet(sheet_name(_cover_name(report), taken))
    cover.append(_row([report.title]))
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(_row([report.subtitle]))
    cover.append([])
    for label, value in report.cover:
        cover.append(_row([label, value]))
        cover.cell(row=cover.max_row, column=2).alignment = Alignment(wrap_text=True)
    cover.column_dimensions["A"].width = 24
    cover.column_dimensions["B"].width = 70
    for section in report.sections:
        sheet = book.create_sheet(sheet_name(section.sheet, taken))
        sheet.append(_row([section.title]))
        sheet["A1"].font = Font(bold=True, size=12)
        for paragraph in section.paragraphs:
            sheet.append(_row([paragraph]))
        widths: dict[int, int] = {}
        first_header = 0
        for table in section.tables:
            sheet.append([])
            header = _write_table(sheet, table, widths)
            first_header = first_header or header
        if first_header:
            sheet.freeze_panes = sheet.cell(row=first_header + 1, column=2)
        for i, width in widths.items():
            sheet.column_dimensions[get_column_letter(i)].width = width
    sign = report.sign_off
    sheet = book.create_sheet(sheet_name(sign.sheet, taken))
    sheet.append(_row([sign.title]))
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(_row([sign.statement]))
    for block, fields in sign.blocks:
        sheet.append([])
        sheet.append(_row([block]))
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for label, value in fields:
            sheet.append(_row([label, value]))
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 60
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cover_name(report: Report) -> str:
    return "封面" if report.lang == "zh" else "Cover"
