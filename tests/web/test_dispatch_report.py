"""The dispatch report is one self-contained HTML file in the chosen language."""

from __future__ import annotations

import re

from zeropark.i18n import use_lang
from zeropark.web.dispatch_report import dispatch_report_html

HOURS = [f"2024-06-03T{h:02d}:00:00+08:00" for h in range(24)]
PLAN = {
    "plan_date": "2024-06-03", "version": 2, "created_by": "admin", "timezone": "Asia/Shanghai",
    "inputs": {"forecaster": "backtested"}, "hours": HOURS,
    "kpis": {"cost_cny": 648640.23, "baseline_cost_cny": 693414.66, "cost_saved_cny": 44774.43,
             "peak_kw": 11995.0, "peak_reduced_kw": 1054.0, "pv_self_consumption": 1.0,
             "co2_avoided_t": -0.72},
    "schedules": {"demand_forecast_kw": [1.0] * 24, "pv_forecast_kw": [0.5] * 24,
                  "grid_import_kw": [0.5] * 24, "setpoint_kw:bess": [0.0] * 24,
                  "soc_kwh:bess": [400.0] * 24},
    "actual": {"demand_kw": [1.0] * 24, "pv_kw": [0.4] * 24, "import_kw": [0.6] * 24},
}  # fmt: skip
REPLAY = {
    "start": "2024-06-01", "end": "2024-06-02", "days": ["2024-06-01", "2024-06-02"],
    "capture": 0.718,
    "strategies": {
        name: {"energy_cny": "1101061.20", "demand_charge_cny": "548800.00",
               "total_cny": "1649861.20", "saving_cny": "0.00"}
        for name in ("baseline", "as_operated", "optimised", "perfect")
    },
    "daily_peak_kw": {n: [1.0, 2.0] for n in ("baseline", "as_operated", "optimised", "perfect")},
}  # fmt: skip


def test_the_report_opens_offline_in_either_language() -> None:
    with use_lang("zh"):
        zh = dispatch_report_html("零碳示范产业园", PLAN, REPLAY)
    with use_lang("en"):
        en = dispatch_report_html("Demo park", PLAN, REPLAY)
    assert "调度报告 2024-06-03" in zh and "储能计划" in zh and "1,649,861.20" in zh
    assert "dispatch report 2024-06-03" in en and "Battery plan" in en and "71.8%" in en
    for page in (zh, en):
        assert "echarts" in page and len(page) > 500_000  # the bundled library is inlined
        assert not re.search(r"<script[^>]+src=", page)  # nothing fetched from anywhere
        assert page.count("class='chart'") == 4
