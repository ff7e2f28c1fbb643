// The park's physical assets (PV arrays, batteries, chargers, …) with their typed parameters.
import { api } from "../api.js";
import { getLang, t } from "../i18n.js";
import { el, pageHeader, panel, table } from "../ui.js";

function value(v, unit) {
  if (typeof v === "boolean") return t(v ? "admin.yes" : "admin.no");
  if (typeof v === "number") return `${v.toLocaleString(getLang() === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: 4 })}${unit && unit !== "1" ? ` ${unit}` : ""}`;
  return String(v);
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
        asset.name || asset.id,
        async (body) => {
          body.append(
            el("p", { class: "asset-meta", text: [asset.name || asset.id, typeName, asset.meter_id ? t("admin.assets.meter", { meter: asset.meter_id }) : null].filter(Boolean).join(" · ") }),
            table(
              [
                { key: "attribute", label: t("admin.assets.parameter"), format: (v, r) => (getLang() === "zh" && r.name_zh ? `${r.name_zh} (${v})` : v) },
                { key: "value", label: t("admin.assets.value"), format: (v, r) => value(v, r.unit) },
                { key: "range", label: t("admin.assets.range"), format: (v, r) => (v ? `${v}${r.unit && r.unit !== "1" ? ` ${r.unit}` : ""}` : "—") },
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
