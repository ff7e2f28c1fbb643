// Text, numbers and times in the user's language. Every visible string comes from i18n/*.json.
const STORAGE_KEY = "zeropark.lang";
const LOCALES = { zh: "zh-CN", en: "en-GB" };
let lang = "zh";
let messages = {};
let fallback = {};
let issueMessages = null;
let timezone = "Asia/Shanghai";

async function load(code) {
  const response = await fetch(`/static/i18n/${code}.json`, { cache: "no-cache" });
  return response.json();
}

/** The issue message catalogue (reason code → {zh, en}), written from the server's one
 * catalogue (zeropark.domain.issue_messages) by scripts/gen_issue_messages.py. */
async function loadIssueMessages() {
  try {
    const response = await fetch("/static/i18n/issues.json", { cache: "no-cache" });
    issueMessages = response.ok ? await response.json() : {};
  } catch {
    issueMessages = {};
  }
}

/** The stored language, else the browser's (Chinese or English), else Chinese. */
export function initialLang() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "zh" || stored === "en") return stored;
  return (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export async function setLang(code) {
  lang = code === "en" ? "en" : "zh";
  localStorage.setItem(STORAGE_KEY, lang);
  messages = await load(lang);
  if (!Object.keys(fallback).length) fallback = lang === "en" ? messages : await load("en");
  if (issueMessages === null) await loadIssueMessages();
  document.documentElement.lang = LOCALES[lang];
  applyStatic(document);
}

export function getLang() {
  return lang;
}

export function locale() {
  return LOCALES[lang];
}

export function setTimezone(tz) {
  if (tz) timezone = tz;
}

export function getTimezone() {
  return timezone;
}

function lookup(table, key) {
  return key.split(".").reduce((node, part) => (node == null ? undefined : node[part]), table);
}

/** The text for ``key`` with ``{name}`` placeholders filled; the key itself when missing. */
export function t(key, params = {}) {
  let text = lookup(messages, key);
  if (typeof text !== "string") text = lookup(fallback, key);
  if (typeof text !== "string") return key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** An issue's reason in the page's language: its reason code's template filled with its
 * parameters (the same rule as the server's); the server's ``reason`` when the code or one of
 * the template's parameters is unknown (older quarantine rows have neither). */
export function issueReason(issue) {
  const params = issue?.params;
  const template = issue?.reason_code ? issueMessages?.[issue.reason_code]?.[lang] : undefined;
  if (typeof template === "string" && params && typeof params === "object") {
    let missing = false;
    const text = template.replace(/\{(\w+)\}/g, (_, name) => {
      if (!(name in params)) {
        missing = true;
        return "";
      }
      return params[name] == null ? "" : paramText(params[name]);
    });
    if (!missing) return text;
  }
  return issue?.reason ?? params?.detail ?? issue?.code ?? "";
}

/** A moment with its offset (the server's times in issues are UTC: ``2024-12-31T16:30:00Z``). */
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A parameter of an issue as shown: a moment in the park's time zone (to the second when it
 * has seconds: a reading off the grid), anything else as it is. */
function paramText(value) {
  const text = String(value);
  if (!MOMENT.test(text)) return text;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return dateTimeText(date, Boolean(date.getUTCSeconds() || date.getUTCMilliseconds()));
}

/** A label for a code (carrier, category, scope…), falling back to the code. */
export function label(group, code) {
  if (code == null) return "";
  const text = lookup(messages, `codes.${group}.${code}`) ?? lookup(fallback, `codes.${group}.${code}`);
  return typeof text === "string" ? text : String(code).replaceAll("_", " ");
}

/** Fill elements marked with data-i18n (text), data-i18n-aria (aria-label), data-i18n-placeholder. */
export function applyStatic(root) {
  root.querySelectorAll("[data-i18n]").forEach((node) => {
    node.textContent = t(node.dataset.i18n);
  });
  root.querySelectorAll("[data-i18n-aria]").forEach((node) => {
    node.setAttribute("aria-label", t(node.dataset.i18nAria));
  });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
    node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
  });
}

export function fmtNumber(value, digits = 1) {
  if (value == null || Number.isNaN(Number(value))) return "—";
  return new Intl.NumberFormat(locale(), {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  }).format(Number(value));
}

export function fmtPercent(share, digits = 1) {
  if (share == null || Number.isNaN(Number(share))) return "—";
  return new Intl.NumberFormat(locale(), {
    style: "percent",
    maximumFractionDigits: digits,
  }).format(Number(share));
}

function toDate(value) {
  if (value == null || value === "") return null;
  if (typeof value === "number") return new Date(value < 1e12 ? value * 1000 : value);
  // A date-time without an offset from the API is UTC (the server stores UTC), never the
  // browser's zone: without the "Z", Date would read it as the browser's local time.
  const text = String(value);
  const naive = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const date = new Date(naive ? `${text.replace(" ", "T")}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date as date and time in the park's timezone, to the minute (``seconds``: the second). */
function dateTimeText(date, seconds = false) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hour12: false,
  }).format(date);
}

/** A timestamp as date and time in the park's timezone. */
export function fmtDateTime(value) {
  const date = toDate(value);
  if (!date) return value == null ? "—" : String(value);
  return dateTimeText(date);
}

export function fmtDate(value) {
  const date = toDate(value);
  if (!date) return value == null ? "—" : String(value);
  return new Intl.DateTimeFormat(locale(), {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

/** An axis label for a period bucket: hour, day or month, in the park's timezone. */
export function fmtBucket(value, interval) {
  const date = toDate(value);
  if (!date) return value == null ? "" : String(value);
  const options = { timeZone: timezone, hour12: false };
  if (interval === "hour") Object.assign(options, { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  else if (interval === "month") Object.assign(options, { year: "numeric", month: "short" });
  else Object.assign(options, { month: "2-digit", day: "2-digit" });
  return new Intl.DateTimeFormat(locale(), options).format(date);
}
