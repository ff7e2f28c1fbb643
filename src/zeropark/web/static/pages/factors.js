// The factor library: datasets and the active set, then every factor with its value and source.
import { api } from "../api.js";
import { list } from "../data.js";
import { fmtNumber, getLang, t } from "../i18n.js";
import { el, pageHeader, panel, table } from "../ui.js";

const PAGE = 50;
/** Data shown as it is in the library (codes, units, citations): marked so, not UI text. */
const raw = (text) => el("span", { "data-raw": "", text: String(text ?? "—") });

export async function render(ctx) {
  const view = el("div", { class: "page page-admin page-factors" });
  view.append(pageHeader("admin.factors.title", t("admin.factors.subtitle")));
  const state = { dataset: "", q: "", offset: 0 };
  let datasets = [];
  const sets = panel(
    "admin.factors.sets",
    async (body) => {
      const answer = await api.get("/factor-sets", { park_id: ctx.parkId });
      datasets = answer.datasets || [];
      body.append(
        el(
          "p",
          { "data-testid": "factor-active" },
          t("admin.factors.active", { set: answer.pinned_version || t("admin.factors.packaged"), count: fmtNumber(answer.factors, 0) }),
        ),
        table(
          [
            { key: "dataset", label: t("admin.factors.dataset"), format: (v) => el("code", { text: v }) },
            { key: "version", label: t("admin.factors.version"), format: raw },
            // Dataset descriptions are written in English in datasets.csv: shown in the English UI.
            getLang() === "en" ? { key: "title", label: t("admin.factors.dataset_title") } : null,
            { key: "factors", label: t("admin.factors.count"), num: true, digits: 0 },
          ].filter(Boolean),
          datasets,
          { testid: "factor-sets-table" },
        ),
      );
      select.replaceChildren(
        el("option", { value: "", text: t("admin.factors.all") }),
        ...datasets.map((d) => el("option", { value: d.dataset, text: d.dataset })),
      );
    },
    { className: "span-12", testid: "panel-factor-sets" },
  );
  const select = el("select", { "data-testid": "factor-dataset" });
  const search = el("input", { type: "search", placeholder: t("admin.factors.search"), "data-testid": "factor-search" });
  const pager = el("div", { class: "pager" });
  const factors = panel(
    "admin.factors.list",
    async (body) => {
      const answer = await api.get("/factors", { dataset: state.dataset || undefined, q: state.q || undefined, limit: PAGE, offset: state.offset });
      const rows = list(answer, "items");
      const name = (r) => (getLang() === "en" ? r.name_en || r.name_zh : r.name_zh || r.name_en) || r.code;
      body.append(
        table(
          [
            { key: "code", label: t("admin.factors.item"), format: (v, r) => el("span", {}, name(r) === v ? "" : `${name(r)} `, el("code", { text: v })) },
            { key: "parameter", label: t("admin.factors.parameter"), format: (v) => el("code", { text: v }) },
            { key: "value", label: t("admin.factors.value"), num: true, format: (v) => fmtNumber(v, Math.abs(v) < 10 ? 4 : 2) },
            { key: "unit", label: t("admin.factors.unit"), format: raw },
            { key: "year", label: t("admin.factors.year") },
            { key: "region", label: t("admin.factors.region"), format: raw },
            { key: "source", label: t("admin.factors.source"), format: (v, r) => raw([v, r.clause].filter(Boolean).join(" · ")) },
            { key: "dataset", label: t("admin.factors.dataset"), format: (v, r) => el("code", { text: `${v} ${r.version}` }) },
          ],
          rows,
          { testid: "factors-table" },
        ),
      );
      const from = answer.total ? state.offset + 1 : 0;
      pager.replaceChildren(
        el("button", { class: "btn small", text: t("admin.prev"), disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); factors.reload(); } }),
        el("span", { class: "muted", "data-testid": "factor-range", text: t("admin.range", { from, to: state.offset + rows.length, total: answer.total }) }),
        el("button", { class: "btn small", text: t("admin.next"), disabled: state.offset + PAGE >= answer.total, onclick: () => { state.offset += PAGE; factors.reload(); } }),
      );
      body.append(pager);
    },
    { className: "span-12", testid: "panel-factors-list", extra: el("div", { class: "filters" }, select, search) },
  );
  select.addEventListener("change", () => { state.dataset = select.value; state.offset = 0; factors.reload(); });
  const find = () => {
    if (state.q === search.value) return;
    state.q = search.value;
    state.offset = 0;
    factors.reload();
  };
  search.addEventListener("change", find);
  search.addEventListener("keydown", (event) => event.key === "Enter" && find());
  const grid = el("div", { class: "grid" });
  grid.append(sets, factors);
  view.append(grid);
  return view;
}
