// Energy: consumption stacked by tenant, building or carrier, per hour, day or month, and the
// time-of-use split (critical peak / peak / flat / valley) per month of the park's schedule.
import { api } from "../api.js";
import { dataYear, list, localMidnight, monthLabel, paths, pick, tzOffset, yearSelect } from "../data.js";
import { fmtBucket, fmtNumber, fmtPercent, getLang, getTimezone, label, t } from "../i18n.js";
import { chart, el, empty, pageHeader, panel, segmented, table } from "../ui.js";

const TOU_COLORS = { critical_peak: "#7f1d1d", peak: "#dc2626", flat: "#f59e0b", valley: "#2563eb", uncovered: "#94a3b8" };

/** Turn the answer into {buckets, series:[{name, values}], unit}, from either a wide answer
 * (buckets + series) or a long one (rows of {start, group, quantity}). */
export function shape(answer, groupBy, names = new Map()) {
  const groups = list(pick(answer, "groups") || []);
  if (groups.length) {
    // One unit per chart: the unit most groups use (electricity, kWh, in a park).
    const counts = {};
    groups.forEach((g) => (counts[g.unit] = (counts[g.unit] || 0) + 1));
    const unit = counts.kWh ? "kWh" : Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
    const kept = groups.filter((g) => g.unit === unit);
    const buckets = [...new Set(kept.flatMap((g) => g.rows.map((r) => r.start)))].sort();
    const index = new Map(buckets.map((b, i) => [b, i]));
    return {
      unit,
      buckets,
      series: kept.map((g) => {
        const values = new Array(buckets.length).fill(0);
        g.rows.forEach((r) => (values[index.get(r.start)] = Number(r.quantity || 0)));
        const name = g.group == null ? t("energy.unassigned") : groupBy === "carrier" ? label("carrier", g.group) : names.get(g.group) ?? g.group;
        return { name, values };
      }),
    };
  }
  const unit = pick(answer, "unit") || "kWh";
  const series = list(pick(answer, "series") || []);
  if (series.length) {
    const buckets = list(pick(answer, "buckets", "periods", "starts") || []);
    return {
      unit,
      buckets,
      series: series.map((s) => ({ name: s.name || label(groupBy, s.key ?? s.id ?? s.group), values: s.values || s.data || s.quantities || [] })),
    };
  }
  const rows = list(answer, "rows");
  const buckets = [...new Set(rows.map((r) => pick(r, "start", "period", "bucket")))];
  const index = new Map(buckets.map((b, i) => [b, i]));
  const byGroup = new Map();
  for (const row of rows) {
    const key = pick(row, "name", "group", "key", groupBy) ?? "—";
    if (!byGroup.has(key)) byGroup.set(key, new Array(buckets.length).fill(0));
    byGroup.get(key)[index.get(pick(row, "start", "period", "bucket"))] += Number(pick(row, "quantity", "energy_kwh", "value") ?? 0);
  }
  return { unit, buckets, series: [...byGroup].map(([key, values]) => ({ name: groupBy === "carrier" ? label("carrier", key) : key, values })) };
}

function stackedChart(data, interval) {
  return chart(
    {
      tooltip: { trigger: "axis", valueFormatter: (v) => `${fmtNumber(v, 1)} ${data.unit}` },
      legend: { type: "scroll", top: 0 },
      grid: { left: 16, right: 16, top: 56, bottom: 40, containLabel: true },
      dataZoom: data.buckets.length > 60 ? [{ type: "slider", bottom: 8, height: 18 }] : [],
      xAxis: { type: "category", data: data.buckets.map((b) => fmtBucket(b, interval)) },
      yAxis: { type: "value", name: data.unit, nameTextStyle: { align: "left" }, axisLabel: { formatter: (v) => fmtNumber(v, 0) } },
      series: data.series.map((s) => ({ type: "bar", stack: "total", name: s.name, data: s.values, barMaxWidth: 28, emphasis: { focus: "series" } })),
    },
    { height: 360, testid: "energy-chart", ariaLabel: t("energy.chart") },
  );
}

/** A period's name: the catalogue's label of the code, else the server's. */
function touName(period) {
  const text = label("tou", period.code);
  return text !== String(period.code).replaceAll("_", " ") ? text : (getLang() === "zh" ? period.label_zh : period.label_en) || text;
}

/** The time-of-use split per month: stacked bars (critical peak, peak, flat, valley, and
 * consumption in months the schedule does not cover). */
function touChart(answer) {
  const codes = list(answer.periods).map((p) => p.code);
  const rows = list(answer.rows);
  const names = new Map(list(answer.periods).map((p) => [p.code, touName(p)]));
  const keys = [...codes];
  if (rows.some((r) => Number(r.uncovered || 0) > 0)) keys.push("uncovered");
  return chart(
    {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => `${fmtNumber(v, 0)} kWh` },
      legend: { top: 0 },
      grid: { left: 16, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: rows.map((r) => monthLabel(r.period, { year: false })), axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: "kWh", nameTextStyle: { align: "left" }, axisLabel: { formatter: (v) => fmtNumber(v, 0) } },
      series: keys.map((k) => ({
        type: "bar",
        stack: "tou",
        name: k === "uncovered" ? t("energy.tou_uncovered") : names.get(k) ?? label("tou", k),
        data: rows.map((r) => Number(r[k] || 0)),
        itemStyle: { color: TOU_COLORS[k] },
        barMaxWidth: 36,
        emphasis: { focus: "series" },
      })),
    },
    { height: 320, testid: "tou-chart", ariaLabel: t("energy.tou") },
  );
}

/** The year's totals per period with their shares. */
function touTable(answer) {
  const total = Number(answer.total_kwh) || 0;
  const rows = list(answer.periods).map((p) => ({ name: touName(p), code: p.code, kwh: Number(p.kwh) }));
  if (Number(answer.uncovered_kwh) > 0) rows.push({ name: t("energy.tou_uncovered"), code: "uncovered", kwh: Number(answer.uncovered_kwh) });
  return table(
    [
      { key: "name", label: t("energy.tou_period"), format: (v, r) => el("span", {}, el("span", { class: "swatch", style: `background:${TOU_COLORS[r.code] || "#94a3b8"}` }), v) },
      { key: "kwh", label: "kWh", num: true, digits: 0 },
      { key: "share", label: t("energy.share"), num: true, value: (r) => (total ? r.kwh / total : null), format: (v) => fmtPercent(v) },
    ],
    rows,
    { testid: "tou-table" },
  );
}

/** The "not configured" state: the park has no time-of-use schedule, so nothing is split. */
function touNotConfigured() {
  return el(
    "div",
    { class: "state empty", "data-testid": "tou-not-configured" },
    el("strong", { text: t("energy.tou_not_configured") }),
    el("div", { class: "muted", text: t("energy.tou_not_configured_hint") }),
  );
}

/** The query window: the year for days and months, its last month for hours (park-local). */
function window(year, interval) {
  const offset = tzOffset(getTimezone(), new Date(`${year}-07-01T00:00:00Z`));
  if (interval === "hour") return { start: `${year}-12-01T00:00:00${offset}`, end: `${Number(year) + 1}-01-01T00:00:00${offset}` };
  return { start: `${year}-01-01T00:00:00${offset}`, end: `${Number(year) + 1}-01-01T00:00:00${offset}` };
}

export async function render(ctx) {
  const view = el("div", { class: "page page-energy" });
  const state = { groupBy: ctx.isTenant ? "carrier" : "tenant", interval: "month" };
  const controls = el("div", { class: "page-actions" });
  const yearPicker = yearSelect(await dataYear(ctx), () => draw());
  const names = new Map();
  const touCache = {}; // the time-of-use split depends on the year only
  await Promise.all(
    [paths.tenants(ctx.parkId), paths.buildings(ctx.parkId)].map((path) =>
      api.get(path, { limit: 1000 }).then((answer) => list(answer).forEach((r) => names.set(r.id, (getLang() === "en" && r.name_en) || r.name || r.id)), () => null),
    ),
  );
  view.append(pageHeader("energy.title", t("energy.subtitle"), controls));
  const grid = el("div", { class: "grid" });
  view.append(grid);

  const draw = () => {
    const groups = [["carrier", t("energy.by.carrier")]];
    if (!ctx.isTenant) groups.unshift(["tenant", t("energy.by.tenant")], ["building", t("energy.by.building")]);
    controls.replaceChildren(
      yearPicker,
      segmented(t("energy.group_by"), groups, state.groupBy, (v) => ((state.groupBy = v), draw())),
      segmented(t("energy.interval"), [["hour", t("interval.hour")], ["day", t("interval.day")], ["month", t("interval.month")]], state.interval, (v) => ((state.interval = v), draw())),
    );
    const params = { group_by: state.groupBy, interval: state.interval, ...window(yearPicker.value, state.interval) };
    let answer;
    const load = () => (answer ??= api.get(paths.energy(ctx.parkId), params));
    const year = Number(yearPicker.value);
    const touKey = `${year}`;
    if (touCache.key !== touKey) {
      const tz = getTimezone();
      touCache.key = touKey;
      touCache.answer = api.get(paths.energyTou(ctx.parkId), { start: localMidnight(`${year}-01-01`, tz), end: localMidnight(`${year + 1}-01-01`, tz), bucket: "month" });
    }
    const loadTou = () => touCache.answer;
    grid.replaceChildren(
      panel(
        "energy.chart",
        async (body) => {
          const data = shape(await load(), state.groupBy, names);
          if (!data.buckets.length) return body.append(empty());
          body.append(stackedChart(data, state.interval));
        },
        { className: "span-12", testid: "panel-energy" },
      ),
      panel(
        "energy.tou",
        async (body) => {
          const tou = await loadTou();
          if (!tou.configured) return body.append(touNotConfigured());
          if (!list(tou.rows).length) return body.append(empty());
          body.append(touChart(tou));
          if (tou.note) body.append(el("p", { class: "footnote muted", text: t("energy.tou_note", { note: tou.note }) }));
        },
        { className: "span-8", testid: "panel-tou" },
      ),
      panel(
        "energy.tou_totals",
        async (body) => {
          const tou = await loadTou();
          if (!tou.configured) return body.append(empty("energy.tou_none"));
          body.append(
            touTable(tou),
            el("p", { class: "footnote muted", text: t("energy.tou_meters", { meters: list(tou.meters).join(", ") || "—" }) }),
          );
        },
        { className: "span-4", testid: "panel-tou-totals" },
      ),
      panel(
        "energy.table",
        async (body) => {
          const data = shape(await load(), state.groupBy, names);
          const rows = data.series.map((s) => ({ name: s.name, total: s.values.reduce((a, b) => a + Number(b || 0), 0) }));
          const sum = rows.reduce((a, r) => a + r.total, 0);
          rows.sort((a, b) => b.total - a.total);
          body.append(
            table(
              [
                { key: "name", label: t(`energy.by.${state.groupBy}`) },
                { key: "total", label: `${t("energy.total")} (${data.unit})`, num: true, digits: 0 },
                { key: "share", label: t("energy.share"), num: true, value: (r) => (sum ? r.total / sum : null), format: (v) => fmtPercent(v) },
              ],
              rows,
              { testid: "energy-table" },
            ),
          );
        },
        { className: "span-12", testid: "panel-energy-table" },
      ),
    );
  };
  draw();
  return view;
}
