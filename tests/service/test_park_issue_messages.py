"""Park-file issues are data with a catalogued reason (issue #10): each rule's reason renders in
English exactly as the rule words it, and in Chinese, from its reason code and parameters."""

from __future__ import annotations

import re
from pathlib import Path

from zeropark.domain.issue_messages import MESSAGES
from zeropark.service.park_file import check_park_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "parks"
HAN = re.compile(r"[\u4e00-\u9fff]")

MANY = """
park:
  id: p
  name: P
  type: office
  province: 火星
  timezone: Mars/Olympus
  time_of_use:
    periods:
      - {months: [1, 2, 13], peak: [[8, 12], [10, 14]], valley: [[0, 8]], flat: [[14, 20]]}
      - {months: [2], peak: [[8, 30]], valley: [[0, 8]]}
      - {months: [], peak: [[8, 12]], valley: [[0, 8]]}
tenants: [{id: t, name: T}, {id: t2, name: T2}]
buildings: [{id: b, name: B, tenant: t}]
meters:
  - {id: m, carrier: electricity, unit: kW, kind: cumulative, tenant: nobody, building: b}
  - {id: p1, carrier: electricity, unit: kWh, kind: interval, register_max: 100}
  - {id: w, carrier: water, unit: m3, kind: cumulative, parent: m}
  - {id: h, carrier: heat, unit: GJ, kind: cumulative,
     accounting: {category: purchased_heat, scope: "1", sector: moon}}
  - {id: g, carrier: gas_of_mars, unit: m3, kind: cumulative, building: nowhere}
  - {id: v1, carrier: electricity, unit: kWh, kind: cumulative, parent: rest}
  - {id: i1, carrier: electricity, unit: kWh, kind: instantaneous}
  - {id: c1, carrier: electricity, unit: kWh, kind: cumulative, parent: ghost,
     accounting: {category: magic, sector: energy}}
virtual_meters:
  - {id: rest, carrier: electricity, unit: kWh, expression: "rest - m"}
assets:
  - {id: bat, type: battery, params: {capacity_kwh: 100, power_kw: 50, soc_min: 0.9,
     roundtrip_efficiency: 0.9,
     soc_max: 0.2}}
  - {id: pv, type: pv, params: {capacity_kwp: 5, colour: red}}
  - {id: x, type: heat_pump, meter: nothing}
  - {id: pv2, type: pv, params: {}}
sinks: [{id: s, type: forest}, {id: c, type: ccus}]
"""


def _issues() -> list:
    _, many = check_park_text(MANY, "many.yaml")
    path = FIXTURES / "every_error.yaml"
    _, every = check_park_text(path.read_text(encoding="utf-8"), str(path))
    return many + every


def test_each_rule_reads_the_same_from_its_reason_code_in_english() -> None:
    issues = _issues()
    assert [i for i in issues if i.reason_code in ("park_rule", "park_schema")] == []
    assert len(issues) >= 25
    for issue in issues:
        assert issue.reason_code in MESSAGES, issue
        assert issue.reason("en") == issue.params["detail"], issue


def test_each_rule_has_a_chinese_reason() -> None:
    codes = set()
    for issue in _issues():
        zh = issue.reason("zh")
        assert HAN.search(zh) and zh != issue.reason("en"), issue
        codes.add(issue.reason_code)
    assert {
        "unknown_province",
        "unknown_timezone",
        "unknown_tenant",
        "unknown_building",
        "building_of_other_tenant",
        "unknown_carrier",
        "unit_not_power",
        "unit_carrier_mismatch",
        "park_unknown_category",
        "scope_mismatch",
        "park_unknown_sector",
        "missing_interval",
        "register_max_not_cumulative",
        "parent_is_virtual",
        "unknown_parent",
        "parent_carrier_mismatch",
        "submeter_other_tenant",
        "parent_cycle",
        "unknown_meter_in_expression",
        "self_reference",
        "park_unknown_meter",
        "missing_asset_parameter",
        "unknown_parameter",
        "soc_window",
        "ccus_needs_storage",
        "sink_needs_area",
        "tou_no_months",
        "tou_bad_month",
        "tou_month_overlap",
        "tou_bad_range",
        "tou_overlap",
        "tou_gap",
        "duplicate_id",
    } <= codes, codes
