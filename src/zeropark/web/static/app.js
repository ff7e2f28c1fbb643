// The shell: session, language, role-aware navigation and hash routes (#/overview, #/energy, …).
import { api, saveSession, session, setUnauthorisedHandler } from "./api.js";
import { applyStatic, getLang, initialLang, label, setLang, setTimezone, t } from "./i18n.js";
import { disposeCharts, el, errorState } from "./ui.js";

/** Roles of the dashboard (DESIGN.md §1); gateways have no pages. */
const READERS = ["park_admin", "tenant", "regulator", "auditor"];

/** The menu, in order: one entry per page — its route id, icon, the roles that may use it and
 * its module. A role sees only the entries that name it (the local operator, all), and a
 * route outside its entries sends it to the overview, so no page a role cannot use is offered.
 * The server still enforces every rule; a page must work for each role it names (the browser
 * test walks every entry for every role in both languages). To add a page, add one entry. */
const PAGES = [
  { id: "overview", icon: "◉", roles: READERS, load: () => import("./pages/overview.js") },
  { id: "energy", icon: "⚡", roles: ["park_admin", "tenant", "auditor"], load: () => import("./pages/energy.js") },
  { id: "carbon", icon: "◍", roles: READERS, load: () => import("./pages/carbon.js") },
  { id: "carbon_assets", icon: "◈", roles: READERS, load: () => import("./pages/carbon_assets.js") },
  { id: "indicators", icon: "◎", roles: ["park_admin", "regulator", "auditor"], load: () => import("./pages/indicators.js") },
  { id: "budgets", icon: "◔", roles: ["park_admin", "tenant", "auditor"], load: () => import("./pages/budgets.js") },
  { id: "waste", icon: "◌", roles: ["park_admin", "tenant", "auditor"], load: () => import("./pages/waste.js") },
  { id: "alerts", icon: "⚑", roles: ["park_admin", "tenant"], load: () => import("./pages/alerts.js") },
  { id: "data", icon: "▤", roles: ["park_admin", "tenant", "auditor"], load: () => import("./pages/data.js") },
  { id: "cost", icon: "¥", roles: READERS, load: () => import("./pages/cost.js") },
  { id: "dispatch", icon: "⇅", roles: ["park_admin", "auditor"], load: () => import("./pages/dispatch.js") },
  { id: "reports", icon: "⬇", roles: READERS, load: () => import("./pages/reports.js") },
  { id: "settings", icon: "⚙", roles: READERS, load: () => import("./pages/settings.js") },
  { id: "users", icon: "◐", roles: ["park_admin"], load: () => import("./pages/users.js") },
  { id: "api_keys", icon: "◇", roles: ["park_admin"], load: () => import("./pages/api_keys.js") },
  { id: "factors", icon: "∑", roles: ["park_admin", "regulator", "auditor"], load: () => import("./pages/factors.js") },
  { id: "audit", icon: "☰", roles: ["park_admin", "auditor"], load: () => import("./pages/audit.js") },
  { id: "assets", icon: "▦", roles: ["park_admin", "auditor"], load: () => import("./pages/assets.js") },
];

const LOGIN = { id: "login", load: () => import("./pages/login.js") };

const state = { user: null, park: null };

function allowedPages(role) {
  return PAGES.filter((p) => role === "system" || p.roles.includes(role));
}

function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, "");
  return hash.split("?")[0] || "overview";
}

function renderShell() {
  const signedIn = Boolean(state.user);
  document.getElementById("topbar").hidden = !signedIn;
  const sidebar = document.getElementById("sidebar");
  sidebar.hidden = !signedIn;
  if (!signedIn) return;
  const route = currentRoute();
  sidebar.replaceChildren(
    el(
      "ul",
      {},
      allowedPages(state.user.role).map((p) =>
        el(
          "li",
          {},
          el(
            "a",
            { href: `#/${p.id}`, class: p.id === route ? "active" : "", "aria-current": p.id === route ? "page" : undefined, "data-testid": `nav-${p.id}` },
            el("span", { class: "nav-icon", "aria-hidden": "true", text: p.icon }),
            el("span", { text: t(`nav.${p.id}`) }),
          ),
        ),
      ),
    ),
  );
  document.getElementById("user-email").textContent = state.user.email;
  document.getElementById("user-role").textContent = label("role", state.user.role);
  document.getElementById("park-name").textContent = (getLang() === "en" && state.park?.name_en) || state.park?.name || "";
  applyStatic(document);
}

async function loadContext() {
  const stored = session();
  if (!stored) {
    state.user = null;
    state.park = null;
    return;
  }
  state.user = stored.user;
  try {
    state.user = (await api.get("/auth/me")) || stored.user;
  } catch (error) {
    if (error.status === 401) {
      state.user = null;
      return;
    }
  }
  const parkId = state.user.park_id;
  state.park = null;
  if (parkId) {
    try {
      state.park = await api.get(`/parks/${encodeURIComponent(parkId)}`);
    } catch {
      state.park = { id: parkId, name: parkId, timezone: "Asia/Shanghai" };
    }
  } else {
    try {
      const parks = await api.get("/parks");
      const list = Array.isArray(parks) ? parks : parks?.items || [];
      if (list.length) state.park = list[0];
    } catch {
      /* shown by the pages */
    }
  }
  setTimezone(state.park?.timezone || "Asia/Shanghai");
}

function context() {
  const user = state.user;
  return {
    user,
    role: user.role,
    park: state.park,
    parkId: state.park?.id || user.park_id,
    tenantId: user.tenant_id || null,
    isTenant: user.role === "tenant",
    canEdit: user.role === "park_admin" || user.role === "system",
    navigate,
  };
}

let renderCount = 0;
async function render() {
  const main = document.getElementById("main");
  const ticket = ++renderCount;
  disposeCharts();
  let route = currentRoute();
  if (!state.user) route = "login";
  else if (route === "login" || !allowedPages(state.user.role).some((p) => p.id === route)) {
    navigate("overview");
    return;
  }
  renderShell();
  document.body.classList.toggle("is-login", route === "login");
  main.replaceChildren(el("div", { class: "state loading", text: t("state.loading") }));
  try {
    const module = await (route === "login" ? LOGIN : PAGES.find((p) => p.id === route)).load();
    if (ticket !== renderCount) return;
    const view = route === "login" ? module.render({ onLogin }) : await module.render(context());
    if (ticket !== renderCount) return;
    main.replaceChildren(view);
    main.dataset.page = route;
    document.title = `${t(`nav.${route}`)} · ${t("app.name")}`;
  } catch (error) {
    main.replaceChildren(errorState(error));
  }
  document.getElementById("sidebar").classList.remove("open");
}

function navigate(route) {
  if (currentRoute() === route && location.hash) render();
  else location.hash = `#/${route}`;
}

async function onLogin(result) {
  saveSession(result);
  await loadContext();
  navigate("overview");
}

async function logout() {
  try {
    await api.post("/auth/logout");
  } catch {
    /* the token is dropped either way */
  }
  saveSession(null);
  state.user = null;
  state.park = null;
  navigate("login");
}

async function start() {
  await setLang(initialLang());
  const select = document.getElementById("lang-select");
  select.value = getLang();
  select.addEventListener("change", async () => {
    await setLang(select.value);
    render();
  });
  document.getElementById("logout-btn").addEventListener("click", logout);
  const menu = document.getElementById("menu-btn");
  menu.addEventListener("click", () => {
    const open = document.getElementById("sidebar").classList.toggle("open");
    menu.setAttribute("aria-expanded", String(open));
  });
  setUnauthorisedHandler(() => {
    state.user = null;
    navigate("login");
  });
  await loadContext();
  window.addEventListener("hashchange", render);
  await render();
  document.body.dataset.ready = "1";
}

export function switchLanguage(code) {
  const select = document.getElementById("lang-select");
  select.value = code;
  select.dispatchEvent(new Event("change"));
}

start();
