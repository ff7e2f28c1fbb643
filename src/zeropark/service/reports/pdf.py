"""The inventory report as a PDF (reportlab), bilingual with the built-in CID font STSong-Light.

``STSong-Light`` is one of reportlab's Adobe CJK CID fonts: the PDF names it and viewers supply
the glyphs (poppler maps it to an installed CJK font), so no font file ships with zeropark.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from zeropark.service.reports.content import Cell, Report, Table

__all__ = ["FONT", "write_pdf"]

FONT = "STSong-Light"


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=11, leading=15),
        "h": ParagraphStyle(
            "h", fontName=FONT, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "p": ParagraphStyle("p", fontName=FONT, fontSize=9, leading=13, spaceAfter=3),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=9),
        "num": ParagraphStyle("num", fontName=FONT, fontSize=7, leading=9, alignment=2),
    }


def _cell(value: Cell, styles: dict[str, ParagraphStyle]) -> Paragraph:
    if isinstance(value, float):
        return Paragraph(f"{value:,.3f}", styles["num"])
    if isinstance(value, int):
        return Paragraph(str(value), styles["num"])
    return Paragraph(escape("" if value is None else str(value)), styles["cell"])


def _table(table: Table, styles: dict[str, ParagraphStyle], width: float) -> PdfTable:
    data = [[_cell(c, styles) for c in table.columns]]
    data += [[_cell(c, styles) for c in row] for row in table.rows]
    pdf = PdfTable(data, colWidths=[width / len(table.columns)] * len(table.columns), repeatRows=1)
    pdf.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return pdf


def write_pdf(report: Report, path: Path) -> Path:
    """Write ``report`` to ``path`` (.pdf, A4 landscape), one section per page or more."""
    styles = _styles()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=page,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=report.title,
        author="zeropark",
    )
    width = page[0] - 24 * mm
    story: list[Flowable] = [
        Paragraph(escape(report.title), styles["title"]),
        Paragraph(escape(report.subtitle), styles["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    for number, section in enumerate(report.sections):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(escape(section.title), styles["h"]))
        story += [Paragraph(escape(p), styles["p"]) for p in section.paragraphs]
        for table in section.tables:
            story += [_table(table, styles, width), Spacer(1, 3 * mm)]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.build(story, onLaterPages=_footer, onFirstPage=_footer)
    return path


def _footer(canvas: object, doc: SimpleDocTemplate) -> None:
    canvas.saveState()  # type: ignore[attr-defined]
    canvas.setFont(FONT, 7)  # type: ignore[attr-defined]
    canvas.drawRightString(  # type: ignore[attr-defined]
        doc.pagesize[0] - 12 * mm, 6 * mm, f"zeropark | 第 {doc.page} 页 / page {doc.page}"
    )
    canvas.restoreState()  # type: ignore[attr-defined]
