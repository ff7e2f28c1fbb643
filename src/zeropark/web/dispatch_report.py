"""The dispatch report as one HTML file (``zeropark dispatch report``): the page's charts for a
day's plan — forecasts against measurements, the battery plan and state of charge, grid import
against the demand-charge peak — and, when asked, a replay's settlement table and daily peaks.

The file is self-contained: the bundled ECharts is inlined, so it opens offline and can be sent
to someone without access to the server. Text follows the current language (zh or en).
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from typing import Any

from zeropark.i18n import t
from zeropark.web import STATIC_DIR

__all__ = ["dispatch_report_html"]

_STRATEGIES = ("baseline", "as_operated", "optimised", "perfect")


def _strategy(name: str) -> str:
    return {
        "baseline": t("不调度（基准）", "No dispatch (baseline)"),
        "as_operated": t("实际运行", "As operated"),
        "optimised": t("优化（日前预测）", "Optimised (day-ahead forecasts)"),
        "perfect": t("优化（完美预见）", "Optimised (perfect foresight)"),
    }[name]


def _line(name: str, data: list[Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "line", "data": data, **extra}


def _plan_charts(plan: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    hours = [h[11:16] for h in plan["hours"]]
    s, actual = plan["schedules"], plan["actual"]
    forecast = [
        _line(
            t("负荷预测", "Load forecast"), s["demand_forecast_kw"], lineStyle={"type": "dashed"}
        ),
        _line(t("光伏预测", "PV forecast"), s["pv_forecast_kw"], lineStyle={"type": "dashed"}),
    ]
    if actual.get("demand_kw"):
        forecast.append(_line(t("负荷实测", "Load measured"), actual["demand_kw"]))
        forecast.append(_line(t("光伏实测", "PV measured"), actual["pv_kw"]))
    battery: list[dict[str, Any]] = []
    for key in s:
        if key.startswith("setpoint_kw:"):
            asset = key.split(":", 1)[1]
            battery.append(
                {
                    "name": t(f"{asset} 设定功率（放电为正）", f"{asset} setpoint (discharge +)"),
                    "type": "bar",
                    "data": s[key],
                }
            )
            battery.append(
                _line(
                    t(f"{asset} 荷电量", f"{asset} state of charge"),
                    s[f"soc_kwh:{asset}"],
                    yAxisIndex=1,
                )
            )
    imports = [
        _line(
            t("计划受电", "Planned import"),
            s["grid_import_kw"],
            markLine={"symbol": "none", "data": [{"yAxis": round(plan["kpis"]["peak_kw"])}]},
        )
    ]
    if actual.get("import_kw"):
        imports.append(_line(t("实测受电", "Measured import"), actual["import_kw"]))

    def option(series: list[dict[str, Any]], dual: bool = False) -> dict[str, Any]:
        y: Any = {"type": "value", "name": "kW"}
        if dual:
            y = [{"type": "value", "name": "kW"}, {"type": "value", "name": "kWh"}]
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 70, "right": 70, "top": 60, "bottom": 30},
            "xAxis": {"type": "category", "data": hours},
            "yAxis": y,
            "series": series,
        }

    return [
        (t("预测与实测", "Forecast vs measured"), option(forecast)),
        (t("储能计划", "Battery plan"), option(battery, dual=True)),
        (t("电网受电与需量峰值", "Grid import and demand-charge peak"), option(imports)),
    ]


def _kpi_rows(plan: dict[str, Any]) -> list[tuple[str, str]]:
    k = plan["kpis"]
    return [
        (t("预计电费（元）", "Expected cost (CNY)"), f"{k['cost_cny']:,.2f}"),
        (t("不调度电费（元）", "Cost without dispatch (CNY)"), f"{k['baseline_cost_cny']:,.2f}"),
        (t("节省（元）", "Saved (CNY)"), f"{k['cost_saved_cny']:,.2f}"),
        (t("计划最大需量 kW", "Planned peak demand kW"), f"{k['peak_kw']:,.0f}"),
        (t("需量降低 kW", "Peak reduced kW"), f"{k['peak_reduced_kw']:,.0f}"),
        (t("光伏自用率", "PV self-consumption"), f"{k['pv_self_consumption']:.1%}"),
        (t("减排 tCO₂", "CO₂ avoided t"), f"{k['co2_avoided_t']:,.3f}"),
    ]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def dispatch_report_html(
    park_name: str, plan: dict[str, Any], replay: dict[str, Any] | None = None
) -> str:
    """The report of ``plan`` (:func:`~zeropark.service.dispatch.views.plan_view`) and, when
    given, ``replay`` (:func:`~zeropark.service.dispatch.views.replay_view`)."""
    charts = _plan_charts(plan)
    sections: list[str] = []
    title = t(
        f"{park_name} 调度报告 {plan['plan_date']}",
        f"{park_name} dispatch report {plan['plan_date']}",
    )
    model, by, version = plan["inputs"].get("forecaster", "—"), plan["created_by"], plan["version"]
    meta = t(
        f"第 {version} 版 · 制定人 {by} · 预测模型 {model} · 时区 {plan['timezone']}",
        f"version {version} · by {by} · forecast model {model} · time zone {plan['timezone']}",
    )
    sections.append(f"<h1>{html.escape(title)}</h1><p class='muted'>{html.escape(meta)}</p>")
    sections.append(
        _table([t("指标", "Figure"), t("数值", "Value")], [list(r) for r in _kpi_rows(plan)])
    )
    options = []
    for i, (heading, option) in enumerate(charts):
        sections.append(f"<h2>{html.escape(heading)}</h2><div class='chart' id='c{i}'></div>")
        options.append(option)
    if replay is not None:
        sections.append(
            "<h2>"
            + html.escape(
                t(
                    f"历史推演 {replay['start']} 至 {replay['end']}",
                    f"Replay {replay['start']} to {replay['end']}",
                )
            )
            + "</h2>"
        )

        def cny(name: str, part: str) -> str:
            return f"{Decimal(replay['strategies'][name][part]):,}"

        parts = ("energy_cny", "demand_charge_cny", "total_cny", "saving_cny")
        rows = [[_strategy(name), *(cny(name, part) for part in parts)] for name in _STRATEGIES]
        sections.append(
            _table(
                [
                    t("策略", "Strategy"),
                    t("电量电费（元）", "Energy (CNY)"),
                    t("需量电费（元）", "Demand charge (CNY)"),
                    t("合计（元）", "Total (CNY)"),
                    t("较不调度节省（元）", "Saved vs no dispatch (CNY)"),
                ],
                rows,
            )
        )
        if replay["capture"] is not None:
            share = f"{replay['capture']:.1%}"
            sections.append(
                "<p>"
                + html.escape(
                    t(
                        f"日前预测计划获得完美预见节省的 {share}",
                        f"Day-ahead plans captured {share} of the perfect-foresight saving",
                    )
                )
                + "</p>"
            )
        i = len(options)
        sections.append(f"<div class='chart' id='c{i}'></div>")
        options.append(
            {
                "tooltip": {"trigger": "axis"},
                "legend": {"top": 0},
                "grid": {"left": 70, "right": 30, "top": 60, "bottom": 30},
                "xAxis": {"type": "category", "data": [d[5:] for d in replay["days"]]},
                "yAxis": {"type": "value", "name": "kW"},
                "series": [_line(_strategy(n), replay["daily_peak_kw"][n]) for n in _STRATEGIES],
            }
        )
    echarts = (STATIC_DIR / "vendor" / "echarts.min.js").read_text(encoding="utf-8")
    data = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")
    lang = t("zh-CN", "en")
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans", system-ui, sans-serif; margin: 2rem auto;
  max-width: 1000px; color: #0f172a; }}
.muted {{ color: #64748b; }} .chart {{ height: 320px; margin: 0 0 1.5rem; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
td, th {{ border: 1px solid #cbd5e1; padding: .3rem .6rem; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
</style>
<script>{echarts}</script></head><body>
{"".join(sections)}
<script>
const options = {data};
options.forEach((o, i) => echarts.init(document.getElementById('c' + i)).setOption(
  Object.assign({{ color: ['#0f766e', '#f59e0b', '#2563eb', '#dc2626', '#7c3aed'] }}, o)));
</script></body></html>
"""
