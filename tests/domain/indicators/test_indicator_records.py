"""The indicator-data categories through the one activities parser (docs/activities-csv.md):
items by code or Chinese name, units of the item's dimension, the product columns."""

from __future__ import annotations

import pytest

from zeropark.data.factors import load_items
from zeropark.ingest.activities_format import parse_activity_row

CATALOGUE = load_items()


def _parse(**row: str):  # type: ignore[no-untyped-def]
    base = {"entity": "t1", "period": "2024-03", "quantity": "80", "unit": "t"}
    return parse_activity_row({**base, **row}, catalogue=CATALOGUE)


@pytest.mark.parametrize(
    ("category", "item", "unit", "code"),
    [
        ("工业固体废物产生与利用", "综合利用量", "吨", "utilised"),
        ("industrial_solid_waste", "generated", "kg", "generated"),
        ("余热余冷余压", "余热利用量", "GJ", "heat_recovered"),
        ("waste_energy", "pressure_available", "MWh", "pressure_available"),
        ("工业用水", "重复利用水量", "m3", "reused"),
        ("industrial_water", "取水量", "万立方米", "intake"),
    ],
)
def test_items_are_stored_as_codes(category: str, item: str, unit: str, code: str) -> None:
    record, issues = _parse(category=category, item=item, unit=unit)
    assert issues == [] and record is not None and record.item == code


def test_wrong_item_and_wrong_unit_are_issues() -> None:
    _, issues = _parse(category="industrial_water", item="rain", unit="m3")
    assert [(i.code, i.reason_code) for i in issues] == [("unknown_item", "unknown_indicator_item")]
    assert "intake (取水量)" in issues[0].params["choices"]
    _, issues = _parse(category="waste_energy", item="heat_recovered", unit="t")
    assert [(i.code, i.reason_code, i.field) for i in issues] == [
        ("bad_unit", "unit_item_mismatch", "unit")
    ]


def test_product_rows_carry_the_limit_standard() -> None:
    record, issues = _parse(
        category="product_output",
        item="齿轮",
        quantity="1,000",
        unit="件",
        limit_standard="GB 0000-2099",
        limit_grade1="110",
        limit_grade2="130",
        limit_grade3="150",
        limit_unit="kgce/件",
        product_energy="120",
        product_energy_unit="tce",
    )
    assert issues == [] and record is not None
    assert record.quantity == 1000.0 and record.unit == "件"
    assert record.params == {
        "limit_standard": "GB 0000-2099",
        "limit_grade1": 110.0,
        "limit_grade2": 130.0,
        "limit_grade3": 150.0,
        "limit_unit": "kgce/件",
        "product_energy": 120.0,
        "product_energy_unit": "tce",
    }
    _, issues = _parse(category="product_output", item="齿轮", unit="件", limit_grade2="-1")
    assert [i.reason_code for i in issues] == ["bad_parameter"]
    _, issues = _parse(category="product_output", item="齿轮", unit="件", limit_grade2="130")
    assert [(i.reason_code, i.field) for i in issues] == [("parameter_needs_unit", "limit_unit")]
