// The audit log for the verifier: the signed chain head, a verify button, entries paged and
// filtered by action (prefix) and by park-local dates (the server filters: GET …/audit).
import { api } from "../api.js";
import { list } from "../data.js";
import { fmtDateTime, fmtNumber, t } from "../i18n.js";
import { el, pageHeader, panel, table } from "../ui.js";
import { getTimezone } from "../i18n.js";
import { localMidnight } from "../data.js";

const PAGE = 50;

export async function render(ctx) {
  const view = el("div", { class: "page page-admin page-audit" });
  view.append(pageHeader("admin.audit.title", t("admin.audit.subtitle")));
  const state = { offset: 0, action: "", from: "", to: "" };
  const result = el("div", { class: "verify-result", "data-testid": "verify-result" });
  const head = panel(
    "admin.audit.head",
    async (body) => {
      const h = await api.get("/audit/head");
      body.append(
        el(
          "dl",
          { class: "dl-grid", "data-testid": "audit-head" },
          el("dt", { text: t("admin.audit.seq") }), el("dd", { text: fmtNumber(h.seq, 0) }),
          el("dt", { text: t("admin.audit.hash") }), el("dd", {}, el("code", { class: "hash", text: h.sha256 })),
          el("dt", { text: t("admin.audit.at") }), el("dd", { text: h.at ? fmtDateTime(h.at) : "—" }),
          el("dt", { text: t("admin.audit.entries") }), el("dd", { text: fmtNumber(h.entries, 0) }),
        ),
        el("button", {
          class: "btn primary",
          "data-testid": "audit-verify",
          text: t("admin.audit.verify"),
          onclick: async (event) => {
            event.target.disabled = true;
            result.replaceChildren(el("span", { class: "muted", text: t("state.loading") }));
            try {
              const r = await api.post("/audit/verify");
              result.replaceChildren(
                el("span", { class: `badge ${r.ok ? "ok" : "bad"}`, text: t(r.ok ? "admin.audit.ok" : "admin.audit.broken") }),
                " ",
                t("admin.audit.counts", { entries: fmtNumber(r.entries, 0), readings: fmtNumber(r.readings, 0), batches: fmtNumber(r.batches, 0) }),
              );
            } finally {
              event.target.disabled = false;
            }
          },
        }),
        result,
      );
    },
    { className: "span-12", testid: "panel-audit-head" },
  );
  const action = el("input", { type: "search", placeholder: t("admin.audit.action"), "data-testid": "audit-action" });
  const from = el("input", { type: "date", "aria-label": t("admin.audit.from"), "data-testid": "audit-from" });
  const to = el("input", { type: "date", "aria-label": t("admin.audit.to"), "data-testid": "audit-to" });
  const entries = panel(
    "admin.audit.entries_title",
    async (body) => {
      const tz = getTimezone();
      const next = (day) => {
        const d = new Date(`${day}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() + 1);
        return d.toISOString().slice(0, 10);
      };
      const answer = await api.get(`/parks/${encodeURIComponent(ctx.parkId)}/audit`, {
        limit: PAGE,
        offset: state.offset,
        action: state.action || undefined,
        since: state.from ? localMidnight(state.from, tz) : undefined,
        until: state.to ? localMidnight(next(state.to), tz) : undefined,
      });
      const rows = list(answer, "items");
      body.append(
        table(
          [
            { key: "seq", label: t("admin.audit.seq"), num: true, digits: 0 },
            { key: "at", label: t("admin.audit.at"), format: (v) => fmtDateTime(v) },
            { key: "actor", label: t("admin.audit.actor"), format: (v) => el("span", { "data-raw": "", text: v }) },
            { key: "action", label: t("admin.audit.action"), format: (v) => el("code", { text: v }) },
            { key: "entity", label: t("admin.audit.entity"), format: (v) => (v ? el("code", { text: v }) : "—") },
            { key: "sha256", label: t("admin.audit.hash"), format: (v) => el("code", { class: "hash", title: v, text: v.slice(0, 12) }) },
          ],
          rows,
          { testid: "audit-table" },
        ),
        el(
          "div",
          { class: "pager" },
          el("button", { class: "btn small", text: t("admin.prev"), disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); entries.reload(); } }),
          el("span", { class: "muted", "data-testid": "audit-range", text: t("admin.range", { from: answer.total ? state.offset + 1 : 0, to: Math.min(state.offset + PAGE, answer.total), total: answer.total }) }),
          el("button", { class: "btn small", text: t("admin.next"), disabled: state.offset + PAGE >= answer.total, onclick: () => { state.offset += PAGE; entries.reload(); } }),
        ),
      );
    },
    { className: "span-12", testid: "panel-audit-entries", extra: el("div", { class: "filters" }, action, el("label", {}, t("admin.audit.from"), from), el("label", {}, t("admin.audit.to"), to)) },
  );
  const apply = () => { state.action = action.value.trim(); state.from = from.value; state.to = to.value; state.offset = 0; entries.reload(); };
  for (const input of [action, from, to]) input.addEventListener("change", apply);
  action.addEventListener("keydown", (event) => event.key === "Enter" && apply());
  const grid = el("div", { class: "grid" });
  grid.append(head, entries);
  view.append(grid);
  return view;
}
