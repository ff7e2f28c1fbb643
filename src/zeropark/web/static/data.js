// Where the pages find things in API answers. The API is young; reading through these helpers
// keeps the pages working when a field moves, and keeps every path in one place.
export const paths = {
  park: (p) => `/parks/${enc(p)}`,
  overview: (p) => `/parks/${enc(p)}/overview`,
  energy: (p) => `/parks/${enc(p)}/energy`,
  tenants: (p) => `/parks/${enc(p)}/tenants`,
  buildings: (p) => `/parks/${enc(p)}/buildings`,
  meters: (p) => `/parks/${enc(p)}/meters`,
  readingsUpload: (p) => `/parks/${enc(p)}/readings/upload`,
  activitiesUpload: (p) => `/parks/${enc(p)}/activities/upload`,
  quarantine: (p) => `/parks/${enc(p)}/quarantine`,
  quarantineResubmit: (p) => `/parks/${enc(p)}/quarantine/resubmit`,
  quarantineDismiss: (p) => `/parks/${enc(p)}/quarantine/dismiss`,
  inventory: (p) => `/parks/${enc(p)}/inventory`,
  inventories: (p) => `/parks/${enc(p)}/inventories`,
  indicators: (p) => `/parks/${enc(p)}/indicators`,
  alerts: (p) => `/parks/${enc(p)}/alerts`,
  alert: (p, id, action) => `/parks/${enc(p)}/alerts/${enc(id)}/${action}`,
  report: (p, kind, format) => `/parks/${enc(p)}/reports/${enc(kind)}.${format}`,
  reports: (p) => `/parks/${enc(p)}/reports`,
  users: () => `/users`,
  factorSets: () => `/factor-sets`,
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
