// Energy across all carriers (docs/energy.md): the headline figures (one definition each), every
// carrier in its own unit and in tce with its share and year-on-year change, the energy flow
// (sources → carriers → tenants and uses, with losses and the unmetered residual), tce per month
// with year-on-year and month-on-month, the reconciliation (electricity balance; tenants + common
// + unmetered = park), energy per output value per tenant, consumption by group and period in
// each carrier's own unit, and the time-of-use split.
import { api } from "../api.js";
import { dataYear, list, localMidnight, monthLabel, paths, pick, tzOffset, yearSelect } from "../data.js";
import { fmtBucket, fmtNumber, fmtPercent, getLang, getTimezone, label, t } from "../i18n.js";
import { chart, el, empty, kpi, PALETTE, pageHeader, panel, segmented, table } from "../ui.js";

const TOU_COLORS = { critical_peak: "#7f1d1d", peak: "#dc2626", flat: "#f59e0b", valley: "#2563eb", uncovered: "#94a3b8" };
const CARRIER_COLORS = { electricity: "#2563eb", natural_gas: "#f59e0b", heat: "#dc2626", steam: "#db2777", diesel: "#64748b", gasoline: "#7c3aed", coal: "#334155", lng: "#ea580c", lpg: "#0891b2", water: "#0ea5e9" };
const summaryPath = (park) => `/parks/${encodeURIComponent(park)}/energy/summary`;

/** A server text pair ({zh, en} or name_zh/name_en) in the page's language. */
function bilingual(zh, en) {
  return getLang() === "zh" ? zh || en || "" : en || zh || "";
}

/** A name as a label starts with a capital ("natural gas" → "Natural gas"). */
function cap(text) {
  const value = String(text ?? "");
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function carrierName(code, summary) {
  const found = list(summary?.carriers).find((c) => c.carrier === code);
  if (found) return cap(bilingual(found.name_zh, found.name_en));
  return cap(label("carrier", code));
}

function tenantName(id, summary, names) {
  const entry = summary?.tenants?.[id];
  if (entry) return bilingual(entry.name, entry.name_en);
  return names?.get(id) ?? id;
}

/** "12,670,480 Nm3; 57.1 t" */
function quantities(items) {
  const parts = list(items).map((q) => `${fmtNumber(q.quantity, q.quantity >= 1000 ? 0 : 1)} ${q.unit}`);
  return parts.length ? parts.join("; ") : "—";
}

function signedPercent(share) {
  if (share == null || Number.isNaN(Number(share))) return t("state.no_data");
  const text = fmtPercent(Math.abs(share));
  return `${share > 0 ? "+" : share < 0 ? "−" : ""}${text}`;
}

/** Turn the /energy answer into {units, charts: {unit → {buckets, series}}}: one chart per unit,
 * so every carrier is shown in its own unit (no carrier is dropped). */
export function shape(answer, groupBy, names = new Map(), summary = null) {
  const groups = list(pick(answer, "groups") || []);
  const byUnit = new Map();
  for (const g of groups) {
    if (!byUnit.has(g.unit)) byUnit.set(g.unit, []);
    byUnit.get(g.unit).push(g);
  }
  const charts = {};
  for (const [unit, kept] of byUnit) {
    const buckets = [...new Set(kept.flatMap((g) => g.rows.map((r) => r.start)))].sort();
    const index = new Map(buckets.map((b, i) => [b, i]));
    charts[unit] = {
      unit,
      buckets,
      series: kept.map((g) => {
        const values = new Array(buckets.length).fill(0);
        g.rows.forEach((r) => (values[index.get(r.start)] = Number(r.quantity || 0)));
        const name = g.group == null ? t("energy.common_unmetered") : groupBy === "carrier" ? carrierName(g.group, summary) : groupBy === "tenant" ? tenantName(g.group, summary, names) : names.get(g.group) ?? g.group;
        return { name, values, carrier: groupBy === "carrier" ? g.group : null };
      }),
    };
  }
  // Electricity (kWh) first, then the other units in the order the server gave them.
  const units = Object.keys(charts).sort((a, b) => (a === "kWh" ? -1 : b === "kWh" ? 1 : 0));
  return { units, charts };
}

function stackedChart(data, interval) {
  return chart(
    {
      tooltip: { trigger: "axis", valueFormatter: (v) => `${fmtNumber(v, 1)} ${data.unit}` },
      legend: { type: "scroll", top: 0 },
      grid: { left: 16, right: 16, top: 56, bottom: 40, containLabel: true },
      dataZoom: data.buckets.length > 60 ? [{ type: "slider", bottom: 8, height: 18 }] : [],
      xAxis: { type: "category", data: data.buckets.map((b) => fmtBucket(b, interval)) },
      yAxis: { type: "value", name: data.unit, nameTextStyle: { align: "left" }, axisLabel: { formatter: (v) => fmtNumber(v, 0) } },
      series: data.series.map((s, i) => ({ type: "bar", stack: "total", name: s.name, data: s.values, barMaxWidth: 28, emphasis: { focus: "series" }, itemStyle: { color: s.carrier ? CARRIER_COLORS[s.carrier] : PALETTE[i % PALETTE.length] } })),
    },
    { height: 340, testid: "energy-chart", ariaLabel: t("energy.chart") },
  );
}

/** A period's name: the catalogue's label of the code, else the server's. */
function touName(period) {
  const text = label("tou", period.code);
  return text !== String(period.code).replaceAll("_", " ") ? text : (getLang() === "zh" ? period.label_zh : period.label_en) || text;
}

function touChart(answer) {
  const codes = list(answer.periods).map((p) => p.code);
  const rows = list(answer.rows);
  const names = new Map(list(answer.periods).map((p) => [p.code, touName(p)]));
  const keys = [...codes];
  if (rows.some((r) => Number(r.uncovered || 0) > 0)) keys.push("uncovered");
  return chart(
    {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => `${fmtNumber(v, 0)} kWh` },
      legend: { top: 0 },
      grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: rows.map((r) => monthLabel(r.period, { year: false })), axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: "kWh", nameTextStyle: { align: "left" }, axisLabel: { formatter: (v) => fmtNumber(v, 0) } },
      series: keys.map((k) => ({
        type: "bar",
        stack: "tou",
        name: k === "uncovered" ? t("energy.tou_uncovered") : names.get(k) ?? label("tou", k),
        data: rows.map((r) => Number(r[k] || 0)),
        itemStyle: { color: TOU_COLORS[k] },
        barMaxWidth: 36,
        emphasis: { focus: "series" },
      })),
    },
    { height: 320, testid: "tou-chart", ariaLabel: t("energy.tou") },
  );
}

function touTable(answer) {
  const total = Number(answer.total_kwh) || 0;
  const rows = list(answer.periods).map((p) => ({ name: touName(p), code: p.code, kwh: Number(p.kwh) }));
  if (Number(answer.uncovered_kwh) > 0) rows.push({ name: t("energy.tou_uncovered"), code: "uncovered", kwh: Number(answer.uncovered_kwh) });
  return table(
    [
      { key: "name", label: t("energy.tou_period"), format: (v, r) => el("span", {}, el("span", { class: "swatch", style: `background:${TOU_COLORS[r.code] || "#94a3b8"}` }), v) },
      { key: "kwh", label: "kWh", num: true, digits: 0 },
      { key: "share", label: t("energy.share"), num: true, value: (r) => (total ? r.kwh / total : null), format: (v) => fmtPercent(v) },
    ],
    rows,
    { testid: "tou-table" },
  );
}

function touNotConfigured() {
  return el(
    "div",
    { class: "state empty", "data-testid": "tou-not-configured" },
    el("strong", { text: t("energy.tou_not_configured") }),
    el("div", { class: "muted", text: t("energy.tou_not_configured_hint") }),
  );
}

/** The query window: the year for days and months; for hours the chosen month (stated on the
 * page, so the totals' period is never a surprise). Park-local midnights. */
export function queryWindow(year, interval, month = 12) {
  const tz = getTimezone();
  if (interval === "hour") {
    const m = String(month).padStart(2, "0");
    const next = month === 12 ? `${Number(year) + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
    return { start: localMidnight(`${year}-${m}-01`, tz), end: localMidnight(next, tz) };
  }
  const offset = tzOffset(tz, new Date(`${year}-07-01T00:00:00Z`));
  return { start: localMidnight(`${year}-01-01`, tz) || `${year}-01-01T00:00:00${offset}`, end: localMidnight(`${Number(year) + 1}-01-01`, tz) };
}

function headlineCards(h) {
  const method = bilingual(h.emissions_method_zh, h.emissions_method_en);
  const basis = t(`energy.basis.${h.electricity_basis}`);
  return el(
    "div",
    {},
    el(
      "div",
      { class: "kpis", "data-testid": "energy-headline" },
      kpi(t("energy.headline.electricity"), fmtNumber(h.electricity_consumed_kwh / 1000, 1), "MWh", { testid: "headline-electricity", hint: t("energy.headline.electricity_hint") }),
      kpi(t("energy.headline.renewable"), fmtPercent(h.renewable_share), "", { testid: "headline-renewable", hint: t("energy.headline.renewable_hint", { mwh: fmtNumber(h.renewable_electricity_kwh / 1000, 1) }) }),
      kpi(t("energy.headline.emissions"), fmtNumber(h.emissions_tco2e, 1), "tCO₂e", { testid: "headline-emissions", hint: t("energy.headline.method", { method }) }),
      kpi(t("energy.headline.energy"), fmtNumber(h.energy_tce, 1), "tce", { testid: "headline-energy", hint: basis }),
    ),
    el(
      "ul",
      { class: "footnote muted definitions", "data-testid": "headline-definitions" },
      ["electricity_consumed", "renewable_share", "emissions"].map((k) => el("li", { text: bilingual(h.definitions?.[k]?.zh, h.definitions?.[k]?.en) })),
    ),
  );
}

function carrierTable(summary) {
  return table(
    [
      { key: "name", label: t("energy.carrier"), value: (r) => cap(bilingual(r.name_zh, r.name_en)), format: (v, r) => el("span", {}, el("span", { class: "swatch", style: `background:${CARRIER_COLORS[r.carrier] || "#94a3b8"}` }), v) },
      { key: "quantities", label: t("energy.quantity"), num: true, format: (v) => quantities(v) },
      { key: "tce", label: t("energy.tce"), num: true, digits: 1 },
      { key: "share", label: t("energy.share"), num: true, format: (v) => fmtPercent(v) },
      { key: "yoy", label: t("energy.yoy"), num: true, format: (v) => signedPercent(v) },
    ],
    list(summary.carriers),
    { testid: "carrier-table" },
  );
}

function carrierPie(summary) {
  const rows = list(summary.carriers).filter((c) => c.tce > 0);
  return chart(
    {
      tooltip: { trigger: "item", formatter: (p) => `${p.name}<br>${fmtNumber(p.value, 1)} tce (${fmtPercent(p.percent / 100)})` },
      legend: { bottom: 0, type: "scroll" },
      series: [
        {
          type: "pie",
          radius: ["45%", "72%"],
          center: ["50%", "44%"],
          label: { formatter: (p) => `${p.name}\n${fmtPercent(p.percent / 100)}` },
          data: rows.map((c) => ({ name: cap(bilingual(c.name_zh, c.name_en)), value: c.tce, itemStyle: { color: CARRIER_COLORS[c.carrier] } })),
        },
      ],
    },
    { height: 280, testid: "carrier-pie", ariaLabel: t("energy.carriers") },
  );
}

/** A Sankey node's name in the page's language. */
function nodeName(id, summary, names) {
  const [kind, code] = id.split(/:(.*)/s);
  if (kind === "carrier") return carrierName(code, summary);
  if (kind === "tenant") return tenantName(code, summary, names);
  if (kind === "source") return code === "grid" || code === "onsite" ? t(`energy.node.${code}`) : t("energy.node.supply", { carrier: carrierName(code, summary) });
  return t(`energy.node.${code}`);
}

function sankeyChart(summary, names) {
  const sankey = summary.sankey;
  const display = (id) => nodeName(id, summary, names);
  const color = (id) => {
    const [kind, code] = id.split(/:(.*)/s);
    if (kind === "carrier") return CARRIER_COLORS[code] || "#64748b";
    if (kind === "source") return code === "onsite" ? "#16a34a" : code === "grid" ? "#1d4ed8" : CARRIER_COLORS[code] || "#64748b";
    if (id === "use:unmetered" || id === "use:storage_loss") return "#94a3b8";
    return "#0f766e";
  };
  return chart(
    {
      tooltip: {
        trigger: "item",
        formatter: (p) => (p.dataType === "edge" ? `${display(p.data.source)} → ${display(p.data.target)}<br>${fmtNumber(p.data.value, 1)} tce` : `${display(p.name)}<br>${fmtNumber(p.value, 1)} tce`),
      },
      series: [
        {
          type: "sankey",
          left: 8,
          right: 250,
          top: 8,
          bottom: 8,
          nodeGap: 14,
          layoutIterations: 0, // keep the server's order: sources, carriers, tenants, uses
          draggable: false,
          emphasis: { focus: "adjacency" },
          label: { formatter: (p) => `${display(p.name)}  ${fmtNumber(p.value, p.value < 10 ? 1 : 0)}`, fontSize: 12, width: 240, overflow: "truncate" },
          lineStyle: { color: "gradient", opacity: 0.35 },
          data: list(sankey.nodes).map((id) => ({ name: id, itemStyle: { color: color(id) } })),
          links: list(sankey.links).map((l) => ({ source: l.source, target: l.target, value: l.value })),
        },
      ],
    },
    { height: 520, testid: "energy-sankey", ariaLabel: t("energy.sankey") },
  );
}

function monthlyChart(summary) {
  const m = summary.months;
  const carriers = Object.keys(m.tce_by_carrier || {});
  const hasPrevious = list(m.previous_year_tce).some((v) => v > 0);
  return chart(
    {
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        valueFormatter: (v) => `${fmtNumber(v, 1)} tce`,
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: list(m.months).map((x) => monthLabel(x, { year: false })) },
      yAxis: { type: "value", name: "tce", nameTextStyle: { align: "left" }, axisLabel: { formatter: (v) => fmtNumber(v, 0) } },
      series: [
        ...carriers.map((c) => ({ type: "bar", stack: "tce", name: carrierName(c, summary), data: m.tce_by_carrier[c], itemStyle: { color: CARRIER_COLORS[c] }, barMaxWidth: 36 })),
        ...(hasPrevious ? [{ type: "line", name: t("energy.previous_year", { year: summary.year - 1 }), data: m.previous_year_tce, itemStyle: { color: "#0f172a" }, lineStyle: { type: "dashed" } }] : []),
      ],
    },
    { height: 320, testid: "energy-monthly", ariaLabel: t("energy.monthly") },
  );
}

function monthlyTable(summary) {
  const m = summary.months;
  const rows = list(m.months).map((month, i) => ({
    month,
    tce: m.total_tce[i],
    electricity: m.electricity_consumed_kwh[i] / 1000,
    renewable: m.renewable_share[i],
    mom: m.mom[i],
    yoy: m.yoy[i],
  }));
  return table(
    [
      { key: "month", label: t("energy.month"), format: (v) => monthLabel(v) },
      { key: "tce", label: t("energy.tce"), num: true, digits: 1 },
      { key: "electricity", label: `${t("energy.headline.electricity")} (MWh)`, num: true, digits: 1 },
      { key: "renewable", label: t("energy.headline.renewable"), num: true, format: (v) => fmtPercent(v) },
      { key: "mom", label: t("energy.mom"), num: true, format: (v) => signedPercent(v) },
      { key: "yoy", label: t("energy.yoy"), num: true, format: (v) => signedPercent(v) },
    ],
    rows,
    { testid: "monthly-table" },
  );
}

function balanceTable(balance) {
  const row = (key, kwh, sign = "") => ({ name: t(`energy.balance.${key}`), sign, mwh: kwh / 1000, key });
  const rows = [
    row("grid_import", balance.grid_import_kwh, "+"),
    row("pv", balance.pv_kwh, "+"),
    row("battery_discharge", balance.battery_discharge_kwh, "+"),
    row("grid_export", balance.grid_export_kwh, "−"),
    row("battery_charge", balance.battery_charge_kwh, "−"),
    row("load", balance.load_kwh, "="),
    row("storage_loss", balance.storage_loss_kwh, "+"),
    row("consumed", balance.consumed_kwh, "="),
    row("headline", balance.headline_consumed_kwh, ""),
  ];
  if (Math.abs(balance.records_kwh) > 0.5) rows.push(row("records", balance.records_kwh, ""));
  return el(
    "div",
    {},
    table(
      [
        { key: "sign", label: "" },
        { key: "name", label: t("energy.balance.flow") },
        { key: "mwh", label: "MWh", num: true, digits: 1 },
      ],
      rows,
      { testid: "balance-table" },
    ),
    el("p", { class: `badge ${balance.closes ? "ok" : "warning"}`, "data-testid": "balance-closes", text: t(balance.closes ? "energy.balance.closes" : "energy.balance.open", { mwh: fmtNumber(balance.records_kwh / 1000, 1) }) }),
  );
}

function partsTable(summary) {
  const rows = list(summary.reconciliation.groups).map((g) => ({ ...g, name: carrierName(g.carrier, summary) }));
  const cell = (key) => ({ key, label: t(`energy.parts.${key}`), num: true, format: (v, r) => `${fmtNumber(v, 0)} ${r.unit}` });
  return table([{ key: "name", label: t("energy.carrier") }, cell("park"), cell("tenants"), cell("common_metered"), cell("storage_loss"), cell("unmetered")], rows, { testid: "parts-table" });
}

function intensityTable(summary, names) {
  const i = summary.intensity;
  const own = summary.scope === "tenant";
  // A tenant's own row is the boundary's; the park lists each tenant and then its total.
  const rows = own ? [] : list(i.tenants).map((r) => ({ ...r, label: tenantName(r.tenant_id, summary, names) }));
  rows.push({ label: own ? tenantName(summary.tenant_id, summary, names) : t("energy.intensity.park"), tce: i.boundary.tce, output_wan_cny: i.boundary.output_wan_cny, tce_per_wan_cny: i.boundary.tce_per_wan_cny, total: true });
  const noData = (v, digits) => (v == null ? t("state.no_data") : fmtNumber(v, digits));
  return el(
    "div",
    {},
    table(
      [
        { key: "label", label: t("energy.by.tenant") },
        { key: "tce", label: t("energy.tce"), num: true, digits: 1 },
        { key: "output_wan_cny", label: t("energy.intensity.output"), num: true, format: (v) => noData(v, 0) },
        { key: "tce_per_wan_cny", label: t("energy.intensity.value"), num: true, format: (v) => noData(v, 4) },
      ],
      rows,
      { testid: "intensity-table" },
    ),
    el("p", { class: "footnote muted", text: bilingual(i.definition_zh, i.definition_en) }),
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-energy" });
  const state = { groupBy: ctx.isTenant ? "carrier" : "tenant", interval: "month", unit: null, month: 12 };
  const controls = el("div", { class: "page-actions" });
  const yearPicker = yearSelect(await dataYear(ctx), () => draw());
  const names = new Map();
  const touCache = {};
  const summaryCache = {};
  await Promise.all(
    [paths.tenants(ctx.parkId), paths.buildings(ctx.parkId)].map((path) =>
      api.get(path, { limit: 1000 }).then((answer) => list(answer).forEach((r) => names.set(r.id, (getLang() === "en" && r.name_en) || r.name || r.id)), () => null),
    ),
  );
  view.append(pageHeader("energy.title", t("energy.subtitle"), controls));
  const grid = el("div", { class: "grid" });
  view.append(grid);

  const draw = () => {
    const year = Number(yearPicker.value);
    const groups = [["carrier", t("energy.by.carrier")]];
    if (!ctx.isTenant) groups.unshift(["tenant", t("energy.by.tenant")], ["building", t("energy.by.building")]);
    controls.replaceChildren(yearPicker);
    if (summaryCache.key !== year) {
      summaryCache.key = year;
      summaryCache.answer = api.get(summaryPath(ctx.parkId), { year });
    }
    const loadSummary = () => summaryCache.answer;
    if (touCache.key !== year) {
      const tz = getTimezone();
      touCache.key = year;
      touCache.answer = api.get(paths.energyTou(ctx.parkId), { start: localMidnight(`${year}-01-01`, tz), end: localMidnight(`${year + 1}-01-01`, tz), bucket: "month" });
    }
    const loadTou = () => touCache.answer;
    const hasData = (s) => Number(s.total_tce) > 0 || list(s.carriers).length > 0;

    // The grouped view: its own controls, redrawn alone.
    const groupControls = el("div", { class: "panel-controls" });
    const groupBody = el("div", {});
    const drawGroups = async () => {
      const monthOptions = Array.from({ length: 12 }, (_, i) => [String(i + 1), monthLabel(`${year}-${String(i + 1).padStart(2, "0")}`, { year: false })]);
      groupControls.replaceChildren(
        segmented(t("energy.group_by"), groups, state.groupBy, (v) => ((state.groupBy = v), drawGroups())),
        segmented(t("energy.interval"), [["hour", t("interval.hour")], ["day", t("interval.day")], ["month", t("interval.month")]], state.interval, (v) => ((state.interval = v), drawGroups())),
        ...(state.interval === "hour" ? [segmented(t("energy.month"), monthOptions, String(state.month), (v) => ((state.month = Number(v)), drawGroups()))] : []),
      );
      groupBody.replaceChildren(el("div", { class: "state loading", text: t("state.loading") }));
      const params = { group_by: state.groupBy, interval: state.interval, ...queryWindow(year, state.interval, state.month) };
      let answer, summary;
      try {
        [answer, summary] = await Promise.all([api.get(paths.energy(ctx.parkId), params), loadSummary().catch(() => null)]);
      } catch (error) {
        // A role that may not read per-group energy sees "no data", never a refusal.
        if (error?.status === 403 || error?.status === 404) return groupBody.replaceChildren(empty("state.no_data"));
        groupBody.replaceChildren(el("div", { class: "state error", text: `${t("state.error")} ${error?.message || ""}` }));
        return;
      }
      const data = shape(answer, state.groupBy, names, summary);
      if (!data.units.length) return groupBody.replaceChildren(empty("state.no_data"));
      if (!data.units.includes(state.unit)) state.unit = data.units[0];
      const current = data.charts[state.unit];
      const periodText = state.interval === "hour" ? monthLabel(`${year}-${String(state.month).padStart(2, "0")}`) : String(year);
      const rows = current.series.map((s) => ({ name: s.name, total: s.values.reduce((a, b) => a + Number(b || 0), 0) }));
      const sum = rows.reduce((a, r) => a + r.total, 0);
      rows.sort((a, b) => b.total - a.total);
      groupBody.replaceChildren(
        data.units.length > 1 ? segmented(t("energy.unit"), data.units.map((u) => [u, unitName(u, data.charts[u], summary)]), state.unit, (v) => ((state.unit = v), drawGroups())) : el("span", {}),
        el("p", { class: "muted", "data-testid": "energy-period", text: t(state.interval === "hour" ? "energy.period_hour" : "energy.period_year", { period: periodText, unit: state.unit }) }),
        current.buckets.length ? stackedChart(current, state.interval) : empty("state.no_data"),
        table(
          [
            { key: "name", label: t(`energy.by.${state.groupBy}`) },
            { key: "total", label: `${t("energy.total")} (${state.unit}, ${periodText})`, num: true, digits: 0 },
            { key: "share", label: t("energy.share"), num: true, value: (r) => (sum ? r.total / sum : null), format: (v) => fmtPercent(v) },
          ],
          rows,
          { testid: "energy-table" },
        ),
        state.groupBy !== "carrier" && !ctx.isTenant ? el("p", { class: "footnote muted", text: t("energy.common_note") }) : el("span", {}),
      );
    };

    grid.replaceChildren(
      panel(
        "energy.headline.title",
        async (body) => {
          const s = await loadSummary();
          if (!hasData(s)) return body.append(empty("state.no_data"));
          body.append(headlineCards(s.headline_figures));
        },
        { className: "span-12", testid: "panel-energy-headline" },
      ),
      panel(
        "energy.carriers",
        async (body) => {
          const s = await loadSummary();
          if (!list(s.carriers).length) return body.append(empty("state.no_data"));
          body.append(carrierTable(s), el("p", { class: "footnote muted", text: t("energy.carriers_note", { basis: t(`energy.basis.${s.electricity_basis}`), year: s.year - 1 }) }));
        },
        { className: "span-7", testid: "panel-carriers" },
      ),
      panel(
        "energy.carrier_shares",
        async (body) => {
          const s = await loadSummary();
          if (!list(s.carriers).length) return body.append(empty("state.no_data"));
          body.append(carrierPie(s));
        },
        { className: "span-5", testid: "panel-carrier-shares" },
      ),
      panel(
        "energy.sankey",
        async (body) => {
          const s = await loadSummary();
          if (!list(s.sankey.links).length) return body.append(empty("state.no_data"));
          body.append(sankeyChart(s, names), el("p", { class: "footnote muted", text: t("energy.sankey_note") }));
          if (list(s.sankey.negative).length) body.append(el("p", { class: "footnote warning", text: t("energy.sankey_negative") }));
        },
        { className: "span-12", testid: "panel-sankey" },
      ),
      panel(
        "energy.monthly",
        async (body) => {
          const s = await loadSummary();
          if (!list(s.months.total_tce).some((v) => v > 0)) return body.append(empty("state.no_data"));
          body.append(monthlyChart(s), monthlyTable(s));
        },
        { className: "span-12", testid: "panel-monthly" },
      ),
      panel(
        "energy.reconciliation",
        async (body) => {
          const s = await loadSummary();
          if (!hasData(s)) return body.append(empty("state.no_data"));
          body.append(
            el("div", { class: "grid" }, el("div", { class: "span-5" }, el("h3", { text: t("energy.balance.title") }), balanceTable(s.reconciliation.balance)), el("div", { class: "span-7" }, el("h3", { text: t("energy.parts.title") }), partsTable(s))),
          );
        },
        { className: "span-12", testid: "panel-reconciliation" },
      ),
      panel(
        "energy.intensity.title",
        async (body) => {
          const s = await loadSummary();
          if (!hasData(s)) return body.append(empty("state.no_data"));
          body.append(intensityTable(s, names));
        },
        { className: "span-12", testid: "panel-intensity" },
      ),
      panel(
        "energy.chart",
        async (body) => {
          body.append(groupControls, groupBody);
          await drawGroups();
        },
        { className: "span-12", testid: "panel-energy" },
      ),
      panel(
        "energy.tou",
        async (body) => {
          const tou = await loadTou();
          if (!tou.configured) return body.append(touNotConfigured());
          if (!list(tou.rows).length) return body.append(empty("state.no_data"));
          body.append(touChart(tou));
          // The schedule's note is the park file's own text, shown as written.
          if (tou.note) body.append(el("p", { class: "footnote muted" }, t("energy.tou_note", { note: "" }), el("span", { "data-raw": "", text: tou.note })));
        },
        { className: "span-8", testid: "panel-tou" },
      ),
      panel(
        "energy.tou_totals",
        async (body) => {
          const tou = await loadTou();
          if (!tou.configured) return body.append(empty("energy.tou_none"));
          const meters = list(tou.meters);
          body.append(
            touTable(tou),
            el("p", { class: "footnote muted" }, t("energy.tou_meters", { meters: "" }), ...(meters.length ? meters.flatMap((m, i) => [i ? ", " : "", el("code", { text: m })]) : ["—"])),
          );
        },
        { className: "span-4", testid: "panel-tou-totals" },
      ),
    );
  };
  draw();
  return view;
}

/** A unit tab's name: the carriers measured in it ("电力 kWh"). */
function unitName(unit, data, summary) {
  const carriers = [...new Set(data.series.map((s) => s.carrier).filter(Boolean))];
  if (!carriers.length && summary) {
    const found = list(summary.reconciliation?.groups).filter((g) => g.unit === unit).map((g) => carrierName(g.carrier, summary));
    return found.length ? `${found.join("/")} (${unit})` : unit;
  }
  return carriers.length ? `${carriers.map((c) => carrierName(c, summary)).join("/")} (${unit})` : unit;
}
