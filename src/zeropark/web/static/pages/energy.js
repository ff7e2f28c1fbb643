// Energy: consumption stacked by tenant, building or carrier, per hour, day or month, and the
// time-of-use split (peak / flat / valley).
import { api } from "../api.js";
import { dataYear, list, notProvided, paths, pick, tzOffset, yearSelect } from "../data.js";
import { fmtBucket, fmtNumber, fmtPercent, getLang, getTimezone, label, t } from "../i18n.js";
import { chart, el, empty, pageHeader, panel, segmented, table } from "../ui.js";

const TOU_COLORS = { peak: "#dc2626", sharp: "#991b1b", flat: "#f59e0b", valley: "#2563eb", deep_valley: "#1e3a8a" };

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

function touChart(tou) {
  const entries = Object.entries(tou).filter(([, v]) => v != null && typeof v !== "object");
  return chart(
    {
      tooltip: { trigger: "item", valueFormatter: (v) => `${fmtNumber(v, 0)} kWh` },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["45%", "72%"],
          center: ["50%", "45%"],
          label: { formatter: (p) => `${p.name}\n${fmtPercent(p.percent / 100)}` },
          data: entries.map(([k, v]) => ({ name: label("tou", k), value: Number(v), itemStyle: { color: TOU_COLORS[k] } })),
        },
      ],
    },
    { height: 300, testid: "tou-chart", ariaLabel: t("energy.tou") },
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
    grid.replaceChildren(
      panel(
        "energy.chart",
        async (body) => {
          const data = shape(await load(), state.groupBy, names);
          if (!data.buckets.length) return body.append(empty());
          body.append(stackedChart(data, state.interval));
        },
        { className: "span-8", testid: "panel-energy" },
      ),
      panel(
        "energy.tou",
        async (body) => {
          const data = await load();
          const tou = pick(data, "tou_kwh", "tou", "time_of_use");
          if (!tou || !Object.keys(tou).length) throw notProvided(`/parks/${ctx.parkId}/energy → tou_kwh`);
          body.append(touChart(tou));
        },
        { className: "span-4", testid: "panel-tou" },
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
