// Alerts (监测预警): alerts grouped by rule with their lifecycle and delivery records, bulk
// acknowledge; alert rules (create, edit, mute, delete) and notification channels.
// Park admins handle every alert and rule; a tenant sees its own alerts and edits its own rules.
import { api } from "../api.js";
import { list, paths } from "../data.js";
import { fmtDateTime, fmtNumber, getLang, label, t } from "../i18n.js";
import { el, pageHeader, panel, segmented, table, toast } from "../ui.js";

const KINDS = ["threshold", "rate_of_change", "profile_deviation", "no_data", "estimated_share", "open_quarantine", "projected_exceedance"];
const TARGETS = ["meter", "virtual_meter", "tenant", "park", "indicator", "budget"];
const CHANNEL_KINDS = ["webhook", "wecom", "dingtalk", "email"];
const SEVERITIES = ["info", "warning", "critical"];
const base = (p) => `/parks/${encodeURIComponent(p)}`;

const kindLabel = (kind) => t(`monitor.kinds.${kind}`);
// Ids, meter names and parameter syntax are data: shown as written, in either language.
const raw = (text) => el("span", { "data-raw": "", text: text ?? "—" });
const ruleName = (r) => (r.source === "builtin" ? `${kindLabel(r.kind)}（${t("monitor.builtin")}）` : r.name || r.id);
const message = (a) => (getLang() === "zh" ? a.message_zh : a.message_en) || a.message || "";
const fail = (error) => toast(error.missingEndpoint ? t("state.unavailable") : error.message, "error");

function targetText(target) {
  if (target === "park" || target == null) return t("monitor.target.park");
  const [kind, id] = Object.entries(target)[0] || [];
  return `${t(`monitor.target.${kind}`)} ${id ?? ""}`.trim();
}

function paramsText(params) {
  return Object.entries(params || {})
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

function parseParams(text) {
  const out = {};
  for (const part of String(text || "").split(/[,，]/)) {
    const [key, ...rest] = part.split("=");
    if (!key.trim()) continue;
    const value = rest.join("=").trim();
    out[key.trim()] = value !== "" && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  return out;
}

function deliveries(alert) {
  const rows = list(alert.deliveries);
  if (!rows.length) return el("span", { class: "muted", text: t("monitor.no_deliveries") });
  return el(
    "ul",
    { class: "delivery-list", "data-testid": "alert-deliveries" },
    rows.map((d) =>
      el(
        "li",
        {},
        el("span", { class: `badge ${d.status === "sent" ? "ok" : d.status === "failed" ? "error" : "warning"}`, text: t(`monitor.delivery.${d.status}`) }),
        " ",
        raw(d.channel_id),
        ` · ${t(`monitor.event.${d.event}`)} · ${t("monitor.attempts", { n: d.attempts })}`,
        d.sent_local ? ` · ${fmtDateTime(d.sent_local)}` : "",
        d.status === "pending" && d.next_attempt_local ? ` · ${t("monitor.next_attempt")} ${fmtDateTime(d.next_attempt_local)}` : "",
        d.last_error ? el("div", { class: "muted", "data-raw": "", text: d.last_error }) : null,
      ),
    ),
  );
}

function alertGroups(rows) {
  const groups = new Map();
  for (const a of rows) {
    const key = a.rule_id || a.kind;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a);
  }
  return [...groups.entries()].map(([rule, items]) => ({
    rule,
    items,
    kind: items[0].kind === "silent_meter" ? "no_data" : items[0].kind,
    open: items.filter((a) => a.status !== "resolved"),
    worst: SEVERITIES.slice().reverse().find((s) => items.some((a) => a.severity === s)) || "info",
    latest: items[0].raised_at,
  }));
}

function alertsPanel(ctx, state) {
  const selected = new Set();
  const card = panel(
    "monitor.alerts",
    async (body) => {
      selected.clear();
      const params = { status: state.status === "all" ? undefined : state.status, limit: 500, deliveries: true };
      const all = list(await api.get(paths.alerts(ctx.parkId), params), "items", "alerts");
      if (!all.length) return;
      const done = async (work, message) => {
        try {
          const answer = await work();
          toast(typeof message === "function" ? message(answer) : message);
          card.reload();
        } catch (error) {
          fail(error);
        }
      };
      const bulk = (ids, resolve = false) =>
        ids.length
          ? done(
              () => api.post(`${base(ctx.parkId)}/alerts/acknowledge`, { ids, resolve, note: null }),
              (answer) => t(resolve ? "monitor.bulk_resolved" : "monitor.bulk_acknowledged", { n: list(answer?.changed).length }),
            )
          : toast(t("monitor.select_first"), "error");
      // One line per rule: 66 silent meters after a check are one group of 66, handled at once.
      const groups = alertGroups(all);
      body.append(
        table(
          [
            { key: "severity", label: t("alerts.severity"), format: (_, g) => el("span", { class: `badge ${g.worst}`, text: label("severity", g.worst) }) },
            { key: "kind", label: t("alerts.kind"), value: (g) => kindLabel(g.kind) },
            { key: "rule", label: t("monitor.rule"), format: (v) => raw(v) },
            { key: "count", label: t("monitor.alerts"), value: (g) => `${t("monitor.count", { n: g.items.length })}${g.open.length !== g.items.length ? ` (${t("monitor.count_open", { n: g.open.length })})` : ""}` },
            { key: "latest", label: t("monitor.latest"), format: (v) => fmtDateTime(v) },
            {
              key: "actions",
              label: t("alerts.actions"),
              format: (_, g) =>
                el(
                  "div",
                  { class: "actions" },
                  el("button", { class: "btn btn-sm", type: "button", text: state.rule === g.rule ? t("monitor.show_all") : t("monitor.show_group"), onclick: () => ((state.rule = state.rule === g.rule ? null : g.rule), card.reload()) }),
                  ctx.canEdit && g.open.length ? el("button", { class: "btn btn-sm", type: "button", "data-testid": "alerts-group-ack", text: t("monitor.ack_group", { n: g.open.length }), onclick: () => bulk(g.open.map((a) => a.id)) }) : null,
                ),
            },
          ],
          groups,
          { testid: "alert-groups" },
        ),
      );
      const rows = state.rule ? all.filter((a) => (a.rule_id || a.kind) === state.rule) : all;
      if (ctx.canEdit) {
        body.append(
          el(
            "div",
            { class: "toolbar" },
            el("button", { class: "btn btn-sm", type: "button", "data-testid": "alerts-bulk-ack", text: t("monitor.ack_selected"), onclick: () => bulk([...selected]) }),
            el("button", { class: "btn btn-sm", type: "button", "data-testid": "alerts-bulk-resolve", text: t("monitor.resolve_selected"), onclick: () => bulk([...selected], true) }),
          ),
        );
      }
      const act = (r, action) =>
        done(() => api.post(paths.alert(ctx.parkId, r.id, action), { note: null }), t(`alerts.done_${action}`));
      const columns = [
        ctx.canEdit
          ? {
              key: "pick",
              label: "",
              format: (_, r) =>
                r.status === "resolved" ? "" : el("input", { type: "checkbox", "aria-label": t("monitor.select"), onchange: (e) => (e.target.checked ? selected.add(r.id) : selected.delete(r.id)) }),
            }
          : null,
        { key: "severity", label: t("alerts.severity"), format: (v) => el("span", { class: `badge ${v || ""}`, text: label("severity", v || "info") }) },
        { key: "message", label: t("alerts.message"), format: (_, r) => raw(message(r)) },
        { key: "rule_id", label: t("monitor.rule"), format: (_, r) => raw(r.rule_id || kindLabel(r.kind)) },
        { key: "raised_at", label: t("alerts.raised"), format: (v) => fmtDateTime(v) },
        {
          key: "status",
          label: t("alerts.status"),
          format: (v, r) =>
            el(
              "span",
              {},
              el("span", { class: `badge ${v || ""}`, text: label("alert_status", v) }),
              r.acknowledged_by ? el("div", { class: "muted", text: `${t("monitor.acknowledged_by")} ${r.acknowledged_by} · ${fmtDateTime(r.acknowledged_at)}` }) : null,
              r.resolved_at ? el("div", { class: "muted", text: `${t("monitor.resolved_by")} ${r.resolved_by === "monitor" ? t("monitor.by_monitor") : r.resolved_by} · ${fmtDateTime(r.resolved_at)}` }) : null,
            ),
        },
        { key: "deliveries", label: t("monitor.deliveries"), format: (_, r) => deliveries(r) },
        {
          key: "actions",
          label: t("alerts.actions"),
          format: (_, r) =>
            ctx.canEdit && r.status !== "resolved"
              ? el(
                  "div",
                  { class: "actions" },
                  r.status === "open" ? el("button", { class: "btn btn-sm", type: "button", text: t("alerts.ack"), onclick: () => act(r, "acknowledge") }) : null,
                  el("button", { class: "btn btn-sm", type: "button", text: t("alerts.resolve"), onclick: () => act(r, "resolve") }),
                )
              : "",
        },
      ].filter(Boolean);
      body.append(table(columns, rows, { testid: "alerts-table" }));
    },
    { testid: "panel-alerts" },
  );
  return card;
}

function ruleForm(ctx, onSaved, channels) {
  const input = (name, attrs = {}) => el("input", { name, class: "input", ...attrs });
  const select = (name, options, labeller) => el("select", { name, class: "input" }, options.map((o) => el("option", { value: o, text: labeller(o) })));
  const fields = {
    id: input("id", { required: true, pattern: "[A-Za-z0-9_.:-]+", maxlength: 64 }),
    kind: select("kind", KINDS, kindLabel),
    target_kind: select("target_kind", TARGETS, (k) => t(`monitor.target.${k}`)),
    target_id: input("target_id", { placeholder: t("monitor.target_id_hint") }),
    params: input("params", { placeholder: "limit=800, clear_margin=50" }),
    severity: select("severity", SEVERITIES, (s) => label("severity", s)),
    channels: input("channels", { placeholder: channels.map((c) => c.id).join(", ") || t("monitor.no_channels") }),
    clear_after: input("clear_after", { type: "number", min: 1, value: 1 }),
    quiet: input("quiet", { type: "number", min: 0, value: 60 }),
  };
  fields.severity.value = "warning";
  const field = (key, name) => el("label", { class: "field" }, el("span", { text: t(`monitor.form.${key}`) }), name);
  const error = el("div", { class: "form-error", role: "alert" });
  const form = el(
    "form",
    { class: "rule-form", "data-testid": "alert-rule-form" },
    el("div", { class: "form-grid" }, ...Object.entries(fields).map(([k, v]) => field(k, v))),
    error,
    el("div", { class: "toolbar" }, el("button", { class: "btn btn-primary", type: "submit", text: t("monitor.save_rule") })),
  );
  form.fill = (rule) => {
    fields.id.value = rule.id;
    fields.kind.value = rule.kind;
    const [kind, id] = rule.target === "park" ? ["park", ""] : Object.entries(rule.target)[0];
    fields.target_kind.value = kind;
    fields.target_id.value = id ?? "";
    fields.params.value = paramsText(rule.params);
    fields.severity.value = rule.severity;
    fields.channels.value = list(rule.channels).join(", ");
    fields.clear_after.value = rule.clear_after;
    fields.quiet.value = Math.round(rule.quiet_period_s / 60);
    form.scrollIntoView?.({ behavior: "smooth" });
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const targetKind = fields.target_kind.value;
    const body = {
      id: fields.id.value.trim(),
      kind: fields.kind.value,
      target: targetKind === "park" ? "park" : { [targetKind]: fields.target_id.value.trim() },
      params: parseParams(fields.params.value),
      severity: fields.severity.value,
      channels: fields.channels.value.split(/[,，\s]+/).filter(Boolean),
      clear_after: Number(fields.clear_after.value) || 1,
      quiet_period_min: Number(fields.quiet.value) || 0,
    };
    try {
      await api.post(`${base(ctx.parkId)}/alert-rules`, body);
      toast(t("monitor.rule_saved"));
      onSaved();
    } catch (err) {
      error.textContent = err.message;
    }
  });
  return form;
}

function rulesPanel(ctx) {
  let channels = [];
  const card = panel(
    "monitor.rules",
    async (body) => {
      const rules = list(await api.get(`${base(ctx.parkId)}/alert-rules`));
      if (ctx.canEdit) channels = list(await api.get(`${base(ctx.parkId)}/alert-channels`).catch(() => []));
      const act = async (fn, done) => {
        try {
          await fn();
          toast(t(done));
          card.reload();
        } catch (error) {
          fail(error);
        }
      };
      const form = ruleForm(ctx, () => card.reload(), channels);
      const day = 24 * 3600 * 1000;
      body.append(
        rules.length
          ? table(
              [
                { key: "id", label: t("monitor.form.id"), format: (_, r) => (r.source === "builtin" ? ruleName(r) : raw(ruleName(r))) },
                { key: "kind", label: t("monitor.form.kind"), format: (v) => kindLabel(v) },
                { key: "target", label: t("monitor.form.target_kind"), format: (_, r) => raw(targetText(r.target)) },
                { key: "params", label: t("monitor.form.params"), format: (_, r) => raw(paramsText(r.params) || "—") },
                { key: "severity", label: t("alerts.severity"), format: (v) => el("span", { class: `badge ${v}`, text: label("severity", v) }) },
                { key: "channels", label: t("monitor.form.channels"), format: (_, r) => raw(list(r.channels).join(", ") || "—") },
                {
                  key: "muted_until_s",
                  label: t("monitor.muted"),
                  format: (v) => (v && v * 1000 > Date.now() ? `${t("monitor.muted_until")} ${fmtDateTime(new Date(v * 1000).toISOString())}` : "—"),
                },
                {
                  key: "actions",
                  label: t("alerts.actions"),
                  format: (_, r) =>
                    el(
                      "div",
                      { class: "actions" },
                      el("button", { class: "btn btn-sm", type: "button", text: t("monitor.edit"), onclick: () => form.fill(r) }),
                      r.muted_until_s && r.muted_until_s * 1000 > Date.now()
                        ? el("button", { class: "btn btn-sm", type: "button", text: t("monitor.unmute"), onclick: () => act(() => api.post(`${base(ctx.parkId)}/alert-rules/${encodeURIComponent(r.id)}/mute`, { until: null }), "monitor.unmuted") })
                        : el("button", {
                            class: "btn btn-sm",
                            type: "button",
                            "data-testid": "alert-rule-mute",
                            text: t("monitor.mute_day"),
                            onclick: () => act(() => api.post(`${base(ctx.parkId)}/alert-rules/${encodeURIComponent(r.id)}/mute`, { until: new Date(Date.now() + day).toISOString() }), "monitor.muted_done"),
                          }),
                      r.source === "builtin"
                        ? null
                        : el("button", { class: "btn btn-sm", type: "button", text: t("monitor.delete"), onclick: () => act(() => api.del(`${base(ctx.parkId)}/alert-rules/${encodeURIComponent(r.id)}`), "monitor.deleted") }),
                    ),
                },
              ],
              rules,
              { testid: "alert-rules-table" },
            )
          : el("div", { class: "state empty", text: t("state.empty") }),
        el("h3", { text: t("monitor.new_rule") }),
        form,
      );
    },
    { testid: "panel-alert-rules" },
  );
  return card;
}

function channelsPanel(ctx) {
  const card = panel(
    "monitor.channels",
    async (body) => {
      const channels = list(await api.get(`${base(ctx.parkId)}/alert-channels`));
      if (channels.length) {
        body.append(
          table(
            [
              { key: "id", label: t("monitor.form.id"), format: (v) => raw(v) },
              { key: "kind", label: t("monitor.form.kind"), format: (v) => t(`monitor.channel_kinds.${v}`) },
              { key: "config", label: t("monitor.address"), format: (_, r) => raw(r.config.url || list(r.config.recipients).join(", ") || "—") },
              { key: "enabled", label: t("monitor.enabled"), format: (v) => (v ? t("monitor.yes") : t("monitor.no")) },
              {
                key: "actions",
                label: t("alerts.actions"),
                format: (_, r) =>
                  el("button", {
                    class: "btn btn-sm",
                    type: "button",
                    text: t("monitor.delete"),
                    onclick: async () => {
                      try {
                        await api.del(`${base(ctx.parkId)}/alert-channels/${encodeURIComponent(r.id)}`);
                        card.reload();
                      } catch (error) {
                        fail(error);
                      }
                    },
                  }),
              },
            ],
            channels,
            { testid: "alert-channels-table" },
          ),
        );
      } else {
        body.append(el("div", { class: "state empty", text: t("state.empty") }));
      }
      const id = el("input", { class: "input", name: "id", required: true, pattern: "[A-Za-z0-9_.:-]+" });
      const kind = el("select", { class: "input", name: "kind" }, CHANNEL_KINDS.map((k) => el("option", { value: k, text: t(`monitor.channel_kinds.${k}`) })));
      const url = el("input", { class: "input", name: "url", placeholder: "https://…" });
      const secret = el("input", { class: "input", name: "secret", type: "password", autocomplete: "off" });
      const recipients = el("input", { class: "input", name: "recipients", placeholder: "ops@example.com" });
      const host = el("input", { class: "input", name: "smtp_host", placeholder: "smtp.example.com" });
      const sender = el("input", { class: "input", name: "sender", placeholder: "monitor@example.com" });
      const error = el("div", { class: "form-error", role: "alert" });
      const field = (key, node) => el("label", { class: "field" }, el("span", { text: t(`monitor.form.${key}`) }), node);
      const form = el(
        "form",
        { "data-testid": "alert-channel-form" },
        el("div", { class: "form-grid" }, field("id", id), field("kind", kind), field("url", url), field("secret", secret), field("smtp_host", host), field("sender", sender), field("recipients", recipients)),
        error,
        el("button", { class: "btn btn-primary", type: "submit", text: t("monitor.save_channel") }),
      );
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        error.textContent = "";
        const body = { id: id.value.trim(), kind: kind.value };
        if (kind.value === "email") Object.assign(body, { smtp_host: host.value.trim(), sender: sender.value.trim(), recipients: recipients.value.split(/[,，\s]+/).filter(Boolean), smtp_password: secret.value || undefined });
        else Object.assign(body, { url: url.value.trim(), secret: secret.value || undefined });
        try {
          await api.post(`${base(ctx.parkId)}/alert-channels`, body);
          toast(t("monitor.channel_saved"));
          card.reload();
        } catch (err) {
          error.textContent = err.message;
        }
      });
      body.append(el("h3", { text: t("monitor.new_channel") }), form);
    },
    { testid: "panel-alert-channels" },
  );
  return card;
}

export async function render(ctx) {
  const view = el("div", { class: "page page-alerts" });
  const state = { status: "open", tab: "alerts", rule: null };
  const filter = el("div", { class: "toolbar" });
  view.append(pageHeader("alerts.title", t("monitor.subtitle"), filter));
  const holder = el("div", {});
  view.append(holder);
  const draw = () => {
    const tabs = segmented(t("monitor.view"), [["alerts", t("monitor.alerts")], ["rules", t("monitor.rules")]].concat(ctx.canEdit ? [["channels", t("monitor.channels")]] : []), state.tab, (v) => ((state.tab = v), draw()));
    filter.replaceChildren(tabs);
    if (state.tab === "alerts") {
      filter.append(segmented(t("alerts.status"), ["open", "acknowledged", "resolved", "all"].map((s) => [s, label("alert_status", s)]), state.status, (v) => ((state.status = v), draw())));
      const card = alertsPanel(ctx, state);
      holder.replaceChildren(card);
      if (ctx.canEdit) {
        const run = el("button", { type: "button", class: "btn", "data-testid": "alerts-check", text: t("monitor.run") });
        run.addEventListener("click", async () => {
          run.disabled = true;
          try {
            const result = await api.post(`${base(ctx.parkId)}/monitor/run`);
            toast(t("monitor.ran", { raised: list(result?.raised).length, recovered: list(result?.recovered).length, sent: fmtNumber(result?.sent ?? 0, 0) }));
            card.reload();
          } catch (error) {
            fail(error);
          } finally {
            run.disabled = false;
          }
        });
        filter.append(run);
      }
    } else if (state.tab === "rules") {
      holder.replaceChildren(rulesPanel(ctx));
    } else {
      holder.replaceChildren(channelsPanel(ctx));
    }
  };
  draw();
  return view;
}
