// The zero-carbon scorecard (零碳园区指标看板): every indicator of the park (or a tenant) for a
// live or stated period, with threshold, state and the gap in physical terms; indicator system
// selectable; the diagnosis report download (park administrators and auditors).
import { api } from "../api.js";
import { fmtNumber, fmtPercent, getLang, t } from "../i18n.js";
import { el, empty, table, toast } from "../ui.js";

const SYSTEMS = ["national", "hunan_2027", "hunan_2030", "hunan_2035"];
const BADGE = { pass: "pass", fail: "fail", undetermined: "info" };
const zh = () => getLang() === "zh";

function select(name, options, value) {
  const box = el("select", { name, "data-testid": `scorecard-${name}` });
  for (const [code, text] of options) box.append(el("option", { value: code, text, selected: code === value ? "" : undefined }));
  box.value = value;
  return box;
}

/** A unit as the reader's language writes it (万元 is "10k CNY" in English). */
const unitText = (unit) => (zh() ? unit : unit.replace("万元", "10k CNY"));

function valueText(e) {
  if (e.value == null) return t("dual.reason_no_data");
  return e.unit === "%" ? fmtPercent(e.value) : `${fmtNumber(e.value, Math.abs(e.value) < 10 ? 3 : 1)} ${unitText(e.unit)}`;
}

function thresholdText(e) {
  if (e.threshold == null) return "—";
  return `${e.comparison} ${e.unit === "%" ? fmtPercent(e.threshold, 0) : fmtNumber(e.threshold, 2)}`;
}

function stateCell(e) {
  if (!e.state) return "—";
  const reason = e.reason ? ` (${t(`dual.reason_${e.reason}`)})` : "";
  return el("span", { class: `badge ${BADGE[e.state]}`, "data-state": e.state, text: t(`dual.${e.state}`) + reason });
}

async function download(ctx, year, format, button) {
  button.disabled = true;
  try {
    const response = await api.raw(`/parks/${encodeURIComponent(ctx.parkId)}/reports/diagnosis`, { year, format });
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `${ctx.parkId}-${year}-diagnosis.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  } catch (error) {
    toast(`${t("state.error")} ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

/** The scorecard panel body: selectors, the table of indicators, the diagnosis download. */
export async function scorecardPanel(body, ctx, year) {
  const period = select("period", [["year", t("dual.year")], ["month", t("dual.month")], ["today", t("dual.today")], [String(year), String(year)]], String(year));
  const system = select("system", SYSTEMS.map((s) => [s, s === "national" ? (zh() ? "国家（试行）" : "national (trial)") : s.replace("hunan_", zh() ? "湖南 " : "Hunan ")]), "national");
  const holder = el("div", { "data-testid": "scorecard" });
  const tools = el("div", { class: "toolbar" }, el("label", {}, `${t("dual.period")} `, period), " ", el("label", {}, `${t("dual.system")} `, system));
  if (ctx.role === "park_admin" || ctx.role === "auditor") {
    for (const format of ["pdf", "xlsx"]) {
      const button = el("button", { type: "button", class: "btn", "data-testid": `diagnosis-${format}`, text: `⬇ ${t("dual.diagnosis")} ${format.toUpperCase()}` });
      button.addEventListener("click", () => download(ctx, year, format, button));
      tools.append(" ", button);
    }
  }
  body.append(tools, holder);
  const load = async () => {
    holder.replaceChildren(el("p", { class: "muted", text: "…" }));
    const params = { period: period.value, system: system.value };
    if (ctx.isTenant && ctx.tenantId) params.tenant_id = ctx.tenantId;
    let card;
    try {
      card = await api.get(`/parks/${encodeURIComponent(ctx.parkId)}/scorecard`, params);
    } catch (error) {
      holder.replaceChildren(el("p", { class: "muted", text: `${t("state.error")} ${error.message}` }));
      return;
    }
    if (!card.entries?.length) return holder.replaceChildren(empty());
    const columns = [
      { key: "label", label: t("dual.indicator"), value: (r) => (zh() ? r.label_zh : r.label_en) },
      { key: "value", label: t("dual.value"), num: true, format: (_, r) => valueText(r) },
      { key: "threshold", label: t("dual.threshold"), format: (_, r) => thresholdText(r) },
      { key: "state", label: t("dual.state"), format: (_, r) => stateCell(r) },
      { key: "gap", label: t("dual.gap"), value: (r) => (zh() ? r.gap_zh : r.gap_en) || "—" },
    ];
    holder.replaceChildren(
      el("p", { class: "muted", text: `${(zh() ? card.entity_name : card.entity_name_en) || card.entity_id} · ${card.period.label} · ${zh() ? card.system.name_zh : card.system.name_en} · ${t("dual.coverage", { value: fmtPercent(card.coverage) })}` }),
      table(columns, card.entries.filter((e) => e.group !== "operating"), { testid: "scorecard-table" }),
      el("h3", { text: t("dual.operating") }),
      table(columns.slice(0, 2), card.entries.filter((e) => e.group === "operating"), { testid: "operating-table" }),
    );
  };
  period.addEventListener("change", load);
  system.addEventListener("change", load);
  await load();
}
