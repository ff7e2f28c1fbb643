"""The demo tenant uploads readings of its own meter in the Chinese UI (issue #11, defect b).

Reproduction from the issue: uploading ``meter,ts,value`` rows for the tenant's own
``e_auto_air`` refused every row ("no meter 'e_auto_air' … that this caller may write"), and
the page said the refused rows were quarantined though the tenant's quarantine list stayed
empty. Now the rows of its own meter are accepted; the row of another tenant's meter and the
row with a bad time are refused with Chinese reasons and listed in the tenant's quarantine,
with their time of receipt in the park's local time (the browser runs in New York; the API
gives the time as naive UTC, which the page once read as the browser's local time).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.web.conftest import SCREENSHOTS, LiveApp
from tests.web.test_roles_walk import _settle, _sign_in, latin_words
from zeropark.domain.access import Principal
from zeropark.store.readings import meter_refs, readings_between

pytestmark = pytest.mark.browser

TENANT = ("tenant@demo.zeropark.dev", "demo-tenant-pass")
NEW_YEAR = datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


def _last_register(app: LiveApp, meter: str) -> float:
    """The register value of ``meter`` at the end of the demo year (2025-01-01 00:00 local)."""
    system = Principal.system("test")
    with app.db.transaction() as conn:
        ref = meter_refs(conn, system, app.park_id, [meter])[meter]
        end = int(NEW_YEAR.timestamp())
        _, values, _ = readings_between(conn, system, ref, end - 3600, end)
    return float(values[-1])


def test_tenant_uploads_its_own_meter_in_chinese(browser: Any, live_app: LiveApp) -> None:
    last = _last_register(live_app, "e_auto_air")
    upload = (
        "meter,ts,value\n"
        f"e_auto_air,2025-01-01T00:15:00+08:00,{last + 50:.2f}\n"
        f"e_auto_air,2025-01-01T00:30:00+08:00,{last + 100:.2f}\n"
        "e_auto_air,2025-01-01 25:00,1\n"
        "e_elec_air,2025-01-01T00:15:00+08:00,5\n"
    )
    context, tab, failed = _sign_in(browser, live_app, "tenant", "zh")
    try:
        tab.get_by_test_id("nav-data").click()
        _settle(tab)
        tab.get_by_test_id("upload-file").set_input_files(
            files=[{"name": "auto-air.csv", "mimeType": "text/csv", "buffer": upload.encode()}]
        )
        tab.get_by_test_id("upload-submit").click()
        tab.get_by_test_id("validation-report").wait_for()
        assert tab.get_by_test_id("report-accepted").inner_text().endswith(": 2")
        assert tab.get_by_test_id("report-rejected").inner_text().endswith(": 2")
        issues = tab.get_by_test_id("issues-table")
        reasons = issues.locator("td:last-child").all_inner_texts()
        # Chinese reasons; the ids they name (time zone, park, meter) are data, not words.
        ids = re.compile(r"[A-Z][a-z]+/[A-Za-z_]+|\b[a-z]+(?:_[a-z0-9]+)+\b|" + live_app.park_id)
        assert len(reasons) == 2 and not latin_words(ids.sub(" ", " ".join(reasons))), reasons
        rows = {r.strip() for r in issues.locator("td[data-field=row]").all_inner_texts()}
        assert rows == {"4", "5"}, rows
        # The refused rows are in the tenant's own quarantine, received at park-local time.
        quarantine = tab.get_by_test_id("quarantine-table")
        quarantine.wait_for()
        _settle(tab)
        api_rows = [
            r
            for r in live_app.get(f"/parks/{live_app.park_id}/quarantine", TENANT)["items"]
            if r["source"] == "auto-air.csv"
        ]
        assert len(api_rows) == 2
        received = datetime.fromisoformat(api_rows[0]["created_at"].replace("Z", "+00:00"))
        if received.tzinfo is None:  # the API's naive times are UTC
            received = received.replace(tzinfo=UTC)
        local = received.astimezone(ZoneInfo("Asia/Shanghai"))
        shown = quarantine.inner_text()
        assert f"{local:%Y/%m/%d %H:%M}" in shown, (local, shown[:300])
        assert not [f for f in failed if not f.startswith("JS")], failed
        tab.screenshot(path=str(SCREENSHOTS / "tenant-upload-zh.png"), full_page=True)
    finally:
        context.close()
