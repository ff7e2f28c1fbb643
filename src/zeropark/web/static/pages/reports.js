// Reports: download the park's (or the tenant's own) reports as Excel or PDF.
import { api } from "../api.js";
import { dataYear, paths, tenantScope, yearSelect } from "../data.js";
import { getLang, t } from "../i18n.js";
import { fmtDateTime, label } from "../i18n.js";
import { list } from "../data.js";
import { el, pageHeader, panel, table, toast } from "../ui.js";

// The reports the server offers (GET /parks/{id}/reports/{kind}?year=&format=); there is no
// list endpoint, so the kinds are named here.
const REPORTS = [{ id: "inventory", formats: ["xlsx", "pdf"] }];

async function download(ctx, report, format, year, button) {
  button.disabled = true;
  try {
    const response = await api.raw(paths.report(ctx.parkId, report.id), { year, format, ...tenantScope(ctx) });
    const blob = await response.blob();
    const disposition = response.headers.get("content-disposition") || "";
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)/i.exec(disposition)?.[1] || `${ctx.parkId}-${report.id}-${year}.${format}`;
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: decodeURIComponent(name) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
    toast(t("reports.downloaded", { name: decodeURIComponent(name) }));
  } catch (error) {
    toast(error.missingEndpoint ? t("state.unavailable") : error.status === 403 ? t("reports.not_allowed") : `${t("state.error")} ${error.message}`, "error");
    return;
  } finally {
    button.disabled = false;
  }
}

export async function render(ctx) {
  const view = el("div", { class: "page page-reports" });
  const year = yearSelect(await dataYear(ctx), () => {});
  const subtitle = ctx.isTenant ? "reports.subtitle_tenant" : ctx.role === "regulator" ? "reports.subtitle_regulator" : "reports.subtitle";
  view.append(pageHeader("reports.title", t(subtitle), year));
  view.append(
    panel(
      "reports.available",
      async (body) => {
        const reports = REPORTS;
        body.append(
          el(
            "div",
            { class: "downloads", "data-testid": "downloads" },
            reports.map((report) =>
              el(
                "div",
                { class: "download", "data-testid": `report-${report.id}` },
                el("h3", { text: (getLang() === "zh" ? report.title_zh : report.title_en) || report.title || t(`reports.kind.${report.id}`) }),
                el("p", { class: "muted", text: t(ctx.role === "regulator" ? `reports.desc_aggregate.${report.id}` : `reports.desc.${report.id}`) }),
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
  const publish = ctx.canEdit || ctx.isTenant ? el("button", { type: "button", class: "btn", "data-testid": "publish-inventory", text: t("reports.publish") }) : null;
  const versions = panel(
    "reports.versions",
    async (body) => {
      const rows = list(await api.get(paths.inventories(ctx.parkId), tenantScope(ctx)));
      body.append(
        table(
          [
            { key: "entity", label: t("reports.entity"), format: (v) => (v === ctx.parkId ? (getLang() === "en" && ctx.park?.name_en) || ctx.park?.name || v : el("code", { text: v })) },
            { key: "period", label: t("common.year") },
            { key: "version", label: t("reports.version"), num: true, digits: 0 },
            { key: "published_at", label: t("reports.published_at"), format: (v) => fmtDateTime(v) },
            { key: "published_by", label: t("reports.published_by") },
            { key: "superseded", label: t("reports.state"), format: (v) => label("version_state", v ? "superseded" : "current") },
            { key: "result_sha256", label: "SHA-256", format: (v) => el("code", { title: v, text: String(v || "").slice(0, 12) }) },
          ],
          rows,
          { testid: "versions-table" },
        ),
      );
    },
    { testid: "panel-versions", extra: publish },
  );
  publish?.addEventListener("click", async () => {
    publish.disabled = true;
    try {
      const result = await api.post(paths.inventories(ctx.parkId), undefined, { year: year.value, ...tenantScope(ctx) });
      toast(t(result?.created ? "reports.published" : "reports.unchanged", { version: result?.version ?? "" }));
      versions.reload();
    } catch (error) {
      toast(`${t("state.error")} ${error.message}`, "error");
    } finally {
      publish.disabled = false;
    }
  });
  view.append(versions);
  return view;
}
