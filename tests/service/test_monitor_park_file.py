"""Alert rules and notification channels as park-file sections (docs/park-file.md,
docs/monitoring.md): validated with the park, stored on apply, exported back, audited."""

from __future__ import annotations

import yaml

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.monitor import rules_api
from zeropark.service.park_file import check_park_text, parse_park_text
from zeropark.service.parks import apply_park, export_park

SYSTEM = Principal.system("test")
PARK_FILE = """
version: 1
park: {id: pf, name: 规则园区, type: office, province: 江苏}
tenants: [{id: t_a, name: 甲公司}]
meters:
  - {id: e_main, carrier: electricity, unit: kWh, kind: interval, interval_s: 900,
     accounting: {category: purchased_electricity, sector: industry}}
notification_channels:
  - {id: ops_wx, kind: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}
  - {id: ops_mail, kind: email, smtp_host: smtp.park.test, sender: m@park.test,
     recipients: [ops@park.test]}
alert_rules:
  - id: main_peak
    kind: threshold
    target: {meter: e_main}
    params: {limit: 800, clear_margin: 50}
    severity: critical
    channels: [ops_wx, ops_mail]
    clear_after: 2
    quiet_period_min: 30
  - id: a_night
    kind: profile_deviation
    target: {tenant: t_a}
    params: {days: 10, max_deviation_pct: 40}
    tenant: t_a
"""


def test_rules_in_the_park_file_are_applied_and_exported(db: Database) -> None:
    apply_park(db, SYSTEM, parse_park_text(PARK_FILE, "park.yaml"))
    rules = {r["id"]: r for r in rules_api.list_rules(db, SYSTEM, "pf")}
    assert set(rules) == {"main_peak", "a_night"}  # built-ins come with the first pass
    peak = rules["main_peak"]
    assert peak["source"] == "park_file" and peak["quiet_period_s"] == 1800
    assert peak["channels"] == ["ops_wx", "ops_mail"] and peak["params"]["limit"] == 800
    assert rules["a_night"]["tenant"] == "t_a"
    exported = yaml.safe_load(export_park(db, SYSTEM, "pf"))
    assert [r["id"] for r in exported["alert_rules"]] == ["a_night", "main_peak"]
    assert {c["id"] for c in exported["notification_channels"]} == {"ops_mail", "ops_wx"}
    # The export applies back to the same rules, with nothing changed (nothing audited).
    before = rules_api.audit_actions(db, SYSTEM, "pf")
    apply_park(db, SYSTEM, parse_park_text(export_park(db, SYSTEM, "pf"), "export.yaml"))
    assert rules_api.audit_actions(db, SYSTEM, "pf") == before == ["alert_rule.park_file"]
    # A rule made over the API stays when the park file is applied again without it.
    api_rule = {"id": "api_rule", "kind": "no_data", "target": {"meter": "e_main"}}
    rules_api.save_rule(db, SYSTEM, "pf", {**api_rule, "params": {"minutes": 30}})
    smaller = PARK_FILE.split("  - id: a_night")[0]
    apply_park(db, SYSTEM, parse_park_text(smaller, "park.yaml"))
    ids = {r["id"] for r in rules_api.list_rules(db, SYSTEM, "pf")}
    assert "a_night" not in ids and {"main_peak", "api_rule"} <= ids


def test_bad_rules_are_issues_of_the_park_file() -> None:
    text = PARK_FILE.replace("params: {limit: 800, clear_margin: 50}", "params: {clear_margin: 50}")
    text = text.replace("channels: [ops_wx, ops_mail]", "channels: [ops_wx, pager]")
    _, issues = check_park_text(text, "park.yaml")
    by_path = {i.location: i for i in issues if i.code == "alert_rule_invalid"}
    assert set(by_path) == {"alert_rules[0].params", "alert_rules[0].channels"}
    assert by_path["alert_rules[0].params"].params["detail"] == "main_peak: missing parameter limit"
    assert "pager" in by_path["alert_rules[0].channels"].params["detail"]
    assert by_path["alert_rules[0].params"].line is not None  # the line of the park file
