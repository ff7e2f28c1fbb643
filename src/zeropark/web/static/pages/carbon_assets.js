// Carbon assets (碳资产): holdings with certificate serial ranges, ETS compliance positions
// (CCER within 5 %, the gap at the latest price), trades with profit, the ledger's movements
// and their evidence. A tenant sees its own accounts; a regulator the park's aggregated
// positions; an auditor reads the ledger and exports it; the park admin sees all.
import { api } from "../api.js";
import { dataYear, yearSelect } from "../data.js";
import { fmtNumber, t } from "../i18n.js";
import { el, empty, kpi, pageHeader, panel, table, toast } from "../ui.js";

const base = (ctx) => `/parks/${encodeURIComponent(ctx.parkId)}/carbon-assets`;
const num = (v, digits = 0) => (v == null ? "—" : fmtNumber(Number(v), digits));
const STATUS = { fulfilled: "ledger.status_fulfilled", covered: "ledger.status_covered", gap: "ledger.status_gap", not_covered: "ledger.status_not_covered" };

async function download(ctx, path, params, fallback, button) {
  button.disabled = true;
  try {
    const response = await api.raw(path, params);
    const blob = await response.blob();
    const disposition = response.headers.get("content-disposition") || "";
    const name = /filename="?([^";]+)/i.exec(disposition)?.[1] || fallback;
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
    toast(t("ledger.downloaded", { name }));
  } catch (error) {
    toast(`${t("state.error")} ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

function positionsPanel(ctx, year) {
  return panel(
    "ledger.positions",
    async (body) => {
      const p = await api.get(`${base(ctx)}/positions`, { year });
      body.append(
        el(
          "div",
          { class: "kpis" },
          kpi(t("ledger.covered_entities"), num(p.covered_entities), t("ledger.entities_unit"), { testid: "kpi-covered" }),
          kpi(t("ledger.obligation"), num(p.obligation_t), "t", { testid: "kpi-obligation" }),
          kpi(t("ledger.surrendered"), num(p.surrendered_t), "t", { testid: "kpi-surrendered" }),
          kpi(t("ledger.gap"), num(p.gap_t), "t", { testid: "kpi-gap", hint: t("ledger.entities_with_gap", { n: p.entities_with_gap }) }),
        ),
      );
    },
    { className: "span-12", testid: "panel-ledger-positions" },
  );
}

function compliancePanel(ctx, year) {
  return panel(
    "ledger.compliance",
    async (body) => {
      const rows = await api.get(`${base(ctx)}/compliance`, { year });
      body.append(el("p", { class: "muted", text: t("ledger.ccer_rule") }));
      body.append(
        table(
          [
            { key: "tenant_id", label: t("ledger.tenant"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "status", label: t("ledger.status"), value: (r) => t(STATUS[r.status] || "ledger.status_gap") },
            { key: "obligation_t", label: t("ledger.obligation_t"), num: true, format: (v) => num(v) },
            { key: "allocated_t", label: t("ledger.allocated_t"), num: true, format: (v) => num(v) },
            { key: "surrendered", label: t("ledger.surrendered_t"), num: true, value: (r) => Number(r.surrendered_cea_t) + Number(r.surrendered_ccer_t), format: (v) => num(v) },
            { key: "cea_held_t", label: t("ledger.cea_held_t"), num: true, format: (v) => num(v) },
            { key: "ccer_usable_t", label: t("ledger.ccer_usable_t"), num: true, format: (v) => num(v) },
            { key: "ccer_unusable_t", label: t("ledger.ccer_unusable_t"), num: true, format: (v) => num(v) },
            { key: "gap_t", label: t("ledger.gap_t"), num: true, format: (v) => num(v) },
            { key: "gap_value_cny", label: t("ledger.gap_cny"), num: true, format: (v) => num(v, 2) },
            { key: "deadline", label: t("ledger.deadline") },
          ],
          rows,
          { testid: "ledger-compliance-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-ledger-compliance" },
  );
}

function holdingsPanel(ctx) {
  return panel(
    "ledger.holdings",
    async (body) => {
      const rows = await api.get(`${base(ctx)}/holdings`);
      body.append(
        table(
          [
            { key: "account", label: t("ledger.account"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "instrument", label: t("ledger.instrument"), format: (v) => el("code", { text: v }) },
            { key: "quantity", label: t("ledger.quantity"), num: true, format: (v, r) => `${num(v, 3)} ${r.unit}` },
            { key: "serials", label: t("ledger.serials"), value: (r) => (r.serials.length ? r.serials.join("\n") : "—") },
            { key: "value_cny", label: t("ledger.value_cny"), num: true, format: (v) => num(v, 2) },
          ],
          rows,
          { testid: "ledger-holdings-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-ledger-holdings" },
  );
}

function tradesPanel(ctx) {
  return panel(
    "ledger.trades",
    async (body) => {
      const rows = await api.get(`${base(ctx)}/trades`);
      body.append(
        table(
          [
            { key: "account", label: t("ledger.account"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "instrument", label: t("ledger.instrument"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "method", label: t("ledger.method"), value: (r) => t(r.method === "fifo" ? "ledger.fifo" : "ledger.avg") },
            { key: "held", label: t("ledger.held"), num: true, format: (v) => num(v, 3) },
            { key: "cost_cny", label: t("ledger.cost_cny"), num: true, format: (v) => num(v, 2) },
            { key: "realised_cny", label: t("ledger.realised_cny"), num: true, format: (v) => num(v, 2) },
            { key: "unrealised_cny", label: t("ledger.unrealised_cny"), num: true, format: (v) => num(v, 2) },
          ],
          rows,
          { testid: "ledger-trades-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-ledger-trades" },
  );
}

function movementsPanel(ctx) {
  return panel(
    "ledger.movements",
    async (body) => {
      const rows = await api.get(`${base(ctx)}/movements`);
      if (!rows.length) return body.append(empty());
      body.append(
        table(
          [
            { key: "id", label: "#", num: true },
            { key: "occurred_on", label: t("ledger.date") },
            { key: "kind", label: t("ledger.kind"), value: (r) => t(`ledger.kind_${r.kind}`) },
            { key: "instrument", label: t("ledger.instrument"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "quantity", label: t("ledger.quantity"), num: true, format: (v) => num(v, 3) },
            { key: "from_account", label: t("ledger.from"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "to_account", label: t("ledger.to"), format: (v) => el("code", { text: v ?? "—" }) },
            { key: "claim", label: t("ledger.claim"), value: (r) => (r.beneficiary ? `${r.beneficiary} · ${r.period}` : r.compliance_year ? String(r.compliance_year) : "—"), format: (v) => el("code", { text: v }) },
            { key: "evidence", label: t("ledger.evidence"), value: (r) => `${r.evidence} · ${r.reference}`, format: (v) => el("code", { text: v }) },
            { key: "audit_seq", label: t("ledger.audit_entry"), num: true },
          ],
          rows.slice(-200).reverse(),
          { testid: "ledger-movements-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-ledger-movements" },
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-carbon-assets" });
  const year = yearSelect(await dataYear(ctx), () => ctx.navigate("carbon_assets"));
  const actions = [year];
  if (ctx.role !== "regulator") {
    const pdf = el("button", { class: "btn small", text: t("ledger.statement_pdf"), "data-testid": "ledger-statement-pdf" });
    pdf.addEventListener("click", () => download(ctx, `${base(ctx)}/statement`, { year: year.value, format: "pdf" }, "statement.pdf", pdf));
    const xlsx = el("button", { class: "btn small", text: t("ledger.statement_xlsx"), "data-testid": "ledger-statement-xlsx" });
    xlsx.addEventListener("click", () => download(ctx, `${base(ctx)}/statement`, { year: year.value, format: "xlsx" }, "statement.xlsx", xlsx));
    actions.push(pdf, xlsx);
  }
  if (ctx.role === "auditor" || ctx.role === "park_admin") {
    const csv = el("button", { class: "btn small", text: t("ledger.export"), "data-testid": "ledger-export" });
    csv.addEventListener("click", () => download(ctx, `${base(ctx)}/export`, {}, "ledger.csv", csv));
    actions.push(csv);
  }
  const subtitle = ctx.isTenant ? "ledger.subtitle_tenant" : ctx.role === "regulator" ? "ledger.subtitle_regulator" : "ledger.subtitle";
  view.append(pageHeader("ledger.title", t(subtitle), ...actions));
  const y = Number(year.value);
  const panels = ctx.role === "regulator"
    ? [positionsPanel(ctx, y)]
    : [
        ...(ctx.isTenant ? [] : [positionsPanel(ctx, y)]),
        compliancePanel(ctx, y),
        holdingsPanel(ctx),
        tradesPanel(ctx),
        movementsPanel(ctx),
      ];
  view.append(el("div", { class: "grid" }, ...panels));
  return view;
}
