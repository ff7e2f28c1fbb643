"""The park diagnosis report (全局诊断): ``zeropark report diagnosis --year Y --format pdf|xlsx``.

Sections (``docs/diagnosis.md``): 1 summary; 2 the largest emission sources; 3 tenants ranked by
carbon and energy intensity; 4 data completeness; 5 the gap to every scorecard indicator (the
national system, and a provincial one when chosen); 6 waste findings (跑冒滴漏); 7 reduction
opportunities typical of the park's type, each sized from the park's own data. Written in the
caller's language (Chinese or English, :func:`zeropark.i18n.t`) through the report kit the
inventory report uses (:mod:`.pdf`, :mod:`.xlsx`), so both formats carry the same tables and the
PDF its bar charts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from zeropark.domain.access import Principal
from zeropark.domain.categories import CATEGORIES
from zeropark.domain.indicators import SYSTEMS, gap_text
from zeropark.domain.indicators.scorecard import ScoreEntry
from zeropark.domain.park import PARK_TYPES
from zeropark.i18n import Lang, get_lang, t, use_lang
from zeropark.service.database import Database
from zeropark.service.reports.content import Cell, Chart, Report, Section, SignOff, Table
from zeropark.service.reports.diagnosis_data import DiagnosisData, gather
from zeropark.service.reports.diagnosis_measures import Costs
from zeropark.service.reports.pdf import write_pdf
from zeropark.service.reports.xlsx import write_xlsx

__all__ = ["Costs", "build_diagnosis", "diagnosis_report"]

_STATE = {
    "pass": ("达标", "pass"),
    "fail": ("未达标", "fail"),
    "undetermined": ("无法判定", "undetermined"),
}
_REASON = {
    "no_data": ("无数据", "no data"),
    "no_threshold": ("无适用阈值", "no threshold applies"),
    "near_threshold": ("接近阈值，数据不全", "near the threshold with incomplete data"),
}


def _charts(*charts: Chart) -> list[Chart]:
    """The charts that have bars (an empty chart cannot be drawn)."""
    return [c for c in charts if c.categories]


def _table(columns: list[str], rows: list[list[Cell]], **kw: object) -> Table:
    """A table; one "no data" row when there are none (暂无数据)."""
    if not rows:
        first: list[Cell] = [t("暂无数据", "no data")]
        rows = [first + [""] * (len(columns) - 1)]
    return Table(columns, rows, **kw)  # type: ignore[arg-type]


def _int(value: float) -> int:
    """A figure shown without decimals (the PDF prints floats with three)."""
    return round(value)


def _value(e: ScoreEntry) -> Cell:
    if e.value is None:
        return t("暂无数据", "no data")
    return round(e.value * 100, 1) if e.unit == "%" else round(e.value, 3)


def _unit(e: ScoreEntry) -> str:
    return "%" if e.unit == "%" else e.unit


def _threshold(e: ScoreEntry) -> Cell:
    if e.threshold is None:
        return "—"
    value = e.threshold * 100 if e.unit == "%" else e.threshold
    return f"{e.comparison} {value:g}"


def _state(e: ScoreEntry) -> str:
    if e.state is None:
        return "—"
    text = t(*_STATE[e.state])
    if e.reason in _REASON:
        text += (
            f"（{t(*_REASON[e.reason])}）" if get_lang() == "zh" else f" ({t(*_REASON[e.reason])})"
        )
    return text


def _label(e: ScoreEntry) -> str:
    return t(e.label_zh, e.label_en)


def _summary(d: DiagnosisData) -> Section:
    f = d.card.figures
    inp = f.inputs
    judged = [e for e in d.card.entries if e.state is not None]
    passed = sum(1 for e in judged if e.state == "pass")
    failed = sum(1 for e in judged if e.state == "fail")
    core = d.card.entries[0]
    top = d.measures[:3]
    paragraphs = [
        t(
            f"{f.park.name}（{PARK_TYPES[f.park.type][0]}）{f.period.label} 年综合能耗 "
            f"{inp.energy.total_tce:,.0f} tce，"
            f"二氧化碳排放（零碳园区口径）{inp.co2_t:,.0f} t，单位能耗碳排放 "
            f"{(core.value or 0):.3f} tCO2/tce。{len(judged)} 项有阈值的指标中 {passed} 项达标、"
            f"{failed} 项未达标，其余无法判定。数据完整率 {inp.coverage:.1%}。",
            f"{f.park.name_en or f.park.name} ({PARK_TYPES[f.park.type][1]}), {f.period.label}: "
            "综合能耗 "
            f"{inp.energy.total_tce:,.0f} tce, CO2 (zero-carbon-park method) {inp.co2_t:,.0f} t, "
            f"{(core.value or 0):.3f} tCO2/tce. Of {len(judged)} indicators with a threshold, "
            f"{passed} pass and {failed} fail; the rest are undetermined. Data coverage "
            f"{inp.coverage:.1%}.",
        ),
        t("核心指标：", "Core indicator: ")
        + _state(core)
        + (
            ("；" if get_lang() == "zh" else "; ") + gap_text(core.gaps, get_lang())
            if core.gaps
            else ""
        ),
    ]
    if top:
        paragraphs.append(
            t("减排潜力最大的三项措施：", "The three largest opportunities: ")
            + ("；" if get_lang() == "zh" else "; ").join(
                f"{t(m.name_zh, m.name_en)} {m.co2_t:,.0f} tCO2/{t('年', 'yr')}" for m in top
            )
        )
    if d.waste.findings:
        paragraphs.append(
            t(
                f"发现 {len(d.waste.findings)} 处跑冒滴漏：",
                f"{len(d.waste.findings)} waste finding(s): ",
            )
            + " ".join(t(*_explain(x)) for x in d.waste.findings)
        )
    cover_table = _table(
        [t("项目", "Item"), t("数值", "Value"), t("单位", "Unit")],
        [
            [t("综合能耗", "Energy (综合能耗)"), _int(inp.energy.total_tce), "tce"],
            [
                t("二氧化碳（零碳园区口径）", "CO2 (zero-carbon-park method)"),
                _int(inp.co2_t),
                "t",
            ],
            [t("单位能耗碳排放", "CO2 per unit energy"), round(core.value or 0.0, 3), "tCO2/tce"],
            [t("电力折标口径", "Electricity basis"), inp.energy.electricity_basis, ""],
            [t("数据完整率", "Data coverage"), round(inp.coverage * 100, 2), "%"],
        ],
        weights=[3, 2, 1],
    )
    return Section(
        t("1 诊断概要", "1 Summary"), t("1 概要", "1 Summary"), paragraphs, [cover_table]
    )


def _explain(finding: object) -> tuple[str, str]:
    from zeropark.service.waste.detect import _explain as explain  # the one wording

    return explain(finding)  # type: ignore[arg-type]


def _sources(d: DiagnosisData) -> Section:
    rows: list[list[Cell]] = []
    for category, item, zcp, nat in d.sources[:12]:
        c = CATEGORIES.get(category)
        name = t(c.name_zh, c.name_en) if c else category
        rows.append([name, item, _int(zcp), _int(nat)])
    top = d.sources[:8]
    chart = Chart(
        t("最大排放源（零碳园区口径）", "Largest sources (zero-carbon-park method)"),
        "tCO2",
        [
            f"{t(CATEGORIES[c].name_zh, CATEGORIES[c].name_en) if c in CATEGORIES else c} · {i}"
            for c, i, _, _ in top
        ],
        {t("零碳园区口径", "zero-carbon park"): [float(_int(v)) for _, _, v, _ in top]},
        horizontal=True,
    )
    table = _table(
        [
            t("类别", "Category"),
            t("品种", "Item"),
            t("零碳园区口径 tCO2", "Zero-carbon park tCO2"),
            t("国家方法 tCO2e", "National method tCO2e"),
        ],
        rows,
        weights=[3, 3, 2, 2],
    )
    text = t(
        "按排放源类别与品种汇总；零碳园区口径只计二氧化碳，外购电按化石电力因子、绿电按零计（附件4）。",
        "By category and item; the zero-carbon-park method counts CO2 only, grid electricity at "
        "the fossil-power factor and green power at zero (附件4).",
    )
    return Section(
        t("2 最大排放源", "2 Largest emission sources"),
        t("2 排放源", "2 Sources"),
        [text],
        [table],
        _charts(chart),
    )


def _tenants(d: DiagnosisData) -> Section:
    ranked = sorted(d.tenants, key=lambda r: -(r.per_output(r.carbon_t) or 0.0))
    rows: list[list[Cell]] = []
    for i, r in enumerate(ranked, start=1):
        per_c, per_e = r.per_output(r.carbon_t), r.per_output(r.energy_tce)
        area = r.energy_tce * 1000 / r.floor_m2 if r.floor_m2 else None
        rows.append(
            [
                i,
                t(r.name, r.name_en),
                r.industry,
                _int(r.energy_tce),
                _int(r.carbon_t),
                round(per_c, 4) if per_c is not None else "—",
                round(per_e, 4) if per_e is not None else "—",
                round(area, 1) if area is not None else "—",
            ]
        )
    chart = Chart(
        t("企业万元产值碳排放", "Tenants' carbon per output value"),
        "kgCO2/万元",
        [t(r.name, r.name_en) for r in ranked],
        {
            t("万元产值碳排放", "kgCO2 per 万元"): [
                round(1000 * (r.per_output(r.carbon_t) or 0.0), 1) for r in ranked
            ]
        },
        horizontal=True,
    )
    table = _table(
        [
            t("排名", "Rank"),
            t("企业", "Tenant"),
            t("行业", "Industry"),
            "tce",
            "tCO2",
            "tCO2/万元",
            "tce/万元",
            "kgce/m²",
        ],
        rows,
        weights=[1, 4, 2, 2, 2, 2, 2, 2],
    )
    text = t(
        "按万元产值碳排放由高到低排名（碳排放为零碳园区口径，产值为企业填报的工业总产值/营业收入）。"
        "行业对标：参考资料库中未找到可溯源的分行业单位产值碳排放基准值，故不作行业对标；"
        "仅见一份发布者不明的低碳园区参考值（单位工业增加值综合能耗 ≤0.35 tce/万元，"
        "分母为增加值而非产值），不宜直接比较。",
        "Ranked by carbon per 万元 of output (zero-carbon-park CO2; output as the tenants report "
        "it). Sector benchmarks: the reference library holds no sourced per-sector benchmark, so "
        "none is applied; the only park reference values found (≤ 0.35 tce per 万元 of industrial "
        "value added, issuer unknown) use value added, not output, and are not comparable.",
    )
    return Section(
        t("3 企业能耗与碳排放强度排名", "3 Tenants ranked by intensity"),
        t("3 企业排名", "3 Tenants"),
        [text],
        [table],
        _charts(chart),
    )


def _completeness(d: DiagnosisData) -> Section:
    stored = d.card.figures.stored
    counted = [m for m in stored.meters if m.role == "counted"]
    low = sorted(counted, key=lambda m: m.coverage)[:10]
    rows: list[list[Cell]] = [
        [
            m.id,
            m.carrier,
            round(m.coverage * 100, 3),
            round(m.estimated / m.quantity * 100, 3) if m.quantity else 0.0,
        ]
        for m in low
    ]
    records: dict[str, int] = {}
    for r in stored.inventory.results:
        if r.line.origin == "record":
            records[r.line.category] = records.get(r.line.category, 0) + 1
    rec_rows: list[list[Cell]] = [
        [t(CATEGORIES[c].name_zh, CATEGORIES[c].name_en) if c in CATEGORIES else c, n]
        for c, n in sorted(records.items())
    ]
    text = t(
        f"计入边界的表计 {len(counted)} 块，平均数据覆盖率 {stored.coverage:.2%}，"
        f"估算（补点）占比 {stored.estimated_share:.3%}；活动数据 {stored.records} 条。",
        f"{len(counted)} counted meters, mean coverage {stored.coverage:.2%}, estimated (gap-"
        f"filled) share {stored.estimated_share:.3%}; {stored.records} activity records.",
    )
    return Section(
        t("4 数据完整性", "4 Data completeness"),
        t("4 数据完整性", "4 Completeness"),
        [text],
        [
            _table(
                [
                    t("表计", "Meter"),
                    t("介质", "Carrier"),
                    t("覆盖率 %", "Coverage %"),
                    t("估算占比 %", "Estimated %"),
                ],
                rows,
                weights=[3, 2, 2, 2],
                title=t("覆盖率最低的表计", "Meters with the lowest coverage"),
            ),
            _table(
                [t("类别", "Category"), t("条数", "Records")],
                rec_rows,
                weights=[4, 1],
                title=t("活动数据", "Activity records"),
            ),
        ],
    )


def _gaps(d: DiagnosisData) -> Section:
    tables = []
    for card in [d.card] + ([d.extra] if d.extra else []):
        system = SYSTEMS[card.system]
        rows: list[list[Cell]] = []
        for e in card.entries:
            rows.append(
                [
                    _label(e),
                    _value(e),
                    _unit(e),
                    _threshold(e),
                    _state(e),
                    gap_text(e.gaps, get_lang()) or "—",
                ]
            )
        tables.append(
            _table(
                [
                    t("指标", "Indicator"),
                    t("数值", "Value"),
                    t("单位", "Unit"),
                    t("阈值", "Threshold"),
                    t("判定", "State"),
                    t("差距", "Gap"),
                ],
                rows,
                weights=[4, 2, 2, 2, 3, 5],
                title=t(system.name_zh, system.name_en),
            )
        )
    text = t(
        "每项指标的数值、阈值、判定与差距（以实物量表示）。引导性指标的阈值可因客观条件在验收时说明不适用。"
        "核心指标阈值按综合能耗分档，低于最低档时无阈值（无法判定）。",
        "Every indicator's value, threshold, state and gap in physical terms. A guiding indicator "
        "may be explained as not applicable at acceptance. The core indicator's threshold depends "
        "on the energy band; below the lowest band there is none (undetermined).",
    )
    return Section(
        t("5 指标差距", "5 Gap to every indicator"), t("5 指标差距", "5 Indicators"), [text], tables
    )


def _waste(d: DiagnosisData) -> Section:
    rows: list[list[Cell]] = []
    for f in d.waste.findings:
        a = max(f.anomalies, key=lambda x: x.excess_kw)
        rows.append(
            [
                f.meter_id,
                f.start.isoformat(),
                round(a.baseline_kw, 1),
                round(a.excess_kw, 1),
                _int(a.rise * 100),
                _int(f.waste_per_year),
                f.unit,
                round(f.tco2_per_year, 1) if f.tco2_per_year is not None else "—",
            ]
        )
    text = t(
        f"检查 {d.waste.meters_checked} 块电表与水表的夜间（0-5 时）与非工作日负荷，"
        "与各表自身同类日历史比较"
        "（中位数/MAD，负荷与其占生产负荷之比须同时升高并持续）。"
        + ("未发现异常。" if not rows else f"发现 {len(rows)} 处："),
        f"{d.waste.meters_checked} electricity and water meters checked: night (00-05 h) and "
        "non-working-day load against each meter's own history of the same kind of day (median/"
        "MAD; the load and its ratio to the activity level must both rise, and stay up). "
        + ("Nothing found." if not rows else f"{len(rows)} finding(s):"),
    )
    paragraphs = [text] + [t(*_explain(f)) for f in d.waste.findings]
    return Section(
        t("6 跑冒滴漏", "6 Waste (跑冒滴漏)"),
        t("6 跑冒滴漏", "6 Waste"),
        paragraphs,
        [
            _table(
                [
                    t("表计", "Meter"),
                    t("开始", "Since"),
                    t("正常 kW", "Normal kW"),
                    t("超出 kW", "Excess kW"),
                    t("升高 %", "Rise %"),
                    t("年浪费", "Waste/yr"),
                    t("单位", "Unit"),
                    "tCO2/yr",
                ],
                rows,
                weights=[3, 2, 2, 2, 1, 2, 1, 2],
            )
        ],
    )


def _measures(d: DiagnosisData) -> Section:
    rows: list[list[Cell]] = []
    for m in d.measures:
        rows.append(
            [
                t(m.name_zh, m.name_en),
                _int(m.energy_tce),
                _int(m.co2_t),
                round(m.money_cny / 1e4, 1)
                if m.money_cny is not None
                else t("未给价格", "no price"),
                t(m.basis_zh, m.basis_en),
            ]
        )
    chart = Chart(
        t("减排潜力", "Reduction potential"),
        "tCO2/yr",
        [t(m.name_zh, m.name_en) for m in d.measures],
        {"tCO2": [float(_int(m.co2_t)) for m in d.measures]},
        horizontal=True,
    )
    text = t(
        f"按园区类型（{PARK_TYPES[d.card.figures.park.type][0]}）列出白皮书所述典型措施，均以本园区数据测算；"
        "电力减排按零碳园区口径的化石电力因子计，燃气、柴油按清单中的实际因子；金额仅在给出价格时计算。"
        "测算假设见 docs/diagnosis.md。",
        f"The measures the whitepaper lists for this park type "
        f"({PARK_TYPES[d.card.figures.park.type][1]}), each "
        "sized from the park's own data; electricity CO2 at the zero-carbon-park fossil-power "
        "factor, gas and diesel at the inventory's own factors; money only where prices are given. "
        "Assumptions: docs/diagnosis.md.",
    )
    return Section(
        t("7 减排机会", "7 Reduction opportunities"),
        t("7 减排机会", "7 Opportunities"),
        [text],
        [
            _table(
                [
                    t("措施", "Measure"),
                    t("节能 tce/年", "Energy tce/yr"),
                    t("减碳 tCO2/年", "CO2 t/yr"),
                    t("节省 万元/年", "Saving 10k CNY/yr"),
                    t("测算依据", "Basis"),
                ],
                rows,
                weights=[3, 2, 2, 2, 7],
            )
        ],
        _charts(chart),
    )


def build_diagnosis(d: DiagnosisData, issued_at: datetime, lang: Lang | None = None) -> Report:
    """The report content of ``d`` in ``lang`` (default: the current language)."""
    with use_lang(lang or get_lang()):
        f = d.card.figures
        name = t(f.park.name, f.park.name_en or f.park.name)
        return Report(
            lang=get_lang(),
            title=t("园区能碳全局诊断报告", "Park energy and carbon diagnosis"),
            subtitle=f"{name} | {f.period.label}",
            cover=[
                (t("园区", "Park"), name),
                (t("年度", "Year"), f.period.label),
                (t("园区类型", "Park type"), t(*PARK_TYPES[f.park.type])),
                (
                    t("指标体系", "Indicator systems"),
                    ", ".join(
                        t(SYSTEMS[c.system].name_zh, SYSTEMS[c.system].name_en)
                        for c in [d.card] + ([d.extra] if d.extra else [])
                    ),
                ),
                (t("生成日期", "Issued"), issued_at.date().isoformat()),
            ],
            contents_title=t("目录", "Contents"),
            sections=[
                _summary(d),
                _sources(d),
                _tenants(d),
                _completeness(d),
                _gaps(d),
                _waste(d),
                _measures(d),
            ],
            sign_off=SignOff(
                t("8 诊断确认", "8 Sign-off"),
                t("8 确认", "8 Sign-off"),
                t(
                    "本诊断由 zeropark 依据园区存储数据生成，"
                    "所有数值可追溯至清单、表计与活动数据。",
                    "Generated by zeropark from the park's stored data; every figure traces to the "
                    "inventory, the meters and the activity records.",
                ),
                [
                    (
                        t("园区能源管理负责人", "Park energy manager"),
                        [(t("姓名", "Name"), ""), (t("日期", "Date"), "")],
                    )
                ],
            ),
            footer=t(
                f"{name} | 全局诊断 {f.period.label} | 第 {{page}} 页",
                f"{name} | diagnosis {f.period.label} | page {{page}}",
            ),
        )


def diagnosis_report(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    path: Path,
    report_format: Literal["pdf", "xlsx"],
    *,
    system: str | None = None,
    costs: Costs | None = None,
    roof_area_m2: float | None = None,
    lang: Lang | None = None,
) -> Path:
    """Gather the park's diagnosis for ``year`` and write it to ``path`` (pdf or xlsx).

    Readable by the park's administrator and auditor (and the local operator): it ranks tenants.
    """
    if principal.role in ("tenant", "regulator"):
        from zeropark.errors import PermissionDenied

        raise PermissionDenied(
            t(
                "诊断报告包含各企业排名，仅园区管理员与核查机构可读",
                "the diagnosis ranks tenants: park administrators and auditors only",
            )
        )
    data = gather(
        db, principal, park_id, year, system=system, costs=costs, roof_area_m2=roof_area_m2
    )
    report = build_diagnosis(data, db.clock.now(), lang)
    if report_format == "xlsx":
        return write_xlsx(report, path)
    return write_pdf(report, path)
