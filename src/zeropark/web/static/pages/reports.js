// Reports: download the park's (or the tenant's own) reports as Excel or PDF.
import { api } from "../api.js";
import { dataYear, list, paths, pick, yearSelect } from "../data.js";
import { getLang, t } from "../i18n.js";
import { el, pageHeader, panel, toast } from "../ui.js";

const DEFAULT_REPORTS = [
  { id: "inventory", formats: ["xlsx", "pdf"] },
  { id: "energy", formats: ["xlsx"] },
  { id: "indicators", formats: ["xlsx", "pdf"] },
];

async function download(ctx, report, format, year, button) {
  button.disabled = true;
  try {
    const response = await api.raw(paths.report(ctx.parkId, report.id, format), { year, lang: getLang() });
    const blob = await response.blob();
    const disposition = response.headers.get("content-disposition") || "";
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)/i.exec(disposition)?.[1] || `${ctx.parkId}-${report.id}-${year}.${format}`;
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: decodeURIComponent(name) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  } catch (error) {
    toast(error.missingEndpoint ? t("state.unavailable") : `${t("state.error")} ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

export async function render(ctx) {
  const view = el("div", { class: "page page-reports" });
  const year = yearSelect(await dataYear(ctx), () => {});
  view.append(pageHeader("reports.title", t(ctx.isTenant ? "reports.subtitle_tenant" : "reports.subtitle"), year));
  view.append(
    panel(
      "reports.available",
      async (body) => {
        let reports = DEFAULT_REPORTS;
        try {
          const answer = list(await api.get(paths.reports(ctx.parkId)), "reports");
          if (answer.length) reports = answer.map((r) => ({ id: pick(r, "id", "kind", "name"), formats: r.formats || ["xlsx", "pdf"], title: r.title, title_zh: r.title_zh, title_en: r.title_en }));
        } catch (error) {
          if (!error.missingEndpoint) throw error;
        }
        body.append(
          el(
            "div",
            { class: "downloads", "data-testid": "downloads" },
            reports.map((report) =>
              el(
                "div",
                { class: "download", "data-testid": `report-${report.id}` },
                el("h3", { text: (getLang() === "zh" ? report.title_zh : report.title_en) || report.title || t(`reports.kind.${report.id}`) }),
                el("p", { class: "muted", text: t(`reports.desc.${report.id}`) }),
                el(
                  "div",
                  { class: "dl-actions" },
                  report.formats.map((format) => {
                    const button = el("button", { type: "button", class: "btn", "data-testid": `download-${report.id}-${format}`, text: `⬇ ${format.toUpperCase()}` });
                    button.addEventListener("click", () => download(ctx, report, format, year.value, button));
                    return button;
                  }),
                ),
              ),
            ),
          ),
        );
      },
      { testid: "panel-reports" },
    ),
  );
  return view;
}
