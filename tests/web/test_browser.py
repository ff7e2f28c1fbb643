"""The dashboard in real headless Chromium against the live app over the demo park."""

from __future__ import annotations

import re
from typing import Any

import httpx
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


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("\u202f", "").replace(" ", ""))


def test_admin_overview_shows_charts_with_demo_data(page: Any, live_app: LiveApp) -> None:
    overview = live_app.get(f"/parks/{live_app.park_id}/overview", ADMIN)
    login(page, live_app, ADMIN)
    assert page.get_by_test_id("user-role").inner_text() == "Park admin"
    wait_charts(page, ["flow-chart", "renewable-gauge", "profile-chart"])
    page.get_by_test_id("panel-kpis").locator(".kpi").first.wait_for()
    for period in ("today", "month", "year"):
        for measure in ("energy", "carbon"):
            value = _kpi_text(page, f"kpi-{measure}-{period}")
            assert value and value != "—", f"{measure} {period} is empty"
    # The figures are the API's: the headline electricity consumed (kWh → MWh, docs/energy.md)
    # and the default (headline) method's carbon.
    year_energy = _number(_kpi_text(page, "kpi-energy-year"))
    consumed = overview["headline_figures"]["electricity_consumed_kwh"]
    assert year_energy == pytest.approx(consumed / 1000, abs=0.06)
    method = overview["carbon"]["default_method"]
    year_carbon = _number(_kpi_text(page, "kpi-carbon-year"))
    assert year_carbon == pytest.approx(overview["carbon"]["methods"][method]["year"], abs=0.06)
    assert overview["day"] in page.get_by_test_id("kpi-note").inner_text()
    assert page.get_by_test_id("as-of").inner_text().strip()
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
    overview = live_app.get(f"/parks/{live_app.park_id}/overview", TENANT)
    admin_overview = live_app.get(f"/parks/{live_app.park_id}/overview", ADMIN)
    login(page, live_app, TENANT)
    page.wait_for_selector("[data-testid=panel-kpis] .kpi")
    # The tenant's overview shows the tenant's figures (the API's answer for it), not the park's.
    shown = _number(_kpi_text(page, "kpi-energy-year"))
    own = overview["headline_figures"]["electricity_consumed_kwh"]
    assert shown == pytest.approx(own / 1000, abs=0.06)
    assert shown < admin_overview["headline_figures"]["electricity_consumed_kwh"] / 1000
    wait_charts(page, ["flow-chart", "profile-chart"])
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
    screenshot(page, "data-tenant-en")


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
    screenshot(page, "data-upload-report-en", doc=True, doc_testid="panel-upload")


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
    assert download.path().read_bytes()[:2] == b"PK", "an xlsx is a zip file"
    with page.expect_download() as info:
        page.get_by_test_id("download-inventory-pdf").click()
    assert info.value.path().read_bytes()[:5] == b"%PDF-"
    page.get_by_test_id("publish-inventory").click()
    page.get_by_test_id("versions-table").locator("tbody tr").first.wait_for()
    versions = live_app.get(f"/parks/{live_app.park_id}/inventories", ADMIN)
    assert len(versions) >= 1
    screenshot(page, "reports-admin-en")


def _no_error_states(page: Any) -> None:
    errors = page.locator("main .state.error").all_inner_texts()
    assert not errors, errors


def test_carbon_indicators_and_settings_pages_show_the_api_figures(
    page: Any, live_app: LiveApp
) -> None:
    year = live_app.get(f"/parks/{live_app.park_id}/overview", ADMIN)["year"]
    inventory = live_app.get(f"/parks/{live_app.park_id}/inventory", ADMIN, year=year)
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-carbon").click()
    page.get_by_test_id("kpi-scope1").wait_for()
    wait_charts(page, ["carbon-scope", "carbon-category", "carbon-sector"])
    scope1 = _number(_kpi_text(page, "kpi-scope1"))
    assert scope1 == pytest.approx(inventory["totals"]["by_scope"]["1"], abs=0.6)
    assert page.get_by_test_id("methods-table").locator("tbody tr").count() >= 3
    assert page.get_by_test_id("lines-table").locator("tbody tr").count() > 0
    _no_error_states(page)
    screenshot(page, "carbon-admin-en", doc=True)

    page.get_by_test_id("nav-indicators").click()
    page.get_by_test_id("core-indicator").wait_for()
    page.get_by_test_id("energy-mix-table").wait_for()
    _no_error_states(page)
    screenshot(page, "indicators-admin-en")

    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("users-table").wait_for()
    page.get_by_test_id("factors-table").wait_for()
    emails = page.get_by_test_id("users-table").inner_text()
    assert "tenant@demo.zeropark.dev" in emails
    _no_error_states(page)
    screenshot(page, "settings-admin-en")

    page.get_by_test_id("nav-energy").click()
    wait_charts(page, ["energy-chart"])
    _no_error_states(page)
    screenshot(page, "energy-admin-en")


def _resolve_every_alert(app: LiveApp) -> None:
    """Other browser tests share the demo park and act on its alerts: start from none open."""
    path = f"/parks/{app.park_id}/alerts"
    ids = [
        a["id"]
        for status in ("open", "acknowledged")
        for a in app.get(path, ADMIN, status=status, limit=500)["items"]
    ]
    if ids:
        answer = httpx.post(
            f"{app.url}/api/v1{path}/acknowledge",
            headers={"Authorization": f"Bearer {app.token(*ADMIN)}"},
            json={"ids": ids, "resolve": True},
            timeout=30,
        )
        answer.raise_for_status()


def test_alerts_are_raised_acknowledged_and_resolved(page: Any, live_app: LiveApp) -> None:
    _resolve_every_alert(live_app)
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-alerts").click()
    page.get_by_test_id("alerts-check").click()
    table = page.get_by_test_id("alerts-table")
    table.wait_for()
    open_alerts = live_app.get(f"/parks/{live_app.park_id}/alerts", ADMIN, status="open")
    assert open_alerts["total"] > 0, "the check raises alerts for meters silent since the demo year"
    path = f"/parks/{live_app.park_id}/alerts"

    def acknowledged_ids() -> dict[int, str]:
        found = live_app.get(path, ADMIN, status="acknowledged", limit=500)
        return {a["id"]: a["kind"] for a in found["items"]}

    before = acknowledged_ids()  # other tests share the demo and may have acknowledged some
    first = table.locator("tbody tr").first
    first.get_by_role("button", name="Acknowledge").click()
    page.wait_for_function(
        "document.querySelector('#toast')?.textContent === 'Alert acknowledged.'"
    )
    # The first row is a group (one rule, e.g. every silent meter): one click acknowledges it.
    new = {k: v for k, v in acknowledged_ids().items() if k not in before}
    assert new and len(set(new.values())) == 1  # one group: one rule, one kind
    page.locator("main .segmented [data-value=acknowledged]").click()
    row = page.get_by_test_id("alerts-table").locator("tbody tr").first
    row.get_by_role("button", name="Resolve").click()
    page.wait_for_function("document.querySelector('#toast')?.textContent === 'Alert resolved.'")
    resolved = live_app.get(f"/parks/{live_app.park_id}/alerts", ADMIN, status="resolved")
    assert resolved["total"] >= 1
    page.locator("main .segmented [data-value=all]").click()
    page.get_by_test_id("alerts-table").locator("tbody tr").first.wait_for()
    assert page.get_by_test_id("alerts-table").locator("tbody tr").count() >= 2
    screenshot(page, "alerts-admin-en")


def test_auditor_data_page_has_no_upload_and_no_stray_null(page: Any, live_app: LiveApp) -> None:
    """A read-only role gets the meters and the quarantine, no upload panel, and no 'null'."""
    login(page, live_app, ("auditor@demo.zeropark.dev", "demo-auditor-pass"))
    page.goto(f"{live_app.url}/#/data")
    page.wait_for_selector("main[data-page='data']")
    page.wait_for_function("!document.querySelector('main .state.loading')", timeout=30_000)
    text = page.inner_text("main")
    assert "null" not in text and "undefined" not in text
    assert page.locator("input[type=file]").count() == 0
