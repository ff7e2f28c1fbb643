"""The cost page's issued bills in real Chromium: a park admin issues March 2024 and re-issues
a version with a reason; a tenant reads its bill as issued; after a tariff change the issued
figures stay and the difference is shown — in both languages. The tariff is put back at the
end (the demo database is shared by the browser tests)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.web.conftest import ADMIN, TENANT, LiveApp, login, screenshot
from zeropark.domain.access import Principal

MONTH = "2024-03"
REASON = "meter data completed"


def _open(page: Any, app: LiveApp, lang: str) -> None:
    page.evaluate(f"localStorage.setItem('zeropark.lang', '{lang}')")
    page.goto(f"{app.url}/#/cost")
    page.reload()  # the language is read when the app starts
    page.wait_for_selector("main[data-page='cost'] [data-testid='cost-month']")
    page.get_by_test_id("cost-month").fill(MONTH)
    page.get_by_test_id("cost-month").dispatch_event("change")
    page.wait_for_selector(f".cost-content[data-month='{MONTH}'] [data-testid='panel-by-band']")


def _wait_text(page: Any, testid: str, text: str) -> None:
    """Wait until the element ``testid`` shows ``text``; on a timeout, fail with what the page
    shows instead (the element and the last toast)."""
    script = (
        "([id, text]) => document.querySelector(`[data-testid=${id}]`)?.innerText.includes(text)"
    )
    try:
        page.wait_for_function(script, arg=[testid, text], timeout=60_000)
    except PlaywrightTimeout:
        shown = (
            page.get_by_test_id(testid).inner_text() if page.get_by_test_id(testid).count() else ""
        )
        pytest.fail(
            f"{text!r} not shown in {testid}: {shown[:500]!r}; toast {page.inner_text('#toast')!r}"
        )


def _status(page: Any, testid: str = "cost-status") -> str:
    return str(page.get_by_test_id(testid).get_attribute("data-status"))


@pytest.fixture
def dearer_gas(live_app: LiveApp) -> Iterator[None]:
    """The month issued again (a version with a reason, whatever ran before), then natural gas
    at 4.00 CNY/Nm³ for the test; the demo's tariff again afterwards."""
    from zeropark.service.billing.issued import issue_bills
    from zeropark.service.parks import apply_park
    from zeropark.store.parks import ParkRepository

    system = Principal.system("web-test")
    for _ in range(2):  # a version issued with a reason: at least version 2
        issued = issue_bills(
            live_app.db, system, live_app.park_id, MONTH, reissue=True, reason=REASON
        )
        if issued[0].version > 1:
            break
    with live_app.db.transaction() as conn:
        spec = ParkRepository(conn, system).export(live_app.park_id)
    tariffs = spec.park.tariffs
    assert tariffs is not None
    gas = replace(tariffs.others[0], price_cny_per_unit=4.00)
    park = replace(spec.park, tariffs=replace(tariffs, others=[gas, *tariffs.others[1:]]))
    apply_park(live_app.db, system, replace(spec, park=park))
    try:
        yield
    finally:
        apply_park(live_app.db, system, spec)


def test_an_admin_issues_and_reissues_the_month(page: Any, live_app: LiveApp) -> None:
    login(page, live_app, ADMIN)
    _open(page, live_app, "zh")
    assert _status(page) == "draft" and "草稿" in page.get_by_test_id("cost-status").inner_text()
    page.get_by_test_id("cost-issue").click()
    page.wait_for_selector("[data-testid='cost-status'][data-status='issued']", timeout=60_000)
    table = page.get_by_test_id("table-by-tenant").inner_text()
    assert "已出具 · 第 1 版" in table and "草稿" not in table
    assert page.get_by_test_id("cost-issue").count() == 0
    page.get_by_test_id("cost-reissue").click()  # no reason: refused on the page
    page.wait_for_selector("#toast.show.error")
    assert "重新出具须说明原因" in page.inner_text("#toast")
    screenshot(page, "cost-issued-admin-zh")
    _open(page, live_app, "en")
    assert "Issued · The bills of this month are issued" in page.inner_text("main")
    page.get_by_test_id("cost-reissue-reason").fill("tariff notice corrected")
    page.get_by_test_id("cost-reissue").click()
    _wait_text(page, "table-by-tenant", "version 2")
    assert "Issued · version 2" in page.get_by_test_id("table-by-tenant").inner_text()
    screenshot(page, "cost-issued-admin-en")


def test_a_tenant_reads_its_issued_bill_and_the_difference(
    page: Any, live_app: LiveApp, dearer_gas: None
) -> None:
    login(page, live_app, TENANT)
    _open(page, live_app, "en")
    assert page.get_by_test_id("cost-issue").count() == 0
    assert page.get_by_test_id("cost-reissue").count() == 0
    assert _status(page, "bill-status") == "issued"
    status = page.get_by_test_id("bill-status").inner_text()
    assert "Issued · version" in status and REASON in status and "web-test" in status
    drift = page.get_by_test_id("bill-drift").inner_text()
    assert drift.startswith("Recomputed now: ") and "differs by +" in drift
    assert "1,497,068.67" in page.get_by_test_id("kpi-bill-total").inner_text()
    screenshot(page, "cost-issued-tenant-en")
    _open(page, live_app, "zh")
    assert "按当前数据重算" in page.get_by_test_id("bill-drift").inner_text()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    login(page, live_app, ADMIN)
    _open(page, live_app, "zh")
    assert "出具后数据发生变化" in page.get_by_test_id("cost-drift").inner_text()
    row = page.get_by_test_id("table-by-tenant").locator("tr", has_text="恒驰").inner_text()
    assert "1,497,068.67" in row and "+" in row
