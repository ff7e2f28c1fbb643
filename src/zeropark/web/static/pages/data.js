// Data: the meters the caller may see, file import (readings or activities) with the validation
// report (file / row / field / value / reason), and quarantine review (resubmit or dismiss).
import { api } from "../api.js";
import { list, paths, pick } from "../data.js";
import { fmtDateTime, fmtNumber, getLang, issueReason, label, t } from "../i18n.js";
import { el, empty, pageHeader, panel, segmented, table, toast } from "../ui.js";

function metersPanel(ctx) {
  return panel(
    "data.meters",
    async (body) => {
      const meters = list(await api.get(paths.meters(ctx.parkId)), "meters");
      const names = new Map();
      try {
        list(await api.get(paths.tenants(ctx.parkId)), "tenants").forEach((x) => names.set(x.id, (getLang() === "en" && x.name_en) || x.name));
      } catch {
        /* ids only */
      }
      body.append(
        el("p", { class: "muted", "data-testid": "meter-count", text: t("data.meter_count", { count: meters.length }) }),
        table(
          [
            { key: "id", label: t("data.meter_id"), format: (v) => el("code", { text: v }) },
            // Meter names are Chinese in the park file; in English the English name, else the key.
            { key: "name", label: t("data.meter_name"), format: (v, r) => (getLang() === "en" ? r.name_en || el("code", { text: r.id }) : v || el("code", { text: r.id })) },
            { key: "tenant", label: t("data.tenant"), value: (r) => pick(r, "tenant_id", "tenant", "owner.tenant") ?? "—", format: (v) => (names.has(v) ? el("span", { title: v, "data-id": v, text: names.get(v) }) : v) },
            { key: "carrier", label: t("data.carrier"), format: (v) => label("carrier", v) },
            { key: "kind", label: t("data.kind"), format: (v) => label("meter_kind", v) },
            { key: "unit", label: t("data.unit") },
            { key: "parent", label: t("data.parent"), format: (v) => (v ? el("code", { text: v }) : "—") },
          ],
          meters,
          { testid: "meters-table" },
        ),
      );
      body.querySelector(".table-wrap")?.classList.add("table-scroll");
    },
    { className: "span-12", testid: "panel-meters" },
  );
}

const baseName = (path) => String(path ?? "").split(/[\\/]/).pop();

/** A reason with the ids it names (meter keys, the park id, a time zone) shown as code, so
 * they read as data, not as words of the sentence. */
function withCodes(text, parkId) {
  const ids = new RegExp(`(\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b|[A-Z][a-z]+/[A-Za-z_]+${parkId ? `|\\b${parkId.replace(/[^\w-]/g, "")}\\b` : ""})`);
  return String(text ?? "")
    .split(ids)
    .map((part, i) => (i % 2 ? el("code", { text: part }) : part));
}

/** ``row 5`` (``record 5``, ``line 5``) → ``5``; ``header`` in the page's language; other
 * locations as they are. */
const rowOf = (location) => {
  const text = String(location ?? "");
  const match = /^(?:row|record|line) (\d+)$/.exec(text);
  if (match) return match[1];
  if (text === "header") return t("data.report.header");
  return location ?? "—";
};

/** The issues of an ingest report (or of a problem+json answer) as table rows: each issue is
 * data (code, source, location, field, value, reason_code, params, reason), and its reason is
 * rendered from its code in the page's language. */
export function issueRows(issues, fileName) {
  return list(issues || []).map((issue) => ({
    file: baseName(issue.source) || fileName,
    row: rowOf(issue.location),
    field: issue.field ?? "—",
    value: issue.value ?? "",
    code: issue.code ?? "",
    reasonCode: issue.reason_code ?? "",
    reason: issueReason(issue),
  }));
}

function reportView(report, fileName, issues = report?.issues, parkId = "") {
  const counts = [
    ["received", pick(report, "received", "rows")],
    ["accepted", pick(report, "accepted")],
    ["duplicates", pick(report, "duplicates")],
    ["rejected", pick(report, "rejected", "quarantined")],
  ].filter(([, v]) => v != null);
  const rows = issueRows(issues, fileName);
  return el(
    "div",
    { class: "upload-report", "data-testid": "validation-report" },
    el(
      "div",
      { class: "report-summary" },
      counts.map(([k, v]) => el("span", { class: `badge ${k === "rejected" && v ? "error" : k === "accepted" ? "ok" : ""}`, "data-testid": `report-${k}`, text: `${t(`data.report.${k}`)}: ${fmtNumber(v, 0)}` })),
    ),
    rows.length
      ? table(
          [
            { key: "file", label: t("data.report.file") },
            { key: "row", label: t("data.report.row"), num: true, format: (v) => String(v) },
            { key: "field", label: t("data.report.field") },
            { key: "value", label: t("data.report.value"), format: (v) => (v === "" || v == null ? "" : el("code", { text: String(v) })) },
            { key: "code", label: t("data.report.code"), format: (v) => (v ? el("code", { text: v }) : "—") },
            { key: "reason", label: t("data.report.reason"), format: (v, r) => el("span", { "data-reason-code": r.reasonCode }, withCodes(v, parkId)) },
          ],
          rows,
          { testid: "issues-table" },
        )
      : el("p", { class: "state", text: t("data.report.clean") }),
  );
}

function uploadPanel(ctx, onUploaded) {
  const state = { kind: "readings" };
  const kindSwitch = el("div", {});
  const file = el("input", { type: "file", id: "upload-file", accept: ".csv,.xlsx,.xls,.txt", "data-testid": "upload-file", "aria-label": t("data.upload.file") });
  const submit = el("button", { type: "button", class: "btn btn-primary", "data-testid": "upload-submit", text: t("data.upload.submit") });
  const hint = el("p", { class: "muted" });
  const result = el("div", { "data-testid": "upload-result" });
  const drawKind = () => {
    kindSwitch.replaceChildren(segmented(t("data.upload.kind"), [["readings", t("data.upload.readings")], ["activities", t("data.upload.activities")]], state.kind, (v) => ((state.kind = v), drawKind())));
    hint.textContent = t(`data.upload.hint_${state.kind}${ctx.isTenant && state.kind === "readings" ? "_tenant" : ""}`);
  };
  drawKind();
  submit.addEventListener("click", async () => {
    const chosen = file.files?.[0];
    if (!chosen) {
      toast(t("data.upload.choose"), "error");
      return;
    }
    submit.disabled = true;
    result.replaceChildren(el("div", { class: "state loading", text: t("data.upload.working") }));
    const form = new FormData();
    form.append("file", chosen, chosen.name);
    try {
      const path = state.kind === "readings" ? paths.readingsUpload(ctx.parkId) : paths.activitiesUpload(ctx.parkId);
      const answer = await api.upload(path, form);
      result.replaceChildren(reportView(pick(answer, "report") || answer, chosen.name, undefined, ctx.parkId));
      onUploaded();
    } catch (error) {
      // A file refused whole (422: missing columns, unreadable) lists its issues too.
      if (error.status === 422 && error.errors) result.replaceChildren(reportView({}, chosen.name, error.errors, ctx.parkId));
      else result.replaceChildren(el("div", { class: "state error", role: "alert", text: error.missingEndpoint ? t("state.unavailable") : `${t("state.error")} ${error.message}` }));
    } finally {
      submit.disabled = false;
    }
  });
  const card = el(
    "section",
    { class: "card span-12", "data-testid": "panel-upload", "aria-labelledby": "upload-title" },
    el("div", { class: "card-head" }, el("h2", { id: "upload-title", text: t("data.upload.title") }), kindSwitch),
    el("div", { class: "dropzone" }, file, submit),
    hint,
    result,
  );
  return card;
}

function quarantinePanel(ctx) {
  const card = panel(
    "data.quarantine.title",
    async (body) => {
      const rows = list(await api.get(paths.quarantine(ctx.parkId), { status: "open" }), "records");
      if (!rows.length) return body.append(empty("data.quarantine.none"));
      const act = async (kind, record) => {
        try {
          if (kind === "resubmit") {
            const value = prompt(t("data.quarantine.new_value"), record.value ?? "");
            if (value == null) return;
            await api.post(paths.quarantineResubmit(ctx.parkId), { ids: [record.id], value });
          } else {
            const reason = prompt(t("data.quarantine.dismiss_reason"), "");
            if (reason == null) return;
            await api.post(paths.quarantineDismiss(ctx.parkId), { ids: [record.id], reason });
          }
          toast(t(`data.quarantine.done_${kind}`));
          card.reload();
        } catch (error) {
          toast(error.missingEndpoint ? t("state.unavailable") : error.message, "error");
        }
      };
      body.append(
        el("p", { class: "muted", text: t("data.quarantine.count", { count: rows.length }) }),
        table(
          [
            { key: "created_at", label: t("data.quarantine.when"), format: (v) => fmtDateTime(v) },
            { key: "source", label: t("data.report.file"), format: (v) => el("span", { title: v ?? "", text: baseName(v) }) },
            { key: "location", label: t("data.report.row"), format: (v) => String(rowOf(v)) },
            { key: "field", label: t("data.report.field") },
            { key: "value", label: t("data.report.value"), format: (v) => el("code", { text: v ?? "" }) },
            { key: "code", label: t("data.report.code"), format: (v) => (v ? el("code", { text: v }) : "—") },
            { key: "reason", label: t("data.report.reason"), format: (_, r) => el("span", { "data-reason-code": r.reason_code ?? "" }, withCodes(issueReason(r), ctx.parkId)) },
            {
              key: "actions",
              label: t("alerts.actions"),
              format: (_, r) =>
                !ctx.canEdit
                  ? "—"
                  : el(
                      "div",
                      { class: "actions" },
                      el("button", { type: "button", class: "btn btn-sm", text: t("data.quarantine.resubmit"), onclick: () => act("resubmit", r) }),
                      el("button", { type: "button", class: "btn btn-sm", text: t("data.quarantine.dismiss"), onclick: () => act("dismiss", r) }),
                    ),
            },
          ],
          rows.slice(0, 200),
          { testid: "quarantine-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-quarantine" },
  );
  return card;
}

export async function render(ctx) {
  const view = el("div", { class: "page page-data" });
  view.append(pageHeader("data.title", t(ctx.isTenant ? "data.subtitle_tenant" : "data.subtitle")));
  const grid = el("div", { class: "grid" });
  const quarantine = quarantinePanel(ctx);
  const canUpload = ctx.role !== "auditor" && ctx.role !== "regulator";
  grid.append(...[metersPanel(ctx), canUpload ? uploadPanel(ctx, () => quarantine.reload()) : null, quarantine].filter(Boolean));
  view.append(grid);
  return view;
}
