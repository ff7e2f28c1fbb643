import { locale, t } from "./i18n.js";

// Where the pages find things in API answers. The API is young; reading through these helpers
// keeps the pages working when a field moves, and keeps every path in one place.
export const paths = {
  park: (p) => `/parks/${enc(p)}`,
  overview: (p) => `/parks/${enc(p)}/overview`,
  energy: (p) => `/parks/${enc(p)}/energy`,
  energyTou: (p) => `/parks/${enc(p)}/energy/tou`, // ?start=&end= (park-local midnights) &bucket=total|day|month
  tenants: (p) => `/parks/${enc(p)}/tenants`,
  buildings: (p) => `/parks/${enc(p)}/buildings`,
  meters: (p) => `/parks/${enc(p)}/meters`,
  readingsUpload: (p) => `/parks/${enc(p)}/readings/upload`,
  activitiesUpload: (p) => `/parks/${enc(p)}/activities/upload`,
  quarantine: (p) => `/parks/${enc(p)}/quarantine`,
  quarantineResubmit: (p) => `/parks/${enc(p)}/quarantine/resubmit`,
  quarantineDismiss: (p) => `/parks/${enc(p)}/quarantine/dismiss`,
  inventory: (p) => `/parks/${enc(p)}/inventory`,
  inventoryMonthly: (p) => `/parks/${enc(p)}/inventory/monthly`, // ?year=&tenant_id=
  inventories: (p) => `/parks/${enc(p)}/inventories`,
  indicators: (p) => `/parks/${enc(p)}/indicators`,
  alerts: (p) => `/parks/${enc(p)}/alerts`,
  alertsCheck: (p) => `/parks/${enc(p)}/alerts/check`,
  alert: (p, id, action) => `/parks/${enc(p)}/alerts/${enc(id)}/${action}`, // acknowledge | resolve
  report: (p, kind) => `/parks/${enc(p)}/reports/${enc(kind)}`, // ?year=&format=xlsx|pdf&tenant_id=
  readings: (p, meter) => `/parks/${enc(p)}/readings/${enc(meter)}`, // ?start=&end=&interval=
  users: () => `/users`,
};

function enc(value) {
  return encodeURIComponent(value);
}

/** The first defined value among dotted ``keys`` of ``obj``. */
export function pick(obj, ...keys) {
  for (const key of keys) {
    const value = key.split(".").reduce((node, part) => (node == null ? undefined : node[part]), obj);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/** A list from an answer that is a list or wraps one ({items: […]}, {rows: […]}, …). */
export function list(answer, ...keys) {
  if (Array.isArray(answer)) return answer;
  for (const key of [...keys, "items", "rows", "data", "results"]) {
    if (Array.isArray(answer?.[key])) return answer[key];
  }
  return [];
}

let cachedYear;
/** The year the pages show by default: the year of the park's newest data (the overview's
 * ``year``), else the current calendar year. Kept per page load; a choice made in a year
 * picker is kept in sessionStorage. */
export async function dataYear(ctx) {
  const chosen = sessionStorage.getItem("zeropark.year");
  if (chosen) return Number(chosen);
  if (cachedYear) return cachedYear;
  cachedYear = new Date().getFullYear();
  try {
    const { api } = await import("./api.js");
    const overview = await api.get(paths.overview(ctx.parkId));
    // The overview answers for the year of the newest data ("year", "day").
    const year = Number(pick(overview, "year") ?? String(pick(overview, "day") ?? "").slice(0, 4));
    if (year > 2000) cachedYear = year;
  } catch {
    /* the current year */
  }
  return cachedYear;
}

/** Query parameters that scope a request to the caller's tenant (a tenant reads its own
 * inventory and reports with ``tenant_id``; park-wide answers are refused to it). */
export function tenantScope(ctx) {
  return ctx.isTenant && ctx.tenantId ? { tenant_id: ctx.tenantId } : {};
}

/** An error a panel shows as "not available yet", naming what the server lacks. */
export function notProvided(what) {
  return Object.assign(new Error(what), { missingEndpoint: true, path: what });
}

/** A labelled year picker (this year and four before); remembers the choice for the session. */
export function yearSelect(current, onChange) {
  const now = new Date().getFullYear();
  const years = new Set([current, now, now - 1, now - 2, now - 3, now - 4]);
  const select = document.createElement("select");
  select.id = "year-select";
  select.dataset.testid = "year-select";
  [...years].sort((a, b) => b - a).forEach((y) => select.append(new Option(String(y), String(y))));
  select.value = String(current);
  select.addEventListener("change", () => {
    sessionStorage.setItem("zeropark.year", select.value);
    onChange(Number(select.value));
  });
  const wrap = document.createElement("label");
  wrap.className = "field field-inline";
  const text = document.createElement("span");
  text.textContent = t("common.year");
  wrap.append(text, select);
  wrap.value = select.value;
  Object.defineProperty(wrap, "value", { get: () => select.value });
  return wrap;
}

/** A park-local month ("2024-03") in the page's language ("Mar 2024", "2024年3月"; without the
 * year: "Mar", "3月"). */
export function monthLabel(value, { year = true } = {}) {
  const match = /^(\d{4})-(\d{2})$/.exec(String(value ?? ""));
  if (!match) return String(value ?? "");
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  const options = { timeZone: "UTC", month: "short", ...(year ? { year: "numeric" } : {}) };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

/** ``YYYY-MM-DDT00:00:00+hh:mm``: the park-local midnight of a date (the offset of that day). */
export function localMidnight(day, timezone) {
  return `${day}T00:00:00${tzOffset(timezone, new Date(`${day}T12:00:00Z`))}`;
}

/** The UTC offset ("+08:00") of ``timezone`` at ``date``, for query times the API requires. */
export function tzOffset(timezone, date = new Date()) {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value;
    const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(part || "");
    if (match) return `${match[1]}:${match[2] || "00"}`;
  } catch {
    /* below */
  }
  return "+00:00";
}

/** An accounting period in the page's language: ``2024`` as it is, ``2024-03`` as a month
 * (monthLabel), ``2024-Q1`` as "2024年第1季度" / "Q1 2024". */
export function periodLabel(value) {
  const text = String(value ?? "");
  const quarter = /^(\d{4})-Q([1-4])$/.exec(text);
  if (quarter) return t("common.quarter", { year: quarter[1], q: quarter[2] });
  if (/^\d{4}-\d{2}$/.test(text)) return monthLabel(text);
  return text || "—";
}
