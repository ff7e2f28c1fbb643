"""The energy page in real Chromium: every carrier, the flow diagram, the reconciliation, and the
same headline figures as the overview — as the park admin and as a tenant, in Chinese and English.

Reproduces issue #11: Admin → 能源 → 能源品种 showed 电力 = 100 % (the page kept kWh groups only)
while natural gas is 55 % of the park's energy (16,852 of 30,923 tce); the tenant's 800,000 Nm3
of gas was invisible; the hour view switched to December silently.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import ADMIN, TENANT, LiveApp, login, screenshot, wait_charts

pytestmark = pytest.mark.browser

RAW_KEY = re.compile(r"\b(energy|overview|state|codes)\.[a-z_]+(\.[a-z_]+)*\b")


def _set_lang(page: Any, lang: str) -> None:
    page.evaluate(f"localStorage.setItem('zeropark.lang', '{lang}')")


def _open_energy(page: Any, app: LiveApp) -> None:
    page.goto(f"{app.url}/#/energy")
    page.reload()  # the language set in localStorage applies on load
    page.wait_for_selector("main[data-page='energy']")
    page.wait_for_selector("[data-testid='carrier-table']")
    wait_charts(page, ["energy-sankey", "carrier-pie", "energy-monthly"])


def _number(text: str) -> float:
    return float(re.sub(r"[^\d.\-]", "", text.replace("−", "-")))


def _row(page: Any, table: str, name: str) -> list[str]:
    row = page.locator(f"[data-testid='{table}'] tbody tr", has_text=name).first
    return [c.strip() for c in row.locator("td").all_inner_texts()]


@pytest.mark.parametrize("lang", ["zh", pytest.param("en", marks=pytest.mark.slow)])
def test_admin_sees_every_carrier_the_flow_and_a_closing_balance(
    page: Any, live_app: LiveApp, lang: str
) -> None:
    login(page, live_app, ADMIN)
    _set_lang(page, lang)
    page.reload()
    page.wait_for_selector("main[data-page='overview']")
    page.wait_for_selector("[data-testid='kpi-energy-year'] .kpi-number")
    overview_mwh = _number(
        page.get_by_test_id("kpi-energy-year").locator(".kpi-number").inner_text()
    )
    _open_energy(page, live_app)
    gas = "天然气" if lang == "zh" else "natural gas"
    cells = _row(page, "carrier-table", gas)
    nm3 = _number(cells[1].split(" ")[0])
    assert cells[1].endswith("Nm3") and nm3 > 12_000_000
    # GB/T 2589-2020 附录A: natural gas 1.33 kgce/m3 (the factor library's coefficient)
    assert _number(cells[2]) == pytest.approx(nm3 * 1.33 / 1000, abs=0.1)
    assert 50 < _number(cells[3]) < 60  # 54.5 % of the demo's 综合能耗
    electricity = _row(page, "carrier-table", "电力" if lang == "zh" else "electricity")
    assert not electricity[3].startswith("100")
    # One figure for electricity consumed: the energy page's headline is the overview's.
    energy_mwh = _number(
        page.get_by_test_id("headline-electricity").locator(".kpi-number").inner_text()
    )
    headline = live_app.get(f"/parks/{live_app.park_id}/indicators", ADMIN, year=2024)
    indicators_mwh = headline["headline_figures"]["electricity_consumed_kwh"] / 1000
    assert energy_mwh == overview_mwh == pytest.approx(indicators_mwh, abs=0.05)
    method = page.get_by_test_id("headline-emissions").inner_text()
    assert ("零碳园区" in method) if lang == "zh" else ("zero-carbon park" in method)
    assert page.get_by_test_id("balance-closes").is_visible()
    common = "公共及未计量" if lang == "zh" else "Common and unmetered"
    assert page.locator("[data-testid='energy-table'] tbody tr", has_text=common).count() == 1
    text = page.locator("main").inner_text()
    assert not RAW_KEY.search(text), RAW_KEY.search(text)
    assert "undefined" not in text and "null" not in text and "NaN" not in text
    screenshot(page, f"energy-admin-{lang}", doc=lang == "zh", doc_testid="panel-sankey")


@pytest.mark.parametrize("lang", [pytest.param("zh", marks=pytest.mark.slow), "en"])
def test_a_tenant_sees_its_gas_and_its_own_figures_only(
    page: Any, live_app: LiveApp, lang: str
) -> None:
    login(page, live_app, TENANT)
    _set_lang(page, lang)
    _open_energy(page, live_app)
    gas = "天然气" if lang == "zh" else "natural gas"
    assert "800,000 Nm3" in _row(page, "carrier-table", gas)[1]
    text = page.locator("main").inner_text()
    for other in ("晶澄", "Jingcheng", "t_glass", "grid_main"):
        assert other not in text
    assert not RAW_KEY.search(text), RAW_KEY.search(text)
    assert "undefined" not in text and "null" not in text
    screenshot(page, f"energy-tenant-{lang}")


def test_the_hour_view_names_its_month_and_can_change_it(page: Any, live_app: LiveApp) -> None:
    login(page, live_app, ADMIN)
    _open_energy(page, live_app)
    panel = page.get_by_test_id("panel-energy")
    panel.get_by_role("radio", name="Hour").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=energy-period]')?.textContent.includes('Hourly')"
    )
    assert "Dec 2024" in page.get_by_test_id("energy-period").inner_text()
    panel.get_by_role("radio", name="Mar").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=energy-period]')?.textContent.includes('Mar 2024')"
    )
