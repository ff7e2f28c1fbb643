// Forecast and dispatch (预测与调度): a day's plan against what happened — demand and PV
// forecasts vs measured, the battery's setpoints and state of charge, grid import against the
// month's demand-charge peak, the plan's savings and its deliveries to the devices — and a
// replay of a past month (what the optimiser with day-ahead forecasts would have saved).
// Park admins plan, publish and replay; auditors read the plans.
import { api } from "../api.js";
import { dataYear } from "../data.js";
import { fmtNumber, locale, t } from "../i18n.js";
import { chart, el, empty, kpi, pageHeader, panel, table, toast } from "../ui.js";

const enc = encodeURIComponent;
const base = (park) => `/parks/${enc(park)}/dispatch`;
const hourLabel = (iso) => iso.slice(11, 16);
const money = (v) => new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(v));
const STRATEGIES = ["baseline", "as_operated", "optimised", "perfect"];

function defaultDay(year) {
  const today = new Date();
  if (year >= today.getFullYear()) return today.toISOString().slice(0, 10);
  return `${year}-06-04`;
}

async function loadPlan(ctx, day) {
  // Ask the list first: a day without a plan is an empty list, not an error.
  const found = await api.get(`${base(ctx.parkId)}/plans`, { start: day, end: day });
  return found.length ? api.get(`${base(ctx.parkId)}/plans/${enc(day)}`) : null;
}

function kpis(plan) {
  const k = plan.kpis;
  return el(
    "div",
    { class: "kpis" },
    kpi(t("dispatch.kpi.cost"), money(k.cost_cny), t("dispatch.cny"), { testid: "kpi-plan-cost" }),
    kpi(t("dispatch.kpi.saved"), money(k.cost_saved_cny), t("dispatch.cny"), { testid: "kpi-plan-saved", hint: t("dispatch.kpi.saved_hint") }),
    kpi(t("dispatch.kpi.peak"), fmtNumber(k.peak_kw, 0), "kW", { testid: "kpi-plan-peak" }),
    kpi(t("dispatch.kpi.peak_reduced"), fmtNumber(k.peak_reduced_kw, 0), "kW", { testid: "kpi-plan-peak-reduced" }),
    kpi(t("dispatch.kpi.co2"), fmtNumber(k.co2_avoided_t, 2), "tCO₂", { testid: "kpi-plan-co2" }),
  );
}

function forecastChart(plan) {
  const x = plan.hours.map(hourLabel);
  const series = [
    { name: t("dispatch.demand_forecast"), type: "line", data: plan.schedules.demand_forecast_kw, lineStyle: { type: "dashed" } },
    { name: t("dispatch.pv_forecast"), type: "line", data: plan.schedules.pv_forecast_kw, lineStyle: { type: "dashed" } },
  ];
  if (plan.actual.demand_kw) series.push({ name: t("dispatch.demand_actual"), type: "line", data: plan.actual.demand_kw });
  if (plan.actual.pv_kw) series.push({ name: t("dispatch.pv_actual"), type: "line", data: plan.actual.pv_kw });
  return chart(
    {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 60, bottom: 30 },
      xAxis: { type: "category", data: x },
      yAxis: { type: "value", name: "kW" },
      series,
    },
    { height: 280, testid: "chart-forecast", ariaLabel: t("dispatch.forecast_vs_actual") },
  );
}

function batteryChart(plan) {
  const x = plan.hours.map(hourLabel);
  const assets = Object.keys(plan.schedules).filter((k) => k.startsWith("setpoint_kw:")).map((k) => k.slice(12));
  if (!assets.length) return empty("dispatch.no_battery");
  const series = [];
  for (const asset of assets) {
    series.push({ name: t("dispatch.setpoint", { asset }), type: "bar", data: plan.schedules[`setpoint_kw:${asset}`] });
    series.push({ name: t("dispatch.soc", { asset }), type: "line", yAxisIndex: 1, data: plan.schedules[`soc_kwh:${asset}`] });
  }
  return chart(
    {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 70, right: 70, top: 60, bottom: 30 },
      xAxis: { type: "category", data: x },
      yAxis: [
        { type: "value", name: t("dispatch.setpoint_axis") },
        { type: "value", name: "kWh" },
      ],
      series,
    },
    { height: 280, testid: "chart-battery", ariaLabel: t("dispatch.plan_per_asset") },
  );
}

function importChart(plan) {
  const x = plan.hours.map(hourLabel);
  const floors = Object.values(plan.inputs.peak_floor_kw || {});
  const peak = Math.max(plan.kpis.peak_kw || 0, ...floors);
  const series = [
    {
      name: t("dispatch.import_planned"),
      type: "line",
      data: plan.schedules.grid_import_kw,
      markLine: { symbol: "none", label: { formatter: t("dispatch.peak_line"), position: "insideEndTop" }, data: [{ yAxis: Math.round(peak) }] },
    },
  ];
  if (plan.actual.import_kw) series.push({ name: t("dispatch.import_actual"), type: "line", data: plan.actual.import_kw });
  return chart(
    {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 60, bottom: 30 },
      xAxis: { type: "category", data: x },
      yAxis: { type: "value", name: "kW" },
      series,
    },
    { height: 260, testid: "chart-import", ariaLabel: t("dispatch.import_vs_peak") },
  );
}

function deliveriesTable(plan) {
  return table(
    [
      { key: "asset_id", label: t("dispatch.asset"), format: (v) => el("code", { text: v }) },
      { key: "channel", label: t("dispatch.channel"), format: (v) => el("code", { text: v }) },
      { key: "target", label: t("dispatch.target"), format: (v) => el("code", { text: v }) },
      { key: "ok", label: t("dispatch.result"), format: (v, r) => (v ? t("dispatch.delivered") : `${t("dispatch.failed")} ${r.error || ""}`) },
      { key: "at", label: t("dispatch.at"), format: (v) => new Date(v).toLocaleString(locale()) },
    ],
    plan.deliveries,
    { testid: "table-deliveries" },
  );
}

function forecastBody(doc) {
  const x = doc.hours.map((h) => `${h.slice(5, 10)} ${hourLabel(h)}`);
  const low = doc.quantiles["0.1"] || [];
  const high = doc.quantiles["0.9"] || [];
  const band = high.map((v, i) => v - (low[i] ?? v));
  return [
    el("p", { class: "muted", "data-raw": "1", text: t("dispatch.forecast_meta", { series: doc.series, model: doc.model, origin: doc.origin.slice(0, 16).replace("T", " ") }) }),
    chart(
      {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [t("dispatch.forecast"), t("dispatch.measured"), t("dispatch.band")] },
        grid: { left: 70, right: 20, top: 60, bottom: 30 },
        xAxis: { type: "category", data: x },
        yAxis: { type: "value", name: doc.unit },
        series: [
          { name: "low", type: "line", data: low, stack: "band", lineStyle: { opacity: 0 }, symbol: "none", tooltip: { show: false } },
          { name: t("dispatch.band"), type: "line", data: band, stack: "band", lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { opacity: 0.2 } },
          { name: t("dispatch.forecast"), type: "line", data: doc.values },
          { name: t("dispatch.measured"), type: "line", data: doc.actual },
        ],
      },
      { height: 260, testid: "chart-meter-forecast", ariaLabel: t("dispatch.meter_forecast") },
    ),
    table(
      [
        { key: "model", label: t("dispatch.model"), format: (v, r) => el("code", { text: r.chosen ? `★ ${v}` : v }) },
        { key: "mape", label: "MAPE %", num: true, digits: 2 },
        { key: "mase", label: "MASE", num: true, digits: 3 },
        { key: "nmae", label: "nMAE", num: true, digits: 3 },
      ],
      doc.scores,
      { testid: "table-backtest" },
    ),
  ];
}

function meterForecastPanel(ctx, dayInput) {
  const meter = el("input", { type: "text", value: "grid_main", list: "dispatch-meters", "aria-label": t("dispatch.meter"), "data-testid": "forecast-meter", size: 14 });
  const options = el("datalist", { id: "dispatch-meters" });
  const run = el("button", { type: "button", class: "btn btn-small", "data-testid": "forecast-run", text: t("dispatch.forecast_run") });
  const out = el("div", { "data-testid": "forecast-result" });
  const card = panel(
    "dispatch.meter_forecast",
    async (body) => {
      body.append(options, out);
      try {
        const meters = await api.get(`/parks/${enc(ctx.parkId)}/meters`);
        const items = Array.isArray(meters) ? meters : meters.items || [];
        options.replaceChildren(...items.map((m) => el("option", { value: m.id })));
      } catch {
        /* the list is a convenience */
      }
      const show = async () => {
        const stored = await api.get(`/parks/${enc(ctx.parkId)}/forecasts`);
        if (!stored.includes(meter.value)) {
          out.replaceChildren(empty("dispatch.no_forecast"));
          return;
        }
        out.replaceChildren(...forecastBody(await api.get(`/parks/${enc(ctx.parkId)}/forecasts/${enc(meter.value)}`)));
      };
      run.onclick = async () => {
        run.disabled = true;
        out.replaceChildren(el("div", { class: "state loading", text: t("dispatch.forecasting") }));
        try {
          out.replaceChildren(...forecastBody(await api.post(`/parks/${enc(ctx.parkId)}/forecasts/${enc(meter.value)}`, undefined, { horizon: "1d", day: dayInput.value })));
        } catch (error) {
          out.replaceChildren(el("div", { class: "state error", text: `${t("state.error")} ${error.message}` }));
        } finally {
          run.disabled = false;
        }
      };
      meter.addEventListener("change", show);
      await show();
    },
    { className: "span-12", testid: "panel-meter-forecast", extra: el("span", { class: "dl-actions" }, meter, ctx.canEdit ? run : null) },
  );
  return card;
}

function replayPanel(ctx, year) {
  const month = el("input", { type: "month", value: `${year}-03`, "aria-label": t("dispatch.replay_month"), "data-testid": "replay-month" });
  const run = el("button", { type: "button", class: "btn btn-small", "data-testid": "replay-run", text: t("dispatch.replay_run") });
  const card = panel(
    "dispatch.replay",
    async (body) => {
      body.append(el("p", { class: "muted", text: t("dispatch.replay_hint") }));
      const out = el("div", { "data-testid": "replay-result" });
      body.append(out);
      run.onclick = async () => {
        const [y, m] = month.value.split("-").map(Number);
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        out.replaceChildren(el("div", { class: "state loading", text: t("dispatch.replaying") }));
        run.disabled = true;
        try {
          const doc = await api.get(`${base(ctx.parkId)}/replay`, { start: `${month.value}-01`, end: `${month.value}-${String(last).padStart(2, "0")}` });
          const rows = STRATEGIES.map((s) => ({ id: s, ...doc.strategies[s] }));
          out.replaceChildren(
            table(
              [
                { key: "id", label: t("dispatch.strategy"), format: (v) => t(`dispatch.strategies.${v}`) },
                { key: "energy_cny", label: t("dispatch.energy_cny"), num: true, format: money },
                { key: "demand_charge_cny", label: t("dispatch.demand_cny"), num: true, format: money },
                { key: "total_cny", label: t("dispatch.total_cny"), num: true, format: money },
                { key: "saving_cny", label: t("dispatch.saving_cny"), num: true, format: money },
              ],
              rows,
              { testid: "table-replay" },
            ),
            el("p", { class: "muted", text: doc.capture === null ? t("dispatch.capture_none") : t("dispatch.capture", { share: fmtNumber(doc.capture * 100, 1) }) }),
            chart(
              {
                tooltip: { trigger: "axis" },
                legend: { top: 0 },
                grid: { left: 70, right: 20, top: 60, bottom: 30 },
                xAxis: { type: "category", data: doc.days.map((d) => d.slice(5)) },
                yAxis: { type: "value", name: "kW" },
                series: STRATEGIES.map((s) => ({ name: t(`dispatch.strategies.${s}`), type: "line", data: doc.daily_peak_kw[s] })),
              },
              { height: 260, testid: "chart-replay", ariaLabel: t("dispatch.daily_peak") },
            ),
          );
        } catch (error) {
          out.replaceChildren(el("div", { class: "state error", text: `${t("state.error")} ${error.message}` }));
        } finally {
          run.disabled = false;
        }
      };
    },
    { className: "span-12", testid: "panel-replay", extra: el("span", { class: "dl-actions" }, month, run) },
  );
  return card;
}

export async function render(ctx) {
  const year = await dataYear(ctx);
  const view = el("div", { class: "page page-dispatch" });
  const dayInput = el("input", { type: "date", value: sessionStorage.getItem("zeropark.dispatch.day") || defaultDay(year), "aria-label": t("dispatch.day"), "data-testid": "dispatch-day" });
  const actions = [dayInput];
  const planButton = el("button", { type: "button", class: "btn", "data-testid": "dispatch-plan", text: t("dispatch.make_plan") });
  const publishButton = el("button", { type: "button", class: "btn btn-secondary", "data-testid": "dispatch-publish", text: t("dispatch.publish") });
  if (ctx.canEdit) actions.push(planButton, publishButton);
  view.append(pageHeader("dispatch.title", t("dispatch.subtitle"), ...actions));
  const grid = el("div", { class: "grid" });
  view.append(grid);

  const show = async () => {
    const day = dayInput.value;
    sessionStorage.setItem("zeropark.dispatch.day", day);
    grid.replaceChildren();
    const plan = await loadPlan(ctx, day);
    if (!plan) {
      grid.append(
        panel("dispatch.plan", async (body) => body.append(empty(ctx.canEdit ? "dispatch.no_plan_admin" : "dispatch.no_plan")), { className: "span-12", testid: "panel-no-plan" }),
      );
    } else {
      grid.append(
        panel("dispatch.plan", async (body) => {
          body.append(el("p", { class: "muted", "data-raw": "1", text: t("dispatch.plan_meta", { day: plan.plan_date, version: plan.version, by: plan.created_by, model: plan.inputs.forecaster || "—" }) }), kpis(plan));
        }, { className: "span-12", testid: "panel-plan" }),
        panel("dispatch.forecast_vs_actual", async (body) => body.append(forecastChart(plan)), { className: "span-6", testid: "panel-forecast" }),
        panel("dispatch.plan_per_asset", async (body) => body.append(batteryChart(plan)), { className: "span-6", testid: "panel-battery" }),
        panel("dispatch.import_vs_peak", async (body) => body.append(importChart(plan)), { className: "span-6", testid: "panel-import" }),
        panel("dispatch.deliveries", async (body) => body.append(deliveriesTable(plan)), { className: "span-6", testid: "panel-deliveries" }),
      );
    }
    grid.append(meterForecastPanel(ctx, dayInput));
    if (ctx.canEdit) grid.append(replayPanel(ctx, year));
  };
  dayInput.addEventListener("change", show);
  planButton.addEventListener("click", async () => {
    planButton.disabled = true;
    try {
      const plan = await api.post(`${base(ctx.parkId)}/plans/${enc(dayInput.value)}`);
      toast(t("dispatch.planned", { day: plan.plan_date, version: plan.version }));
      await show();
    } catch (error) {
      toast(`${t("state.error")} ${error.message}`, "error");
    } finally {
      planButton.disabled = false;
    }
  });
  publishButton.addEventListener("click", async () => {
    publishButton.disabled = true;
    try {
      const deliveries = await api.post(`${base(ctx.parkId)}/plans/${enc(dayInput.value)}/publish`);
      const ok = deliveries.filter((d) => d.ok).length;
      toast(t("dispatch.published", { ok, total: deliveries.length }), ok === deliveries.length ? "info" : "error");
      await show();
    } catch (error) {
      toast(`${t("state.error")} ${error.message}`, "error");
    } finally {
      publishButton.disabled = false;
    }
  });
  await show();
  return view;
}
