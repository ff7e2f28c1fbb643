"""Every issue a parser reports reads in Chinese with no English inside (issue #10).

Real bad input goes through each parser — park files (units, asset parameters, expressions,
alert rules, channels, tariffs, schema, YAML), the unit parser, MQTT messages, readings files
through the whole ingest (parser, meter checks, normalisation), and the normalisation and
expression functions themselves — and every issue that comes out must have a catalogued reason
code that is no fallback (``text``, ``park_rule``, ``park_schema``, ``reading_excluded``), a
Chinese reason with Han characters and without the English reason or any run of English words
in it, and an English reason worded as the rule words it (the ``detail``, the stored reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import need_service
from tests.ingest import wait_until
from tests.ingest.test_mqtt import HOST, PORT, publish, publisher, running_worker
from zeropark.domain.access import Principal
from zeropark.domain.asset_types import AssetAttribute
from zeropark.domain.issue_messages import MESSAGES, render
from zeropark.domain.issues import Issue, issue_from_dict
from zeropark.domain.timeseries import (
    check_interval_series,
    parse_expression,
    power_to_energy,
    registers_to_intervals,
)
from zeropark.errors import InputError, UnitError
from zeropark.ingest.files import iter_readings_file
from zeropark.ingest.mqtt import PayloadError, decode_message
from zeropark.service.database import Database
from zeropark.service.ingest import ingest_readings_file
from zeropark.service.park_file import check_park_text, parse_park_text
from zeropark.service.parks import apply_park
from zeropark.store.quarantine import list_records
from zeropark.units import conversion_factor, dimension_of

HAN = re.compile(r"[\u4e00-\u9fff]")
#: Three English words in a row, or a word only English prose has: not an id, a unit, a value.
ENGLISH_PROSE = re.compile(
    r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b"
    r"|\b(?:the|is|are|not|no|or|and|to|of|on|in|at|by|for|with|from|than|must|be)\b",
    re.IGNORECASE,
)
#: Reason codes that put a reason's English words inside the Chinese.
FALLBACKS = {"text", "park_rule", "park_schema", "reading_excluded"}
SYSTEM = Principal.system()


def assert_bilingual(issue: Issue, english: str | None = None) -> None:
    """``issue`` reads in both languages from its catalogued code; its English is ``english``
    (default: its ``detail`` parameter, the rule's own words) when given."""
    assert issue.reason_code in MESSAGES, issue
    assert issue.reason_code not in FALLBACKS, issue
    zh, en = issue.reason("zh"), issue.reason("en")
    assert HAN.search(zh), (issue, zh)
    assert en not in zh, (issue, zh)
    assert not ENGLISH_PROSE.search(zh), (issue, zh)
    expected = english if english is not None else issue.params.get("detail")
    if expected is not None:
        assert en == expected, (issue, en, expected)


def assert_all(issues: Iterable[Issue], codes: set[str]) -> None:
    """Every issue reads in both languages, and together they cover ``codes`` (reason codes)."""
    seen = set()
    for issue in issues:
        assert_bilingual(issue)
        seen.add(issue.reason_code)
    assert codes <= seen, codes - seen


# --- park files -------------------------------------------------------------------------

PARK = """
park:
  id: p
  name: P
  type: office
  province: 江苏
  tariffs:
    others:
      - {carrier: water, unit: flurb, price_cny_per_unit: 1}
      - {carrier: natural_gas, unit: kWh, price_cny_per_unit: 1}
tenants: [{id: t, name: T}]
meters:
  - {id: m1, carrier: electricity, unit: flurb, kind: cumulative}
  - {id: m2, carrier: electricity, unit: "m**99", kind: cumulative}
  - {id: m3, carrier: electricity, unit: "1e30 kWh", kind: cumulative}
  - {id: m4, carrier: electricity, unit: "5", kind: cumulative}
  - {id: m5, carrier: electricity, unit: m, kind: cumulative}
  - {id: m6, carrier: water, unit: kWh, kind: cumulative}
  - {id: m7, carrier: electricity, unit: "kWh)(", kind: cumulative}
  - {id: m8, carrier: electricity, unit: "0 kWh", kind: cumulative}
virtual_meters:
  - {id: v1, carrier: electricity, unit: kWh, expression: "m6 +"}
  - {id: v2, carrier: electricity, unit: kWh, expression: "m6 ** 2"}
  - {id: v3, carrier: electricity, unit: kWh, expression: "m6 + True"}
  - {id: v4, carrier: electricity, unit: kWh, expression: "3 + 4"}
  - {id: v5, carrier: electricity, unit: kWh, expression: "(m6 + m1"}
  - {id: v6, carrier: electricity, unit: kWh, expression: "m6 + 总表（"}
  - {id: v7, carrier: electricity, unit: kWh, expression: "sqrt(m6)"}
  - {id: v8, carrier: electricity, unit: kWh, expression: "m6 + 'x'"}
  - {id: v9, carrier: electricity, unit: kWh, expression: "m6 < 3"}
  - {id: v10, carrier: electricity, unit: kWh, expression: "m6 + 01"}
assets:
  - {id: a1, type: pv, params: {capacity_kwp: big, tilt_deg: 95, azimuth_deg: .nan}}
  - {id: a2, type: vehicle_fleet, params: {vehicles: 1.5, fuel: 7}}
alert_rules:
  - {id: r1, kind: threshold, target: {meter: m6}, params: {limit: 5}, channels: [nowhere]}
  - {id: r2, kind: threshold, target: {meter: m6}, params: {limit: 5}, colour: red}
  - {id: r3, kind: threshold, target: {galaxy: m6}}
  - {id: r4, kind: threshold, target: {meter: m6}, params: {limit: 5}, severity: huge}
  - {id: r5, kind: nonsense}
  - {id: r6, kind: threshold, target: {meter: m6}, params: {limit: x, wobble: 1}}
  - {id: r6, kind: threshold, target: {meter: m6}, params: {limit: 5}, muted_until: soon}
  - {id: r7, kind: threshold, target: {meter: m6}, params: {limit: 5}, clear_after: 0}
notification_channels:
  - {id: c1, kind: carrier_pigeon}
  - {id: c2, kind: email, smtp_host: mail}
  - {id: c3, kind: webhook, url: "ftp://x"}
"""


def test_park_file_rules_read_in_chinese() -> None:
    _, issues = check_park_text(PARK, "park.yaml")
    assert_all(
        issues,
        {
            "unit_unknown",
            "unit_bad_exponent",
            "unit_scale_range",
            "unit_no_dimension",
            "unit_unreadable",
            "unit_no_scale",
            "unit_carrier_mismatch",
            "bad_expression",
            "bad_expression_at",
            "parameter_not_number",
            "parameter_not_finite",
            "parameter_not_integer",
            "parameter_out_of_range",
            "parameter_not_text",
            "alert_rule_invalid",
        },
    )
    # The tariffs' units go through the same unit parser.
    tariff = [i for i in issues if i.path.startswith("park.tariffs")]
    assert {i.reason_code for i in tariff} == {"unit_unknown", "unit_carrier_mismatch"}
    # Each expression's reason is its own, in Chinese: the column, the operator, the bracket.
    by_path = {i.path: i.reason("zh") for i in issues if i.code == "bad_expression"}
    assert "第 5 列" in by_path["virtual_meters[0].expression"]
    assert "运算符“m6 ** 2”" in by_path["virtual_meters[1].expression"]
    assert "括号 ( 没有闭合" in by_path["virtual_meters[4].expression"]
    assert "没有引用任何电表" in by_path["virtual_meters[3].expression"]
    alerts = [i for i in issues if i.code == "alert_rule_invalid"]
    assert len(alerts) >= 11
    assert any("未知的通知渠道 nowhere" in i.reason("zh") for i in alerts)


@pytest.mark.parametrize(
    "text",
    [
        "park: {id: p, name: P, type: office, province: 江苏, colour: red}",
        "park: {id: " + "p" * 70 + ", name: P, type: office, province: 江苏}",
        "park: {id: p, name: '', type: office, province: 江苏}",
        "park: {id: p, name: P, type: castle, province: 江苏}",
        "park: x",
        "park: {id: p, name: P, type: office, province: 江苏, land_area_m2: -1}",
        "park: {id: p, name: P, type: office, province: 江苏}\n"
        "meters: [{id: m, carrier: electricity, unit: kWh, kind: cumulative,"
        " commissioned: 2024-01-01T08:00:00}]",
        "park: {id: p, name: P, type: office, province: 江苏}\n"
        "meters: [{id: m, carrier: electricity, unit: kWh, kind: cumulative,"
        " commissioned: '2024-02-30'}]",
        "park: {id: p, name: P, type: office, province: 江苏}\n"
        "assets: [{id: a, type: pv, params: {capacity_kwp: [1]}}]",
        "park: {id: p, name: P, type: office, province: 江苏}\n"
        "assets: [{id: a, type: vehicle_fleet, params: {vehicles: 1, fuel: " + "d" * 90 + "}}]",
        "park: {id: p: q}",
        "park: [1, 2",
        "park: {id: p\n",
        "- a\nb: 1",
        "park:\n\t- 1",
        "park: 'open",
        "park: !!python/object x",
        "key: value\n- item",
        "a: b\nc",
        'park: "\\q"',
        "[1]]",
        "park: 2023-13-01",
        "park: \x01",
    ],
)
def test_park_file_schema_and_syntax_read_in_chinese(text: str) -> None:
    _, issues = check_park_text(text, "park.yaml")
    assert issues
    for issue in issues:
        assert_bilingual(issue)


# --- parsers on their own -----------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    ["", "flurb", "furlong", "m**99", "1e30 kWh", "5", "kWh)(", "0 kWh", "u" * 80, "k\x00Wh", 5],
)
def test_unit_parser_reasons_read_in_chinese(unit: object) -> None:
    with pytest.raises(UnitError) as info:
        dimension_of(unit)  # type: ignore[arg-type]
    exc = info.value
    assert exc.reason_code is not None
    assert_bilingual(Issue("bad_unit", exc.reason_code, exc.params), exc.reason)


@pytest.mark.parametrize(("a", "b"), [("kWh", "t"), ("m", "kg")])
def test_unit_conversion_reasons_read_in_chinese(a: str, b: str) -> None:
    with pytest.raises(UnitError) as info:
        conversion_factor(a, b)
    exc = info.value
    assert exc.reason_code is not None
    assert_bilingual(Issue("bad_unit", exc.reason_code, exc.params), exc.reason)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a + " * 2000 + "a",
        "main +",
        "main pv",
        "(a + b",
        "a + b)",
        "a + 中（",
        "1a",
        "a + 'x",
        "a\x00b",
        "main ** 2",
        "main.value",
        "main + True",
        "main < 3",
        "f(main)",
        "3 + 4",
        "x" + "((" * 150,
    ],
)
def test_expression_reasons_read_in_chinese(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_expression(text)
    exc = info.value
    assert exc.reason_code is not None
    assert_bilingual(Issue("bad_expression", exc.reason_code, exc.params), exc.reason)


def test_expression_evaluation_reasons_read_in_chinese() -> None:
    for arrays in ({"a": [1.0]}, {"a": [1.0], "b": [1.0, 2.0]}):
        with pytest.raises(InputError) as info:
            parse_expression("a + b").evaluate(arrays)
        exc = info.value
        assert exc.reason_code is not None
        assert_bilingual(Issue("bad_expression", exc.reason_code, exc.params), exc.reason)


def test_asset_parameter_reasons_read_in_chinese() -> None:
    flag = AssetAttribute("x", "on", "bool", "", None, None, None, False, "开关", "a flag")
    problem = flag.problem("yes")
    assert problem is not None and problem.reason_code == "parameter_not_flag"
    assert_bilingual(Issue(problem.code, problem.reason_code, problem.params), problem.reason)


def test_normalisation_reasons_read_in_chinese() -> None:
    """Each reason normalisation gives, straight from the functions (some cannot get there
    through the ingest pipeline, whose parser refuses non-finite values and repeated times)."""
    ts = np.arange(0, 9 * 900, 900, dtype=np.int64)
    registers = np.array([0, 1, 2, 300, 4, 5, np.nan, 7, 7], dtype=float)
    ts_dup = np.r_[ts[:8], ts[7]]
    rules = {"max_rate_per_h": 10.0, "nominal_interval_s": 900}
    reg = registers_to_intervals(ts_dup, registers, register_max=250, **rules)
    jump = registers_to_intervals(ts[:6], [0, 1, 2, 200, 201, 202], register_max=None, **rules)
    drop = registers_to_intervals(ts[:6], [100, 101, 102, 50, 104, 105], register_max=None, **rules)
    spike = registers_to_intervals(
        ts[:6], [100, 101, 102, 190, 104, 105], register_max=None, **rules
    )
    interval = check_interval_series(
        np.r_[ts[:4] + 900, 1000, 5 * 900, 5 * 900],
        [1, -2, 500, 1, 1, 1, 2],
        nominal_interval_s=900,
        max_rate_per_h=100,
    )
    power = power_to_energy(ts[:3], [1.0, np.inf, 2.0], nominal_interval_s=900)
    rejections = [
        r for result in (reg, jump, drop, spike, interval, power) for r in result.rejections
    ]
    codes = set()
    for rej in rejections:
        assert_bilingual(Issue(str(rej.code), rej.reason_code, rej.params), rej.reason)
        codes.add(rej.reason_code)
    assert codes == {
        "reading_not_finite",
        "reading_duplicate_same",
        "reading_duplicate_other",
        "reading_out_of_range",
        "reading_jump",
        "reading_transient_drop",
        "reading_transient_spike",
        "reading_misaligned",
        "reading_negative",
        "reading_spike",
    }


# --- MQTT and readings through the pipeline -------------------------------------------------

READINGS_PARK = """
version: 1
park: {id: sp, name: 园区, type: manufacturing, province: 江苏, timezone: Asia/Shanghai}
meters:
  - {id: main, carrier: electricity, unit: kWh, kind: cumulative, multiplier: 80,
     register_max: 100000, interval_s: 900, max_power: 2000}
  - {id: iv, carrier: electricity, unit: kWh, kind: interval, interval_s: 900, max_power: 100}
"""


@pytest.fixture
def park(sqlite_db: Database) -> Database:
    apply_park(sqlite_db, SYSTEM, parse_park_text(READINGS_PARK, "park.yaml"))
    return sqlite_db


def _stored_issues(db: Database) -> list[tuple[Issue, str]]:
    """The quarantined records as issues, with the English reason stored with each."""
    with db.transaction() as conn:
        rows, _ = list_records(conn, SYSTEM, "sp", limit=1000)
    return [
        (issue_from_dict({**row, "location": None, "line": None}), row["reason"]) for row in rows
    ]


MQTT_MESSAGES = [
    ("elsewhere/sp", b"{}"),
    ("zeropark/sp/main", b"\xff\xfe"),
    ("zeropark/sp/main", b'{"ts": 1,'),
    ("zeropark/sp", b"5"),
    ("zeropark/sp", b"[1]"),
    ("zeropark/sp/main", b'{"meter": "iv", "ts": "2024-03-01T00:15", "value": 1}'),
    ("zeropark/sp", b'{"meter": "", "ts": "2024-03-01T00:15", "value": 1}'),
    ("zeropark/sp/main", b'{"ts": "yesterday", "value": 1}'),
    ("zeropark/sp/main", b'{"ts": "2024-03-01T00:15", "value": "lots"}'),
    ("zeropark/sp/main", b'{"ts": "2024-03-01T00:15", "value": 1, "quality": "guess"}'),
    ("zeropark/sp/ghost", b'{"ts": "2024-03-01T00:15", "value": 1}'),
    ("zeropark/sp/main", b'{"ts": "9999-03-01T00:15", "value": 1}'),
]


def test_mqtt_messages_read_in_chinese(park: Database) -> None:
    for topic, payload in MQTT_MESSAGES[:6]:
        with pytest.raises(PayloadError) as info:
            decode_message("sp", topic, payload)
        exc = info.value
        assert_bilingual(Issue(exc.code, exc.reason_code, exc.params), exc.reason)
    # Through the real broker and the worker: every message on the park's topics is quarantined
    # with a reason that reads in both languages (a topic outside them never reaches the worker).
    need_service("Mosquitto", HOST, PORT)
    delivered = [(topic, payload) for topic, payload in MQTT_MESSAGES if topic != "elsewhere/sp"]
    with running_worker(park, "sp") as worker, publisher() as pub:
        for topic, payload in delivered:
            publish(pub, topic, payload)
        assert wait_until(lambda: len(_stored_issues(park)) == len(delivered))
    assert not worker.error
    stored = _stored_issues(park)
    for issue, reason in stored:
        assert_bilingual(issue, reason)
    assert {issue.reason_code for issue, _ in stored} >= {
        "mqtt_bad_json",
        "mqtt_not_records",
        "mqtt_record_not_object",
        "mqtt_meter_mismatch",
        "missing_meter",
        "bad_timestamp",
        "bad_value",
        "bad_quality",
        "unknown_meter",
        "time_out_of_range",
    }


def test_readings_file_rejections_read_in_chinese(park: Database, tmp_path: Path) -> None:
    steady = [f"main,2024-03-01T{h:02d}:{m:02d},{1000 + 2.5 * (4 * h + m // 15)}"
              for h in range(4) for m in (0, 15, 30, 45)]  # fmt: skip
    steady[5] = "main,2024-03-01T01:15,1520"  # a transient spike (40 000 kWh in 15 min)
    steady[9] = "main,2024-03-01T02:15,900"  # a transient drop
    rows = [
        *steady,
        "main,2024-03-01T04:00,1040",
        "main,2024-03-01T04:15,1600",  # a jump: stays up
        "main,2024-03-01T04:30,1602.5",
        "main,2024-03-01T04:45,1605",
        "main,2024-03-01T05:00,1607.5",
        "main,2024-03-01T05:15,1610",
        "main,2024-03-01T05:30,1612.5",
        "main,2024-03-01T05:45,200000",  # beyond register_max
        "iv,2024-03-01T00:15,1",
        "iv,2024-03-01T00:20,1",  # off the 15-minute grid
        "iv,2024-03-01T00:30,-1",  # negative on a one-direction meter
        "iv,2024-03-01T00:45,900",  # more than 100 kW can give in 15 min
        "iv,2024-03-01T01:00,1",
        "iv,2024-03-01T01:00,2",  # a second value for one time
        ",2024-03-01T06:00,1",
        "main,tomorrow,1",
        "main,3024-03-01T06:00,1",
        "main,2024-03-01T06:00,lots",
        "main,2024-03-01T06:00,1\x00",
        "ghost,2024-03-01T06:00,1",
        "main,2090-03-01T06:00,1",
    ]
    # An empty quality is measured; then a wrong quality and a row one field too long.
    odd = ["main,2024-03-01T06:00,1,guess", "main,2024-03-01T06:00,1,measured,x"]
    path = tmp_path / "readings.csv"
    text = "".join(f"{row},\n" for row in rows) + "".join(f"{row}\n" for row in odd)
    path.write_text("meter,ts,value,quality\n" + text, encoding="utf-8")
    report = ingest_readings_file(park, SYSTEM, "sp", path)
    assert_all(
        report.issues,
        {
            "reading_excluded_because",
            "conflicting_duplicate",
            "bad_row",
            "missing_meter",
            "bad_timestamp",
            "time_out_of_range",
            "bad_value",
            "bad_quality",
            "nul_character",
            "unknown_meter",
            "implausible_time",
        },
    )
    stored = _stored_issues(park)
    for issue, reason in stored:
        assert_bilingual(issue, reason)
    why = {
        i.params.get("reason_zh") for i, _ in stored if i.reason_code == "reading_excluded_because"
    }
    assert len(why) >= 6  # spike, drop, jump, out of range, misaligned, negative, spike
    # A value stored already, sent again different: a conflict, in Chinese too.
    again = tmp_path / "again.csv"
    again.write_text("meter,ts,value\niv,2024-03-01T00:15,5\n", encoding="utf-8")
    (conflict,) = ingest_readings_file(park, SYSTEM, "sp", again).issues
    assert conflict.reason_code == "conflict"
    assert_bilingual(conflict)


def test_readings_file_parser_alone(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("meter,ts,value\nm,2024-03-01T00:15\nm,x,1\n,2024-03-01T00:15,y\n")
    rejections = [
        r
        for chunk in iter_readings_file(path, timezone="Asia/Shanghai")
        for r in chunk.parsed.rejections
    ]
    assert len(rejections) == 3
    for rej in rejections:
        assert rej.reason_code
        assert_bilingual(rej.issue(), rej.reason)


def test_the_catalogue_has_no_english_prose_in_chinese() -> None:
    """No Chinese template holds three English words in a row (an 'x or y', a sentence)."""
    for code, (zh, _) in MESSAGES.items():
        assert not ENGLISH_PROSE.search(re.sub(r"\{\w+\}", "", zh)), code
    # The fallbacks are the only templates that show another template's English whole.
    shown = {code for code, (zh, en) in MESSAGES.items() if "{detail}" in zh}
    assert shown <= FALLBACKS, shown
    assert render("park_rule", {"detail": "x"}, "zh") == "园区文件: x"
