"""The activities template agrees with the contract's parser (issue #10): every value its
drop-down lists offer is read by :func:`parse_activity_row`, its instructions name every period
form the parser reads, and a row filled from the lists imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from zeropark.data.factors import load_items
from zeropark.domain.access import Principal
from zeropark.ingest.activities_format import (
    EXTRA_ITEMS,
    PERIOD_FORMS,
    UNITS,
    category_code,
    code_in_label,
    parse_activity_row,
)
from zeropark.service.activities_io import import_activities_file, write_template
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.activities import list_activities
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test")
PARK = "my_park"


@pytest.fixture
def park(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as conn:
        spec = parse_park_text(park_template("manufacturing"), "m.yaml")
        ParkRepository(conn, SYSTEM).apply(spec)
    return sqlite_db


def _lists(path: Path) -> list[list[str]]:
    sheet = load_workbook(path)["lists"]
    return [[c for c in col if c is not None] for col in sheet.iter_cols(values_only=True)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_drop_down_value_is_read_by_the_parser(
    park: Database, tmp_path: Path, lang: str
) -> None:
    path = write_template(park, SYSTEM, PARK, tmp_path / "t.xlsx", lang)  # type: ignore[arg-type]
    entities, categories, items, units = _lists(path)
    known = {PARK, "t_glass", "t_metal"}
    assert {code_in_label(e) for e in entities} == known
    assert all(category_code(c) is not None for c in categories)
    catalogue = load_items()
    free = {z if lang == "zh" else e for z, e in EXTRA_ITEMS}
    assert all(catalogue.find(i) is not None or i in free for i in items)
    assert units == list(UNITS)
    for unit in units:  # each unit on a row whose item it fits (or free text)
        record, issues = parse_activity_row(
            {
                "entity": PARK,
                "period": "2024",
                "category": "output",
                "item": "产值",
                "quantity": "1",
                "unit": unit,
            },
            catalogue=catalogue,
        )
        assert issues == [] and record is not None
        _, issues = parse_activity_row(
            {
                "entity": PARK,
                "period": "2024",
                "category": "waste",
                "item": "废物",
                "quantity": "1",
                "unit": unit,
            },
            catalogue=catalogue,
        )
        assert [i.code for i in issues] == [], unit
    notes = " ".join(str(c.value) for c in load_workbook(path)["说明 instructions"]["A"])
    assert all(form in notes for form in PERIOD_FORMS)


def test_a_row_filled_from_the_lists_imports(park: Database, tmp_path: Path) -> None:
    path = write_template(park, SYSTEM, PARK, tmp_path / "t.xlsx", "zh")
    entities, categories, items, units = _lists(path)
    book = load_workbook(path)
    sheet = book["activities"]
    glass = next(e for e in entities if e.endswith("(t_glass)"))
    combustion = next(c for c in categories if c.endswith("(fuel_combustion)"))
    for row, period in enumerate(PERIOD_FORMS, start=2):
        gas_or_diesel = "天然气" if row % 2 else "柴油"
        unit = "万Nm3" if row % 2 else "t"
        values = [glass, period, combustion, gas_or_diesel, str(row), unit]
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
    assert {"天然气", "柴油"} <= set(items) and {"万Nm3", "t"} <= set(units)
    book.save(path)
    report = import_activities_file(park, SYSTEM, PARK, path)
    assert (report.received, report.rejected, report.issues) == (len(PERIOD_FORMS), 0, [])
    with park.transaction() as conn:
        stored = list_activities(conn, SYSTEM, PARK)
    assert {r.period for r in stored} == {"2024", "2024-Q1", "2024-03"}
    assert {r.item for r in stored} == {"natural_gas", "diesel"}
