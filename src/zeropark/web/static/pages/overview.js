// Overview: live power flow, energy and carbon today/month/year, renewable share, open alerts,
// and the day's load and PV curve.
import { api } from "../api.js";
import { list, notProvided, paths, pick } from "../data.js";
import { fmtBucket, fmtDateTime, fmtNumber, fmtPercent, getLang, label, t } from "../i18n.js";
import { chart, el, empty, kpi, pageHeader, panel } from "../ui.js";

const PERIODS = ["today", "month", "year"];

function flowChart(power) {
  const grid = Number(pick(power, "grid_kw", "grid", "grid_import_kw") ?? 0);
  const rawPv = pick(power, "pv_kw", "pv");
  const pv = rawPv == null ? null : Number(rawPv);
  const rawBattery = pick(power, "battery_kw", "battery", "bess_kw");
  const battery = rawBattery == null ? null : Number(rawBattery);
  const loads = Number(pick(power, "loads_kw", "load_kw", "loads", "load") ?? grid + (pv ?? 0) + (battery ?? 0));
  const node = (name, text, x, y, color, value) => ({
    name,
    x,
    y,
    value,
    symbolSize: name === "bus" ? 30 : 100,
    itemStyle: { color, borderColor: "#fff", borderWidth: 3, shadowBlur: 8, shadowColor: "rgba(0,0,0,.12)" },
    label: {
      show: true,
      position: name === "bus" ? "bottom" : "inside",
      formatter: name === "bus" ? text : `{t|${text}}\n{v|${fmtNumber(Math.abs(value), 0)}} {u|kW}`,
      rich: { t: { color: "#fff", fontSize: 12, lineHeight: 18 }, v: { color: "#fff", fontSize: 15, fontWeight: 700 }, u: { color: "#e2e8f0", fontSize: 11 } },
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
          top: 56,
          bottom: 56,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 10,
          data: [
            node("grid", grid >= 0 ? t("overview.flow.grid_import") : t("overview.flow.grid_export"), 0, 0, "#2563eb", grid),
            pv == null ? { name: "spacer-top", x: 200, y: -100, symbolSize: 0, label: { show: false }, itemStyle: { opacity: 0 } } : node("pv", t("overview.flow.pv"), 200, -100, "#f59e0b", pv),
            battery == null
              ? { name: "spacer", x: 200, y: 100, symbolSize: 0, label: { show: false }, itemStyle: { opacity: 0 } }
              : node("battery", battery >= 0 ? t("overview.flow.battery_out") : t("overview.flow.battery_in"), 200, 100, "#7c3aed", battery),
            node("bus", t("overview.flow.bus"), 200, 0, "#64748b", 0),
            node("loads", t("overview.flow.loads"), 400, 0, "#0f766e", loads),
          ].filter(Boolean),
          links: [link("grid", "bus", grid), pv == null ? null : link("pv", "bus", pv), battery == null ? null : link("battery", "bus", battery), link("bus", "loads", loads)].filter(Boolean),
        },
      ],
    },
    { height: 320, testid: "flow-chart", ariaLabel: t("overview.flow.title") },
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
          axisLabel: { show: false },
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

/** The overview's figure for a KPI card: electricity consumed (kWh → MWh; the year's is the
 * headline figure ``headline_figures.electricity_consumed_kwh``, the same on every page, the day
 * and month the same definition over their metered flows, ``energy[period].consumed``) or gross
 * emissions under the headline method (``carbon.methods[m][period]``, the method named). */
function periodValue(data, period, measure) {
  if (measure === "energy") {
    const kwh = period === "year" ? pick(data, "headline_figures.electricity_consumed_kwh", `energy.${period}.consumed`) : pick(data, `energy.${period}.consumed`);
    return kwh == null ? null : Number(kwh) / 1000;
  }
  if (period === "year" && pick(data, "headline_figures.emissions_tco2e") != null) return Number(pick(data, "headline_figures.emissions_tco2e"));
  const method = pick(data, "carbon.default_method") ?? "ghg_location";
  const value = pick(data, `carbon.methods.${method}.${period}`);
  return value == null ? null : Number(value);
}

/** The headline method's name as the server gives it (zh/en), else the catalogue's label. */
function methodName(data, method) {
  const h = pick(data, "headline_figures") || {};
  if (h.emissions_method === method) return (getLang() === "zh" ? h.emissions_method_zh : h.emissions_method_en) || label("method", method);
  return label("method", method);
}

function kpiPanel(data, parkId) {
  const method = pick(data, "carbon.default_method");
  const groups = PERIODS.map((period) => {
    const card = (measure, unit, hint) => {
      const value = periodValue(data, period, measure);
      const field = measure === "energy" ? `energy.${period}.consumed` : `carbon.methods.${method}.${period}`;
      return value == null
        ? kpi(t(`overview.kpi.${measure}`), "—", unit, { testid: `kpi-${measure}-${period}`, hint: t("overview.kpi.not_provided", { field: `/parks/${parkId}/overview → ${field}` }), unavailable: true })
        : kpi(t(`overview.kpi.${measure}`), fmtNumber(value, 1), unit, { testid: `kpi-${measure}-${period}`, hint });
    };
    const share = pick(data, `renewable_share.${period}`);
    return el(
      "div",
      { class: "kpi-period" },
      el("div", { class: "kpi-group-title", text: t(`period.${period}`) }),
      el(
        "div",
        { class: "kpis" },
        card("energy", "MWh", share == null ? undefined : t("overview.kpi.renewable_hint", { share: fmtPercent(share) })),
        card("carbon", "tCO₂e", method ? t("overview.kpi.method", { method: methodName(data, method) }) : undefined),
      ),
    );
  });
  const day = pick(data, "day");
  const note = day
    ? el("p", { class: "footnote muted", "data-testid": "kpi-note", text: t(pick(data, "live") ? "overview.kpi.periods_live" : "overview.kpi.periods_note", { day, month: day.slice(0, 7), year: pick(data, "year") ?? day.slice(0, 4) }) })
    : null;
  return el("div", {}, el("div", { class: "kpi-periods" }, groups), note);
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
        ...(rows.some((r) => Number(r.pv_kw)) ? [series("pv_kw", t("overview.profile.pv"), "#f59e0b", true)] : []),
        series("grid_import_kw", t("overview.profile.grid"), "#2563eb", false),
        ...(rows.some((r) => Number(r.battery_discharge_kw) || Number(r.battery_charge_kw))
          ? [{ ...series("battery_net_kw", t("overview.profile.battery"), "#7c3aed", false), data: rows.map((r) => Number(r.battery_discharge_kw || 0) - Number(r.battery_charge_kw || 0)), lineStyle: { width: 1.5, color: "#7c3aed", type: "dashed" } }]
          : []),
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
        el("div", {}, el("div", { "data-raw": "1", text: pick(a, getLang() === "zh" ? "message_zh" : "message_en", "message", "title", "rule") || "" }), el("div", { class: "when", text: fmtDateTime(pick(a, "raised_at", "started_at", "created_at", "ts")) })),
      ),
    ),
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-overview" });
  let answer;
  // The overview answers for the newest data (its "day"); a year chosen on another page is kept.
  const chosen = sessionStorage.getItem("zeropark.year");
  const load = () => (answer ??= api.get(paths.overview(ctx.parkId), chosen ? { year: chosen } : {}));
  const asOf = el("span", {});
  view.append(pageHeader("overview.title", ctx.isTenant ? t("overview.subtitle_tenant") : t("overview.subtitle"), asOf));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  const field = (name) => notProvided(`/parks/${ctx.parkId}/overview → ${name}`);
  grid.append(
    panel(
      "overview.flow.title",
      async (body) => {
        const data = await load();
        const flow = pick(data, "power_flow");
        if (!flow) throw field("power_flow");
        asOf.replaceChildren(el("span", { class: "badge info", "data-testid": "as-of", text: t("overview.as_of", { time: `${fmtDateTime(flow.start)}–${fmtDateTime(flow.end).split(" ").pop()}` }) }));
        const year = pick(data, "energy.year") || {};
        const power = {
          grid_kw: Number(flow.grid_import_kw || 0) - Number(flow.grid_export_kw || 0),
          // PV and battery are drawn when the caller has them (energy over the year), else left out.
          pv_kw: Number(year.pv) > 0 ? Number(flow.pv_kw || 0) : null,
          battery_kw: Number(year.battery_discharge) > 0 || Number(year.battery_charge) > 0 ? Number(flow.battery_discharge_kw || 0) - Number(flow.battery_charge_kw || 0) : null,
          load_kw: Number(flow.load_kw),
        };
        body.append(flowChart(power));
        body.append(el("div", { class: "flow-note muted", text: t("overview.flow.note_hour", { start: fmtDateTime(flow.start) }) }));
      },
      { className: "span-8", testid: "panel-flow" },
    ),
    panel(
      "overview.renewable",
      async (body) => {
        const data = await load();
        const share = pick(data, "renewable_share.year");
        if (share == null) throw field("renewable_share.year");
        body.append(gauge(share));
        const today = pick(data, "renewable_share.today");
        const month = pick(data, "renewable_share.month");
        body.append(el("p", { class: "footnote muted center", text: t("overview.renewable_periods", { today: fmtPercent(today), month: fmtPercent(month) }) }));
        body.append(el("p", { class: "footnote muted", "data-testid": "renewable-definition", text: t("overview.renewable_definition") }));
      },
      { className: "span-4", testid: "panel-renewable" },
    ),
    panel(
      "overview.kpi.title",
      async (body) => body.append(kpiPanel(await load(), ctx.parkId)),
      { className: "span-12", testid: "panel-kpis" },
    ),
    panel(
      "overview.profile.title",
      async (body) => {
        const data = await load();
        const rows = list(pick(data, "profile") || []);
        if (!rows.length) throw field("profile");
        body.append(profileChart(rows, "hour"));
      },
      { className: "span-8", testid: "panel-profile", titleParams: {} },
    ),
    panel(
      "overview.alerts",
      async (body) => {
        const data = await load();
        const count = pick(data, "open_alerts");
        const alerts = list(await api.get(paths.alerts(ctx.parkId), { status: "open", limit: 6 }));
        if (count) body.append(el("p", { class: "muted", "data-testid": "open-alert-count", text: t("overview.open_count", { count: fmtNumber(count, 0) }) }));
        body.append(alertList(alerts));
        if (count > alerts.length) body.append(el("a", { href: "#/alerts", class: "more-link", text: t("overview.all_alerts") }));
      },
      { className: "span-4", testid: "panel-alerts" },
    ),
  );
  return view;
}
