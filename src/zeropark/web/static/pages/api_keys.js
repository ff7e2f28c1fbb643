// Gateway API keys (park admins): list, create bound to meters (the key is shown once), revoke.
import { api } from "../api.js";
import { list } from "../data.js";
import { fmtDateTime, t } from "../i18n.js";
import { el, pageHeader, panel, table, toast } from "../ui.js";

const enc = encodeURIComponent;

export async function render(ctx) {
  const view = el("div", { class: "page page-admin page-api-keys" });
  view.append(pageHeader("admin.keys.title", t("admin.keys.subtitle")));
  const base = `/parks/${enc(ctx.parkId)}/api-keys`;
  const shown = el("div", { class: "key-once", hidden: true, "data-testid": "key-once" });
  const keys = panel(
    "admin.keys.list",
    async (body) => {
      const rows = list(await api.get(base), "items");
      body.append(
        table(
          [
            { key: "name", label: t("admin.keys.name"), format: (v) => el("span", { "data-raw": "", text: v }) },
            { key: "meter_ids", label: t("admin.keys.meters"), format: (v) => el("code", { text: (v || []).join(", ") }) },
            { key: "revoked", label: t("admin.keys.status"), format: (v) => el("span", { class: `badge ${v ? "" : "ok"}`, text: t(v ? "admin.keys.revoked" : "admin.keys.valid") }) },
            { key: "created_by", label: t("admin.keys.created_by"), format: (v) => el("span", { "data-raw": "", text: v }) },
            { key: "created_at", label: t("admin.keys.created_at"), format: (v) => (v ? fmtDateTime(v) : "—") },
            {
              key: "id",
              label: t("admin.actions"),
              format: (id, row) =>
                row.revoked
                  ? "—"
                  : el("button", {
                      class: "btn small danger",
                      "data-testid": `key-revoke-${id}`,
                      text: t("admin.keys.revoke"),
                      onclick: async () => {
                        if (!window.confirm(t("admin.keys.confirm_revoke", { name: row.name }))) return;
                        await api.del(`${base}/${enc(id)}`);
                        keys.reload();
                      },
                    }),
            },
          ],
          rows,
          { testid: "keys-table" },
        ),
      );
    },
    { className: "span-12", testid: "panel-key-list" },
  );
  const create = panel(
    "admin.keys.new",
    async (body) => {
      const meters = list(await api.get(`/parks/${enc(ctx.parkId)}/meters`, { limit: 1000 }), "items");
      const name = el("input", { name: "name", required: true, "data-testid": "key-name" });
      const select = el(
        "select",
        { name: "meters", multiple: true, size: "6", required: true, "data-testid": "key-meters" },
        meters.map((m) => el("option", { value: m.id, text: m.name ? `${m.id} · ${m.name}` : m.id })),
      );
      const form = el(
        "form",
        { class: "form-row", "data-testid": "key-create" },
        el("label", { class: "field" }, el("span", { text: t("admin.keys.name") }), name),
        el("label", { class: "field" }, el("span", { text: t("admin.keys.meters") }), select),
        el("button", { type: "submit", class: "btn primary", text: t("admin.keys.create") }),
      );
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const ids = [...select.selectedOptions].map((o) => o.value);
        try {
          const created = await api.post(base, { name: name.value, meter_ids: ids });
          shown.hidden = false;
          shown.replaceChildren(
            el("strong", { text: t("admin.keys.shown_once") }),
            el("code", { class: "secret", "data-testid": "key-secret", text: created.key }),
          );
          form.reset();
          keys.reload();
        } catch (error) {
          toast(typeof error.message === "string" ? error.message : t("state.error"), "error");
        }
      });
      body.append(form, shown);
    },
    { className: "span-12", testid: "panel-key-new" },
  );
  const grid = el("div", { class: "grid" });
  grid.append(create, keys);
  view.append(grid);
  return view;
}
