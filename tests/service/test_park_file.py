"""Park files: templates validate; each kind of error gets one clear issue with path and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeropark.domain.park import PARK_TYPES
from zeropark.errors import InputError, ValidationFailed
from zeropark.service.park_file import (
    check_park_text,
    dump_park,
    park_template,
    parse_park_text,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "parks"


@pytest.mark.parametrize("park_type", sorted(PARK_TYPES))
def test_every_template_is_valid(park_type: str) -> None:
    spec, issues = check_park_text(park_template(park_type), f"{park_type}.yaml")
    assert issues == []
    assert spec is not None and spec.park.type == park_type
    assert spec.meters, "a template shows its typical metered sources"


def test_templates_differ_by_typical_sources() -> None:
    categories = {
        t: {
            m.accounting.category
            for m in parse_park_text(park_template(t), t).meters
            if m.accounting
        }
        for t in PARK_TYPES
    }
    assert "fuel_combustion" in categories["manufacturing"]
    assert "purchased_heat" in categories["office"]
    assert "exported_heat" in categories["mixed"]


def test_unknown_park_type_is_refused() -> None:
    with pytest.raises(InputError, match="unknown park type 'farm'"):
        park_template("farm")


def test_every_error_gets_one_issue_with_path_line_and_reason() -> None:
    path = FIXTURES / "every_error.yaml"
    spec, issues = check_park_text(path.read_text(encoding="utf-8"), str(path))
    assert spec is None
    found = {(i.code, i.path) for i in issues}
    assert found == {
        ("duplicate_id", "tenants[2].id"),
        ("unknown_carrier", "meters[1].carrier"),
        ("unit_carrier_mismatch", "meters[2].unit"),
        ("parent_cycle", "meters[3].parent"),
        ("submeter_other_tenant", "meters[6].tenant"),
        ("unknown_meter_in_expression", "virtual_meters[0].expression"),
    }
    by_code = {i.code: i for i in issues}
    assert by_code["unit_carrier_mismatch"].line == 11
    assert (
        "'kWh' (energy) does not fit carrier 'natural_gas'"
        in by_code["unit_carrier_mismatch"].message
    )
    assert "loop_a → loop_b → loop_a" in by_code["parent_cycle"].message
    assert "pv_export" in by_code["unknown_meter_in_expression"].message
    assert all(str(path) in str(i) for i in issues)


def test_schema_errors_name_the_path() -> None:
    text = (
        "park: {id: x, name: X, type: farm, province: 江苏}\nmeters:\n  - {id: m, carrier: water}\n"
    )
    _, issues = check_park_text(text, "p.yaml")
    paths = {i.path for i in issues}
    assert "park.type" in paths
    assert {"meters[0].unit", "meters[0].kind"} <= paths
    assert all(i.line is not None for i in issues)


def test_yaml_syntax_error_names_the_line() -> None:
    _, issues = check_park_text("park: {id: x\nmeters: [", "broken.yaml")
    assert [i.code for i in issues] == ["yaml_syntax"]
    assert issues[0].line is not None


def test_more_rules() -> None:
    text = """
park: {id: p, name: P, type: office, province: 火星, timezone: Mars/Olympus}
tenants: [{id: t, name: T}]
buildings: [{id: b, name: B, tenant: t}]
meters:
  - {id: m, carrier: electricity, unit: kW, kind: cumulative, tenant: nobody, building: b}
  - {id: p1, carrier: electricity, unit: kWh, kind: interval}
  - {id: w, carrier: water, unit: m3, kind: cumulative, parent: m}
  - {id: h, carrier: heat, unit: GJ, kind: cumulative,
     accounting: {category: purchased_heat, scope: "1", sector: moon}}
assets:
  - {id: bat, type: battery, params: {capacity_kwh: 100, power_kw: "fast",
     roundtrip_efficiency: 1.5}}
sinks: [{id: s, type: forest}]
"""
    _, issues = check_park_text(text, "more.yaml")
    codes = sorted(i.code for i in issues)
    assert codes == sorted(
        [
            "unknown_province",
            "unknown_timezone",
            "unknown_tenant",
            "building_of_other_tenant",
            "unit_carrier_mismatch",
            "missing_interval",
            "parent_carrier_mismatch",
            "scope_mismatch",
            "unknown_sector",
            "parameter_not_number",
            "parameter_out_of_range",
            "submeter_other_tenant",
            "missing_parameter",
        ]
    )


def test_dump_round_trips() -> None:
    spec = parse_park_text(park_template("mixed"), "mixed.yaml")
    again = parse_park_text(dump_park(spec), "dumped.yaml")
    assert again == spec


def test_parse_raises_with_every_issue() -> None:
    path = FIXTURES / "every_error.yaml"
    with pytest.raises(ValidationFailed) as info:
        parse_park_text(path.read_text(encoding="utf-8"), str(path))
    assert len(info.value.issues) == 6


def test_asset_parameter_issues_name_the_file_line_and_parameter() -> None:
    text = """park: {id: p, name: P, type: office, province: 江苏}
assets:
  - id: roof
    type: pv
    params:
      capacity_kwp: 500
      tilt_deg: 95
      azimuth_deg: 180
      inverter_kva: 400
"""
    _, issues = check_park_text(text, "assets.yaml")
    found = [(i.code, i.path, i.source, i.line) for i in issues]
    assert found == [
        ("parameter_out_of_range", "assets[0].params.tilt_deg", "assets.yaml", 7),
        ("unknown_parameter", "assets[0].params.inverter_kva", "assets.yaml", 9),
    ]
    assert "95 is outside [0, 90] deg" in issues[0].message
    assert "inverter_kw" in issues[1].message  # the known parameters are listed
