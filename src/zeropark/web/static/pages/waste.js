// Waste (跑冒滴漏): night and non-working-day load above each meter's own history, with when it
// began, how much above normal, and the kWh and tCO2 a year it costs if it continues.
import { api } from "../api.js";
import { dataYear, yearSelect } from "../data.js";
import { fmtNumber, fmtPercent, getLang, t } from "../i18n.js";
import { el, empty, pageHeader, panel, table } from "../ui.js";

export async function render(ctx) {
  const view = el("div", { class: "page page-waste" });
  const year = yearSelect(await dataYear(ctx), () => ctx.navigate("waste"));
  view.append(pageHeader("dual.waste_title", t("dual.waste_subtitle"), year));
  view.append(
    el(
      "div",
      { class: "grid" },
      panel(
        "dual.waste_title",
        async (body) => {
          const report = await api.get(`/parks/${encodeURIComponent(ctx.parkId)}/waste`, { year: year.value });
          body.append(el("p", { class: "muted", text: t("dual.checked", { n: report.meters_checked }) }));
          if (!report.findings.length) return body.append(empty("dual.nothing"));
          const peak = (f) => f.anomalies.reduce((a, b) => (b.excess > a.excess ? b : a));
          body.append(
            table(
              [
                { key: "meter_id", label: t("dual.meter"), format: (_, f) => el("span", {}, getLang() === "zh" && f.meter_name ? `${f.meter_name} ` : "", el("code", { text: f.meter_id })) },
                { key: "start", label: t("dual.since"), value: (f) => f.start + (f.ongoing ? ` (${t("dual.ongoing")})` : "") },
                { key: "excess", label: t("dual.excess"), value: (f) => `${fmtNumber(peak(f).excess, 1)} ${f.carrier === "electricity" ? "kW" : f.unit + "/h"} (+${fmtPercent(peak(f).rise, 0)})` },
                { key: "waste", label: t("dual.waste_year"), value: (f) => `${fmtNumber(f.waste_per_year, 0)} ${f.unit}${f.tco2_per_year != null ? ` · ${fmtNumber(f.tco2_per_year, 1)} tCO₂` : ""}` },
                {
                  key: "explanation",
                  label: t("dual.explanation"),
                  // the English text opens with the meter's key: shown as code, like every key
                  format: (_, f) => (getLang() === "zh" ? f.explanation_zh : el("span", {}, el("code", { text: f.meter_id }), f.explanation_en.slice(f.meter_id.length))),
                },
              ],
              report.findings,
              { testid: "waste-table" },
            ),
          );
        },
        { className: "span-12", testid: "panel-waste" },
      ),
    ),
  );
  return view;
}
