"""A tenant's monthly bill as PDF (reportlab, CJK font embedded) or xlsx (openpyxl).

Both are written from :func:`zeropark.service.billing.views.bill_to_dict` in one language
(``zh`` or ``en``; the title carries both). The PDF embeds its font subset
(:func:`zeropark.service.reports.fonts.embed_fonts`); the workbook has localised sheet names
and frozen header rows. The head says whether the bill is issued (version, when, by whom, and
the difference to the bill recomputed now) or a draft. The PDF is written invariant (no time
of writing inside), so the same bill gives the same bytes on every read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zeropark.service.reports.fonts import embed_fonts

__all__ = ["Format", "bill_rows", "write_bill"]


def _fonts(text: str) -> tuple[str, str]:
    """Regular and bold font names, embedded and subset to ``text`` (the reports' fonts)."""
    fonts = embed_fonts(text)
    return fonts.regular, fonts.bold


Format = Literal["pdf", "xlsx"]
Lang = Literal["zh", "en"]

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("月度能源账单", "Monthly energy bill"),
    "park": ("园区", "Park"),
    "tenant": ("企业", "Tenant"),
    "month": ("账期", "Month"),
    "area": ("建筑面积", "Floor area"),
    "summary": ("费用汇总", "Summary"),
    "section": ("费用类别", "Charge"),
    "subtotal": ("不含税金额（元）", "Excl. VAT (CNY)"),
    "vat_rate": ("税率", "VAT rate"),
    "vat": ("增值税（元）", "VAT (CNY)"),
    "total": ("价税合计（元）", "Total (CNY)"),
    "grand": ("合计", "Total"),
    "bands": ("分时电量（电网供电）", "Electricity by time-of-use band (grid supply)"),
    "band": ("时段", "Band"),
    "kwh": ("电量（kWh）", "Energy (kWh)"),
    "price": ("单价（元）", "Price (CNY)"),
    "amount": ("金额（元）", "Amount (CNY)"),
    "lines": ("费用明细", "Details"),
    "item": ("项目", "Item"),
    "quantity": ("数量", "Quantity"),
    "unit": ("单位", "Unit"),
    "share": ("分摊比例", "Share"),
    "pv": ("园区光伏分摊电量（kWh）", "On-site PV share (kWh)"),
    "notes": ("说明", "Notes"),
    "sheet_bill": ("账单", "Bill"),
    "sheet_lines": ("费用明细", "Details"),
    "sheet_bands": ("分时电量", "By band"),
    "status": ("状态", "Status"),
    "recomputed": ("按当前数据重算", "Recomputed now"),
    "reason": ("重新出具原因", "Reason for re-issue"),
}
_KEYS = {
    "floor_area": ("按建筑面积", "by floor area"),
    "consumption": ("按用量", "by consumption"),
    "fixed": ("按固定比例", "by fixed shares"),
}


def _t(key: str, lang: Lang) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def _label(row: dict[str, Any], lang: Lang) -> str:
    return str(row["label_zh"] if lang == "zh" else row["label_en"])


def _num(value: float | None, decimals: int = 2) -> str:
    return "" if value is None else f"{value:,.{decimals}f}"


def _notes(bill: dict[str, Any], lang: Lang) -> list[str]:
    key = _KEYS.get(bill.get("common_key") or "", ("", ""))
    pool = bill["common_pool_cny"].get("electricity")
    demand = bill.get("park_max_demand_kw")
    if lang == "zh":
        notes = [
            "单价不含增值税；电费按分时时段（尖峰/峰/平/谷）计价，园区光伏按同时段负荷比例分摊。",
            f"公摊费用（公共区域、损耗、园区自用）{key[0]}分摊"
            + (f"；本月电费公摊总额 {_num(pool)} 元" if pool is not None else "")
            + (f"；园区最大需量 {_num(demand, 0)} kW" if demand else "")
            + "。",
            "计算方法见 docs/billing.md。",
        ]
    else:
        notes = [
            "Prices exclude VAT; electricity is priced by time-of-use band (critical peak/peak/"
            "flat/valley); on-site PV is shared in proportion to each hour's load.",
            f"Common costs (common areas, losses, park's own use) are shared {key[1]}"
            + (f"; this month's electricity pool {_num(pool)} CNY" if pool is not None else "")
            + (f"; park maximum demand {_num(demand, 0)} kW" if demand else "")
            + ".",
            "Method: docs/billing.md.",
        ]
    note = bill.get("note") if lang == "zh" else bill.get("note_en") or bill.get("note")
    if note:
        notes.append(str(note))
    return notes


def bill_rows(bill: dict[str, Any], lang: Lang) -> dict[str, list[list[Any]]]:
    """The bill's tables (header row first): ``summary``, ``bands`` and ``lines``."""
    summary: list[list[Any]] = [
        [_t(k, lang) for k in ("section", "subtotal", "vat_rate", "vat", "total")]
    ]
    for s in bill["sections"]:
        summary.append(
            [_label(s, lang), s["subtotal_cny"], s["vat_rate"], s["vat_cny"], s["total_cny"]]
        )
    summary.append(
        [_t("grand", lang), bill["subtotal_cny"], None, bill["vat_cny"], bill["total_cny"]]
    )
    bands: list[list[Any]] = [[_t(k, lang) for k in ("band", "kwh", "price", "amount", "pv")]]
    for b in bill["by_band"]:
        bands.append(
            [_label(b, lang), b["kwh"], b["price_cny"], b["amount_cny"],
             bill["pv_kwh_by_band"].get(b["band"], 0.0)]
        )  # fmt: skip
    lines: list[list[Any]] = [
        [_t(k, lang) for k in ("item", "quantity", "unit", "price", "share", "amount")]
    ]
    for x in bill["lines"]:
        lines.append(
            [_label(x, lang), x["quantity"], x["unit"], x["price_cny"], x["share"],
             x["amount_cny"]]
        )  # fmt: skip
    return {"summary": summary, "bands": bands, "lines": lines}


def _head(bill: dict[str, Any], lang: Lang) -> list[tuple[str, str]]:
    park = bill["park_name"] if lang == "zh" else bill.get("park_name_en") or bill["park_name"]
    tenant = (
        bill["tenant_name"] if lang == "zh" else bill.get("tenant_name_en") or bill["tenant_name"]
    )
    return [
        (_t("park", lang), park),
        (_t("tenant", lang), tenant),
        (_t("month", lang), bill["month"]),
        (_t("area", lang), f"{bill['floor_area_m2']:,.0f} m²"),
        *_status(bill, lang),
    ]


def issued_at_text(issue: Mapping[str, Any]) -> str:
    """When a bill was issued, as people read it: park-local ``2026-12-07 00:34`` (the bill's
    ``issued_at`` is park-local ISO 8601 with its offset)."""
    return str(issue["issued_at"]).replace("T", " ")[:16]


def _status(bill: dict[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """Issued (version, when, by whom; why; the difference to the bill recomputed now) or
    draft; nothing for a plain :func:`bill_to_dict` document."""
    if "status" not in bill:
        return []
    zh = lang == "zh"
    issue = bill.get("issue")
    if issue is None:
        return [(_t("status", lang), "草稿（按当前数据计算，尚未出具）" if zh
                 else "Draft (computed from the current data, not issued)")]  # fmt: skip
    at = issued_at_text(issue)
    rows = [
        (
            _t("status", lang),
            f"已出具 · 第 {issue['version']} 版 · {at} · {issue['issued_by']}"
            if zh
            else f"Issued · version {issue['version']} · {at} · {issue['issued_by']}",
        )
    ]
    if issue.get("reason"):
        rows.append((_t("reason", lang), str(issue["reason"])))
    now, diff = issue.get("recomputed_total_cny"), issue.get("difference_cny")
    if now is not None and diff:
        rows.append(
            (
                _t("recomputed", lang),
                f"{_num(now)} 元，与本账单相差 {diff:+,.2f} 元（本账单金额不变）"
                if zh
                else f"{_num(now)} CNY, differs by {diff:+,.2f} CNY (this bill is unchanged)",
            )
        )
    return rows


def write_bill(bill: dict[str, Any], path: Path, fmt: Format, lang: Lang) -> Path:
    """Write ``bill`` (:func:`~zeropark.service.billing.views.bill_to_dict`) to ``path``."""
    if fmt == "xlsx":
        return _write_xlsx(bill, path, lang)
    return _write_pdf(bill, path, lang)


def _cells(row: list[Any], decimals: list[int]) -> list[str]:
    out = []
    for value, d in zip(row, decimals, strict=True):
        if isinstance(value, float | int) and not isinstance(value, bool):
            shown = {-1: f"{value:.0%}", -2: f"{value:.1%}"}.get(d)
            out.append(shown or _num(float(value), d))
        else:
            out.append("" if value is None else str(value))
    return out


def _write_pdf(bill: dict[str, Any], path: Path, lang: Lang) -> Path:
    tables = bill_rows(bill, lang)
    head = _head(bill, lang)
    notes = _notes(bill, lang)
    title = f"{_TEXT['title'][0]} / {_TEXT['title'][1]}"
    text = title + "".join(a + b for a, b in head) + "".join(notes)
    text += "".join(str(c) for rows in tables.values() for row in rows for c in row)
    text += "".join(_t(k, lang) for k in _TEXT) + "0123456789.,%-²·第页Page"
    regular, bold = _fonts(text)
    st = {
        "title": ParagraphStyle("t", fontName=bold, fontSize=16, leading=22),
        "h": ParagraphStyle("h", fontName=bold, fontSize=11, leading=16, spaceBefore=6),
        "p": ParagraphStyle("p", fontName=regular, fontSize=8.5, leading=12),
        "c": ParagraphStyle("c", fontName=regular, fontSize=8, leading=10),
        "n": ParagraphStyle("n", fontName=regular, fontSize=8, leading=10, alignment=2),
    }
    width = A4[0] - 30 * mm

    def table(rows: list[list[Any]], decimals: list[int], weights: list[float]) -> Table:
        data = [[Paragraph(escape(c), st["c"]) for c in rows[0]]]
        for row in rows[1:]:
            cells = _cells(row, decimals)
            data.append([Paragraph(escape(c), st["n" if i else "c"]) for i, c in enumerate(cells)])
        total = sum(weights)
        grid = Table(data, colWidths=[width * w / total for w in weights], repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("FONTNAME", (0, 0), (-1, -1), regular),
                ]
            )
        )
        return grid

    story: list[Any] = [Paragraph(escape(title), st["title"]), Spacer(1, 3 * mm)]
    info = Table(
        [[Paragraph(escape(k), st["c"]), Paragraph(escape(str(v)), st["c"])] for k, v in head],
        colWidths=[30 * mm, width - 30 * mm],
    )
    info.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("FONTNAME", (0, 0), (-1, -1), regular),
            ]
        )
    )
    story += [info, Spacer(1, 4 * mm)]
    story += [Paragraph(escape(_t("summary", lang)), st["h"])]
    story += [table(tables["summary"], [0, 2, -1, 2, 2], [3, 2, 1, 2, 2])]
    story += [Paragraph(escape(_t("bands", lang)), st["h"])]
    story += [table(tables["bands"], [0, 1, 4, 2, 1], [1.5, 2, 1.5, 2, 3])]
    story += [Paragraph(escape(_t("lines", lang)), st["h"])]
    story += [table(tables["lines"], [0, 1, 0, 4, -2, 2], [5, 2, 1, 1.5, 1.2, 2])]
    story += [Paragraph(escape(_t("notes", lang)), st["h"])]
    story += [Paragraph(escape(n), st["p"]) for n in notes]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{title} {bill['tenant_id']} {bill['month']}",
        lang="zh-CN" if lang == "zh" else "en",
        initialFontName=regular,  # no unembedded Helvetica in the page resources
        invariant=True,  # no time of writing inside: the same bill, the same bytes
    )
    footer = f"{bill['park_id']} · {bill['tenant_id']} · {bill['month']}"

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        page = canvas.getPageNumber()
        canvas.drawString(15 * mm, 8 * mm, footer)
        canvas.drawRightString(
            A4[0] - 15 * mm, 8 * mm, f"第 {page} 页" if lang == "zh" else f"Page {page}"
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path


def _write_xlsx(bill: dict[str, Any], path: Path, lang: Lang) -> Path:
    tables = bill_rows(bill, lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _t("sheet_bill", lang)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append([f"{_TEXT['title'][0]} / {_TEXT['title'][1]}"])
    sheet["A1"].font = Font(bold=True, size=14)
    for key, value in _head(bill, lang):
        sheet.append([key, value])
    header_row = sheet.max_row + 2
    sheet.append([])
    for row in tables["summary"]:
        sheet.append(row)
    for cell in sheet[header_row]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.append([])
    for note in _notes(bill, lang):
        sheet.append([note])
    for name, key in (("sheet_lines", "lines"), ("sheet_bands", "bands")):
        ws = book.create_sheet(_t(name, lang))
        for row in tables[key]:
            ws.append(row)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 36
    sheet.column_dimensions["A"].width = 30
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
    book.save(path)
    return path
