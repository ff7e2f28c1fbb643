// The park's physical assets (PV arrays, batteries, chargers, …) with their typed parameters.
import { api } from "../api.js";
import { getLang, label, t } from "../i18n.js";
import { el, pageHeader, panel, table } from "../ui.js";

function value(v, unit) {
  if (typeof v === "boolean") return t(v ? "admin.yes" : "admin.no");
  if (typeof v === "number") return `${v.toLocaleString(getLang() === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: 4 })}${unit && unit !== "1" ? ` ${unit}` : ""}`;
  return label("carrier", v); // fuel codes (natural_gas, diesel …) in the page's language
}

export async function render(ctx) {
  const view = el("div", { class: "page page-admin page-assets" });
  view.append(pageHeader("admin.assets.title", t("admin.assets.subtitle")));
  const grid = el("div", { class: "grid" });
  view.append(grid);
  const assets = await api.get(`/parks/${encodeURIComponent(ctx.parkId)}/asset-views`);
  if (!assets.length) {
    grid.append(panel("admin.assets.title", async () => {}, { className: "span-12", testid: "panel-assets-empty" }));
    return view;
  }
  for (const asset of assets) {
    const typed = t(`admin.asset_types.${asset.type}`);
    const typeName = typed.startsWith("admin.") ? asset.type : typed;
    grid.append(
      panel(
        // Asset names are the park file's (Chinese): the title in English is the asset's type.
        getLang() === "zh" ? asset.name || "admin.assets.unnamed" : typeName,
        async (body) => {
          body.append(
            el(
              "p",
              { class: "asset-meta" },
              el("code", { text: asset.id }),
              asset.name ? [" · ", el("span", { "data-raw": "", text: asset.name })] : null,
              getLang() === "zh" ? ` · ${typeName}` : null,
              asset.meter_id ? [` · ${t("admin.assets.meter", { meter: "" })}`, el("code", { text: asset.meter_id })] : null,
            ),
            table(
              [
                { key: "attribute", label: t("admin.assets.parameter"), format: (v, r) => el("span", {}, getLang() === "zh" && r.name_zh ? `${r.name_zh} ` : "", el("code", { text: v })) },
                { key: "value", label: t("admin.assets.value"), format: (v, r) => el("span", { "data-raw": "" }, value(v, r.unit)) },
                { key: "range", label: t("admin.assets.range"), format: (v, r) => el("span", { "data-raw": "" }, v ? `${v}${r.unit && r.unit !== "1" ? ` ${r.unit}` : ""}` : "—") },
                { key: "source", label: t("admin.assets.source"), format: (v) => t(v === "default" ? "admin.assets.default" : "admin.assets.park_file") },
              ],
              asset.params,
              { testid: `asset-${asset.id}` },
            ),
          );
        },
        { className: "span-6", testid: `panel-asset-${asset.id}` },
      ),
    );
  }
  return view;
}
