"""The inventory report as a PDF, built from :mod:`.pdf_kit`: cover, contents, one section per
page or more (tables and bar charts), and the declaration with the verifier's blank fields.

Fonts are embedded (CJK and Latin, subset to the report's text): :mod:`.fonts`.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from zeropark.service.reports import pdf_kit as kit
from zeropark.service.reports.content import Report

__all__ = ["report_text", "write_pdf"]


def report_text(report: Report) -> str:
    """Every string the PDF of ``report`` draws (to subset the embedded fonts to)."""
    parts = [report.title, report.subtitle, report.contents_title, report.footer]
    parts += [f"{k}{v}" for k, v in report.cover]
    for section in report.sections:
        parts += [section.title, *section.paragraphs]
        for table in section.tables:
            parts += [table.title, *table.columns]
            parts += [str(c) for row in table.rows for c in row if isinstance(c, str)]
        for chart in section.charts:
            parts += [chart.title, chart.unit, *chart.categories, *chart.series]
    sign = report.sign_off
    parts += [sign.title, sign.statement]
    parts += [f"{b}{k}{v}" for b, fields in sign.blocks for k, v in fields]
    return "".join(parts) + "…"


def write_pdf(report: Report, path: Path) -> Path:
    """Write ``report`` to ``path`` (.pdf, A4 landscape)."""
    fonts = kit.embed_fonts(report_text(report))
    st = kit.styles(fonts)
    story: list[Flowable] = kit.cover(st, report.title, report.subtitle, report.cover)
    story += kit.contents(st, report.contents_title)
    for section in report.sections:
        story += kit.new_section(st, section.title)
        story += [kit.paragraph(st, p) for p in section.paragraphs]
        for chart in section.charts:
            story += [
                CondPageBreak(85 * mm),
                kit.bar_chart(
                    fonts,
                    chart.title,
                    chart.categories,
                    chart.series,
                    chart.unit,
                    horizontal=chart.horizontal,
                    stacked=chart.stacked,
                    height=_chart_height(chart.categories, chart.horizontal, len(chart.series)),
                ),
                Spacer(1, 4 * mm),
            ]
        for table in section.tables:
            if table.title:
                story += [CondPageBreak(30 * mm), kit.paragraph(st, table.title, "h2")]
            story += [
                kit.data_table(
                    st,
                    table.columns,
                    table.rows,
                    weights=table.weights,
                    total_rows=table.total_rows,
                ),
                Spacer(1, 4 * mm),
            ]
    sign = report.sign_off
    story += kit.declaration(st, sign.title, sign.statement, sign.blocks)
    return kit.build_pdf(
        path, story, fonts=fonts, title=report.title, footer=report.footer, lang=report.lang
    )


def _chart_height(categories: list[str], horizontal: bool, series: int) -> float:
    """Room for every bar: a horizontal chart grows with its categories [pt]."""
    if not horizontal:
        return 80 * mm
    return float(min(160 * mm, max(60 * mm, len(categories) * series * 3.2 + 70)))
