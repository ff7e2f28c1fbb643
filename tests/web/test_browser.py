"""The dashboard in real headless Chromium against the live app over the demo park."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import ADMIN, TENANT, LiveApp, login, screenshot, wait_charts

pytestmark = pytest.mark.browser

BAD_READINGS = (
    "meter,ts,value\n"
    "grid_main,2024-12-31T23:45:00+08:00,not-a-number\n"
    "grid_main,31/12/2024 25:00,12.5\n"
    ",2024-12-31T23:30:00+08:00,3.0\n"
    "no_such_meter,2024-12-31T23:15:00+08:00,4.0\n"
)


def _kpi_text(page: Any, testid: str) -> str:
    return str(page.get_by_test_id(testid).locator(".kpi-number").inner_text()).strip()


def test_admin_overview_shows_charts_with_demo_data(page: Any, live_app: LiveApp) -> None:
    login(page, live_app, ADMIN)
    assert page.get_by_test_id("user-role").inner_text() == "Park admin"
    wait_charts(page, ["flow-chart", "renewable-gauge", "profile-chart"])
    for period in ("today", "month", "year"):
        for measure in ("energy", "carbon"):
            value = _kpi_text(page, f"kpi-{measure}-{period}")
            assert value and value != "—", f"{measure} {period} is empty"
    year_energy = float(_kpi_text(page, "kpi-energy-year").replace(",", ""))
    assert year_energy > 0
    assert page.locator("[data-testid=unavailable]").count() == 0
    screenshot(page, "overview-admin-en", doc=True)
    nav = page.locator("#sidebar a span:not(.nav-icon)").all_inner_texts()
    assert "Settings" in nav and "Indicators" in nav


def test_tenant_sees_only_its_own_meters(page: Any, live_app: LiveApp) -> None:
    me = live_app.get("/auth/me", TENANT)
    expected = live_app.get(f"/parks/{live_app.park_id}/meters", TENANT)
    expected_ids = {
        m["id"] for m in (expected if isinstance(expected, list) else expected["items"])
    }
    assert expected_ids, "the API gives the tenant no meters"
    login(page, live_app, TENANT)
    page.wait_for_selector("[data-testid=panel-kpis] .kpi")
    screenshot(page, "overview-tenant-en")
    nav = page.locator("#sidebar a span:not(.nav-icon)").all_inner_texts()
    assert "Indicators" not in nav
    page.get_by_test_id("nav-data").click()
    table = page.get_by_test_id("meters-table")
    table.wait_for()
    shown = {c.strip() for c in table.locator("td[data-field=id]").all_inner_texts()}
    assert shown == expected_ids
    owners = {
        str(cell.get_attribute("data-id") or cell.inner_text()).strip()
        for cell in table.locator(
            "td[data-field=tenant] > *, td[data-field=tenant]:not(:has(*))"
        ).all()
    }
    assert owners <= {me["tenant_id"], "—"}, owners
    screenshot(page, "data-tenant-en", doc=True)


def test_readings_upload_with_bad_rows_shows_the_validation_report(
    page: Any, live_app: LiveApp
) -> None:
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-data").click()
    page.get_by_test_id("upload-file").set_input_files(
        files=[
            {"name": "bad-readings.csv", "mimeType": "text/csv", "buffer": BAD_READINGS.encode()}
        ]
    )
    page.get_by_test_id("upload-submit").click()
    issues = page.get_by_test_id("issues-table")
    issues.wait_for()
    rows = issues.locator("tbody tr")
    assert rows.count() >= 3
    text = issues.inner_text()
    assert "bad-readings.csv" in text
    fields = set(issues.locator("td[data-field=field]").all_inner_texts())
    assert {"value", "ts", "meter"} <= {f.strip() for f in fields}
    row_numbers = {r.strip() for r in issues.locator("td[data-field=row]").all_inner_texts()}
    assert row_numbers & {"2", "3", "4", "5"}, row_numbers
    assert page.get_by_test_id("report-rejected").inner_text().strip() != ""
    page.get_by_test_id("validation-report").scroll_into_view_if_needed()
    screenshot(page, "data-upload-report-en", doc=True)


def test_language_switch_changes_the_ui_text(page: Any, live_app: LiveApp) -> None:
    login(page, live_app, ADMIN)
    assert page.locator("main h1").inner_text() == "Overview"
    page.get_by_test_id("lang-select").select_option("zh")
    page.wait_for_function("document.querySelector('main h1')?.textContent === '总览'")
    assert page.get_by_test_id("nav-energy").locator("span:not(.nav-icon)").inner_text() == "能源"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    screenshot(page, "overview-admin-zh", doc=True)
    page.reload()
    page.wait_for_selector("main[data-page='overview'] h1")
    assert page.locator("main h1").inner_text() == "总览", "the choice is kept across reloads"
    page.get_by_test_id("lang-select").select_option("en")
    page.wait_for_function("document.querySelector('main h1')?.textContent === 'Overview'")
    assert re.search(r"Log out", page.get_by_test_id("logout").inner_text())


def test_reports_page_offers_downloads(page: Any, live_app: LiveApp) -> None:
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-reports").click()
    page.get_by_test_id("downloads").wait_for()
    buttons = page.locator("[data-testid^=download-]")
    assert buttons.count() >= 2
    with page.expect_download() as info:
        page.get_by_test_id("download-inventory-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    screenshot(page, "reports-admin-en")
