// Users and roles (park admins): list, create, activate/deactivate. The server enforces who may.
import { api } from "../api.js";
import { list } from "../data.js";
import { fmtDateTime, getLang, label, t } from "../i18n.js";
import { el, pageHeader, panel, table, toast } from "../ui.js";

const ROLES = ["park_admin", "tenant", "regulator", "auditor"];
const enc = encodeURIComponent;

function createForm(ctx, tenants, onDone) {
  const email = el("input", { type: "email", required: true, name: "email", autocomplete: "off", "data-testid": "new-user-email" });
  const password = el("input", { type: "password", required: true, name: "password", minlength: "12", autocomplete: "new-password", "data-testid": "new-user-password" });
  const role = el("select", { name: "role", "data-testid": "new-user-role" }, ROLES.map((r) => el("option", { value: r, text: label("role", r) })));
  const tenant = el("select", { name: "tenant", "data-testid": "new-user-tenant" }, tenants.map((x) => el("option", { value: x.id, text: (getLang() === "en" && x.name_en) || x.name || x.id })));
  const tenantField = el("label", { class: "field", hidden: true }, el("span", { text: t("admin.users.tenant") }), tenant);
  role.addEventListener("change", () => (tenantField.hidden = role.value !== "tenant"));
  const form = el(
    "form",
    { class: "form-row", "data-testid": "user-create" },
    el("label", { class: "field" }, el("span", { text: t("admin.users.email") }), email),
    el("label", { class: "field" }, el("span", { text: t("admin.users.password") }), password),
    el("label", { class: "field" }, el("span", { text: t("admin.users.role") }), role),
    tenantField,
    el("button", { type: "submit", class: "btn primary", text: t("admin.users.create") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api.post("/users", {
        email: email.value,
        password: password.value,
        role: role.value,
        park_id: ctx.parkId,
        tenant_id: role.value === "tenant" ? tenant.value : null,
      });
      toast(t("admin.users.created", { email: email.value }), "ok");
      form.reset();
      tenantField.hidden = true;
      onDone();
    } catch (error) {
      toast(typeof error.message === "string" ? error.message : t("state.error"), "error");
    }
  });
  return form;
}

/** The role controls of one user: a role select (and the company for a tenant) and a button. */
function roleControls(row, tenants, onDone) {
  const role = el("select", { "aria-label": t("admin.users.role"), "data-testid": `user-role-${row.id}` }, ROLES.map((r) => el("option", { value: r, text: label("role", r), selected: r === row.role })));
  const tenant = el("select", { "aria-label": t("admin.users.tenant"), hidden: row.role !== "tenant" }, tenants.map((x) => el("option", { value: x.id, text: (getLang() === "en" && x.name_en) || x.name || x.id, selected: x.id === row.tenant_id })));
  role.addEventListener("change", () => (tenant.hidden = role.value !== "tenant"));
  const apply = el("button", {
    class: "btn small",
    "data-testid": `user-role-apply-${row.id}`,
    text: t("admin.users.change_role"),
    onclick: async () => {
      try {
        await api.patch(`/users/${enc(row.id)}`, { role: role.value, tenant_id: role.value === "tenant" ? tenant.value : null });
        toast(t("admin.users.role_changed", { email: row.email }), "ok");
        onDone();
      } catch (error) {
        toast(typeof error.message === "string" ? error.message : t("state.error"), "error");
      }
    },
  });
  return el("span", { class: "row-controls" }, role, tenant, apply);
}

export async function render(ctx) {
  const view = el("div", { class: "page page-admin page-users" });
  view.append(pageHeader("admin.users.title", t("admin.users.subtitle")));
  let tenants = [];
  try {
    tenants = list(await api.get(`/parks/${enc(ctx.parkId)}/tenants`, { limit: 1000 }), "items");
  } catch {
    tenants = [];
  }
  const names = Object.fromEntries(tenants.map((x) => [x.id, (getLang() === "en" && x.name_en) || x.name || x.id]));
  const users = panel(
    "admin.users.list",
    async (body) => {
      const rows = list(await api.get("/users", { limit: 1000 }), "items");
      body.append(
        table(
          [
            { key: "email", label: t("admin.users.email") },
            { key: "role", label: t("admin.users.role"), format: (v) => label("role", v) },
            { key: "tenant_id", label: t("admin.users.tenant"), format: (v) => (v ? names[v] || v : "—") },
            { key: "active", label: t("admin.users.status"), format: (v) => el("span", { class: `badge ${v ? "ok" : ""}`, text: t(v ? "admin.users.active" : "admin.users.inactive") }) },
            { key: "created_at", label: t("admin.users.created_at"), format: (v) => (v ? fmtDateTime(v) : "—") },
            {
              key: "id",
              label: t("admin.actions"),
              format: (id, row) =>
                row.email === ctx.user.email
                  ? el("span", { class: "muted", text: t("admin.users.you") })
                  : el("span", { class: "row-controls" }, roleControls(row, tenants, () => users.reload()), el("button", {
                      class: "btn small",
                      "data-testid": `user-toggle-${id}`,
                      text: t(row.active ? "admin.users.disable" : "admin.users.enable"),
                      onclick: async () => {
                        try {
                          await api.patch(`/users/${enc(id)}`, { active: !row.active });
                          users.reload();
                        } catch (error) {
                          toast(typeof error.message === "string" ? error.message : t("state.error"), "error");
                        }
                      },
                    })),
            },
          ],
          rows,
          { testid: "users-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-user-list" },
  );
  const grid = el("div", { class: "grid" });
  grid.append(
    panel("admin.users.new", async (body) => body.append(createForm(ctx, tenants, () => users.reload())), { className: "span-12", testid: "panel-user-new" }),
    users,
  );
  view.append(grid);
  return view;
}
