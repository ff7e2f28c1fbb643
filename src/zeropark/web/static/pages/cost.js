// Cost (费用): the month's energy cost by time-of-use band, by carrier and by tenant, the
// reconciliation (supplier cost = tenants' bills + park-retained cost) and the tenant bills as
// PDF/xlsx. A tenant sees its own bill only; a regulator the park's aggregated cost only.
import { api } from "../api.js";
import { dataYear } from "../data.js";
import { fmtNumber, getLang, locale, t } from "../i18n.js";
import { chart, el, empty, kpi, pageHeader, panel, table, toast } from "../ui.js";

const enc = encodeURIComponent;
const monthPath = (park, month) => `/parks/${enc(park)}/billing/${enc(month)}`;
const billPath = (park, month, tenant) => `${monthPath(park, month)}/bills/${enc(tenant)}`;
// Money always with two decimals (the fen), prices with four: a bill's figures line up.
const fixed = (v, digits) => (v === null || v === undefined ? "—" : new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v));
const money = (v) => fixed(v, 2);
const price = (v) => (v === null || v === undefined ? "" : fixed(v, 4));
const name = (row, zh = "label_zh", en = "label_en") => (getLang() === "zh" ? row[zh] : row[en] || row[zh]);

function defaultMonth(year) {
  const now = new Date();
  if (year >= now.getFullYear()) {
    const m = Math.max(1, now.getMonth());
    return `${now.getFullYear()}-${String(m).padStart(2, "0")}`;
  }
  return `${year}-12`;
}

async function download(ctx, month, tenant, format, button) {
  button.disabled = true;
  try {
    const response = await api.raw(billPath(ctx.parkId, month, tenant), { format, lang: getLang() });
    const blob = await response.blob();
    const file = `${ctx.parkId}-${tenant}-${month}-bill.${format}`;
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: file });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
    toast(t("cost.downloaded", { name: file }));
  } catch (error) {
    toast(`${t("state.error")} ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

function downloads(ctx, month, tenant) {
  return el(
    "span",
    { class: "dl-actions" },
    ["pdf", "xlsx"].map((format) => {
      const button = el("button", { type: "button", class: "btn btn-small", "data-testid": `bill-${tenant}-${format}`, text: `⬇ ${format.toUpperCase()}` });
      button.addEventListener("click", () => download(ctx, month, tenant, format, button));
      return button;
    }),
  );
}

function bandPanel(doc) {
  return panel(
    "cost.by_band",
    async (body) => {
      if (!doc.by_band.length) {
        body.append(empty());
        return;
      }
      body.append(
        chart(
          {
            tooltip: { trigger: "axis" },
            grid: { left: 70, right: 70, top: 30, bottom: 30 },
            legend: { top: 0 },
            xAxis: { type: "category", data: doc.by_band.map((b) => name(b)) },
            yAxis: [
              { type: "value", name: t("cost.kwh") },
              { type: "value", name: t("cost.cny") },
            ],
            series: [
              { name: t("cost.kwh"), type: "bar", data: doc.by_band.map((b) => b.kwh) },
              { name: t("cost.amount"), type: "bar", yAxisIndex: 1, data: doc.by_band.map((b) => b.amount_cny) },
            ],
          },
          { height: 240, testid: "chart-by-band", ariaLabel: t("cost.by_band") },
        ),
      );
      body.append(
        table(
          [
            { key: "band", label: t("cost.band"), value: (r) => name(r) },
            { key: "kwh", label: t("cost.kwh"), num: true, digits: 0 },
            { key: "price_cny", label: t("cost.price"), num: true, format: price },
            { key: "amount_cny", label: t("cost.amount"), num: true, format: money },
          ],
          doc.by_band,
          { testid: "table-by-band" },
        ),
      );
    },
    { testid: "panel-by-band" },
  );
}

function billPanel(ctx, doc) {
  const bill = doc.bill;
  return panel(
    "cost.my_bill",
    async (body) => {
      if (!bill) {
        body.append(empty());
        return;
      }
      body.append(
        table(
          [
            { key: "label", label: t("cost.item"), value: (r) => name(r) },
            { key: "quantity", label: t("cost.quantity"), num: true, digits: 1 },
            { key: "unit", label: t("cost.unit"), format: (v) => v || "" },
            { key: "price_cny", label: t("cost.price"), num: true, format: price },
            { key: "share", label: t("cost.share"), format: (v) => (v === null ? "" : `${fmtNumber(v * 100, 1)} %`) },
            { key: "amount_cny", label: t("cost.amount"), num: true, format: money },
          ],
          bill.lines,
          { testid: "table-bill-lines" },
        ),
      );
      body.append(
        table(
          [
            { key: "section", label: t("cost.section"), value: (r) => name(r) },
            { key: "subtotal_cny", label: t("cost.subtotal"), num: true, format: money },
            { key: "vat_rate", label: t("cost.vat_rate"), format: (v) => `${fmtNumber(v * 100, 0)} %` },
            { key: "vat_cny", label: t("cost.vat"), num: true, format: money },
            { key: "total_cny", label: t("cost.total"), num: true, format: money },
          ],
          bill.sections,
          { testid: "table-bill-sections" },
        ),
      );
    },
    { testid: "panel-bill", extra: bill ? downloads(ctx, doc.month, bill.tenant_id) : null },
  );
}

function tenantsPanel(ctx, doc) {
  return panel(
    "cost.by_tenant",
    async (body) => {
      body.append(
        table(
          [
            { key: "name", label: t("cost.tenant"), value: (r) => name(r, "name", "name_en") },
            { key: "electricity_kwh", label: t("cost.kwh"), num: true, digits: 0 },
            ...["electricity", "onsite_pv", "natural_gas", "water", "heat"].map((code) => ({
              key: code,
              label: t(`cost.sections.${code}`),
              num: true,
              value: (r) => r.sections.find((s) => s.section === code)?.total_cny ?? null,
              format: (v) => (v === null ? "—" : money(v)),
            })),
            { key: "total_cny", label: t("cost.total"), num: true, format: money },
            { key: "tenant_id", label: t("cost.bill"), format: (v) => downloads(ctx, doc.month, v) },
          ],
          doc.tenants,
          { testid: "table-by-tenant" },
        ),
      );
    },
    { testid: "panel-by-tenant" },
  );
}

function supplierPanel(doc) {
  return panel(
    "cost.suppliers",
    async (body) => {
      const r = doc.reconciliation;
      body.append(
        el(
          "div",
          { class: "kpis" },
          kpi(t("cost.supplier_total"), money(r.supplier_total_cny), t("cost.cny"), { testid: "kpi-supplier" }),
          kpi(t("cost.tenants_total"), money(r.tenants_total_cny), t("cost.cny"), { testid: "kpi-tenants" }),
          kpi(t("cost.retained_total"), money(r.retained_total_cny), t("cost.cny"), { testid: "kpi-retained" }),
          kpi(t("cost.difference"), money(r.difference_cny), t("cost.cny"), { testid: "kpi-difference" }),
        ),
      );
      const retained = Object.fromEntries(doc.retained.map((s) => [s.section, s.total_cny]));
      body.append(
        table(
          [
            { key: "section", label: t("cost.section"), value: (s) => name(s) },
            { key: "subtotal_cny", label: t("cost.subtotal"), num: true, format: money },
            { key: "vat_cny", label: t("cost.vat"), num: true, format: money },
            { key: "total_cny", label: t("cost.total"), num: true, format: money },
            { key: "retained", label: t("cost.retained"), num: true, value: (s) => retained[s.section] ?? null, format: (v) => money(v) },
          ],
          doc.suppliers,
          { testid: "table-suppliers" },
        ),
      );
      body.append(el("p", { class: "footnote muted", text: t("cost.reconciliation_note", { pv: money(r.pv_sales_cny) }) }));
    },
    { testid: "panel-suppliers" },
  );
}

export async function render(ctx) {
  const view = el("div", { class: "page page-cost" });
  const input = el("input", { type: "month", class: "input", "data-testid": "cost-month", "aria-label": t("cost.month") });
  input.value = defaultMonth(await dataYear(ctx));
  const subtitle = ctx.isTenant ? "cost.subtitle_tenant" : ctx.role === "regulator" ? "cost.subtitle_regulator" : "cost.subtitle";
  view.append(pageHeader("cost.title", t(subtitle), input));
  const content = el("div", { class: "cost-content" });
  view.append(content);
  async function load() {
    content.replaceChildren(el("p", { class: "muted", text: t("state.loading") }));
    let doc;
    try {
      doc = await api.get(monthPath(ctx.parkId, input.value));
    } catch (error) {
      content.replaceChildren(el("p", { class: "muted", "data-testid": "cost-unavailable", text: error.status === 422 ? t("cost.no_tariffs") : `${t("state.error")} ${error.message}` }));
      return;
    }
    content.replaceChildren();
    if (!doc.has_data) content.append(el("p", { class: "muted", "data-testid": "cost-no-data", text: t("state.empty") }));
    if (doc.scope === "tenant") {
      if (doc.bill) {
        content.append(
          el(
            "div",
            { class: "kpis" },
            kpi(t("cost.bill_total"), money(doc.bill.total_cny), t("cost.cny"), { testid: "kpi-bill-total" }),
            kpi(t("cost.vat"), money(doc.bill.vat_cny), t("cost.cny"), { testid: "kpi-bill-vat" }),
          ),
        );
      }
      content.append(billPanel(ctx, doc));
      content.append(bandPanel(doc));
    } else {
      content.append(supplierPanel(doc));
      content.append(bandPanel(doc));
      if (doc.scope === "park") content.append(tenantsPanel(ctx, doc));
      else content.append(el("p", { class: "footnote muted", "data-testid": "cost-aggregate-note", text: t("cost.aggregate_note") }));
    }
    const note = getLang() === "zh" ? doc.note : doc.note_en || doc.note;
    if (note) content.append(el("p", { class: "footnote muted", "data-testid": "cost-tariff-note", text: `${t("cost.tariff_note")}${getLang() === "zh" ? "：" : ": "}${note}` }));
  }
  input.addEventListener("change", load);
  await load();
  return view;
}
