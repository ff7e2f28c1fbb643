// Indicators: the zero-carbon park scorecard — the core indicator (tCO2 per tce of energy) against
// its threshold, and the guiding indicators.
import { api } from "../api.js";
import { list, paths, pick } from "../data.js";
import { fmtNumber, fmtPercent, getLang, label, t } from "../i18n.js";
import { el, empty, pageHeader, panel, table } from "../ui.js";

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
      el("div", { class: "muted", text: t("indicators.threshold", { value: fmtNumber(threshold, 2) }) }),
      ratio == null ? null : el("div", { class: `meter-bar ${ratio > 1 ? "over" : ""}`, role: "meter", "aria-valuenow": String(value), "aria-valuemax": String(threshold), "aria-label": t("indicators.core_name") }, el("div", { style: `width:${Math.min(100, (ratio / 1.5) * 100)}%` })),
      el("p", {}, el("span", { class: `badge ${meets ? "pass" : "fail"}`, text: meets ? t("indicators.meets") : t("indicators.not_met") }), " ", pick(indicator, "gap_t") != null ? t("indicators.gap", { value: fmtNumber(indicator.gap_t, 0) }) : ""),
      el("dl", { class: "dl-grid" }, el("dt", { text: t("indicators.co2") }), el("dd", { text: `${fmtNumber(indicator.co2_t, 0)} tCO₂` }), el("dt", { text: t("indicators.energy") }), el("dd", { text: `${fmtNumber(indicator.energy_tce, 0)} tce` }), el("dt", { text: t("indicators.basis") }), el("dd", { text: label("basis", indicator.electricity_basis) })),
    ),
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-indicators" });
  view.append(pageHeader("indicators.title", t("indicators.subtitle")));
  let answer;
  const load = () => (answer ??= api.get(paths.indicators(ctx.parkId)));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  grid.append(
    panel(
      "indicators.core",
      async (body) => {
        const data = await load();
        const indicator = pick(data, "core", "zero_carbon_park_indicator", "core_indicator");
        if (!indicator) return body.append(empty());
        body.append(core(indicator));
        const notes = list(indicator.notes);
        if (notes.length) body.append(el("ul", { class: "muted" }, notes.map((n) => el("li", { text: n }))));
      },
      { className: "span-12", testid: "panel-core" },
    ),
    panel(
      "indicators.guiding",
      async (body) => {
        const rows = list(pick(await load(), "guiding", "indicators", "guiding_indicators") || []);
        body.append(
          table(
            [
              { key: "name", label: t("indicators.name"), value: (r) => (getLang() === "zh" ? r.name_zh : r.name_en) || r.name || label("indicator", r.code || r.id) },
              { key: "value", label: t("indicators.value"), num: true, format: (v, r) => (r.unit === "%" || r.unit === "share" ? fmtPercent(v) : fmtNumber(v, 2)) },
              { key: "unit", label: t("indicators.unit"), value: (r) => (r.unit === "share" ? "%" : r.unit) },
              { key: "target", label: t("indicators.target"), num: true, value: (r) => pick(r, "target", "threshold"), format: (v, r) => (v == null ? "—" : r.unit === "share" ? fmtPercent(v) : fmtNumber(v, 2)) },
              { key: "status", label: t("indicators.status"), value: (r) => pick(r, "status", "meets"), format: (v) => (v == null ? "—" : el("span", { class: `badge ${v === true || v === "pass" ? "pass" : v === false || v === "fail" ? "fail" : ""}`, text: v === true ? t("indicators.meets") : v === false ? t("indicators.not_met") : label("status", v) })) },
            ],
            rows,
            { testid: "guiding-table" },
          ),
        );
      },
      { className: "span-12", testid: "panel-guiding" },
    ),
  );
  return view;
}
