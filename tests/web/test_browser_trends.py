"""Trend panels in real Chromium: time-of-use by month, the monthly carbon trend, the guiding
indicators — the figures are the API's, and a park without a schedule says so."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import ADMIN, TENANT, LiveApp, login, screenshot, wait_charts

pytestmark = pytest.mark.browser


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("\u202f", "").replace(" ", ""))


def _no_error_states(page: Any) -> None:
    errors = page.locator("main .state.error, main [data-testid=unavailable]").all_inner_texts()
    assert not errors, errors


def _year_window(live_app: LiveApp) -> dict[str, str]:
    year = int(live_app.get(f"/parks/{live_app.park_id}/overview", ADMIN)["year"])
    return {"start": f"{year}-01-01T00:00:00+08:00", "end": f"{year + 1}-01-01T00:00:00+08:00"}


def test_energy_page_splits_electricity_by_time_of_use(page: Any, live_app: LiveApp) -> None:
    tou = live_app.get(
        f"/parks/{live_app.park_id}/energy/tou", ADMIN, bucket="month", **_year_window(live_app)
    )
    assert tou["configured"] is True
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-energy").click()
    wait_charts(page, ["energy-chart", "tou-chart"])
    series = page.evaluate(
        """() => document.querySelector('[data-testid="tou-chart"]').chart.getOption().series
            .map((s) => ({name: s.name, stack: s.stack, n: s.data.length}))"""
    )
    expected = [p["label_en"].capitalize() for p in tou["periods"]]
    if any(r.get("uncovered") for r in tou["rows"]):
        expected.append("Not covered by the schedule")
    assert [s["name"] for s in series] == expected
    assert all(s["stack"] == "tou" and s["n"] == len(tou["rows"]) for s in series)
    rows = page.get_by_test_id("tou-table").locator("tbody tr")
    assert rows.count() == len(tou["periods"]) + (1 if tou["uncovered_kwh"] > 0 else 0)
    shown = _number(rows.first.locator("td[data-field=kwh]").inner_text())
    assert shown == pytest.approx(tou["periods"][0]["kwh"], abs=0.6)
    _no_error_states(page)
    screenshot(page, "energy-tou-admin-en")


def test_energy_page_says_when_no_schedule_is_configured(page: Any, live_app: LiveApp) -> None:
    answer = {
        "schema": "zeropark.energy_tou/1",
        "park_id": live_app.park_id,
        "tenant_id": None,
        "timezone": "Asia/Shanghai",
        "start": "2024-01-01T00:00:00+08:00",
        "end": "2025-01-01T00:00:00+08:00",
        "bucket": "month",
        "configured": False,
        "note": None,
        "unit": "kWh",
        "meters": [],
        "periods": [],
        "uncovered_kwh": None,
        "estimated_kwh": None,
        "total_kwh": None,
        "rows": [],
    }
    page.route(
        "**/api/v1/parks/*/energy/tou?*",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(answer)
        ),
    )
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-energy").click()
    page.get_by_test_id("tou-not-configured").wait_for()
    assert page.get_by_test_id("tou-chart").count() == 0
    assert "No time-of-use schedule" in page.get_by_test_id("panel-tou").inner_text()
    _no_error_states(page)
    screenshot(page, "energy-tou-not-configured-en")


def test_carbon_page_shows_the_monthly_trend(page: Any, live_app: LiveApp) -> None:
    year = live_app.get(f"/parks/{live_app.park_id}/overview", ADMIN)["year"]
    monthly = live_app.get(f"/parks/{live_app.park_id}/inventory/monthly", ADMIN, year=year)
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-carbon").click()
    wait_charts(page, ["carbon-trend"])
    lines = page.evaluate(
        """() => document.querySelector('[data-testid="carbon-trend"]').chart.getOption().series
            .map((s) => s.data)"""
    )
    methods = [m for m in ("cn_national", "ghg_location", "ghg_market", "zero_carbon_park")
               if m in monthly["methods"]]  # fmt: skip
    assert len(lines) == len(methods)
    for data, method in zip(lines, methods, strict=True):
        assert data == pytest.approx(monthly["methods"][method]["gross_tco2e"])
    has_other = any(monthly["methods"][m]["other_periods_tco2e"] for m in methods)
    assert page.get_by_test_id("carbon-other-periods").count() == (1 if has_other else 0)
    _no_error_states(page)
    screenshot(page, "carbon-trend-admin-en")


def test_tenant_carbon_trend_is_its_own(page: Any, live_app: LiveApp) -> None:
    me = live_app.get("/auth/me", TENANT)
    login(page, live_app, TENANT)
    with page.expect_response(lambda r: "/inventory/monthly" in r.url) as info:
        page.get_by_test_id("nav-carbon").click()
    assert f"tenant_id={me['tenant_id']}" in info.value.url
    assert info.value.status == 200
    wait_charts(page, ["carbon-trend"])
    _no_error_states(page)


def test_indicators_page_lists_the_guiding_indicators(page: Any, live_app: LiveApp) -> None:
    year = live_app.get(f"/parks/{live_app.park_id}/overview", ADMIN)["year"]
    guiding = live_app.get(f"/parks/{live_app.park_id}/indicators", ADMIN, year=year)["guiding"]
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-indicators").click()
    table = page.get_by_test_id("guiding-table")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == len(guiding) == 5
    states = table.locator("[data-state]").evaluate_all("(ns) => ns.map((n) => n.dataset.state)")
    assert states == [g["state"] for g in guiding]
    text = table.inner_text()
    for g in guiding:
        assert g["label_en"].capitalize() in text
    _no_error_states(page)
    screenshot(page, "indicators-guiding-admin-en")
    page.get_by_test_id("lang-select").select_option("zh")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=guiding-table]')?.innerText.includes('达标')"
        " || document.querySelector('[data-testid=guiding-table]')?.innerText.includes('无数据')"
    )
    assert guiding[0]["label_zh"] in page.get_by_test_id("guiding-table").inner_text()
    screenshot(page, "indicators-guiding-admin-zh")
    page.get_by_test_id("lang-select").select_option("en")
