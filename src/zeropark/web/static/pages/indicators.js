// Indicators: the zero-carbon park scorecard — the core indicator (tCO2 per tce of energy) against
// its threshold, and the guiding indicators.
import { api } from "../api.js";
import { dataYear, list, notProvided, paths, pick, yearSelect } from "../data.js";
import { fmtNumber, fmtPercent, getLang, label, t } from "../i18n.js";
import { el, empty, pageHeader, panel, table } from "../ui.js";
import { scorecardPanel } from "./scorecard.js";

function core(indicator) {
  const value = pick(indicator, "intensity_tco2_per_tce", "value");
  const threshold = pick(indicator, "threshold_tco2_per_tce", "threshold");
  const meets = pick(indicator, "meets", "pass");
  const ratio = value != null && threshold ? Math.min(1.5, Number(value) / Number(threshold)) : null;
  return el(
    "div",
    { class: "score-core", "data-testid": "core-indicator" },
    el("div", {}, el("div", { class: "muted", text: t("indicators.core_name") }), el("div", { class: "big", text: fmtNumber(value, 3) }), el("div", { class: "muted", text: "tCO₂ / tce" })),
    el(
      "div",
      { style: "flex:1;min-width:220px" },
      el("div", { class: "muted", text: threshold == null ? t("indicators.no_threshold") : t("indicators.threshold", { value: fmtNumber(threshold, 2) }) }),
      ratio == null ? null : el("div", { class: `meter-bar ${ratio > 1 ? "over" : ""}`, role: "meter", "aria-valuenow": String(value), "aria-valuemax": String(threshold), "aria-label": t("indicators.core_name") }, el("div", { style: `width:${Math.min(100, (ratio / 1.5) * 100)}%` })),
      el("p", {}, el("span", { class: `badge ${meets === true ? "pass" : meets === false ? "fail" : "info"}`, "data-testid": "core-status", text: meets === true ? t("indicators.meets") : meets === false ? t("indicators.not_met") : t("indicators.undetermined") }), " ", pick(indicator, "gap_t") != null ? t("indicators.gap", { value: fmtNumber(indicator.gap_t, 0) }) : ""),
      el("dl", { class: "dl-grid" }, el("dt", { text: t("indicators.co2") }), el("dd", { text: `${fmtNumber(indicator.co2_t, 0)} tCO₂` }), el("dt", { text: t("indicators.energy") }), el("dd", { text: `${fmtNumber(indicator.energy_tce, 0)} tce` }), el("dt", { text: t("indicators.basis") }), el("dd", { text: label("basis", indicator.electricity_basis) })),
    ),
  );
}

/** The text of a bilingual field in the UI language (``<key>_zh`` / ``<key>_en``, else ``<key>``). */
const inLang = (row, key) => (row ? row[`${key}_${getLang() === "zh" ? "zh" : "en"}`] ?? row[key] : null);
const capital = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);
const STATE_BADGE = { met: "pass", not_met: "fail", no_data: "info" };

/** The guiding indicators (引导性指标): requirement, value, state, definition, data needed. */
function guidingTable(rows) {
  const fraction = (v) => (v == null ? "—" : fmtPercent(v));
  // Record and definition codes in a text (product_output, non_fossil) are shown as code.
  const text = (v) =>
    v ? el("div", { class: "guiding-text" }, String(v).split(/\b([a-z]+(?:_[a-z0-9]+)+)\b/).map((part, i) => (i % 2 ? el("code", { text: part }) : part))) : "—";
  return table(
    [
      {
        key: "name",
        label: t("indicators.name"),
        value: (r) => capital((getLang() === "zh" ? r.label_zh : r.label_en) || label("indicator", r.code)),
        format: (v) => el("div", {}, el("strong", { text: v })),
      },
      { key: "requirement", label: t("indicators.requirement"), value: (r) => inLang(r, "requirement"), format: (v, r) => v || fraction(r.threshold) },
      { key: "value", label: t("indicators.value"), num: true, format: fraction },
      {
        key: "state",
        label: t("indicators.status"),
        format: (v) => el("span", { class: `badge ${STATE_BADGE[v] || "info"}`, "data-state": v, text: t(`indicators.state.${v in STATE_BADGE ? v : "no_data"}`) }),
      },
      { key: "definition", label: t("indicators.definition"), value: (r) => inLang(r, "definition"), format: text },
      { key: "needs", label: t("indicators.needs"), value: (r) => inLang(r, "needs"), format: text },
    ],
    rows,
    { testid: "guiding-table" },
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-indicators" });
  const yearPicker = yearSelect(await dataYear(ctx), () => ctx.navigate("indicators"));
  view.append(pageHeader("indicators.title", t("indicators.subtitle"), yearPicker));
  let answer;
  const load = () => (answer ??= api.get(paths.indicators(ctx.parkId), { year: yearPicker.value }));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  grid.append(
    panel("dual.scorecard", (body) => scorecardPanel(body, ctx, yearPicker.value), { className: "span-12", testid: "panel-scorecard" }),
    panel(
      "indicators.core",
      async (body) => {
        const data = await load();
        const indicator = pick(data, "core", "zero_carbon_park_indicator", "core_indicator");
        if (!indicator) return body.append(empty());
        body.append(core(indicator));
        const notes = list(inLang(indicator, "notes"));
        if (notes.length) body.append(el("ul", { class: "muted" }, notes.map((n) => el("li", { text: n }))));
      },
      { className: "span-12", testid: "panel-core" },
    ),
    panel(
      "indicators.energy_mix",
      async (body) => {
        const data = await load();
        const energy = data.energy || {};
        const totalTce = Number(energy.total_tce) || null;
        const rows = ["total_tce", "fossil_fuel_tce", "grid_electricity_tce", "heat_tce", "onsite_renewable_tce", "green_electricity_tce", "non_fossil_electricity_tce"]
          .filter((k) => energy[k] != null)
          .map((k) => ({ key: k, value: Number(energy[k]), share: totalTce ? Number(energy[k]) / totalTce : null }));
        body.append(
          table(
            [
              { key: "key", label: t("indicators.name"), format: (v) => t(`indicators.mix.${v.replace(/_tce$/, "")}`) },
              { key: "value", label: "tce", num: true, digits: 0 },
              { key: "share", label: t("indicators.share"), num: true, format: (v) => fmtPercent(v) },
            ],
            rows,
            { testid: "energy-mix-table" },
          ),
          el("p", { class: "footnote muted", text: t("indicators.basis_note", { basis: label("basis", energy.electricity_basis) }) }),
        );
      },
      { className: "span-6", testid: "panel-energy-mix" },
    ),
    panel(
      "indicators.methods",
      async (body) => {
        const data = await load();
        let rows = Object.entries(data.methods || {}).map(([code, m]) => ({ code, ...m }));
        if (!rows.length && data.totals) {
          // A tenant's answer carries the GHG Protocol totals only.
          rows = [
            { code: "ghg_location", gross_tco2e: data.totals.gross_location_based_tco2e, net_tco2e: data.totals.net_location_based_tco2e },
            { code: "ghg_market", gross_tco2e: data.totals.gross_market_based_tco2e, net_tco2e: data.totals.net_market_based_tco2e },
          ];
        }
        body.append(
          table(
            [
              { key: "code", label: t("carbon.method"), format: (v, r) => (getLang() === "zh" ? r.label_zh : r.label_en) || label("method", v) },
              { key: "gross_tco2e", label: `${t("carbon.gross")} (tCO₂e)`, num: true, digits: 0 },
              { key: "net_tco2e", label: `${t("carbon.net")} (tCO₂e)`, num: true, digits: 0 },
            ],
            rows,
            { testid: "indicator-methods-table" },
          ),
        );
      },
      { className: "span-6", testid: "panel-indicator-methods" },
    ),
    panel(
      "indicators.guiding",
      async (body) => {
        const data = await load();
        const rows = list(pick(data, "guiding", "guiding_indicators") || []);
        if (!rows.length) throw notProvided(`/parks/${ctx.parkId}/indicators → guiding`);
        body.append(guidingTable(rows), el("p", { class: "footnote muted", text: t("indicators.guiding_note") }));
      },
      { className: "span-12", testid: "panel-guiding" },
    ),
  );
  return view;
}
