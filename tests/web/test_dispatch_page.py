"""The forecast-and-dispatch page in real Chromium: a park admin plans a day and reads the plan
against what was measured, in both languages; an auditor reads it without the write buttons; a
tenant is not offered the page."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import ADMIN, TENANT, LiveApp, login, screenshot, wait_charts

AUDITOR = ("auditor@demo.zeropark.dev", "demo-auditor-pass")
CHARTS = ["chart-forecast", "chart-battery", "chart-import"]


def _open(page: Any, app: LiveApp, lang: str) -> None:
    page.evaluate(f"localStorage.setItem('zeropark.lang', '{lang}')")
    page.evaluate("sessionStorage.setItem('zeropark.dispatch.day', '2024-06-04')")
    page.goto(f"{app.url}/#/dispatch")
    page.reload()  # the language is read when the app starts
    page.wait_for_selector("main[data-page='dispatch']")


def test_an_admin_plans_a_day_and_reads_it_in_both_languages(page: Any, live_app: LiveApp) -> None:
    login(page, live_app, ADMIN)
    _open(page, live_app, "zh")
    page.get_by_test_id("dispatch-plan").click()
    page.wait_for_selector("[data-testid='panel-plan'] .kpi", timeout=120_000)
    wait_charts(page, CHARTS)
    assert "预测与调度" in page.inner_text("main")
    assert page.get_by_test_id("kpi-plan-saved").is_visible()
    page.get_by_test_id("forecast-run").click()  # the meter forecast of the same day
    page.wait_for_selector("[data-testid='table-backtest']", timeout=120_000)
    wait_charts(page, ["chart-meter-forecast"])
    assert "★" in page.get_by_test_id("table-backtest").inner_text()
    screenshot(page, "dispatch-admin-zh")
    _open(page, live_app, "en")
    wait_charts(page, CHARTS)
    text = page.inner_text("main")
    assert "Forecast & dispatch" in text and "Saved vs no dispatch" in text
    screenshot(page, "dispatch-admin-en")


def test_an_auditor_reads_plans_and_a_tenant_is_not_offered_the_page(
    page: Any, live_app: LiveApp
) -> None:
    login(page, live_app, AUDITOR)
    _open(page, live_app, "en")
    page.wait_for_selector("[data-testid='panel-plan'], [data-testid='panel-no-plan']")
    assert page.get_by_test_id("dispatch-plan").count() == 0
    assert page.get_by_test_id("panel-replay").count() == 0
    screenshot(page, "dispatch-auditor-en")
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    login(page, live_app, TENANT)
    assert page.locator("nav a[href='#/dispatch']").count() == 0
