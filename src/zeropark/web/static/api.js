// The one client of /api/v1: bearer token, JSON, and errors the pages can show.
import { getLang } from "./i18n.js";

const BASE = "/api/v1";
const TOKEN_KEY = "zeropark.session";

export class ApiError extends Error {
  constructor(status, detail, path, errors = null) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
    this.path = path;
    /** problem+json ``errors``: the issues (code, source, location, field, value, reason_code,
     * params, reason), when the answer lists them. */
    this.errors = Array.isArray(errors) ? errors : null;
  }

  /** The route does not exist on this server (FastAPI's bare 404/405), not a missing record. */
  get missingEndpoint() {
    return (this.status === 404 && this.detail === "Not Found") || this.status === 405 || this.status === 501;
  }
}

export function session() {
  try {
    const stored = JSON.parse(localStorage.getItem(TOKEN_KEY) || "null");
    if (!stored) return null;
    if (stored.expires_at && new Date(stored.expires_at).getTime() < Date.now()) {
      localStorage.removeItem(TOKEN_KEY);
      return null;
    }
    return stored;
  } catch {
    return null;
  }
}

export function saveSession(value) {
  if (value) localStorage.setItem(TOKEN_KEY, JSON.stringify(value));
  else localStorage.removeItem(TOKEN_KEY);
}

let onUnauthorised = () => {};
export function setUnauthorisedHandler(handler) {
  onUnauthorised = handler;
}

function query(params) {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return entries.length ? `?${new URLSearchParams(entries)}` : "";
}

async function request(method, path, { params, body, form, raw } = {}) {
  // The page's language, so the server's texts (problem details, issue reasons) are in it too.
  const headers = { Accept: "application/json", "Accept-Language": getLang() };
  const current = session();
  if (current?.token) headers.Authorization = `Bearer ${current.token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const url = `${BASE}${path}${query(params)}`;
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload });
  } catch (error) {
    throw new ApiError(0, String(error), path);
  }
  if (response.status === 401 && !path.startsWith("/auth/login")) {
    saveSession(null);
    onUnauthorised();
  }
  if (!response.ok) {
    let detail = response.statusText;
    let errors = null;
    try {
      const data = await response.json();
      detail = data.detail ?? data.message ?? data;
      errors = data.errors ?? null;
    } catch {
      /* not JSON */
    }
    throw new ApiError(response.status, detail, path, errors);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const api = {
  get: (path, params) => request("GET", path, { params }),
  post: (path, body, params) => request("POST", path, { body, params }),
  patch: (path, body, params) => request("PATCH", path, { body, params }),
  del: (path, params) => request("DELETE", path, { params }),
  upload: (path, form, params) => request("POST", path, { form, params }),
  raw: (path, params) => request("GET", path, { params, raw: true }),
};
