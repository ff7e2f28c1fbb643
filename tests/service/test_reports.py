"""Inventory reports: the xlsx opens with every section; the PDF renders, Chinese included."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.service.inventory_park import PARK, SYSTEM, build
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory
from zeropark.service.reports import build_report, write_inventory_report


@pytest.fixture
def stored(sqlite_db: Database):
    build(sqlite_db)
    return compute_inventory(sqlite_db, SYSTEM, PARK, 2024, tenant_id="t_b")


def test_report_has_the_national_report_sections(stored) -> None:
    titles = [s.title for s in build_report(stored).sections]
    assert titles[0].startswith("一、基本信息") and titles[-1].endswith("Method comparison")
    assert len(titles) == 6


def test_xlsx_opens_with_one_sheet_per_section(stored, tmp_path: Path) -> None:
    path = write_inventory_report(stored, tmp_path / "r.xlsx", "xlsx")
    book = load_workbook(path)
    assert len(book.sheetnames) == 6
    sheet = book[book.sheetnames[0]]
    assert sheet["A1"].value == "温室气体排放报告 / Greenhouse gas emission report"
    values = [c.value for row in book[book.sheetnames[2]].iter_rows() for c in row]
    assert "净购入电力 / purchased electricity" in values


def test_pdf_starts_with_magic_and_renders(stored, tmp_path: Path) -> None:
    path = write_inventory_report(stored, tmp_path / "r.pdf", "pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 6
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "p-1.png").stat().st_size > 5_000 or (tmp_path / "p-01.png").exists()
