"""A Chinese-language user uploads a bad activities file (issue #10): the dashboard lists the
issues as data (file, row, field, value, code) with every reason rendered from its reason code
in Chinese, in the validation report and in the quarantine list — no English reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import ADMIN, LiveApp, login, screenshot
from tests.web.test_roles_tenant_upload import _last_register
from tests.web.test_roles_walk import latin_words

pytestmark = pytest.mark.browser

HAN = re.compile(r"[\u4e00-\u9fff]")
#: Words of the English reasons of these issues; none may show in the Chinese dashboard.
ENGLISH = ("is not", "not negative", "cannot read", "percentage", "no tenant", "not an item")


@pytest.fixture
def zh_page(browser: Any, live_app: LiveApp) -> Iterator[Any]:
    """A browser context of a Chinese-language user (locale zh-CN, dashboard in Chinese)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    context.add_init_script("localStorage.setItem('zeropark.lang', 'zh');")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _bad_file(tenant: str) -> bytes:
    return (
        "entity,period,category,item,quantity,unit\n"
        f"{tenant},2024年3月,fuel_combustion,天然气,-5,万Nm3\n"
        f"{tenant},2024/3,process,石灰石,50%,t\n"
        f"{tenant},2024Q5,fuel_combustion,天然气,1,万Nm3\n"
        f"{tenant},2024年第1季度,process,柴油,1,t\n"
        "nobody,2024-03,fuel_combustion,天然气,1,万Nm3\n"
    ).encode()


def test_chinese_user_sees_structured_issues_with_chinese_reasons(
    zh_page: Any, live_app: LiveApp
) -> None:
    page = zh_page
    tenants = live_app.get(f"/parks/{live_app.park_id}/tenants", ADMIN)
    tenant = (tenants if isinstance(tenants, list) else tenants["items"])[0]["id"]
    login(page, live_app, ADMIN)
    assert page.locator("main h1").inner_text() == "总览"
    page.get_by_test_id("nav-data").click()
    page.get_by_test_id("panel-upload").locator("button[data-value=activities]").click()
    page.get_by_test_id("upload-file").set_input_files(
        files=[{"name": "活动数据-有误.csv", "mimeType": "text/csv", "buffer": _bad_file(tenant)}]
    )
    page.get_by_test_id("upload-submit").click()
    issues = page.get_by_test_id("issues-table")
    issues.wait_for()

    def cells(field: str) -> list[str]:
        return [c.strip() for c in issues.locator(f"td[data-field={field}]").all_inner_texts()]

    assert cells("file") == ["活动数据-有误.csv"] * 5
    assert cells("row") == ["2", "3", "4", "5", "6"]
    assert cells("field") == ["quantity", "quantity", "period", "item", "entity"]
    assert cells("value") == ["-5", "50%", "2024Q5", "柴油", "nobody"]
    assert cells("code") == [
        "negative", "bad_number", "bad_period", "item_category_mismatch", "unknown_entity",
    ]  # fmt: skip
    codes = [
        str(c.get_attribute("data-reason-code"))
        for c in issues.locator("td[data-field=reason] span").all()
    ]
    assert codes == [
        "negative_quantity", "percent_not_quantity", "bad_period", "item_category_mismatch",
        "unknown_entity",
    ]  # fmt: skip
    reasons = cells("reason")
    assert reasons[0].startswith("数量不能为负")
    assert reasons[1] == "百分数“50%”不是数量：请按该行的单位填写数值"
    assert reasons[2].startswith("无法识别期间“2024Q5”")
    assert reasons[3] == "柴油（diesel）属于燃料，不是“工业生产过程”(process)的品种"
    assert reasons[4] == "园区中没有主体（企业或园区）“nobody”"
    for reason in reasons:
        assert HAN.search(reason), reason
        assert not any(word in reason for word in ENGLISH), reason
    assert page.get_by_test_id("report-rejected").inner_text().strip() == "已拒绝: 5"
    # The page renders a reason from its code and parameters, whatever text the server sent;
    # the server's text is the fallback for a code the page does not know (older rows).
    render = "(issue) => import('/static/i18n.js').then((m) => m.issueReason(issue))"
    sent = {"reason_code": "negative_quantity", "params": {}, "reason": "in English"}
    assert page.evaluate(render, sent).startswith("数量不能为负")
    unknown = {"reason_code": "not_catalogued", "params": {}, "reason": "as stored"}
    assert page.evaluate(render, unknown) == "as stored"
    page.get_by_test_id("validation-report").scroll_into_view_if_needed()
    screenshot(page, "import-issues-zh", doc=True, doc_testid="panel-upload")

    # The quarantine list renders the same reasons from the stored reason codes.
    quarantine = page.get_by_test_id("quarantine-table")
    quarantine.locator("td[data-field=reason]", has_text="百分数“50%”不是数量").wait_for()
    stored = [c.strip() for c in quarantine.locator("td[data-field=reason]").all_inner_texts()]
    ours = [r for r in stored if any(r.startswith(x[:6]) for x in reasons)]
    assert len(ours) >= 5 and all(HAN.search(r) for r in ours)
    assert not any(word in r for r in ours for word in ENGLISH)


def test_chinese_user_sees_reading_and_normalisation_reasons_in_chinese(
    zh_page: Any, live_app: LiveApp
) -> None:
    """A readings file with a bad time, a bad value, an unknown meter and a register value past
    the register's end that normalisation sets aside: every reason in the report and in the
    quarantine list is Chinese (ids, units and times are data)."""
    page = zh_page
    # A meter no other browser test writes: the live app and its data are shared.
    last = _last_register(live_app, "e_auto_paint")
    upload = (
        "meter,ts,value\n"
        f"e_auto_paint,2025-01-01T00:15:00+08:00,{last + 50:.2f}\n"
        f"e_auto_paint,2025-01-01T00:30:00+08:00,{last + 5e7:.2f}\n"  # past the register's end
        f"e_auto_paint,2025-01-01T00:45:00+08:00,{last + 100:.2f}\n"
        "e_auto_paint,2025-01-01 25:00,1\n"
        "e_auto_paint,2025-01-01T01:00:00+08:00,many\n"
        "no_such_meter,2025-01-01T00:15:00+08:00,5\n"
    )
    login(page, live_app, ADMIN)
    page.get_by_test_id("nav-data").click()
    page.get_by_test_id("panel-upload").locator("button[data-value=readings]").click()
    page.get_by_test_id("upload-file").set_input_files(
        files=[{"name": "读数-有误.csv", "mimeType": "text/csv", "buffer": upload.encode()}]
    )
    page.get_by_test_id("upload-submit").click()
    issues = page.get_by_test_id("issues-table")
    issues.wait_for()
    reasons = [r.strip() for r in issues.locator("td[data-field=reason]").all_inner_texts()]
    quarantine = page.get_by_test_id("quarantine-table")
    quarantine.locator("td", has_text="寄存器读数").first.wait_for()
    stored = [
        r.strip()
        for row in quarantine.locator("tr", has_text="读数-有误.csv").all()
        for r in row.locator("td[data-field=reason]").all_inner_texts()
    ]
    assert len(reasons) >= 3 and len(stored) >= 4, (reasons, stored)
    ids = re.compile(
        r"[A-Z][a-z]+/[A-Za-z_]+|\b[a-z]+(?:_[a-z0-9]+)+\b|\bkWh\b|" + live_app.park_id
    )
    for reason in reasons + stored:
        assert HAN.search(reason), reason
        assert not latin_words(ids.sub(" ", reason)), reason
    # Normalisation's own reason, at the park-local time of the reading (UTC on the server).
    assert any("2025/01/01 00:30" in r and "寄存器读数" in r for r in stored), stored
    # That reading came from row 3 of the file: the report and the quarantine list say so.
    in_report = issues.locator("tr", has_text="寄存器读数")
    assert in_report.locator("td[data-field=row]").all_inner_texts() == ["3"]
    in_list = quarantine.locator("tr", has_text="读数-有误.csv").filter(has_text="寄存器读数")
    assert in_list.locator("td[data-field=location]").all_inner_texts() == ["3"]
    quarantine.scroll_into_view_if_needed()
    screenshot(page, "import-readings-issues-zh")
