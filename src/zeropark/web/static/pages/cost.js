// Cost (费用): the month's energy cost by time-of-use band, by carrier and by tenant, the
// reconciliation (supplier cost = tenants' bills + park-retained cost) and the tenant bills as
// PDF/xlsx. A tenant sees its own bill only; a regulator the park's aggregated cost only.
// Each bill is issued (frozen as issued: version, when, by whom, and the difference to the
// bill recomputed now) or a draft (computed now); park admins issue a month's bills here.
import { api } from "../api.js";
import { dataYear } from "../data.js";
import { fmtDateTime, fmtNumber, getLang, locale, t } from "../i18n.js";
import { chart, el, empty, kpi, pageHeader, panel, table, toast } from "../ui.js";

const enc = encodeURIComponent;
const monthPath = (park, month) => `/parks/${enc(park)}/billing/${enc(month)}`;
const billPath = (park, month, tenant) => `${monthPath(park, month)}/bills/${enc(tenant)}`;
// Money always with two decimals (the fen), prices with four: a bill's figures line up.
const fixed = (v, digits) => (v === null || v === undefined ? "—" : new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v));
const money = (v) => fixed(v, 2);
const price = (v) => (v === null || v === undefined ? "" : fixed(v, 4));
const name = (row, zh = "label_zh", en = "label_en") => (getLang() === "zh" ? row[zh] : row[en] || row[zh]);
const signed = (v) => (v > 0 ? `+${money(v)}` : money(v));
const drifted = (issue) => Boolean(issue && issue.difference_cny);
const statusText = (status) => ({ issued: t("cost.status_issued"), partial: t("cost.status_partial"), draft: t("cost.status_draft") })[status];
/** A tenant row's status: a badge "Issued · version n" (when and by whom on hover) or "Draft". */
function statusBadge(row) {
  const issue = row.issue;
  if (!issue) return el("span", { class: "badge", text: t("cost.status_draft") });
  const text = `${t("cost.status_issued")} · ${t("cost.version", { version: issue.version })}`;
  const title = `${t("cost.issued_line", { version: issue.version, at: fmtDateTime(issue.issued_at) })} ${issue.issued_by}`;
  return el("span", { class: "badge published", title, text });
}

/** What a month's status means (one sentence), for the park's and the regulator's view. */
function monthText(doc, issued, total) {
  if (doc.status === "partial") return t("cost.month_partial", { issued, total });
  return doc.status === "issued" ? t("cost.month_issued") : t("cost.month_draft");
}

/** A bill's status line: issued (version, when, by whom; why; the difference to now) or draft. */
function billStatus(bill) {
  const issue = bill.issue;
  if (!issue) return el("p", { class: "muted", "data-testid": "bill-status", "data-status": "draft", text: t("cost.bill_draft") });
  const line = el(
    "div",
    { class: "bill-status", "data-testid": "bill-status", "data-status": "issued" },
    el("p", {}, `${t("cost.issued_line", { version: issue.version, at: fmtDateTime(issue.issued_at) })} `, el("code", { text: issue.issued_by })),
  );
  if (issue.reason) line.append(el("p", { class: "muted", text: t("cost.reason_line", { reason: issue.reason }) }));
  if (drifted(issue)) {
    line.append(el("p", { class: "drift-warning", "data-testid": "bill-drift", text: t("cost.drift", { now: money(issue.recomputed_total_cny), diff: signed(issue.difference_cny) }) }));
  } else if (issue.recomputed_total_cny !== null) {
    line.append(el("p", { class: "muted", text: t("cost.no_drift") }));
  }
  return line;
}

/** The month's status, the bills whose data changed since they were issued, and for park
 * admins the issue and re-issue actions. */
function statusPanel(ctx, doc, reload) {
  const box = el("div", { class: "card cost-status", "data-testid": "cost-status", "data-status": doc.status });
  const issuedRows = doc.tenants.filter((r) => r.status === "issued");
  box.append(el("p", {}, el("strong", { text: `${statusText(doc.status)} · ` }), monthText(doc, issuedRows.length, doc.tenants.length)));
  const drifts = issuedRows.filter((r) => drifted(r.issue)).length;
  if (drifts) box.append(el("p", { class: "drift-warning", "data-testid": "cost-drift", text: t("cost.drift_count", { count: drifts }) }));
  if (ctx.role !== "park_admin" || !doc.has_data) return box;
  const actions = el("div", { class: "page-actions" });
  const issue = async (button, body) => {
    button.disabled = true;
    try {
      let count = 0;
      if (body) count = (await api.post(`${monthPath(ctx.parkId, doc.month)}/issue`, body)).length;
      else {
        for (const row of doc.tenants.filter((r) => r.status !== "issued")) {
          count += (await api.post(`${monthPath(ctx.parkId, doc.month)}/issue`, { tenant_id: row.tenant_id })).length;
        }
      }
      toast(t("cost.issued_toast", { count }));
      await reload();
    } catch (error) {
      toast(`${t("state.error")} ${error.message}`, "error");
      button.disabled = false;
    }
  };
  if (doc.status !== "issued") {
    const button = el("button", { type: "button", class: "btn", "data-testid": "cost-issue", text: t(doc.status === "draft" ? "cost.issue" : "cost.issue_rest") });
    button.addEventListener("click", () => issue(button, doc.status === "draft" ? {} : null));
    actions.append(button);
  }
  if (doc.status !== "draft") {
    const reason = el("input", { type: "text", class: "input", maxlength: 2000, "data-testid": "cost-reissue-reason", placeholder: t("cost.reissue_reason"), "aria-label": t("cost.reissue_reason") });
    const button = el("button", { type: "button", class: "btn btn-small", "data-testid": "cost-reissue", text: t("cost.reissue") });
    button.addEventListener("click", () => {
      if (!reason.value.trim()) {
        toast(t("cost.reissue_needs_reason"), "error");
        return;
      }
      issue(button, { reissue: true, reason: reason.value.trim() });
    });
    actions.append(reason, button);
  }
  box.append(actions);
  return box;
}

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
      body.append(billStatus(bill));
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
            {
              key: "status",
              label: t("cost.status"),
              format: (_v, r) => statusBadge(r),
            },
            // The bill recomputed now and the difference, beside the issued figure (only when
            // the data changed since a bill was issued).
            ...(doc.tenants.some((r) => drifted(r.issue))
              ? [
                  { key: "recomputed", label: t("cost.recomputed_now"), num: true, value: (r) => (drifted(r.issue) ? r.issue.recomputed_total_cny : null), format: (v) => (v === null ? "—" : money(v)) },
                  { key: "difference", label: t("cost.difference_now"), num: true, value: (r) => (drifted(r.issue) ? r.issue.difference_cny : null), format: (v) => (v === null ? "—" : signed(v)) },
                ]
              : []),
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
  let loads = 0;
  async function load() {
    const ticket = ++loads; // an answer to an older request (another month) is dropped
    content.replaceChildren(el("p", { class: "muted", text: t("state.loading") }));
    let doc;
    try {
      doc = await api.get(monthPath(ctx.parkId, input.value));
    } catch (error) {
      if (ticket !== loads) return;
      content.replaceChildren(el("p", { class: "muted", "data-testid": "cost-unavailable", text: error.status === 422 ? t("cost.no_tariffs") : `${t("state.error")} ${error.message}` }));
      return;
    }
    if (ticket !== loads) return;
    content.replaceChildren();
    content.dataset.month = doc.month;
    if (!doc.has_data) content.append(el("p", { class: "muted", "data-testid": "cost-no-data", text: t("state.empty") }));
    if (doc.scope === "park") content.append(statusPanel(ctx, doc, load));
    else if (doc.scope === "aggregate") {
      const text = { issued: `${statusText("issued")} · ${t("cost.month_issued")}`, partial: statusText("partial"), draft: t("cost.bill_draft") }[doc.status];
      content.append(el("p", { class: "muted", "data-testid": "cost-status", "data-status": doc.status, text }));
    }
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
