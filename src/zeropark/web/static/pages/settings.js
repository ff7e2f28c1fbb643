// Settings: park information, the users (park admins), the factor set in use.
import { api } from "../api.js";
import { list, paths, pick } from "../data.js";
import { fmtDateTime, fmtNumber, getTimezone, label, t } from "../i18n.js";
import { el, pageHeader, panel, table } from "../ui.js";

function definitions(pairs) {
  return el("dl", { class: "dl-grid" }, pairs.filter(([, v]) => v != null && v !== "").flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]));
}

export async function render(ctx) {
  const view = el("div", { class: "page page-settings" });
  view.append(pageHeader("settings.title", t("settings.subtitle")));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  grid.append(
    panel(
      "settings.park",
      async (body) => {
        const park = await api.get(paths.park(ctx.parkId));
        body.append(
          definitions([
            [t("settings.park_id"), park.id],
            [t("settings.park_name"), park.name],
            [t("settings.park_type"), label("park_type", park.park_type)],
            [t("settings.region"), pick(park, "region", "province")],
            [t("settings.timezone"), park.timezone || getTimezone()],
            [t("settings.land_area"), park.land_area_m2 != null ? `${fmtNumber(park.land_area_m2, 0)} m²` : null],
            [t("settings.floor_area"), park.floor_area_m2 != null ? `${fmtNumber(park.floor_area_m2, 0)} m²` : null],
          ]),
        );
      },
      { className: "span-6", testid: "panel-park" },
    ),
    panel(
      "settings.account",
      async (body) => {
        body.append(
          definitions([
            [t("settings.email"), ctx.user.email],
            [t("settings.role"), label("role", ctx.role)],
            [t("settings.tenant"), ctx.tenantId],
            [t("settings.language"), t("app.language_name")],
          ]),
        );
      },
      { className: "span-6", testid: "panel-account" },
    ),
    ctx.canEdit
      ? panel(
          "settings.users",
          async (body) => {
            const users = list(await api.get(paths.users(), { park_id: ctx.parkId }), "users");
            body.append(
              table(
                [
                  { key: "email", label: t("settings.email") },
                  { key: "role", label: t("settings.role"), format: (v) => label("role", v) },
                  { key: "tenant_id", label: t("settings.tenant"), format: (v) => v ?? "—" },
                  { key: "created_at", label: t("settings.created"), format: (v) => (v ? fmtDateTime(v) : "—") },
                ],
                users,
                { testid: "users-table" },
              ),
            );
          },
          { className: "span-12", testid: "panel-users" },
        )
      : null,
    panel(
      "settings.factors",
      async (body) => {
        const sets = list(await api.get(paths.factorSets(), { park_id: ctx.parkId }), "factor_sets", "datasets");
        body.append(
          table(
            [
              { key: "dataset", label: t("settings.dataset"), value: (r) => pick(r, "dataset", "name", "id") },
              { key: "version", label: t("settings.version") },
              { key: "source", label: t("settings.source"), value: (r) => pick(r, "source", "title") },
              { key: "factors", label: t("settings.factor_count"), num: true, digits: 0, value: (r) => pick(r, "factors", "count", "rows") },
            ],
            sets,
            { testid: "factors-table" },
          ),
        );
      },
      { className: "span-12", testid: "panel-factors" },
    ),
  );
  return view;
}
