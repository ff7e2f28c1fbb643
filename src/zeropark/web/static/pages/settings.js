// Settings: park information, the users (park admins), the factor set in use.
import { api } from "../api.js";
import { dataYear, list, paths, pick, tenantScope } from "../data.js";
import { fmtDateTime, fmtNumber, getLang, getTimezone, label, t } from "../i18n.js";
import { el, pageHeader, panel, table } from "../ui.js";

/** Latitude and longitude in the page's language (北纬 31.30°，东经 120.60° / 31.30°N, 120.60°E). */
function location(lat, lon) {
  const part = (v, pos, neg) => t(`admin.geo.${v >= 0 ? pos : neg}`, { v: fmtNumber(Math.abs(v), 2) });
  return t("admin.geo.pair", { lat: part(lat, "n", "s"), lon: part(lon, "e", "w") });
}

function definitions(pairs) {
  return el("dl", { class: "dl-grid" }, pairs.filter(([, v]) => v != null && v !== "").flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v instanceof Node ? v : String(v))]));
}

export async function render(ctx) {
  const view = el("div", { class: "page page-settings" });
  view.append(pageHeader("settings.title", t("settings.subtitle")));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  const panels = [
    panel(
      "settings.park",
      async (body) => {
        const park = await api.get(paths.park(ctx.parkId));
        body.append(
          definitions([
            [t("settings.park_id"), el("code", { text: park.id })],
            [t("settings.park_name"), getLang() === "en" && park.name_en ? `${park.name_en} (${park.name})` : park.name],
            [t("settings.park_type"), label("park_type", park.type ?? park.park_type)],
            [t("settings.region"), label("region", pick(park, "region", "province"))],
            [t("settings.timezone"), el("code", { text: park.timezone || getTimezone() })],
            [t("settings.land_area"), park.land_area_m2 != null ? `${fmtNumber(park.land_area_m2, 0)} m²` : null],
            [t("settings.floor_area"), park.floor_area_m2 != null ? `${fmtNumber(park.floor_area_m2, 0)} m²` : null],
            [t("settings.location"), park.latitude_deg != null ? location(park.latitude_deg, park.longitude_deg) : null],
            [t("settings.factor_version"), park.factor_version ?? t("settings.factor_default")],
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
            [t("settings.tenant"), ctx.tenantId ? el("code", { text: ctx.tenantId }) : null],
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
            const users = list(await api.get(paths.users(), { limit: 1000 }), "users");
            body.append(
              table(
                [
                  { key: "email", label: t("settings.email") },
                  { key: "role", label: t("settings.role"), format: (v) => label("role", v) },
                  { key: "tenant_id", label: t("settings.tenant"), format: (v) => (v ? el("code", { text: v }) : "—") },
                  { key: "active", label: t("settings.active"), format: (v) => el("span", { class: `badge ${v ? "ok" : ""}`, text: t(v ? "settings.active_yes" : "settings.active_no") }) },
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
        // The factor library's active set and datasets (GET /factor-sets), and the options the
        // inventory of the data year used.
        const sets = await api.get("/factor-sets", { park_id: ctx.parkId });
        let options = {};
        try {
          options = (await api.get(paths.inventory(ctx.parkId), { year: await dataYear(ctx), ...tenantScope(ctx) })).options || {};
        } catch {
          options = {};
        }
        body.append(
          el("p", { "data-testid": "factor-active", text: t("admin.factors.active", { set: sets.pinned_version || t("admin.factors.packaged"), count: fmtNumber(sets.factors, 0) }) }),
          definitions([
            [t("settings.gwp"), pick(options, "gwp_set")],
            [t("settings.region"), options.region ? label("region", options.region) : null],
            [t("settings.fuel_dataset"), options.fuel_dataset ? el("code", { text: options.fuel_dataset }) : null],
            [t("indicators.basis"), options.electricity_basis ? label("basis", options.electricity_basis) : null],
          ]),
          table(
            [
              { key: "dataset", label: t("settings.dataset"), format: (v) => el("code", { text: v }) },
              { key: "version", label: t("settings.versions_available") },
              getLang() === "en" ? { key: "title", label: t("admin.factors.dataset_title") } : null,
            ].filter(Boolean),
            list(sets.datasets),
            { testid: "factors-table" },
          ),
        );
      },
      { className: "span-12", testid: "panel-factors" },
    ),
  ];
  // A role without the users panel gets no placeholder: append() would print "null".
  grid.append(...panels.filter(Boolean));
  return view;
}
