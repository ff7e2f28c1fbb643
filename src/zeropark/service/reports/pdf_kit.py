"""A small PDF toolkit (reportlab) for zeropark's reports: cover, contents, headings, tables,
charts and a declaration/verification block, with embedded CJK + Latin fonts.

Every report (inventory, bills, diagnoses) builds a list of flowables from these parts and
hands it to :func:`build_pdf`. The parts take plain data (strings, numbers), so the same content
can also go to xlsx. Usage::

    fonts = embed_fonts(all_text)               # every string the document draws
    st = styles(fonts)
    story = cover(st, "报告", "园区 | 2024", [("报告年度", "2024")])
    story += contents(st, "目录")
    story += [heading(st, "1 基本信息"), data_table(st, ["项目", "值"], rows, width=CONTENT_WIDTH)]
    story.append(bar_chart(fonts, "按范围", ["范围一"], {"国家方法": [1.0]}, "tCO2e"))
    story += declaration(st, "声明", "…", [("核查机构", ""), ("签字", "")])
    build_pdf(path, story, fonts=fonts, title="报告", footer="zeropark | 第 {page} 页")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.flowables import PageBreakIfNotEmpty
from reportlab.platypus.tableofcontents import TableOfContents

from zeropark.service.reports.fonts import PdfFonts, embed_fonts

__all__ = [
    "CONTENT_WIDTH",
    "PAGE",
    "PALETTE",
    "PdfFonts",
    "bar_chart",
    "build_pdf",
    "contents",
    "cover",
    "data_table",
    "declaration",
    "embed_fonts",
    "fmt_number",
    "heading",
    "new_section",
    "paragraph",
    "styles",
]

#: Page size (A4 landscape: wide tables) and the width between the margins [pt].
PAGE = landscape(A4)
MARGIN = 14 * mm
CONTENT_WIDTH = PAGE[0] - 2 * MARGIN
#: Series colours of the charts (colour-blind safe, Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
_HEADER_BG = colors.HexColor("#DDEBF7")


def styles(fonts: PdfFonts) -> dict[str, ParagraphStyle]:
    """Paragraph styles on the document's fonts: title, subtitle, h1, h2, p, small, cell, num,
    toc1 (headings ``h1`` go into the contents)."""
    r, b = fonts.regular, fonts.bold
    return {
        "title": ParagraphStyle("title", fontName=b, fontSize=26, leading=34, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", fontName=r, fontSize=14, leading=20, spaceAfter=6),
        "h1": ParagraphStyle("h1", fontName=b, fontSize=15, leading=20, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", fontName=b, fontSize=11, leading=15, spaceBefore=6, spaceAfter=3
        ),
        "p": ParagraphStyle("p", fontName=r, fontSize=9, leading=13, spaceAfter=4),
        "small": ParagraphStyle("small", fontName=r, fontSize=7.5, leading=10),
        "cell": ParagraphStyle("cell", fontName=r, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", fontName=b, fontSize=7.5, leading=9.5),
        "num": ParagraphStyle("num", fontName=r, fontSize=7.5, leading=9.5, alignment=2),
        "field": ParagraphStyle("field", fontName=r, fontSize=10, leading=14),
        "toc1": ParagraphStyle("toc1", fontName=r, fontSize=11, leading=18, leftIndent=8),
    }


def fmt_number(value: float, decimals: int = 3) -> str:
    """A number with thousands separators and ``decimals`` places; ``-0`` prints as 0."""
    if abs(value) < 0.5 * 10**-decimals:
        value = 0.0
    return f"{value:,.{decimals}f}"


def paragraph(st: dict[str, ParagraphStyle], text: str, style: str = "p") -> Paragraph:
    """A paragraph of plain text (escaped; newlines break lines)."""
    return Paragraph(_lines(text), st[style])


class _Heading(Paragraph):
    """A level-1 heading: goes into the contents and the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, key: str) -> None:
        super().__init__(escape(text), style)
        self.toc_text = text
        self.toc_key = key


_keys = iter(range(1, 10**9))


def heading(st: dict[str, ParagraphStyle], text: str) -> Flowable:
    """A section heading: listed in the contents and the PDF outline."""
    return _Heading(text, st["h1"], f"h{next(_keys)}")


def new_section(st: dict[str, ParagraphStyle], text: str) -> list[Flowable]:
    """A page break and the section's heading."""
    return [PageBreakIfNotEmpty(), heading(st, text)]


def cover(
    st: dict[str, ParagraphStyle],
    title: str,
    subtitle: str,
    fields: Sequence[tuple[str, str]],
) -> list[Flowable]:
    """The cover page: title, subtitle and a two-column table of fields (entity, year, …)."""
    rows = [
        [Paragraph(escape(k), st["field"]), Paragraph(_lines(v), st["field"])] for k, v in fields
    ]
    table = PdfTable(rows, colWidths=[70 * mm, CONTENT_WIDTH - 90 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st["field"].fontName),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#AAAAAA")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [
        Spacer(1, 30 * mm),
        Paragraph(escape(title), st["title"]),
        Paragraph(escape(subtitle), st["subtitle"]),
        Spacer(1, 12 * mm),
        table,
    ]


def _lines(text: str) -> str:
    """Escaped text whose newlines become line breaks."""
    return "<br/>".join(escape(part) for part in text.split("\n"))


def contents(st: dict[str, ParagraphStyle], title: str) -> list[Flowable]:
    """The table of contents (filled by :func:`build_pdf` from the headings)."""
    toc = TableOfContents()
    toc.levelStyles = [st["toc1"]]
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), st["toc1"].fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [PageBreak(), Paragraph(escape(title), st["h1"]), Spacer(1, 4 * mm), toc]


def _cell(value: object, st: dict[str, ParagraphStyle], decimals: int) -> Paragraph:
    if isinstance(value, bool) or value is None:
        return Paragraph("" if value is None else escape(str(value)), st["cell"])
    if isinstance(value, float):
        return Paragraph(fmt_number(value, decimals), st["num"])
    if isinstance(value, int):
        return Paragraph(f"{value:,}", st["num"])
    return Paragraph(escape(str(value)), st["cell"])


def data_table(
    st: dict[str, ParagraphStyle],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    width: float = CONTENT_WIDTH,
    weights: Sequence[float] | None = None,
    decimals: int = 3,
    total_rows: int = 0,
) -> PdfTable:
    """A table with a shaded header row repeated on every page; floats right-aligned with
    ``decimals`` places. ``weights``: relative column widths; ``total_rows``: the last rows
    are totals (bold rule above)."""
    weights = list(weights or [1.0] * len(columns))
    scale = width / sum(weights)
    data: list[list[Any]] = [[Paragraph(escape(c), st["head"]) for c in columns]]
    data += [[_cell(v, st, decimals) for v in row] for row in rows]
    table = PdfTable(data, colWidths=[w * scale for w in weights], repeatRows=1)
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), st["cell"].fontName),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_rows and len(rows) >= total_rows:
        style.append(("LINEABOVE", (0, -total_rows), (-1, -total_rows), 1.0, colors.black))
    table.setStyle(TableStyle(style))
    return table


def bar_chart(
    fonts: PdfFonts,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    unit: str,
    *,
    horizontal: bool = False,
    stacked: bool = False,
    width: float = CONTENT_WIDTH,
    height: float = 75 * mm,
) -> Drawing:
    """A bar chart drawing: one bar group per category, one colour per series (legend below).

    ``horizontal`` suits long category names (tenants, source categories); ``stacked`` stacks
    the series (e.g. scopes per month). Values in ``unit``, shown on the value axis title.
    """
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular  # type: ignore[attr-defined]  # the initial graphics state: no Helvetica
    names = list(series)
    n = max(len(categories), 1)
    legend_h = 14 * ((len(names) + 2) // 3)
    label_w = 0.0
    if horizontal:
        label_w = min(170.0, 6.5 * max((len(_display(c)) for c in categories), default=4) + 10)
        chart: Any = HorizontalBarChart()
        chart.x = label_w
        chart.width = width - label_w - 20
        chart.y = legend_h + 22
        chart.height = height - chart.y - 24
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.categoryAxis.reverseDirection = True
        chart.categoryAxis.joinAxisMode = "left"  # labels left of negative bars too
    else:
        chart = VerticalBarChart()
        chart.x = 50
        chart.width = width - 70
        chart.y = legend_h + 30
        chart.height = height - chart.y - 24
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -3
        chart.categoryAxis.joinAxisMode = "bottom"
        if n > 8:
            chart.categoryAxis.labels.angle = 30
            chart.categoryAxis.labels.boxAnchor = "ne"
    chart.data = [tuple(float(v) for v in series[k]) for k in names] or [(0.0,) * n]
    chart.categoryAxis.categoryNames = [_display(c) for c in categories]
    for axis in (chart.categoryAxis.labels, chart.valueAxis.labels):
        axis.fontName = fonts.regular
        axis.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: fmt_number(v, 0)
    chart.valueAxis.forceZero = True
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.barSpacing = 1
    chart.groupSpacing = 6
    if stacked:
        chart.categoryAxis.style = "stacked"
    for i in range(len(names)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, height - 12, f"{title} ({unit})", fontName=fonts.bold, fontSize=9.5))
    if len(names) > 1 or stacked:
        legend: Any = Legend()
        legend.fontName = fonts.regular
        legend.fontSize = 7
        legend.x = label_w if horizontal else 50
        legend.y = legend_h
        legend.dx = legend.dy = 7
        legend.columnMaximum = 1
        legend.deltax = (width - legend.x) / 3
        legend.alignment = "right"
        legend.colorNamePairs = [
            (colors.HexColor(PALETTE[i % len(PALETTE)]), _display(name, 48))
            for i, name in enumerate(names)
        ]
        legend.columnMaximum = (len(names) + 2) // 3
        drawing.add(legend)
    return drawing


def _display(text: str, limit: int = 26) -> str:
    """A label shortened for a chart axis (the table beside it has the full text)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def declaration(
    st: dict[str, ParagraphStyle],
    title: str,
    statement: str,
    blocks: Sequence[tuple[str, Sequence[tuple[str, str]]]],
) -> list[Flowable]:
    """A declaration and sign-off page: the statement, then blocks of labelled fields to fill
    in (``value`` empty: a blank line to write on; an opinion field gets room)."""
    story: list[Flowable] = [*new_section(st, title), paragraph(st, statement), Spacer(1, 4 * mm)]
    for block_title, fields in blocks:
        rows = []
        for label, value in fields:
            rows.append(  # an empty field keeps a full line's height to write on
                [
                    Paragraph(escape(label) or "&nbsp;", st["field"]),
                    Paragraph(escape(value) or "&nbsp;", st["field"]),
                ]
            )
        table = PdfTable(rows, colWidths=[60 * mm, CONTENT_WIDTH - 60 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), st["field"].fontName),
                    ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("TOPPADDING", (0, 0), (-1, -1), 9),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        story += [CondPageBreak(60 * mm), paragraph(st, block_title, "h2"), table]
        story.append(Spacer(1, 6 * mm))
    return story


class _Document(BaseDocTemplate):
    """A document whose level-1 headings fill the contents and the outline."""

    def __init__(self, filename: str, footer: str, fonts: PdfFonts, **kw: Any) -> None:
        super().__init__(filename, **kw)
        self._footer = footer
        self._fonts = fonts
        frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE[1] - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page)])

    def _page(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(self._fonts.regular, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawRightString(PAGE[0] - MARGIN, 6 * mm, self._footer.format(page=doc.page))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            key = flowable.toc_key
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=0)
            self.notify("TOCEntry", (0, flowable.toc_text, self.page, key))


def build_pdf(
    path: Path,
    story: list[Flowable],
    *,
    fonts: PdfFonts,
    title: str,
    footer: str,
    author: str = "zeropark",
    lang: str = "zh",
) -> Path:
    """Lay out ``story`` into ``path`` (A4 landscape); ``footer`` may hold ``{page}``.

    Built in as many passes as the contents need to settle (reportlab ``multiBuild``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = _Document(
        str(path),
        footer,
        fonts,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        lang="zh-CN" if lang == "zh" else "en",
        initialFontName=fonts.regular,  # no unembedded Helvetica in the page resources
    )
    doc.multiBuild(story)
    return path
