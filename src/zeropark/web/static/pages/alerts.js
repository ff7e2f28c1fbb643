// Alerts: open and recent alerts; park admins acknowledge and resolve them.
import { api } from "../api.js";
import { list, paths, pick } from "../data.js";
import { fmtDateTime, getLang, label, t } from "../i18n.js";
import { el, pageHeader, panel, segmented, table, toast } from "../ui.js";

export async function render(ctx) {
  const view = el("div", { class: "page page-alerts" });
  const state = { status: "open" };
  const filter = el("div", { class: "toolbar" });
  view.append(pageHeader("alerts.title", t("alerts.subtitle"), filter));
  const holder = el("div", {});
  view.append(holder);
  const act = async (alert, action, card) => {
    try {
      await api.post(paths.alert(ctx.parkId, alert.id, action), { note: null });
      toast(t(`alerts.done_${action}`));
      card.reload();
    } catch (error) {
      toast(error.missingEndpoint ? t("state.unavailable") : error.message, "error");
    }
  };
  const draw = () => {
    filter.replaceChildren(segmented(t("alerts.status"), ["open", "acknowledged", "resolved", "all"].map((s) => [s, label("alert_status", s)]), state.status, (v) => ((state.status = v), draw())));
    const card = panel(
      "alerts.list",
      async (body) => {
        const rows = list(await api.get(paths.alerts(ctx.parkId), { status: state.status === "all" ? undefined : state.status, limit: 200 }), "alerts");
        body.append(
          table(
            [
              { key: "severity", label: t("alerts.severity"), format: (v) => el("span", { class: `badge ${v || ""}`, text: label("severity", v || "info") }) },
              { key: "message", label: t("alerts.message"), value: (r) => pick(r, getLang() === "zh" ? "message_zh" : "message_en", "message", "title", "rule") },
              { key: "subject", label: t("alerts.subject"), value: (r) => pick(r, "subject", "meter_id", "tenant_id") },
              { key: "kind", label: t("alerts.kind"), format: (v) => label("alert_kind", v) },
              { key: "raised", label: t("alerts.raised"), value: (r) => pick(r, "raised_at", "started_at", "created_at"), format: (v) => fmtDateTime(v) },
              { key: "status", label: t("alerts.status"), format: (v, r) => el("span", { class: `badge ${v || ""}`, title: [r.acknowledged_by, r.resolved_by, r.note].filter(Boolean).join(" · "), text: label("alert_status", v) }) },
              {
                key: "actions",
                label: t("alerts.actions"),
                format: (_, r) =>
                  ctx.canEdit && r.status !== "resolved"
                    ? el(
                        "div",
                        { class: "actions" },
                        r.status === "open" ? el("button", { class: "btn btn-sm", type: "button", text: t("alerts.ack"), onclick: () => act(r, "acknowledge", card) }) : null,
                        el("button", { class: "btn btn-sm", type: "button", text: t("alerts.resolve"), onclick: () => act(r, "resolve", card) }),
                      )
                    : "",
              },
            ],
            rows,
            { testid: "alerts-table" },
          ),
        );
      },
      { testid: "panel-alerts" },
    );
    holder.replaceChildren(card);
    if (ctx.canEdit) {
      const check = el("button", { type: "button", class: "btn", "data-testid": "alerts-check", text: t("alerts.check") });
      check.addEventListener("click", async () => {
        check.disabled = true;
        try {
          const result = await api.post(paths.alertsCheck(ctx.parkId));
          toast(t("alerts.checked", { raised: list(result?.raised).length, resolved: list(result?.resolved).length }));
          card.reload();
        } catch (error) {
          toast(error.missingEndpoint ? t("state.unavailable") : error.message, "error");
        } finally {
          check.disabled = false;
        }
      });
      filter.append(check);
    }
  };
  draw();
  return view;
}
