"""The inventory report's content, independent of the file format (xlsx and pdf render it).

Sections follow the national enterprise GHG report (企业温室气体排放报告): basic information,
accounting boundary, emissions (every method side by side, each figure named with its method),
monthly emissions, emissions by tenant (入驻企业), activity data and factors with every method's
column, data quality (the not-quantified lines grouped into one table), the method comparison
and energy (综合能耗), and a declaration with the verifier's fields (核查机构意见, signature,
date) left blank to fill in.

The whole report is in one language, ``zh`` or ``en`` (the caller's, :func:`zeropark.i18n.t`);
entities appear under their company names; the report date comes from the injected clock
(:mod:`zeropark.clock`), passed in by the caller.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from zeropark.data.factors import load_items
from zeropark.domain.accounting import METHOD_LABELS, METHODS, Inventory, LineResult, Method
from zeropark.domain.categories import CATEGORIES
from zeropark.domain.energy.headline import DEFINITIONS, headline_figures
from zeropark.i18n import Lang, get_lang, t, use_lang
from zeropark.service.inventory import StoredInventory

__all__ = [
    "Cell",
    "Chart",
    "Report",
    "Section",
    "SignOff",
    "Table",
    "build_report",
    "method_short",
]

Cell = str | float | int | None


@dataclass
class Table:
    """A table: column headers (units in the header, e.g. ``… (tCO2e)``) and rows of cells
    (numbers stay numbers). ``weights``: relative column widths; ``total_rows``: the last rows
    are totals; ``title``: an optional caption."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    weights: list[float] | None = None
    total_rows: int = 0
    title: str = ""


@dataclass
class Chart:
    """A bar chart's data: categories on one axis, one series per legend entry, in ``unit``."""

    title: str
    unit: str
    categories: list[str]
    series: dict[str, list[float]]
    horizontal: bool = False
    stacked: bool = False


@dataclass
class Section:
    """A numbered section: title, the xlsx sheet name (≤ 31 characters), paragraphs, tables
    and charts."""

    title: str
    sheet: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class SignOff:
    """The declaration: the statement and blocks of fields (label, value; empty to fill in)."""

    title: str
    sheet: str
    statement: str
    blocks: list[tuple[str, list[tuple[str, str]]]]


@dataclass
class Report:
    """A whole report in one language: cover, contents title, sections and the sign-off."""

    lang: Lang
    title: str
    subtitle: str
    cover: list[tuple[str, str]]
    contents_title: str
    sections: list[Section]
    sign_off: SignOff
    footer: str


_SHORT: dict[Method, tuple[str, str]] = {
    "cn_national": ("国家方法", "National method"),
    "ghg_location": ("GHG 基于位置", "GHG location-based"),
    "ghg_market": ("GHG 基于市场", "GHG market-based"),
    "zero_carbon_park": ("零碳园区口径", "Zero-carbon park method"),
}
_SCOPES = {"1": ("范围一", "Scope 1"), "2": ("范围二", "Scope 2"), "3": ("范围三", "Scope 3")}


def method_short(method: Method) -> str:
    """A method's short name in the current language (table columns, chart legends)."""
    return t(*_SHORT[method])


def _method_long(method: Method) -> str:
    return t(*METHOD_LABELS[method])


def _method_columns(unit: str = "tCO2e") -> list[str]:
    return [f"{method_short(m)} ({unit})" for m in METHODS]


class _Names:
    """Display names in the report's language: company names, categories, items."""

    def __init__(self, stored: StoredInventory, tenant_names: Mapping[str, str]) -> None:
        park = stored.park
        self.park = (park.name_en or park.name) if get_lang() == "en" else park.name
        self.entities = dict(tenant_names)
        self.entities.setdefault(park.id, self.park)
        if stored.tenant is not None:
            tenant = stored.tenant
            own = (tenant.name_en or tenant.name) if get_lang() == "en" else tenant.name
            self.entities.setdefault(tenant.id, own)
        self.items = load_items()

    def entity(self, entity_id: str) -> str:
        return self.entities.get(entity_id, entity_id)

    def category(self, code: str) -> str:
        c = CATEGORIES.get(code)
        return t(c.name_zh, c.name_en) if c else code

    def item(self, text: str) -> str:
        found = self.items.find(text)
        return t(found.name_zh, found.name_en) if found else text


def _fmt_t(value: float) -> str:
    return f"{value:,.1f}"


def _basic(s: StoredInventory, n: _Names, version: int | None, issued: str) -> Section:
    inv = s.inventory
    rows: list[list[Cell]] = [
        [t("报告主体", "Reporting entity"), n.entity(s.entity)],
        [t("主体代码", "Entity id"), s.entity],
        [t("所在园区", "Park"), f"{n.park} ({s.park.id})"],
        [t("省份/电网区域", "Province / grid region"), f"{s.park.province} / {inv.options.region}"],
        [t("报告年度", "Reporting year"), str(s.year)],
        [t("核算方法", "Accounting methods"), "; ".join(_method_long(m) for m in METHODS)],
        [t("全球增温潜势（100年）", "GWP set (100-year)"), inv.options.gwp_set],
        [t("报告日期", "Report date"), issued],
        [
            t("版本", "Version"),
            str(version) if version is not None else t("草稿（未发布）", "draft (not published)"),
        ],
        [t("输入数据哈希（sha256）", "Input hash (sha256)"), inv.input_hash],
    ]
    if s.tenant is not None:
        rows.insert(2, [t("行业代码", "Industry code"), s.tenant.industry_code or "-"])
    for dataset, versions in sorted(inv.factor_versions.items()):
        rows.append(
            [t("因子数据集版本", "Factor dataset versions"), f"{dataset}: {', '.join(versions)}"]
        )
    return Section(
        t("1 基本信息", "1 Basic information"),
        t("1 基本信息", "1 Basic information"),
        tables=[Table([t("项目", "Item"), t("内容", "Value")], rows, weights=[1, 3])],
    )


def _boundary(s: StoredInventory, n: _Names) -> Section:
    roles = {
        "counted": t("计入", "counted"),
        "sub_meter": t("分表（已含于上级表）", "sub-meter (in its parent)"),
        "unmapped": t("未映射，不计入", "unmapped, ignored"),
    }
    table = Table(
        [
            t("表计", "Meter"),
            t("名称", "Name"),
            t("所属企业", "Company"),
            t("上级表", "Parent"),
            t("核算类别", "Category"),
            t("作用", "Role"),
            t("年度数量", "Annual quantity"),
            t("单位", "Unit"),
        ],
        weights=[1.3, 1.8, 1.8, 1.2, 1.5, 1.6, 1.2, 0.6],
    )
    for m in s.meters:
        table.rows.append(
            [
                m.id,
                m.name or "",
                n.entity(m.tenant_id) if m.tenant_id else n.park,
                m.parent_id or "",
                n.category(m.category) if m.category else "-",
                roles[m.role],
                m.quantity,
                m.unit,
            ]
        )
    scope = t("园区整体", "the whole park") if s.tenant is None else t("本企业", "this company")
    return Section(
        t("2 核算边界", "2 Accounting boundary"),
        t("2 核算边界", "2 Boundary"),
        paragraphs=[
            t(
                "边界内每条计量支路只计一次：计入最上级的已映射表计，分表用于归属，不重复计入；"
                "无核算映射的表计（如储能放电）不计入。",
                "Each metered quantity counts once: the topmost mapped meter of each branch is "
                "counted; sub-meters are for attribution; unmapped meters (battery discharge) "
                "are ignored.",
            ),
            t(
                f"边界：{scope}；活动数据记录 {s.records} 条。",
                f"Boundary: {scope}; {s.records} activity records.",
            ),
        ],
        tables=[table],
    )


def _emissions(s: StoredInventory, n: _Names) -> Section:
    totals = s.inventory.totals
    figures = "; ".join(f"{_method_long(m)}: {_fmt_t(totals[m].gross_t)} tCO2e" for m in METHODS)
    scopes = sorted({k for tt in totals.values() for k in tt.by_scope})
    by_scope = Table([t("范围", "Scope"), *_method_columns()], weights=[1.6, 1, 1, 1, 1])
    for scope in scopes:
        label = t(*_SCOPES[scope]) if scope in _SCOPES else scope
        by_scope.rows.append([label, *(totals[m].by_scope.get(scope, 0.0) for m in METHODS)])
    for label, attr in (
        (t("总排放", "Gross"), "gross_t"),
        (t("碳汇清除", "Removals"), "removals_t"),
        (t("碳抵消", "Offsets"), "offsets_t"),
        (t("净排放（距净零差距）", "Net (gap to net zero)"), "net_t"),
    ):
        by_scope.rows.append([label, *(getattr(totals[m], attr) for m in METHODS)])
    by_scope.total_rows = 4
    categories = sorted(
        {c for tt in totals.values() for c in tt.by_category},
        key=lambda c: -max(abs(totals[m].by_category.get(c, 0.0)) for m in METHODS),
    )
    by_cat = Table(
        [t("排放源类别", "Source category"), *_method_columns()], weights=[1.6, 1, 1, 1, 1]
    )
    for code in categories:
        by_cat.rows.append(
            [n.category(code), *(totals[m].by_category.get(code, 0.0) for m in METHODS)]
        )
    gases = sorted({g for tt in totals.values() for g in tt.by_gas})
    by_gas = Table([t("温室气体", "Gas"), *_method_columns()], weights=[1.6, 1, 1, 1, 1])
    for gas in gases:
        by_gas.rows.append([gas, *(totals[m].by_gas.get(gas, 0.0) for m in METHODS)])
    series = {method_short(m): [totals[m].by_scope.get(k, 0.0) for k in scopes] for m in METHODS}
    cat_series = {
        method_short(m): [totals[m].by_category.get(c, 0.0) for c in categories] for m in METHODS
    }
    return Section(
        t("3 排放量汇总", "3 Emissions summary"),
        t("3 排放汇总", "3 Emissions summary"),
        paragraphs=[
            _headline_text(s),
            t(
                "各核算方法的总排放量并列给出，每个数值均注明其方法，不同方法的数值不相加、不混用。",
                "Gross emissions are given for each method side by side, each figure named with "
                "its method; figures of different methods are never added or mixed.",
            ),
            t(f"总排放量：{figures}。", f"Gross emissions: {figures}."),
        ],
        tables=[
            _titled(by_scope, t("按范围（tCO2e）", "By scope (tCO2e)")),
            _titled(by_cat, t("按排放源类别（tCO2e）", "By source category (tCO2e)")),
            _titled(by_gas, t("按温室气体（tCO2e）", "By gas (tCO2e)")),
        ],
        charts=[
            Chart(
                t("按范围的排放量", "Emissions by scope"),
                "tCO2e",
                [t(*_SCOPES[k]) if k in _SCOPES else k for k in scopes],
                series,
            ),
            Chart(
                t("按排放源类别的排放量", "Emissions by source category"),
                "tCO2e",
                [n.category(c) for c in categories],
                cat_series,
                horizontal=True,
            ),
        ],
    )


def _headline_text(s: StoredInventory) -> str:
    """The headline figures (``domain/energy/headline.py``, the one definition every page and
    report uses), each with its definition and the emissions' method named."""
    h = headline_figures(s.inventory)
    share = (
        f"{h.renewable_share:.1%}" if h.renewable_share is not None else t("暂无数据", "no data")
    )
    return t(
        f"核心数据（全平台统一口径）：碳排放量 {_fmt_t(h.emissions_t)} tCO2e"
        f"（{_method_long(h.emissions_method)}）；"
        f"用电量 {h.electricity_consumed_kwh / 1000:,.1f} MWh；"
        f"可再生能源电力占比 {share}；综合能耗 {h.energy_tce:,.1f} tce。"
        f"定义：{DEFINITIONS['electricity_consumed'][0]}；{DEFINITIONS['renewable_share'][0]}。",
        f"Headline figures (one definition on every page): emissions "
        f"{_fmt_t(h.emissions_t)} tCO2e ({_method_long(h.emissions_method)}); electricity "
        f"consumed {h.electricity_consumed_kwh / 1000:,.1f} MWh; renewable share {share}; "
        f"energy {h.energy_tce:,.1f} tce. Definitions: "
        f"{DEFINITIONS['electricity_consumed'][1]}; {DEFINITIONS['renewable_share'][1]}.",
    )


def _titled(table: Table, title: str) -> Table:
    table.title = title
    return table


def _monthly(s: StoredInventory, monthly: Inventory | None) -> Section:
    title = t("4 逐月排放", "4 Monthly emissions")
    sheet = t("4 逐月排放", "4 Monthly emissions")
    months = [f"{s.year:04d}-{m:02d}" for m in range(1, 13)]
    if monthly is None:
        return Section(title, sheet, paragraphs=[t("暂无逐月数据。", "No monthly data.")])
    table = Table(
        [t("月份", "Month"), *_method_columns(), t("综合能耗 (tce)", "Energy (tce)")],
        weights=[1, 1, 1, 1, 1, 1],
    )
    totals = monthly.totals
    for month in months:
        table.rows.append(
            [
                month,
                *(totals[m].by_period.get(month, 0.0) for m in METHODS),
                monthly.energy.by_period.get(month, 0.0),
            ]
        )
    others = sorted(
        {p for m in METHODS for p in totals[m].by_period if p not in months}
        | {p for p in monthly.energy.by_period if p not in months}
    )
    for period in others:
        table.rows.append(
            [
                t(f"{period}（整年/季度记录）", f"{period} (year/quarter records)"),
                *(totals[m].by_period.get(period, 0.0) for m in METHODS),
                monthly.energy.by_period.get(period, 0.0),
            ]
        )
    table.rows.append(
        [
            t("全年合计", "Year total"),
            *(totals[m].gross_t for m in METHODS),
            monthly.energy.total_tce,
        ]
    )
    table.total_rows = 1
    series = {method_short(m): [totals[m].by_period.get(k, 0.0) for k in months] for m in METHODS}
    return Section(
        title,
        sheet,
        paragraphs=[
            t(
                "计量数据按园区当地时间逐月汇总；按整年或季度填报的台账记录不拆分到月份，单列一行，"
                "各月与其合计等于全年总排放。",
                "Metered data are summed per park-local month; records entered for a whole year "
                "or quarter are not split into months and have their own row; months plus those "
                "rows add up to the year's gross.",
            )
        ],
        tables=[table],
        charts=[
            Chart(
                t("逐月总排放量", "Gross emissions by month"),
                "tCO2e",
                [m[5:] for m in months],
                series,
            )
        ],
    )


def _by_tenant(s: StoredInventory, n: _Names) -> Section:
    totals = s.inventory.totals
    entities = sorted(
        {e for m in METHODS for e in totals[m].by_entity},
        key=lambda e: -totals["cn_national"].by_entity.get(e, 0.0),
    )
    table = Table(
        [
            t("企业", "Company"),
            t("主体代码", "Entity id"),
            *_method_columns(),
            t("综合能耗 (tce)", "Energy (tce)"),
        ],
        weights=[2.2, 1, 1, 1, 1, 1, 1],
    )
    for e in entities:
        table.rows.append(
            [
                n.entity(e),
                e,
                *(totals[m].by_entity.get(e, 0.0) for m in METHODS),
                s.inventory.energy.by_entity.get(e, 0.0),
            ]
        )
    table.rows.append(
        [
            t("合计", "Total"),
            "",
            *(totals[m].gross_t for m in METHODS),
            s.inventory.energy.total_tce,
        ]
    )
    table.total_rows = 1
    series = {method_short(m): [totals[m].by_entity.get(e, 0.0) for e in entities] for m in METHODS}
    return Section(
        t("5 分企业排放", "5 Emissions by company"),
        t("5 分企业排放", "5 By company"),
        paragraphs=[
            t(
                "园区公共部分（园区主体代码）单列；各企业之和加公共部分等于园区总排放。",
                "The park's common part (the park's entity id) has its own row; the companies "
                "plus the common part add up to the park's gross.",
            )
        ],
        tables=[table],
        charts=[
            Chart(
                t("分企业排放量", "Emissions by company"),
                "tCO2e",
                [n.entity(e) for e in entities],
                series,
                horizontal=True,
            )
        ],
    )


def _factor_text(r: LineResult) -> tuple[str, str]:
    values = "; ".join(f"{f.role} = {f.value:.6g} {f.unit}" for f in r.factors)
    sources = "; ".join(
        dict.fromkeys(
            f"{f.source} {f.clause}".strip() + f" [{f.dataset} {f.version}]" for f in r.factors
        )
    )
    return values, sources


def _activity(s: StoredInventory, n: _Names) -> Section:
    groups: dict[tuple[str, str, str, str, str], list[LineResult]] = defaultdict(list)
    for r in s.inventory.results:
        ln = r.line
        groups[(ln.entity, ln.category, ln.item, ln.unit, ln.origin)].append(r)
    table = Table(
        [
            t("企业", "Company"),
            t("类别", "Category"),
            t("品种", "Item"),
            t("活动数据", "Activity data"),
            t("单位", "Unit"),
            t("来源", "Origin"),
            t("排放因子及参数", "Factors and parameters"),
            t("出处/条款", "Source / clause"),
            t("温室气体", "Gas"),
            *_method_columns(),
        ],
        weights=[1.4, 1.0, 1.0, 1.35, 0.7, 0.7, 1.85, 2.0, 0.6, 1.15, 1.15, 1.15, 1.15],
    )
    for (entity, category, item, unit, origin), results in sorted(groups.items()):
        values, sources = _factor_text(results[0])
        table.rows.append(
            [
                n.entity(entity),
                n.category(category),
                n.item(item),
                sum(r.line.quantity for r in results),
                unit,
                t("计量", "metered") if origin == "meter" else t("台账", "record"),
                values,
                sources,
                ", ".join(sorted({r.gas for r in results})),
                *(sum(r.co2e_t.get(m, 0.0) for r in results) for m in METHODS),
            ]
        )
    return Section(
        t("6 活动数据及排放因子", "6 Activity data and emission factors"),
        t("6 活动数据与因子", "6 Activity data"),
        paragraphs=[
            t(
                "同一企业、类别、品种、单位的各期数据合并；因子取自该组首条记录。国家方法与零碳园区"
                "口径仅计 CO2，含氟气体（如制冷剂逸散）只计入温室气体核算体系各列。",
                "Periods of the same company, category, item and unit are summed; factors shown "
                "are those of the group's first line. The national and zero-carbon park methods "
                "count CO2 only: fluorinated gases (refrigerant leaks) appear in the GHG "
                "Protocol columns.",
            )
        ],
        tables=[table],
    )


_VERIFICATION = re.compile(r"^(?P<role>\S+) of (?P<dataset>\S+) is (?P<level>.+)$")


def _warning_text(text: str) -> str:
    """An engine warning in the report's language (the patterns the engine words)."""
    match = _VERIFICATION.match(text)
    if match and get_lang() == "zh":
        return f"数据集 {match['dataset']} 的参数 {match['role']} 核验等级：{match['level']}"
    return text


def _quality(s: StoredInventory, n: _Names) -> Section:
    inv = s.inventory
    rows: list[list[Cell]] = [
        [t("计入表计平均数据覆盖率", "Mean coverage of counted meters"), f"{s.coverage:.2%}"],
        [t("估算（补齐）数据占比", "Estimated (gap-filled) share"), f"{s.estimated_share:.2%}"],
        [t("重复计算（已剔除）", "Double counts (excluded)"), len(inv.double_counting)],
        [t("未量化的范围三数据行", "Scope-3 lines not quantified"), len(s.not_quantified)],
    ]
    tables = [Table([t("指标", "Indicator"), t("值", "Value")], rows, weights=[3, 1])]
    if inv.double_counting:
        dc = Table(
            [
                t("企业", "Company"),
                t("类别", "Category"),
                t("品种", "Item"),
                t("台账记录", "Record"),
                t("数量", "Quantity"),
                t("单位", "Unit"),
                t("重复的计量期间", "Metered periods duplicated"),
                t("覆盖", "Coverage"),
            ],
            title=t(
                "与计量数据重复的台账记录（不计入）",
                "Records duplicating metered data (not counted)",
            ),
        )
        for d in inv.double_counting:
            dc.rows.append(
                [
                    n.entity(d.entity),
                    n.category(d.category),
                    n.item(d.item),
                    d.record_ref,
                    d.record_quantity,
                    d.record_unit,
                    ", ".join(d.meter_periods),
                    t("完全", "full") if d.coverage == "full" else t("部分", "partial"),
                ]
            )
        tables.append(dc)
    if s.not_quantified:
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        amounts: dict[tuple[str, str, str], float] = defaultdict(float)
        whose: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for q in s.not_quantified:
            key = (q.category, q.item, q.unit)
            counts[key] += 1
            amounts[key] += q.quantity
            whose[key].add(n.entity(q.entity))
        nq = Table(
            [
                t("类别", "Category"),
                t("品种", "Item"),
                t("数据行", "Lines"),
                t("数量合计", "Total quantity"),
                t("单位", "Unit"),
                t("涉及企业", "Companies"),
            ],
            weights=[1.2, 1.2, 0.6, 1, 0.6, 4],
            title=t(
                "未量化的范围三数据（缺少排放因子，不计入任何合计）",
                "Scope-3 data not quantified (no emission factor; in no total)",
            ),
        )
        joiner = "、" if get_lang() == "zh" else ", "
        for key in sorted(counts):
            category, item, unit = key
            nq.rows.append(
                [
                    n.category(category),
                    n.item(item),
                    counts[key],
                    amounts[key],
                    unit,
                    joiner.join(sorted(whose[key])),
                ]
            )
        tables.append(nq)
    skip = {d.message() for d in inv.double_counting}
    notes = [
        _warning_text(w)
        for w in inv.warnings
        if w not in skip and not (s.not_quantified and "not quantified" in w)
    ]
    paragraphs = []
    if s.not_quantified:
        paragraphs.append(
            t(
                "补充方法：在该数据行给出 emission_factor 与 ef_unit（供应商或实测因子），"
                "或使用含该品种排放因子（参数 ef）的自定义因子集。",
                "To quantify them: give emission_factor and ef_unit on the line (a supplier's "
                "or measured factor), or use a custom factor set with parameter 'ef' for the item.",
            )
        )
    if notes:
        tables.append(Table([t("其他说明", "Other notes")], [[w] for w in notes]))
    return Section(
        t("7 数据质量说明", "7 Data-quality notes"),
        t("7 数据质量", "7 Data quality"),
        paragraphs=paragraphs,
        tables=tables,
    )


def _comparison(s: StoredInventory) -> Section:
    inv = s.inventory
    e, park = inv.energy, inv.park
    energy = Table(
        [t("综合能耗构成", "Energy consumption"), t("数值 (tce)", "Value (tce)")],
        [
            [t("合计", "Total"), e.total_tce],
            [t("化石燃料", "Fossil fuels"), e.fossil_fuel_tce],
            [t("电网电力（净）", "Grid electricity (net)"), e.grid_electricity_tce],
            [t("热力", "Heat"), e.heat_tce],
            [t("自发自用可再生电力", "On-site renewable electricity"), e.onsite_renewable_tce],
            [t("其中绿电", "Of which green electricity"), e.green_electricity_tce],
        ],
        weights=[3, 1],
    )
    methods = Table(
        [
            t("核算方法", "Method"),
            t("范围/口径", "Scope of the method"),
            t("总排放 (tCO2e)", "Gross (tCO2e)"),
            t("净排放 (tCO2e)", "Net (tCO2e)"),
        ],
        [
            [
                _method_long(m),
                _METHOD_SCOPE[m][0 if get_lang() == "zh" else 1],
                inv.totals[m].gross_t,
                inv.totals[m].net_t,
            ]
            for m in METHODS
        ],
        weights=[2.2, 3.4, 1, 1],
    )
    intensity = park.intensity_tco2_per_tce
    text = (
        t(
            f"零碳园区核心指标（单位能耗碳排放，零碳园区口径）：{intensity:.4f} tCO2/tce",
            f"Zero-carbon park core indicator (CO2 per unit energy, zero-carbon park method): "
            f"{intensity:.4f} tCO2/tce",
        )
        if intensity is not None
        else t("零碳园区核心指标：暂无数据", "Zero-carbon park core indicator: no data")
    )
    notes = list(park.notes_zh if get_lang() == "zh" and park.notes_zh else park.notes)
    return Section(
        t("8 核算方法对比与综合能耗", "8 Method comparison and energy"),
        t("8 方法对比与能耗", "8 Methods and energy"),
        paragraphs=[text, *notes],
        tables=[methods, energy],
    )


_METHOD_SCOPE: dict[Method, tuple[str, str]] = {
    "cn_national": (
        "化石燃料燃烧、工业过程、净购入电力和热力的 CO2（国家行业核算指南）",
        "CO2 of fuel combustion, processes, net purchased electricity and heat "
        "(national guidelines)",
    ),
    "ghg_location": (
        "范围一、二（基于位置的电网因子）及声明的范围三，全部温室气体",
        "Scopes 1, 2 (location-based grid factors) and declared scope 3, all gases",
    ),
    "ghg_market": (
        "范围一、二（基于市场：绿电/绿证为零）及声明的范围三，全部温室气体",
        "Scopes 1, 2 (market-based: green power and certificates at zero) and declared scope "
        "3, all gases",
    ),
    "zero_carbon_park": (
        "零碳园区核心指标口径：能源活动与工业过程 CO2，净调入电力与热力按该口径因子",
        "Zero-carbon park core indicator: CO2 of energy and processes, net inflow of electricity "
        "and heat at the method's own factors",
    ),
}


def _sign_off(s: StoredInventory, n: _Names) -> SignOff:
    return SignOff(
        t("9 声明与核查", "9 Declaration and verification"),
        t("9 声明与核查", "9 Declaration"),
        t(
            f"{n.entity(s.entity)}声明：本报告所载 {s.year} 年度温室气体排放数据真实、完整、"
            "准确，活动数据与排放因子均可追溯至其出处。",
            f"{n.entity(s.entity)} declares that the greenhouse-gas data for {s.year} in this "
            "report are true, complete and accurate, and that every activity datum and factor "
            "can be traced to its source.",
        ),
        [
            (
                t("报告主体", "Reporting entity"),
                [
                    (t("单位名称", "Organisation"), n.entity(s.entity)),
                    (
                        t(
                            "法定代表人/授权人签字",
                            "Signature of the legal or authorised representative",
                        ),
                        "",
                    ),
                    (t("日期", "Date"), ""),
                    (t("盖章", "Seal"), ""),
                ],
            ),
            (
                t("核查机构", "Verification body"),
                [
                    (t("核查机构名称", "Verification body"), ""),
                    (t("核查员", "Verifier"), ""),
                    (t("核查意见", "Verification opinion"), ""),
                    ("", ""),
                    ("", ""),
                    (t("核查员签字", "Verifier's signature"), ""),
                    (t("日期", "Date"), ""),
                ],
            ),
        ],
    )


def build_report(
    stored: StoredInventory,
    *,
    version: int | None = None,
    monthly: Inventory | None = None,
    tenant_names: Mapping[str, str] | None = None,
    issued_at: datetime | None = None,
    lang: Lang | None = None,
) -> Report:
    """The report's content for a stored inventory, in ``lang`` (default: the current one).

    ``version``: its published version; ``monthly``: the same inventory at month granularity
    (the monthly section; None: "no monthly data"); ``tenant_names``: entity id → company name
    in ``lang``; ``issued_at``: the report date (from the caller's clock; None: left out).
    """
    with use_lang(lang or get_lang()):
        names = _Names(stored, tenant_names or {})
        tz = ZoneInfo(stored.park.timezone)
        issued = issued_at.astimezone(tz).date().isoformat() if issued_at else "-"
        who = names.entity(stored.entity)
        headline = headline_figures(stored.inventory)
        sections = [
            _basic(stored, names, version, issued),
            _boundary(stored, names),
            _emissions(stored, names),
            _monthly(stored, monthly),
            _by_tenant(stored, names),
            _activity(stored, names),
            _quality(stored, names),
            _comparison(stored),
        ]
        cover = [
            (t("报告主体", "Reporting entity"), who),
            (t("所在园区", "Park"), names.park),
            (t("报告年度", "Reporting year"), str(stored.year)),
            (t("核算方法", "Methods"), "\n".join(_method_long(m) for m in METHODS)),
            (
                t("碳排放量（核心口径）", "Headline emissions"),
                f"{_fmt_t(headline.emissions_t)} tCO2e ({_method_long(headline.emissions_method)})",
            ),
            (
                t("各方法总排放量", "Gross emissions by method"),
                "\n".join(
                    f"{method_short(m)}: {_fmt_t(stored.inventory.totals[m].gross_t)} tCO2e"
                    for m in METHODS
                ),
            ),
            (t("报告日期", "Report date"), issued),
            (
                t("版本", "Version"),
                str(version)
                if version is not None
                else t("草稿（未发布）", "draft (not published)"),
            ),
        ]
        return Report(
            lang=get_lang(),
            title=t(
                f"{stored.year} 年度温室气体排放报告",
                f"Greenhouse gas emission report {stored.year}",
            ),
            subtitle=names.park if stored.tenant is None else f"{who} | {names.park}",
            cover=cover,
            contents_title=t("目录", "Contents"),
            sections=sections,
            sign_off=_sign_off(stored, names),
            footer=t(
                f"{who} | {stored.year} | 第 {{page}} 页", f"{who} | {stored.year} | page {{page}}"
            ),
        )
