"""Inventory reports a verifier accepts (issue #11 item 7): cover, contents, charts, company
names, every method's column, notes in the chosen language, embedded fonts, declaration with
the verifier's fields; xlsx with localised sheet names, frozen headers, monthly and per-company
sheets, numbers as numbers with units in the headers.

The park is ``tests/service/inventory_park.py`` (甲公司 t_a, 乙公司 t_b) plus records: a
refrigerant top-up (HFC-134a, 2 kg; GWP 1,300 in AR5, IPCC AR5 WG1 Ch.8 Table 8.A.1, so
2.6 tCO2e under the GHG Protocol and 0 under the CO2-only national method) and waste records
of both companies without an emission factor (not quantified, grouped into one row).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.service.inventory_park import PARK, SYSTEM, build
from zeropark.clock import FixedClock
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.energy.headline import headline_figures
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory
from zeropark.service.reports import build_report, inventory_report, write_inventory_report
from zeropark.service.reports.fonts import find_font_files
from zeropark.service.reports.xlsx import sheet_name

RECORDS = [
    ActivityRecord("t_a", "2024-03", "fugitive", "HFC-134a", 2.0, "kg"),
    ActivityRecord("t_a", "2024-02", "waste", "一般工业固废", 5.0, "吨"),
    ActivityRecord("t_b", "2024-02", "waste", "一般工业固废", 7.0, "吨"),
    ActivityRecord("t_b", "2024-05", "waste", "一般工业固废", 1.0, "吨"),
]
#: 09:30 on 2 March 2025 in Shanghai is 01:30 UTC.
ISSUED = datetime(2025, 3, 2, 1, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'r.db'}", clock=FixedClock(ISSUED))
    build(database, RECORDS)
    yield database
    database.dispose()


def _write(db: Database, tmp_path: Path, fmt: str, lang: str, tenant: str | None = None) -> Path:
    path = tmp_path / f"r_{lang}_{tenant}.{fmt}"
    inventory_report(db, SYSTEM, PARK, 2024, path, fmt, lang=lang, tenant_id=tenant)  # type: ignore[arg-type]
    return path


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def test_content_cover_names_methods_and_sign_off(db: Database) -> None:
    stored = compute_inventory(db, SYSTEM, PARK, 2024)
    report = build_report(
        stored, tenant_names={"t_a": "甲公司", "t_b": "乙公司"}, issued_at=ISSUED, lang="zh"
    )
    cover = dict(report.cover)
    assert cover["报告主体"] == "测试园区" and cover["报告年度"] == "2024"
    assert cover["报告日期"] == "2025-03-02"  # the clock's instant, in the park's time zone
    assert "零碳园区核心指标口径" in cover["核算方法"] and "基于市场" in cover["核算方法"]
    assert "国家方法:" in cover["各方法总排放量"] and "零碳园区口径:" in cover["各方法总排放量"]
    # The headline figure is the published one (domain/energy/headline.py), its method named.
    headline = headline_figures(stored.inventory)
    assert cover["碳排放量（核心口径）"].startswith(f"{headline.emissions_t:,.1f} tCO2e")
    assert "零碳园区核心指标口径" in cover["碳排放量（核心口径）"]
    by_company = next(s for s in report.sections if s.title.startswith("5"))
    names = [row[0] for row in by_company.tables[0].rows]
    assert {"甲公司", "乙公司", "测试园区"} <= set(names)
    assert not any(re.fullmatch(r"t_[ab]", str(n)) for n in names)
    labels = [label for _, fields in report.sign_off.blocks for label, _ in fields]
    assert {"核查机构名称", "核查意见", "核查员签字", "日期"} <= set(labels)


def test_activity_table_has_every_method_column(db: Database) -> None:
    stored = compute_inventory(db, SYSTEM, PARK, 2024)
    report = build_report(stored, tenant_names={"t_a": "A Co."}, lang="en")
    activity = next(s for s in report.sections if s.title.startswith("6"))
    table = activity.tables[0]
    methods = table.columns[-4:]
    assert methods == [
        "National method (tCO2e)",
        "GHG location-based (tCO2e)",
        "GHG market-based (tCO2e)",
        "Zero-carbon park method (tCO2e)",
    ]
    refrigerant = next(r for r in table.rows if r[2] == "HFC-134a")
    assert refrigerant[0] == "A Co."
    # 2 kg x GWP 1,300 (AR5) = 2.6 t; CO2-only methods count none of it.
    assert refrigerant[-4:] == [0.0, pytest.approx(2.6), pytest.approx(2.6), 0.0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_not_quantified_notes_grouped_in_the_language(db: Database, lang: str) -> None:
    stored = compute_inventory(db, SYSTEM, PARK, 2024)
    report = build_report(stored, tenant_names={"t_a": "甲公司", "t_b": "乙公司"}, lang=lang)
    quality = next(s for s in report.sections if s.title.startswith("7"))
    grouped = next(t for t in quality.tables if "Lines" in t.columns or "数据行" in t.columns)
    assert len(grouped.rows) == 1  # three waste lines of two companies: one row
    row = grouped.rows[0]
    assert row[2] == 3 and row[3] == pytest.approx(13.0)
    assert row[5] == (
        "乙公司、甲公司" if lang == "zh" else "乙公司, 甲公司"
    )  # sorted by code point
    text = " ".join(
        [*quality.paragraphs, *(str(c) for t in quality.tables for r in t.rows for c in r)]
    )
    assert "not quantified —" not in text  # the engine's English per-line message is gone
    if lang == "zh":
        assert "废弃物" in row[0] or "废" in row[0]
        assert "no emission factor" not in text


def test_pdf_cover_contents_fonts_embedded(db: Database, tmp_path: Path) -> None:
    path = _write(db, tmp_path, "pdf", "zh")
    assert path.read_bytes().startswith(b"%PDF")
    text = _pdf_text(path)
    for expected in ("2024 年度温室气体排放报告", "目录", "报告日期", "2025-03-02", "甲公司"):
        assert expected in text, expected
    for heading in ("3 排放量汇总", "4 逐月排放", "5 分企业排放", "9 声明与核查", "核查意见"):
        assert heading in text, heading
    assert "t_a" not in text.split("主体代码")[0]  # no entity id on the cover
    if find_font_files() is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk): fonts cannot be embedded")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
    lines = fonts.stdout.decode().splitlines()[2:]
    assert lines, "the PDF uses no font"
    for line in lines:
        assert re.search(r"\s(yes)\s+(yes)\s+(yes)\s", line), f"not embedded: {line}"


def test_pdf_in_english_has_english_notes(db: Database, tmp_path: Path) -> None:
    text = _pdf_text(_write(db, tmp_path, "pdf", "en"))
    for expected in ("Greenhouse gas emission report 2024", "Contents", "Verification opinion"):
        assert expected in text
    # Citations keep their Chinese document titles; none of the report's own words is Chinese.
    for chinese in ("未量化的范围三数据", "核查机构", "报告主体", "声明", "逐月排放", "国家方法"):
        assert chinese not in text, chinese


def test_pdf_pages_render(db: Database, tmp_path: Path) -> None:
    path = _write(db, tmp_path, "pdf", "zh", tenant="t_a")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "3", str(path), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    assert len(list(tmp_path.glob("p-*.png"))) == 3


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("zh", ["封面", "1 基本信息", "4 逐月排放", "5 分企业排放", "9 声明与核查"]),
        ("en", ["Cover", "1 Basic information", "4 Monthly emissions", "5 By company"]),
    ],
)
def test_xlsx_sheets_localised_frozen_monthly_per_company(
    db: Database, tmp_path: Path, lang: str, names: list[str]
) -> None:
    book = load_workbook(_write(db, tmp_path, "xlsx", lang))
    assert set(names) <= set(book.sheetnames)
    assert all(len(n) <= 31 for n in book.sheetnames)
    for name in book.sheetnames[1:-1]:
        assert book[name].freeze_panes is not None, name
    monthly = book[names[2]]
    rows = [[c.value for c in r] for r in monthly.iter_rows()]
    header = next(r for r in rows if r[0] in ("月份", "Month"))
    assert any("(tCO2e)" in str(h) for h in header) and any("(tce)" in str(h) for h in header)
    months = [r for r in rows if isinstance(r[0], str) and re.fullmatch(r"2024-\d\d", r[0])]
    assert len(months) == 12
    january = next(r for r in months if r[0] == "2024-01")
    assert isinstance(january[1], float) and january[1] > 0
    march = next(r for r in months if r[0] == "2024-03")
    assert march[2] == pytest.approx(2.6)  # the refrigerant, GHG location-based, in March
    company = book[names[3]]
    cells = [c.value for r in company.iter_rows() for c in r]
    assert "甲公司" in cells and "乙公司" in cells


def test_sheet_names_are_cut_at_a_word_not_mid_word() -> None:
    name = sheet_name("6 Activity data and emission factors of the park")
    assert len(name) <= 31 and name == "6 Activity data and emission"
    taken: set[str] = set()
    assert sheet_name("Cover", taken) == "Cover"
    assert sheet_name("Cover", taken) == "Cover (2)"
    assert sheet_name("a/b: c?") == "a b c"


def test_write_inventory_report_keeps_its_signature(db: Database, tmp_path: Path) -> None:
    stored = compute_inventory(db, SYSTEM, PARK, 2024, tenant_id="t_b")
    path = write_inventory_report(stored, tmp_path / "r.xlsx", "xlsx", lang="en")
    book = load_workbook(path)
    assert book.sheetnames[0] == "Cover"
    monthly = book["4 Monthly emissions"]
    assert "No monthly data." in [c.value for r in monthly.iter_rows() for c in r]


def test_two_reports_in_one_process_keep_their_own_glyphs(db: Database, tmp_path: Path) -> None:
    """Each report embeds its own subset under its own name: an English report written first
    must not lend its (Latin-only) subset to the Chinese one (reportlab keys faces by name)."""
    english = _pdf_text(_write(db, tmp_path, "pdf", "en"))
    chinese = _pdf_text(_write(db, tmp_path, "pdf", "zh"))
    assert "Greenhouse gas emission report 2024" in english
    assert "测试园区" in chinese and "核查意见" in chinese and "乙公司" in chinese
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("测试园区", "").split("Entity id")[0])
