// Overview: live power flow, energy and carbon today/month/year, renewable share, open alerts,
// and the day's load and PV curve.
import { api } from "../api.js";
import { list, paths, pick } from "../data.js";
import { fmtBucket, fmtDateTime, fmtNumber, fmtPercent, label, t } from "../i18n.js";
import { chart, el, empty, kpi, pageHeader, panel } from "../ui.js";

const PERIODS = ["today", "month", "year"];

function flowChart(power) {
  const grid = Number(pick(power, "grid_kw", "grid", "grid_import_kw") ?? 0);
  const pv = Number(pick(power, "pv_kw", "pv") ?? 0);
  const battery = Number(pick(power, "battery_kw", "battery", "bess_kw") ?? 0);
  const loads = Number(pick(power, "loads_kw", "load_kw", "loads", "load") ?? grid + pv + battery);
  const node = (name, text, x, y, color, value) => ({
    name,
    x,
    y,
    value,
    symbolSize: name === "bus" ? 34 : 78,
    itemStyle: { color, borderColor: "#fff", borderWidth: 3, shadowBlur: 8, shadowColor: "rgba(0,0,0,.12)" },
    label: {
      show: true,
      position: name === "bus" ? "bottom" : "inside",
      formatter: name === "bus" ? text : `{t|${text}}\n{v|${fmtNumber(Math.abs(value), 0)}} {u|kW}`,
      rich: { t: { color: "#fff", fontSize: 12, lineHeight: 18 }, v: { color: "#fff", fontSize: 16, fontWeight: 700 }, u: { color: "#e2e8f0", fontSize: 11 } },
      color: "#475569",
    },
  });
  const link = (from, to, kw) => ({
    source: kw >= 0 ? from : to,
    target: kw >= 0 ? to : from,
    value: Math.abs(kw),
    label: { show: Math.abs(kw) > 0.05, formatter: `${fmtNumber(Math.abs(kw), 0)} kW`, fontSize: 11, color: "#334155", backgroundColor: "#fff", padding: [2, 4], borderRadius: 4 },
    lineStyle: { width: Math.abs(kw) > 0.05 ? 2 + Math.min(6, Math.abs(kw) / 800) : 1, type: Math.abs(kw) > 0.05 ? "solid" : "dashed", color: Math.abs(kw) > 0.05 ? "#94a3b8" : "#cbd5e1", curveness: 0 },
  });
  return chart(
    {
      tooltip: { show: false },
      series: [
        {
          type: "graph",
          layout: "none",
          roam: false,
          left: 60,
          right: 60,
          top: 40,
          bottom: 40,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 10,
          data: [
            node("grid", grid >= 0 ? t("overview.flow.grid_import") : t("overview.flow.grid_export"), 0, 0, "#2563eb", grid),
            node("pv", t("overview.flow.pv"), 200, -100, "#f59e0b", pv),
            node("battery", battery >= 0 ? t("overview.flow.battery_out") : t("overview.flow.battery_in"), 200, 100, "#7c3aed", battery),
            node("bus", t("overview.flow.bus"), 200, 0, "#64748b", 0),
            node("loads", t("overview.flow.loads"), 400, 0, "#0f766e", loads),
          ],
          links: [link("grid", "bus", grid), link("pv", "bus", pv), link("battery", "bus", battery), link("bus", "loads", loads)],
        },
      ],
    },
    { height: 280, testid: "flow-chart", ariaLabel: t("overview.flow.title") },
  );
}

function gauge(share) {
  return chart(
    {
      series: [
        {
          type: "gauge",
          min: 0,
          max: 100,
          startAngle: 210,
          endAngle: -30,
          radius: "92%",
          progress: { show: true, width: 14, itemStyle: { color: "#16a34a" } },
          axisLine: { lineStyle: { width: 14, color: [[1, "#e2e8f0"]] } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { distance: 18, fontSize: 10, color: "#94a3b8" },
          pointer: { show: false },
          anchor: { show: false },
          title: { offsetCenter: [0, "32%"], fontSize: 12, color: "#64748b" },
          detail: { valueAnimation: true, offsetCenter: [0, "-4%"], fontSize: 26, fontWeight: 700, color: "#0f172a", formatter: () => fmtPercent(share) },
          data: [{ value: share == null ? 0 : Math.round(share * 1000) / 10, name: t("overview.renewable_of_consumption") }],
        },
      ],
    },
    { height: 220, testid: "renewable-gauge", ariaLabel: t("overview.renewable") },
  );
}

/** Year figures from the park summary the API gives today (totals by carrier and category). */
function summaryTotal(data, category) {
  const rows = list(data?.totals).filter((r) => r.carrier === "electricity" && r.category === category && r.unit === "MWh");
  return rows.length ? rows.reduce((a, r) => a + Number(r.quantity || 0), 0) : null;
}

function summaryShare(data) {
  const bought = summaryTotal(data, "purchased_electricity");
  const sold = summaryTotal(data, "exported_electricity") || 0;
  const pv = data?.pv_kwh != null ? Number(data.pv_kwh) / 1000 : null;
  if (bought == null || pv == null || bought + pv - sold <= 0) return null;
  return pv / (bought + pv - sold);
}

function missing(field) {
  return Object.assign(new Error(field), { missingEndpoint: true, path: field });
}

function periodValue(data, period, measure) {
  if (period === "year" && measure === "energy" && Array.isArray(data?.totals)) return summaryTotal(data, "purchased_electricity");
  // Accept {energy: {today: x}}, {today: {energy_mwh: x}} or {periods: [{period: "today", …}]}.
  const byPeriod = pick(data, `periods.${period}`, period) ?? list(data?.periods).find((p) => p.period === period);
  if (measure === "energy") {
    const mwh = pick(byPeriod, "energy_mwh", "electricity_mwh") ?? pick(data, `energy_mwh.${period}`, `energy.${period}.mwh`);
    if (mwh != null) return Number(mwh);
    const kwh = pick(byPeriod, "energy_kwh", "electricity_kwh") ?? pick(data, `energy_kwh.${period}`, `energy.${period}.kwh`, `energy.${period}`);
    return kwh == null ? null : Number(kwh) / 1000;
  }
  if (measure === "tce") return pick(byPeriod, "energy_tce", "tce") ?? pick(data, `energy_tce.${period}`);
  if (measure === "share") return pick(byPeriod, "renewable_share") ?? pick(data, `renewable_share.${period}`);
  return pick(byPeriod, "carbon_tco2e", "carbon_tco2", "emissions_tco2e", "co2_t") ?? pick(data, `carbon_tco2e.${period}`, `carbon_tco2.${period}`, `carbon.${period}`);
}

function kpiPanel(data) {
  const groups = PERIODS.map((period) =>
    el(
      "div",
      { class: "kpi-period" },
      el("div", { class: "kpi-group-title", text: t(`period.${period}`) }),
      el(
        "div",
        { class: "kpis" },
        kpi(t("overview.kpi.energy"), fmtNumber(periodValue(data, period, "energy"), 1), "MWh", { testid: `kpi-energy-${period}`, hint: periodValue(data, period, "tce") != null ? `${fmtNumber(periodValue(data, period, "tce"), 1)} tce` : undefined }),
        kpi(t("overview.kpi.carbon"), fmtNumber(periodValue(data, period, "carbon"), 1), "tCO₂e", { testid: `kpi-carbon-${period}` }),
      ),
    ),
  );
  return el("div", { class: "kpi-periods" }, groups);
}

function profileChart(rows, interval) {
  const times = rows.map((r) => pick(r, "start", "ts", "time", "hour"));
  const series = (key, name, color, area) => ({
    type: "line",
    name,
    smooth: true,
    showSymbol: false,
    data: rows.map((r) => pick(r, key) ?? null),
    lineStyle: { width: 2, color },
    itemStyle: { color },
    areaStyle: area ? { opacity: 0.15, color } : undefined,
  });
  return chart(
    {
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${fmtNumber(v, 0)} kW`) },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 36, bottom: 30 },
      xAxis: { type: "category", data: times.map((x) => fmtBucket(x, interval).split(" ").pop()), boundaryGap: false },
      yAxis: { type: "value", name: "kW", nameTextStyle: { align: "right" } },
      series: [
        series("load_kw", t("overview.profile.load"), "#0f766e", true),
        series("pv_kw", t("overview.profile.pv"), "#f59e0b", true),
        series("grid_kw", t("overview.profile.grid"), "#2563eb", false),
      ],
    },
    { height: 300, testid: "profile-chart", ariaLabel: t("overview.profile.title") },
  );
}

function alertList(alerts) {
  if (!alerts.length) return empty("overview.no_alerts");
  return el(
    "ul",
    { class: "alert-list", "data-testid": "overview-alerts" },
    alerts.slice(0, 6).map((a) =>
      el(
        "li",
        {},
        el("span", { class: `badge ${a.severity || ""}`, text: label("severity", a.severity || "info") }),
        el("div", {}, el("div", { text: a.message || a.title || a.rule || "" }), el("div", { class: "when", text: fmtDateTime(pick(a, "raised_at", "started_at", "created_at", "ts")) })),
      ),
    ),
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-overview" });
  let answer;
  const load = async () => {
    if (!answer) answer = api.get(paths.overview(ctx.parkId));
    return answer;
  };
  const asOf = el("span", {});
  view.append(pageHeader("overview.title", ctx.isTenant ? t("overview.subtitle_tenant") : t("overview.subtitle"), asOf));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  grid.append(
    panel(
      "overview.flow.title",
      async (body) => {
        const data = await load();
        const at = pick(data, "as_of", "at", "power.at", "power_flow.at");
        if (at) asOf.replaceChildren(el("span", { class: "badge info", text: t("overview.as_of", { time: fmtDateTime(at) }) }));
        const power = pick(data, "power_flow", "power_kw", "power", "flow");
        if (!power) throw missing(`/parks/${ctx.parkId}/overview → power_flow`);
        body.append(flowChart(power));
        body.append(el("div", { class: "flow-note muted", text: t("overview.flow.note") }));
      },
      { className: "span-8", testid: "panel-flow" },
    ),
    panel(
      "overview.renewable",
      async (body) => {
        const data = await load();
        const share = pick(data, "renewable_share.year", "renewable_share.today", "renewable_share", "periods.year.renewable_share", "year.renewable_share") ?? summaryShare(data);
        body.append(gauge(typeof share === "object" ? null : share));
      },
      { className: "span-4", testid: "panel-renewable" },
    ),
    panel(
      "overview.kpi.title",
      async (body) => body.append(kpiPanel(await load())),
      { className: "span-12", testid: "panel-kpis" },
    ),
    panel(
      "overview.profile.title",
      async (body) => {
        const data = await load();
        const rows = list(pick(data, "profile", "day_profile", "today_profile", "load_profile") || []);
        if (!rows.length) throw missing(`/parks/${ctx.parkId}/overview → profile`);
        body.append(profileChart(rows, "hour"));
      },
      { className: "span-8", testid: "panel-profile" },
    ),
    panel(
      "overview.alerts",
      async (body) => {
        const data = await load();
        const alerts = pick(data, "open_alerts", "alerts");
        if (!alerts) throw missing(`/parks/${ctx.parkId}/alerts`);
        body.append(alertList(list(alerts)));
      },
      { className: "span-4", testid: "panel-alerts" },
    ),
  );
  return view;
}
