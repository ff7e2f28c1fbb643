// Small DOM helpers shared by the pages: elements, panels with loading/empty/unavailable states,
// tables, KPI cards and ECharts charts that follow the page's size and language.
import { t, fmtNumber, locale } from "./i18n.js";

/** Create an element: el("div", {class: "x", onclick}, child, "text", …). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "html") node.innerHTML = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function pageHeader(titleKey, subtitle, ...actions) {
  return el(
    "div",
    { class: "page-header" },
    el("div", {}, el("h1", { text: t(titleKey) }), subtitle ? el("p", { class: "muted", text: subtitle }) : null),
    el("div", { class: "page-actions" }, ...actions),
  );
}

/** A card with a title whose body is filled by ``load(body)``; shows loading, errors and
 * "not available yet" (endpoint missing on this server) instead of inventing data. */
export function panel(titleKey, load, { className = "", testid, extra } = {}) {
  const body = el("div", { class: "panel-body" });
  const card = el(
    "section",
    { class: `card ${className}`, "data-testid": testid, "aria-labelledby": testid ? `${testid}-title` : undefined },
    el("div", { class: "card-head" }, el("h2", { id: testid ? `${testid}-title` : undefined, text: t(titleKey) }), extra || null),
    body,
  );
  const run = async () => {
    body.replaceChildren(el("div", { class: "state loading", text: t("state.loading") }));
    try {
      const before = body.childElementCount;
      await load(body);
      if (body.firstChild?.classList?.contains("loading")) body.firstChild.remove();
      if (!body.childElementCount && before) body.append(empty());
    } catch (error) {
      // A panel the caller may not see is left out, never shown as a red "not allowed" box
      // (menus and pages offer only what a role may do; the browser test fails on any 403).
      if (error?.status === 403) {
        console.warn(`panel ${testid || titleKey} left out: 403 from ${error.path}`);
        card.hidden = true;
        card.dataset.forbidden = "1";
        return;
      }
      body.replaceChildren(errorState(error));
    }
  };
  card.reload = run;
  run();
  return card;
}

export function empty(key = "state.empty") {
  return el("div", { class: "state empty", text: t(key) });
}

export function errorState(error) {
  if (error?.missingEndpoint) {
    return el(
      "div",
      { class: "state unavailable", "data-testid": "unavailable" },
      el("strong", { text: t("state.unavailable") }),
      el("span", { class: "muted", text: t("state.unavailable_detail", { path: `/api/v1${String(error.path).split("?")[0]}` }) }),
    );
  }
  if (error?.status === 403) return el("div", { class: "state empty", "data-testid": "forbidden", text: t("state.empty") });
  console.error(error);
  return el("div", { class: "state error", role: "alert" }, t("state.error"), " ", el("code", { text: error?.message || String(error) }));
}

export function kpi(labelText, value, unit, { testid, hint, unavailable } = {}) {
  return el(
    "div",
    { class: unavailable ? "kpi kpi-unavailable" : "kpi", "data-testid": testid, "data-unavailable": unavailable ? "1" : undefined },
    el("div", { class: "kpi-label", text: labelText }),
    el("div", { class: "kpi-value" }, el("span", { class: "kpi-number", text: value }), unit ? el("span", { class: "kpi-unit", text: unit }) : null),
    hint ? el("div", { class: "kpi-hint muted", text: hint }) : null,
  );
}

/** A table from column specs {key|value(row), label, num, format}. */
export function table(columns, rows, { testid, caption } = {}) {
  if (!rows || !rows.length) return empty();
  const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : "", text: c.label })));
  const body = rows.map((row) =>
    el(
      "tr",
      {},
      columns.map((c) => {
        const raw = c.value ? c.value(row) : row[c.key];
        const shown = c.format ? c.format(raw, row) : c.num ? fmtNumber(raw, c.digits ?? 1) : raw ?? "—";
        return el("td", { class: c.num ? "num" : "", "data-field": c.key || undefined }, shown instanceof Node ? shown : String(shown ?? "—"));
      }),
    ),
  );
  return el(
    "div",
    { class: "table-wrap" },
    el("table", { class: "table", "data-testid": testid }, caption ? el("caption", { class: "sr-only", text: caption }) : null, el("thead", {}, head), el("tbody", {}, body)),
  );
}

export const PALETTE = ["#0f766e", "#f59e0b", "#2563eb", "#dc2626", "#7c3aed", "#0891b2", "#65a30d", "#db2777", "#64748b", "#ea580c", "#4f46e5", "#059669"];

const charts = new Set();
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

/** An ECharts chart in a sized box; ``option`` gets the shared palette and text style. */
export function chart(option, { height = 300, testid, ariaLabel } = {}) {
  const box = el("div", { class: "chart", style: `height:${height}px`, "data-testid": testid, role: "img", "aria-label": ariaLabel || "" });
  requestAnimationFrame(() => {
    if (!window.echarts) {
      box.replaceChildren(errorState(new Error("ECharts not loaded")));
      return;
    }
    const instance = window.echarts.init(box, null, { renderer: "canvas" });
    // Marked once drawn with its animation done (browser tests and screenshots wait for it).
    instance.on("finished", () => {
      box.dataset.drawn = "true";
    });
    instance.setOption({
      color: PALETTE,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      animationDuration: 400,
      ...option,
    });
    charts.add(instance);
    box.chart = instance;
  });
  return box;
}

/** Dispose the charts of the page being left. */
export function disposeCharts() {
  charts.forEach((c) => c.dispose());
  charts.clear();
}

export function toast(message, kind = "info") {
  const node = document.getElementById("toast");
  node.textContent = message;
  node.className = `toast show ${kind}`;
  clearTimeout(node.timer);
  node.timer = setTimeout(() => (node.className = "toast"), 3500);
}

export function segmented(name, options, current, onChange) {
  return el(
    "div",
    { class: "segmented", role: "radiogroup", "aria-label": name },
    options.map(([value, text]) =>
      el("button", {
        type: "button",
        role: "radio",
        "aria-checked": String(value === current),
        class: value === current ? "active" : "",
        "data-value": value,
        text,
        onclick: () => onChange(value),
      }),
    ),
  );
}

/** A local calendar date (YYYY-MM-DD) of ``date`` in ``timezone``. */
export function localDate(date, timezone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** An ECharts axis-label formatter for one axis: every tick in the same unit step, so an axis
 * never mixes "1.2万" and "8000". Ticks are shown in full with grouping (12,000 · 8,000) up to
 * 10⁶; above, divided by 10⁴ (万) in Chinese or 10³ (k)/10⁶ (M) in English, the same for all. */
export function axisNumber(maxAbs) {
  const max = Math.abs(Number(maxAbs) || 0);
  const zh = locale().startsWith("zh");
  let divisor = 1;
  let suffix = "";
  if (max >= 1e8 && zh) [divisor, suffix] = [1e8, "亿"];
  else if (max >= 1e6 && zh) [divisor, suffix] = [1e4, "万"];
  else if (max >= 1e7) [divisor, suffix] = [1e6, "M"];
  else if (max >= 1e6) [divisor, suffix] = [1e3, "k"];
  const format = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 });
  return (value) => `${format.format(Number(value) / divisor)}${value === 0 ? "" : suffix}`;
}

/** Numbers in a formula string as the page's language writes them: ``1.26705e+07`` →
 * ``12,670,500``; plain numbers keep their digits but gain grouping. */
export function formatFormula(text) {
  if (!text) return "";
  const format = new Intl.NumberFormat(locale(), { maximumFractionDigits: 6 });
  return String(text).replace(/\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, (match) => {
    const value = Number(match);
    if (!Number.isFinite(value)) return match;
    if (!/e/i.test(match) && Math.abs(value) < 10000) return match;
    return format.format(value);
  });
}
