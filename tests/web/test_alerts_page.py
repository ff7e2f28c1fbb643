"""The alerts page as a park manager uses it (issue #11's alert defects, issue #12 item 7), in
Chinese in real Chromium: after a check, the silent meters are one group acknowledged with one
click; times are park-local (no ISO); a water meter is not called an electricity meter; a rule
is created and muted from the Rules tab; the page passes the language checks of the roles walk."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import ADMIN, LiveApp, login, screenshot
from tests.web.test_roles_walk import page_problems


def test_alerts_grouped_acknowledged_and_rules_in_chinese(page: Any, live_app: LiveApp) -> None:
    page.add_init_script("localStorage.setItem('zeropark.lang', 'zh');")
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-alerts").click()
    page.get_by_test_id("alerts-check").click()
    groups = page.get_by_test_id("alert-groups")
    groups.wait_for()
    text = groups.inner_text()
    assert "表计无数据" in text and "电表无数据" not in text
    open_before = live_app.get(f"/parks/{live_app.park_id}/alerts", ADMIN, status="open")["total"]
    assert open_before > 10, "the demo's meters are silent at today's clock"
    water = page.get_by_test_id("alerts-table").get_by_text("（水表）").first
    water.wait_for()
    assert page_problems(page, "zh", failed) == []
    screenshot(page, "alerts-grouped-admin-zh")
    page.get_by_test_id("alerts-group-ack").first.click()
    page.wait_for_function("document.querySelector('#toast')?.textContent?.startsWith('已确认')")
    still_open = live_app.get(f"/parks/{live_app.park_id}/alerts", ADMIN, status="open")["total"]
    assert still_open < open_before
    # Rules: the built-in ones are listed in Chinese; a threshold rule is created and muted.
    page.locator("main .segmented [data-value=rules]").click()
    form = page.get_by_test_id("alert-rule-form")
    form.wait_for()
    form.locator("input[name=id]").fill("grid_peak")
    form.locator("select[name=kind]").select_option("threshold")
    form.locator("select[name=target_kind]").select_option("park")
    form.locator("input[name=params]").fill("limit=20000, clear_margin=500")
    form.get_by_role("button", name="保存规则").click()
    page.wait_for_function("document.querySelector('#toast')?.textContent === '规则已保存。'")
    rules = page.get_by_test_id("alert-rules-table")
    rules.get_by_text("grid_peak").wait_for()
    row = rules.locator("tbody tr", has_text="grid_peak")
    row.get_by_test_id("alert-rule-mute").click()
    page.wait_for_function("document.querySelector('#toast')?.textContent === '已静音 24 小时。'")
    stored = live_app.get(f"/parks/{live_app.park_id}/alert-rules", ADMIN)
    peak = next(r for r in stored if r["id"] == "grid_peak")
    assert peak["params"] == {"limit": 20000, "clear_margin": 500} and peak["muted_until_s"]
    page.get_by_test_id("alert-rules-table").locator("tbody tr", has_text="grid_peak").wait_for()
    assert page_problems(page, "zh", failed) == []
    screenshot(page, "alert-rules-admin-zh")
