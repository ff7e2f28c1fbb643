"""The inventory report's content, independent of the file format (xlsx and pdf render it).

Sections follow the national enterprise GHG report (企业温室气体排放报告): basic information,
accounting boundary, emissions by source category, activity data and factors, data quality, and
the side-by-side method comparison. Every heading and column is bilingual (中文 / English).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from zeropark.domain.accounting import METHOD_LABELS, METHODS, LineResult
from zeropark.domain.categories import CATEGORIES
from zeropark.service.inventory import StoredInventory

__all__ = ["Report", "Section", "Table", "build_report"]

Cell = str | float | int | None


@dataclass
class Table:
    """A table: bilingual column headers and rows of cells (numbers stay numbers)."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Section:
    """A numbered section: bilingual title, paragraphs and tables."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    """A whole report: title, subtitle and sections."""

    title: str
    subtitle: str
    sections: list[Section]


def _bi(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _category(code: str) -> str:
    c = CATEGORIES.get(code)
    return _bi(c.name_zh, c.name_en) if c else code


def _basic(s: StoredInventory) -> Section:
    inv, park = s.inventory, s.park
    rows: list[list[Cell]] = [
        [_bi("报告主体", "Reporting entity"), s.tenant.name if s.tenant else park.name],
        [_bi("主体代码", "Entity id"), s.entity],
        [_bi("所在园区", "Park"), f"{park.name} ({park.id})"],
        [_bi("省份/电网区域", "Province / grid region"), f"{park.province} / {inv.options.region}"],
        [_bi("报告年度", "Reporting year"), str(s.year)],
        [_bi("全球增温潜势", "GWP set (100-year)"), inv.options.gwp_set],
        [_bi("输入数据哈希", "Input hash (sha256)"), inv.input_hash],
    ]
    if s.tenant is not None:
        rows.insert(2, [_bi("行业代码", "Industry code"), s.tenant.industry_code or "-"])
    for dataset, versions in sorted(inv.factor_versions.items()):
        rows.append(
            [_bi("因子数据集版本", "Factor dataset versions"), f"{dataset}: {', '.join(versions)}"]
        )
    return Section(
        _bi("一、基本信息", "1. Basic information"),
        tables=[Table([_bi("项目", "Item"), _bi("内容", "Value")], rows)],
    )


def _boundary(s: StoredInventory) -> Section:
    roles = {
        "counted": _bi("计入", "counted"),
        "sub_meter": _bi("分表（已含于上级表）", "sub-meter (in its parent)"),
        "unmapped": _bi("未映射，不计入", "unmapped, ignored"),
    }
    table = Table(
        [
            _bi("表计", "Meter"),
            _bi("名称", "Name"),
            _bi("上级表", "Parent"),
            _bi("核算类别", "Category"),
            _bi("作用", "Role"),
            _bi("年度数量", "Annual quantity"),
            _bi("单位", "Unit"),
        ],
    )
    for m in s.meters:
        table.rows.append(
            [
                m.id,
                m.name or "",
                m.parent_id or "",
                _category(m.category) if m.category else "-",
                roles[m.role],
                m.quantity,
                m.unit,
            ]
        )
    scope = _bi("园区整体", "the whole park") if s.tenant is None else _bi("本企业", "this tenant")
    return Section(
        _bi("二、核算边界", "2. Accounting boundary"),
        paragraphs=[
            _bi(
                "边界内每条计量支路只计一次：计入最上级的已映射表计，分表用于归属，不重复计入；"
                "无核算映射的表计（如储能放电）不计入。",
                "Each metered quantity counts once: the topmost mapped meter of each branch is "
                "counted; sub-meters are for attribution; unmapped meters (battery discharge) "
                "are ignored.",
            ),
            _bi(
                f"边界：{scope}；活动数据记录 {s.records} 条。",
                f"Boundary: {scope}; {s.records} activity records.",
            ),
        ],
        tables=[table],
    )


def _methods_header() -> list[str]:
    return [_bi(*METHOD_LABELS[m]) for m in METHODS]


def _emissions(s: StoredInventory) -> Section:
    totals = s.inventory.totals
    categories = sorted({c for t in totals.values() for c in t.by_category})
    by_cat = Table([_bi("排放源类别", "Source category"), *_methods_header()])
    for code in categories:
        by_cat.rows.append(
            [_category(code), *(totals[m].by_category.get(code, 0.0) for m in METHODS)]
        )
    for label, attr in (
        (_bi("总排放", "Gross"), "gross_t"),
        (_bi("碳汇清除", "Removals"), "removals_t"),
        (_bi("碳抵消", "Offsets"), "offsets_t"),
        (_bi("净排放（距净零差距）", "Net (gap to net zero)"), "net_t"),
    ):
        by_cat.rows.append([label, *(getattr(totals[m], attr) for m in METHODS)])
    gases = sorted({g for t in totals.values() for g in t.by_gas})
    by_gas = Table([_bi("温室气体", "Gas"), *_methods_header()])
    for gas in gases:
        by_gas.rows.append([gas, *(totals[m].by_gas.get(gas, 0.0) for m in METHODS)])
    return Section(
        _bi("三、按排放源类别的排放量（tCO2e）", "3. Emissions by source category (tCO2e)"),
        tables=[by_cat, by_gas],
    )


def _factor_text(r: LineResult) -> tuple[str, str]:
    values = "; ".join(f"{f.role} = {f.value:.6g} {f.unit}" for f in r.factors)
    sources = "; ".join(
        dict.fromkeys(
            f"{f.source} {f.clause}".strip() + f" [{f.dataset} {f.version}]" for f in r.factors
        )
    )
    return values, sources


def _activity(s: StoredInventory) -> Section:
    groups: dict[tuple[str, str, str, str, str], list[LineResult]] = defaultdict(list)
    for r in s.inventory.results:
        ln = r.line
        groups[(ln.entity, ln.category, ln.item, ln.unit, ln.origin)].append(r)
    table = Table(
        [
            _bi("主体", "Entity"),
            _bi("类别", "Category"),
            _bi("品种", "Item"),
            _bi("活动数据", "Activity data"),
            _bi("单位", "Unit"),
            _bi("来源", "Origin"),
            _bi("排放因子及参数", "Factors and parameters"),
            _bi("出处/条款", "Source / clause"),
            _bi("国家方法 tCO2e", "National tCO2e"),
        ],
    )
    for (entity, category, item, unit, origin), results in sorted(groups.items()):
        values, sources = _factor_text(results[0])
        table.rows.append(
            [
                entity,
                _category(category),
                item,
                sum(r.line.quantity for r in results),
                unit,
                _bi("计量", "metered") if origin == "meter" else _bi("台账", "record"),
                values,
                sources,
                sum(r.result("cn_national") for r in results),
            ]
        )
    return Section(
        _bi("四、活动数据及排放因子", "4. Activity data and emission factors"),
        paragraphs=[
            _bi(
                "同一主体、类别、品种、单位的各期数据合并；因子取自该组首条记录。",
                "Periods of the same entity, category, item and unit are summed; factors "
                "shown are those of the group's first line.",
            )
        ],
        tables=[table],
    )


def _quality(s: StoredInventory) -> Section:
    inv = s.inventory
    rows: list[list[Cell]] = [
        [_bi("计入表计平均数据覆盖率", "Mean coverage of counted meters"), f"{s.coverage:.2%}"],
        [_bi("估算（补齐）数据占比", "Estimated (gap-filled) share"), f"{s.estimated_share:.2%}"],
        [_bi("重复计算（已剔除）", "Double counts (excluded)"), len(inv.double_counting)],
        [_bi("未量化的范围三数据", "Scope-3 lines not quantified"), len(s.not_quantified)],
        [_bi("警告", "Warnings"), len(inv.warnings)],
    ]
    notes = Table([_bi("说明", "Note")], [[d.message()] for d in inv.double_counting])
    notes.rows += [
        [w] for w in inv.warnings if not any(w == d.message() for d in inv.double_counting)
    ]
    notes.rows += [[n.message()] for n in s.not_quantified]
    return Section(
        _bi("五、数据质量说明", "5. Data-quality notes"),
        tables=[Table([_bi("指标", "Indicator"), _bi("值", "Value")], rows), notes],
    )


def _comparison(s: StoredInventory) -> Section:
    inv = s.inventory
    table = Table([_bi("项目", "Item"), *_methods_header()])
    for scope, (zh, en) in (
        ("1", ("范围一", "Scope 1")),
        ("2", ("范围二", "Scope 2")),
        ("3", ("范围三", "Scope 3")),
    ):
        table.rows.append([_bi(zh, en), *(inv.totals[m].by_scope.get(scope, 0.0) for m in METHODS)])
    table.rows.append([_bi("净排放", "Net"), *(inv.totals[m].net_t for m in METHODS)])
    e, park = inv.energy, inv.park
    energy = Table(
        [_bi("综合能耗", "Energy consumption"), "tce"],
        [
            [_bi("合计", "Total"), e.total_tce],
            [_bi("化石燃料", "Fossil fuels"), e.fossil_fuel_tce],
            [_bi("电网电力（净）", "Grid electricity (net)"), e.grid_electricity_tce],
            [_bi("热力", "Heat"), e.heat_tce],
            [_bi("自发自用可再生电力", "On-site renewable"), e.onsite_renewable_tce],
            [_bi("其中绿电", "Of which green electricity"), e.green_electricity_tce],
        ],
    )
    intensity = park.intensity_tco2_per_tce
    paragraphs = [
        _bi(
            f"零碳园区单位能耗碳排放：{intensity:.4f} tCO2/tce"
            if intensity is not None
            else "零碳园区单位能耗碳排放：无",
            f"Zero-carbon park CO2 per unit energy: {intensity:.4f} tCO2/tce"
            if intensity is not None
            else "Zero-carbon park CO2 per unit energy: n/a",
        ),
        *park.notes,
    ]
    return Section(_bi("六、核算方法对比", "6. Method comparison"), paragraphs, [table, energy])


def build_report(stored: StoredInventory, *, version: int | None = None) -> Report:
    """The report's content for a stored inventory (``version``: its published version)."""
    who = stored.tenant.name if stored.tenant else stored.park.name
    subtitle = f"{who} | {stored.year}"
    if version is not None:
        subtitle += f" | {_bi('发布版本', 'published version')} {version}"
    return Report(
        title=_bi("温室气体排放报告", "Greenhouse gas emission report"),
        subtitle=subtitle,
        sections=[
            _basic(stored),
            _boundary(stored),
            _emissions(stored),
            _activity(stored),
            _quality(stored),
            _comparison(stored),
        ],
    )
