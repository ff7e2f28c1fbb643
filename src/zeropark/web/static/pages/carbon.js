// Carbon: the inventory by scope, category and sector; the methods side by side (Chinese national
// method, GHG Protocol location- and market-based); the monthly trend.
import { api } from "../api.js";
import { dataYear, list, monthLabel, paths, periodLabel, pick, tenantScope, yearSelect } from "../data.js";
import { fmtNumber, getLang, label, t } from "../i18n.js";
import { axisNumber, chart, el, empty, formatFormula, kpi, pageHeader, panel, table } from "../ui.js";

/** Whether an inventory holds anything for its year (a line accounted or set aside). */
const hasData = (inv) => list(inv?.lines).length > 0 || list(inv?.not_quantified).length > 0;

/** The engine's warnings in the page's language: the known ones from their pattern; the count
 * of scope-3 lines not quantified is said by the Scope 3 KPI and its note instead. */
function warningText(text) {
  if (/not quantified for want of an emission factor/.test(text)) return null;
  const green = /^(\S+) (\d{4}): green electricity exceeds purchased electricity by ([\d.e+-]+) MWh/.exec(text);
  if (green) return t("carbon.warn_green_excess", { year: green[2], mwh: fmtNumber(Number(green[3]), 1) });
  return getLang() === "en" ? text : t("carbon.warn_other");
}

/** A unit as the user wrote it (吨, 万元) in the page's language; codes (t, Nm3) as they are. */
const unitLabel = (unit) => (/^[\x00-\x7f]*$/.test(String(unit ?? "")) ? unit ?? "" : label("unit", unit));

/** An item code (natural_gas, sodium_carbonate) or a name as the user wrote it (工业总产值):
 * its label in the page's language when catalogued, else as written. */
const itemLabel = (item) => (item == null || item === "" ? "—" : label("item", item));

const METHODS = ["cn_national", "ghg_location", "ghg_market", "zero_carbon_park"];

function pie(entries, group, testid) {
  const data = entries.filter(([, v]) => Math.abs(Number(v)) > 1e-9).map(([k, v]) => ({ name: label(group, k), value: Math.round(Number(v) * 10) / 10 }));
  if (!data.length) return empty();
  return chart(
    {
      tooltip: { trigger: "item", valueFormatter: (v) => `${fmtNumber(v, 1)} tCO₂e` },
      legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
      series: [{ type: "pie", radius: ["38%", "62%"], center: ["50%", "42%"], label: { formatter: "{d}%" }, data }],
    },
    { height: 280, testid },
  );
}

function bars(entries, group, testid) {
  const rows = entries.filter(([, v]) => Math.abs(Number(v)) > 1e-9).sort((a, b) => Number(a[1]) - Number(b[1]));
  if (!rows.length) return empty();
  return chart(
    {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => `${fmtNumber(v, 1)} tCO₂e` },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", splitNumber: 3, axisLabel: { hideOverlap: true, formatter: axisNumber(Math.max(...rows.map(([, v]) => Math.abs(Number(v))))) } },
      yAxis: { type: "category", data: rows.map(([k]) => label(group, k)), axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(([, v]) => Number(v)), barMaxWidth: 18, label: { show: true, position: "right", formatter: (p) => fmtNumber(p.value, 0) } }],
    },
    { height: Math.max(200, rows.length * 30 + 40), testid },
  );
}

function methodsTable(methods) {
  const rows = METHODS.filter((m) => methods?.[m]).map((m) => ({ method: m, ...methods[m] }));
  return table(
    [
      { key: "method", label: t("carbon.method"), format: (_, r) => (getLang() === "zh" ? r.label_zh : r.label_en) || label("method", r.method) },
      { key: "s1", label: t("carbon.scope1"), num: true, value: (r) => pick(r, "by_scope.1") },
      { key: "s2", label: t("carbon.scope2"), num: true, value: (r) => pick(r, "by_scope.2") },
      { key: "s3", label: t("carbon.scope3"), num: true, value: (r) => pick(r, "by_scope.3") },
      { key: "gross_tco2e", label: t("carbon.gross"), num: true },
      { key: "removals_tco2e", label: t("carbon.removals"), num: true },
      { key: "net_tco2e", label: t("carbon.net"), num: true },
    ],
    rows,
    { testid: "methods-table" },
  );
}

/** The monthly trend: one line per method, gross tCO₂e per park-local month. */
function trend(doc) {
  const months = list(doc.months);
  const methods = doc.methods || {};
  const codes = METHODS.filter((m) => methods[m]);
  const name = (m) => (getLang() === "zh" ? methods[m].label_zh : methods[m].label_en) || label("method", m);
  const top = Math.max(0, ...codes.flatMap((m) => list(methods[m].gross_tco2e).map((v) => Math.abs(Number(v)))));
  return chart(
    {
      tooltip: { trigger: "axis", valueFormatter: (v) => `${fmtNumber(v, 1)} tCO₂e` },
      legend: { top: 0, type: "scroll" },
      grid: { left: 16, right: 24, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months.map((m) => monthLabel(m, { year: false })), axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: "tCO₂e", nameTextStyle: { align: "left" }, axisLabel: { formatter: axisNumber(top) } },
      series: codes.map((m) => ({ type: "line", name: name(m), symbolSize: 6, data: list(methods[m].gross_tco2e).map((v) => Number(v)) })),
    },
    { height: 320, testid: "carbon-trend", ariaLabel: t("carbon.trend") },
  );
}

/** Records of a whole year or quarter, which are not split into months: listed apart. */
function otherPeriods(doc) {
  const methods = doc.methods || {};
  const codes = METHODS.filter((m) => methods[m]);
  const labels = [...new Set(codes.flatMap((m) => Object.keys(methods[m].other_periods_tco2e || {})))].sort();
  if (!labels.length) return null;
  const rows = labels.map((period) => ({ period, ...Object.fromEntries(codes.map((m) => [m, methods[m].other_periods_tco2e?.[period]])) }));
  return el(
    "div",
    { class: "other-periods", "data-testid": "carbon-other-periods" },
    el("h3", { class: "subhead", text: t("carbon.other_periods") }),
    el("p", { class: "footnote muted", text: t("carbon.other_periods_note") }),
    table(
      [
        { key: "period", label: t("carbon.period"), format: (v) => periodLabel(v) },
        ...codes.map((m) => ({ key: m, label: `${(getLang() === "zh" ? methods[m].label_zh : methods[m].label_en) || label("method", m)} (tCO₂e)`, num: true, digits: 1 })),
      ],
      rows,
      { testid: "other-periods-table" },
    ),
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-carbon" });
  const meta = el("div", { class: "page-actions" });
  view.append(pageHeader("carbon.title", t("carbon.subtitle"), meta));
  const year = await dataYear(ctx);
  const yearPicker = yearSelect(year, () => ctx.navigate("carbon"));
  meta.replaceChildren(yearPicker);
  let answer;
  const load = async () => {
    answer ??= api.get(paths.inventory(ctx.parkId), { year: yearPicker.value, ...tenantScope(ctx) });
    const data = await answer;
    return pick(data, "inventory") || data;
  };
  const grid = el("div", { class: "grid" });
  view.append(grid);
  const names = new Map();
  const tenantsLoaded = api.get(paths.tenants(ctx.parkId), { limit: 1000 }).then(
    (answer) => list(answer).forEach((r) => names.set(r.id, (getLang() === "en" && r.name_en) || r.name)),
    () => null,
  );
  grid.append(
    panel(
      "carbon.headline",
      async (body) => {
        const inv = await load();
        if (!hasData(inv)) return body.append(empty("state.no_data_year"));
        const totals = inv.totals || {};
        const aside = list(inv.not_quantified).length;
        // A regulator's lines are merged by category and item: it counts sources, not lines.
        const asideKey = ctx.role === "regulator" ? "carbon.not_quantified_sources" : "carbon.not_quantified_lines";
        const noteKey = ctx.role === "regulator" ? "carbon.not_quantified_sources_note" : "carbon.not_quantified_note";
        const scope3 = Number(pick(totals, "by_scope.3") ?? 0);
        // Scope 3 with lines set aside for want of a factor is "not quantified", never a 0.
        const scope3Kpi =
          aside && Math.abs(scope3) < 1e-9
            ? kpi(t("carbon.scope3"), t("carbon.not_quantified"), "", { testid: "kpi-scope3", hint: t(asideKey, { count: fmtNumber(aside, 0) }), unavailable: true })
            : kpi(t("carbon.scope3"), fmtNumber(scope3, 0), "tCO₂e", { testid: "kpi-scope3", hint: aside ? t(asideKey, { count: fmtNumber(aside, 0) }) : undefined });
        const warnings = list(inv.warnings).map(warningText).filter(Boolean);
        if (aside) warnings.unshift(t(noteKey, { count: fmtNumber(aside, 0) }));
        await tenantsLoaded;
        const tenantId = pick(inv, "scope.tenant_id");
        const entity = tenantId ? names.get(tenantId) ?? pick(inv, "scope.tenant_name") : (getLang() === "en" && ctx.park?.name_en) || pick(inv, "scope.park_name");
        body.append(
          el(
            "div",
            { class: "kpis" },
            ...(inv.headline_figures
              ? [
                  kpi(t("carbon.headline_emissions"), fmtNumber(inv.headline_figures.emissions_tco2e, 0), "tCO₂e", {
                    testid: "kpi-headline-emissions",
                    hint: getLang() === "zh" ? inv.headline_figures.emissions_method_zh : inv.headline_figures.emissions_method_en,
                  }),
                ]
              : []),
            kpi(t("carbon.scope1"), fmtNumber(pick(totals, "by_scope.1"), 0), "tCO₂e", { testid: "kpi-scope1" }),
            kpi(t("carbon.scope2_location"), fmtNumber(pick(totals, "by_scope.2_location_based"), 0), "tCO₂e"),
            kpi(t("carbon.scope2_market"), fmtNumber(pick(totals, "by_scope.2_market_based"), 0), "tCO₂e"),
            scope3Kpi,
            kpi(t("carbon.net_location"), fmtNumber(totals.net_location_based_tco2e, 0), "tCO₂e"),
            kpi(t("carbon.energy"), fmtNumber(pick(inv, "energy.total_tce"), 0), "tce"),
          ),
          el("p", { class: "footnote muted", text: t("carbon.basis_note", { gwp: pick(inv, "options.gwp_set") ?? "—", region: label("region", pick(inv, "options.region")) || "—", entity: entity ?? "" }) }),
          ...[
            ctx.role === "regulator" ? el("p", { class: "footnote muted", "data-testid": "aggregate-note", text: t("carbon.aggregate_note") }) : null,
            warnings.length ? el("ul", { class: "footnote muted", "data-testid": "carbon-warnings" }, warnings.map((w) => el("li", { text: w }))) : null,
          ].filter(Boolean),
        );
      },
      { className: "span-12", testid: "panel-carbon-headline" },
    ),
    // One method per chart, so scope 2 is not counted twice (location- and market-based).
    panel("carbon.by_scope", async (body) => body.append(pie(Object.entries(pick(await load(), "methods.ghg_location.by_scope") || {}), "scope", "carbon-scope"), el("p", { class: "footnote muted", text: t("carbon.location_note") })), { className: "span-4", testid: "panel-scope" }),
    panel("carbon.by_category", async (body) => body.append(bars(Object.entries(pick(await load(), "totals.by_category") || {}), "category", "carbon-category")), { className: "span-4", testid: "panel-category" }),
    panel("carbon.by_sector", async (body) => body.append(pie(Object.entries(pick(await load(), "methods.ghg_location.by_sector") || {}), "sector", "carbon-sector")), { className: "span-4", testid: "panel-sector" }),
    panel("carbon.methods", async (body) => { const inv = await load(); body.append(hasData(inv) ? methodsTable(inv.methods) : empty("state.no_data")); }, { className: "span-12", testid: "panel-methods" }),
    panel(
      "carbon.trend",
      async (body) => {
        const doc = await api.get(paths.inventoryMonthly(ctx.parkId), { year: yearPicker.value, ...tenantScope(ctx) });
        const monthly = METHODS.some((m) => list(doc.methods?.[m]?.gross_tco2e).some((v) => Math.abs(Number(v)) > 1e-9));
        if (monthly) body.append(trend(doc));
        else body.append(empty("carbon.no_trend"));
        body.append(otherPeriods(doc) || "");
      },
      { className: "span-12", testid: "panel-trend" },
    ),
    panel(
      "carbon.lines",
      async (body) => {
        const lines = list((await load()).lines);
        if (!lines.length) return body.append(empty("state.no_data"));
        await tenantsLoaded;
        const sorted = [...lines].sort((a, b) => Number(pick(b, "tco2e.ghg_location") ?? 0) - Number(pick(a, "tco2e.ghg_location") ?? 0));
        const parkName = (getLang() === "en" && ctx.park?.name_en) || ctx.park?.name;
        const columns = [
          { key: "entity", label: t("carbon.entity"), format: (v) => el("span", { title: v, text: names.get(v) ?? (v === ctx.parkId ? parkName ?? v : v) }) },
          { key: "period", label: t("carbon.period"), format: (v) => periodLabel(v) },
          { key: "category", label: t("carbon.category"), format: (v) => label("category", v) },
          { key: "item", label: t("carbon.item"), format: (v) => itemLabel(v) },
          { key: "quantity", label: t("carbon.quantity"), num: true, format: (v, r) => `${fmtNumber(v, 1)} ${unitLabel(r.unit)}` },
          { key: "loc", label: "tCO₂e", num: true, value: (r) => pick(r, "tco2e.ghg_location") },
          { key: "formula", label: t("carbon.formula"), format: (v) => (v ? el("code", { text: formatFormula(v) }) : el("span", { class: "muted", text: t("carbon.formula_merged") })) },
        ];
        const holder = el("div", {});
        const more = el("button", { type: "button", class: "btn btn-sm", "data-testid": "lines-toggle" });
        const note = el("p", { class: "muted" });
        let all = false;
        const draw = () => {
          const shown = all ? sorted : sorted.slice(0, 15);
          holder.replaceChildren(table(columns, shown, { testid: "lines-table" }));
          note.textContent = t("carbon.lines_more", { shown: fmtNumber(shown.length, 0), total: fmtNumber(sorted.length, 0) });
          more.textContent = t(all ? "carbon.lines_fewer" : "carbon.lines_all");
        };
        more.addEventListener("click", () => {
          all = !all;
          draw();
        });
        draw();
        body.append(holder, ...(sorted.length > 15 ? [el("div", { class: "lines-more" }, note, more)] : []));
      },
      { className: "span-12", testid: "panel-lines" },
    ),
  );
  return view;
}
