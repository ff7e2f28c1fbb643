"""Asset types as data: the shipped table, its parser's refusals, and park-file parameter checks."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, get_args

import pytest

from zeropark.data.asset_types import load_asset_types
from zeropark.data.demo.storage import BESS
from zeropark.domain.asset_types import COLUMNS, parse_asset_types
from zeropark.domain.energy.pv import PvSystem
from zeropark.domain.park import AssetType
from zeropark.domain.park_rules import validate_park_document
from zeropark.errors import ConfigError

PARK = {"id": "p", "name": "园区", "type": "office", "province": "江苏"}


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(asset_type="pv", attribute="x_kw", type="float", unit="kW", status="optional")
    row.update(values)
    return row


def _issues(asset_type: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    doc = {"park": PARK, "assets": [{"id": "a", "type": asset_type, "params": params}]}
    _, issues = validate_park_document(doc, asset_types=load_asset_types())
    return [(i.code, i.path) for i in issues]


def test_table_covers_every_asset_type_of_the_model() -> None:
    table = load_asset_types()
    assert set(table) == set(get_args(AssetType))
    for kind in table.values():
        assert kind.required, f"{kind.asset_type} declares what it needs"
        for attr in kind.attributes:
            assert attr.description and attr.name_zh
            assert attr.unit or attr.type in ("text", "bool")


def test_models_take_their_defaults_from_the_table() -> None:
    battery, pv = load_asset_types()["battery"], load_asset_types()["pv"]
    assert (BESS.soc_min, BESS.soc_max) == (battery.default("soc_min"), battery.default("soc_max"))
    system = PvSystem(1.0, 0.0, 180.0, 1.0)
    for f in fields(PvSystem):
        attr = pv.get(f.name)
        assert attr is not None, f"the pv asset type lacks the PV chain's {f.name}"
        if attr.default is not None:
            assert getattr(system, f.name) == pytest.approx(attr.default, rel=1e-3)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_row(type="number"), "type 'number'"),
        (_row(status="maybe"), "status 'maybe'"),
        (_row(min="low"), "bound 'low'"),
        (_row(default="fast"), "default 'fast' is not a float"),
        (_row(default="5", max="<5"), "does not fit its own row"),
        (_row(default="1", status="required"), "a required parameter has no default"),
        (_row(type="text", min="0"), "only numbers have bounds"),
        (_row(type="bool", default="yes"), "not true or false"),
        (_row(attribute=""), "must not be empty"),
    ],
)
def test_a_bad_row_of_the_table_is_refused(row: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_asset_types([row])


def test_a_parameter_twice_and_a_missing_column_are_refused() -> None:
    with pytest.raises(ConfigError, match="appears twice"):
        parse_asset_types([_row(), _row()])
    short = _row()
    del short["description"]
    with pytest.raises(ConfigError, match="missing columns description"):
        parse_asset_types([short])


def test_exclusive_and_inclusive_bounds() -> None:
    (kind,) = parse_asset_types([_row(min=">0", max="1")]).values()
    attr = kind.attributes[0]
    assert [attr.within(v) for v in (0.0, 1e-9, 1.0, 1.0000001)] == [False, True, True, False]
    assert attr.range_text() == "(0, 1] kW"


PV = {"capacity_kwp": 100, "tilt_deg": 20, "azimuth_deg": 180}


def test_a_valid_asset_has_no_issues_and_optional_parameters_may_be_given() -> None:
    assert _issues("pv", PV) == []
    assert _issues("pv", {**PV, "losses_pct": 12.5, "inverter_kw": 80, "albedo": 0.25}) == []
    battery = {"capacity_kwh": 200, "power_kw": 100, "roundtrip_efficiency": 0.9}
    assert _issues("battery", {**battery, "soc_min": 0.05, "soc_max": 1.0}) == []
    assert _issues("ev_charger", {"count": 4.0, "power_kw": 60}) == []  # 4.0 is a whole number


@pytest.mark.parametrize(
    ("asset_type", "params", "expected"),
    [
        ("pv", {**PV, "capacity_mw": 1}, ("unknown_parameter", "capacity_mw")),
        ("pv", {**PV, "tilt_deg": "steep"}, ("parameter_not_number", "tilt_deg")),
        ("pv", {**PV, "tilt_deg": True}, ("parameter_not_number", "tilt_deg")),
        ("pv", {**PV, "tilt_deg": 95}, ("parameter_out_of_range", "tilt_deg")),
        ("pv", {**PV, "capacity_kwp": 0}, ("parameter_out_of_range", "capacity_kwp")),
        ("pv", {**PV, "losses_pct": 100}, ("parameter_out_of_range", "losses_pct")),
        ("pv", {"capacity_kwp": 100, "tilt_deg": 20}, ("missing_parameter", "azimuth_deg")),
        ("ev_charger", {"count": 2.5, "power_kw": 7}, ("parameter_not_integer", "count")),
        ("boiler", {"heat_kw": 100, "fuel": 3, "efficiency": 0.9}, ("parameter_not_text", "fuel")),
        (
            "battery",
            {"capacity_kwh": 1, "power_kw": 1, "roundtrip_efficiency": 0.9, "soc_min": 0.96},
            ("parameter_out_of_range", "soc_min"),
        ),
    ],
)
def test_each_kind_of_bad_parameter_is_one_issue_at_its_path(
    asset_type: str, params: dict[str, Any], expected: tuple[str, str]
) -> None:
    code, name = expected
    assert _issues(asset_type, params) == [(code, f"assets[0].params.{name}")]
