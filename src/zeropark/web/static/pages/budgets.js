// Budgets (用能预算 / 碳预算): each annual budget against consumption month by month, the year-end
// projection and the projected run-out date, with a cumulative chart; park administrators (and a
// tenant, for its own) set budgets.
import { api } from "../api.js";
import { dataYear, yearSelect } from "../data.js";
import { fmtNumber, fmtPercent, getLang, t } from "../i18n.js";
import { chart, el, empty, pageHeader, panel, table, toast } from "../ui.js";

const zh = () => getLang() === "zh";

function cumulative(values) {
  let sum = 0;
  return values.map((v) => (v == null ? null : (sum += v)));
}

function budgetChart(b) {
  const months = b.months.map((m) => m.month.slice(5));
  const actual = cumulative(b.months.map((m) => m.actual));
  const projected = cumulative(b.months.map((m) => m.projected));
  return chart(
    {
      tooltip: { trigger: "axis" },
      legend: { data: [t("dual.budget"), t("dual.actual"), t("dual.projected")] },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", name: b.unit },
      series: [
        { name: t("dual.budget"), type: "line", data: cumulative(b.months.map((m) => m.budget)), lineStyle: { type: "dashed" } },
        { name: t("dual.actual"), type: "line", data: actual },
        { name: t("dual.projected"), type: "line", data: projected.map((v, i) => (b.months[i].actual == null || i === actual.filter((x) => x != null).length - 1 ? v : null)), lineStyle: { type: "dotted" } },
      ],
    },
    { height: 260, testid: `budget-chart-${b.id}`, ariaLabel: zh() ? b.label_zh : b.label_en },
  );
}

function summary(b) {
  return el(
    "div",
    { class: "budget", "data-testid": `budget-${b.id}` },
    el("h3", {}, b.tenant_id ? el("code", { text: b.tenant_id }) : t("dual.park"), ` · ${zh() ? b.label_zh : b.label_en} ${fmtNumber(b.annual, 0)} ${b.unit}`),
    el("p", { class: b.projected_overrun > 0 ? "warn" : "muted", "data-testid": `budget-summary-${b.id}`, text: zh() ? b.summary_zh : b.summary_en }),
    el(
      "dl",
      { class: "dl-grid" },
      el("dt", { text: t("dual.used") }), el("dd", { text: `${fmtNumber(b.used, 0)} ${b.unit} (${fmtPercent(b.used_share)})` }),
      el("dt", { text: t("dual.year_end") }), el("dd", { text: `${fmtNumber(b.year_end, 0)} ${b.unit}` }),
      el("dt", { text: t("dual.run_out") }), el("dd", { text: b.run_out || t("dual.never") }),
      el("dt", { text: t("dual.as_of") }), el("dd", { text: b.as_of }),
    ),
    budgetChart(b),
  );
}

function form(ctx, year, reload) {
  const kind = el("select", { name: "kind" }, el("option", { value: "energy", text: t("dual.energy") }), el("option", { value: "carbon", text: t("dual.carbon") }));
  const annual = el("input", { name: "annual", type: "number", min: "0", step: "any", required: "" });
  const tenant = el("input", { name: "tenant_id", type: "text", maxlength: "64", value: ctx.isTenant ? ctx.tenantId || "" : "" });
  const split = el("select", { name: "split" }, el("option", { value: "even", text: t("dual.split_even") }), el("option", { value: "profile", text: t("dual.split_profile") }));
  const method = el("select", { name: "method" }, el("option", { value: "seasonal", text: t("dual.method_seasonal") }), el("option", { value: "run_rate", text: t("dual.method_run_rate") }));
  const save = el("button", { type: "submit", class: "btn", text: t("dual.save"), "data-testid": "budget-save" });
  const box = el(
    "form",
    { class: "toolbar", "data-testid": "budget-form" },
    el("label", {}, `${t("dual.kind")} `, kind), " ",
    el("label", {}, `${t("dual.annual")} `, annual), " ",
    ctx.isTenant ? null : el("label", {}, `${t("dual.tenant")} `, tenant), " ",
    el("label", {}, `${t("dual.split")} `, split), " ",
    el("label", {}, `${t("dual.method")} `, method), " ",
    save,
  );
  box.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await api.post(`/parks/${encodeURIComponent(ctx.parkId)}/budgets`, {
        year: Number(year), kind: kind.value, annual: Number(annual.value),
        tenant_id: tenant.value.trim() || null, split: split.value, method: method.value,
      });
      toast(t("dual.saved"));
      reload();
    } catch (error) {
      toast(`${t("state.error")} ${error.message}`, "error");
    } finally {
      save.disabled = false;
    }
  });
  return box;
}

export async function render(ctx) {
  const view = el("div", { class: "page page-budgets" });
  const year = yearSelect(await dataYear(ctx), () => ctx.navigate("budgets"));
  view.append(pageHeader("dual.budgets_title", t("dual.budgets_subtitle"), year));
  const list = panel(
    "dual.budgets_title",
    async (body) => {
      const params = { year: year.value };
      if (ctx.isTenant && ctx.tenantId) params.tenant_id = ctx.tenantId;
      const budgets = await api.get(`/parks/${encodeURIComponent(ctx.parkId)}/budgets`, params);
      if (!budgets.length) return body.append(empty());
      body.append(...budgets.map(summary));
      body.append(
        table(
          [
            { key: "who", label: t("dual.tenant"), format: (_, b) => (b.tenant_id ? el("code", { text: b.tenant_id }) : t("dual.park")) },
            { key: "kind", label: t("dual.kind"), value: (b) => (zh() ? b.label_zh : b.label_en) },
            { key: "annual", label: t("dual.annual"), num: true, digits: 0 },
            { key: "used", label: t("dual.used"), num: true, digits: 0 },
            { key: "year_end", label: t("dual.year_end"), num: true, digits: 0 },
            { key: "run_out", label: t("dual.run_out"), value: (b) => b.run_out || t("dual.never") },
          ],
          budgets,
          { testid: "budgets-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-budgets" },
  );
  const grid = el("div", { class: "grid" }, list);
  if (ctx.role === "park_admin" || ctx.isTenant) {
    grid.append(panel("dual.set_budget", (body) => body.append(form(ctx, year.value, () => list.reload())), { className: "span-12", testid: "panel-budget-form" }));
  }
  view.append(grid);
  return view;
}
