"""Activity data in and out of Excel: the per-park template, and importing filled files.

The template (``.xlsx``) has a data sheet ``activities`` with bilingual headers, drop-down lists
of the park's entities (the park and its tenants), the source categories, the catalogue's items
and common units (kept on a hidden ``lists`` sheet), and an instructions sheet. Fuel purchases
(t, 万Nm3), process inputs (t), refrigerant top-ups (kg), waste (t), output value (万元) and
retired green certificates (MWh) are all rows of the same form.

Importing (``.xlsx`` or ``.csv``, or JSON records from the API) checks every row with the one
parser of the contract (:func:`~zeropark.ingest.activities_format.parse_activity_row`), the
entity being the park or one of the caller's tenants. Good rows are stored
(:func:`~zeropark.store.activities.write_activities`; a row equal to the stored one counts as a
duplicate and changes nothing); each bad row goes to quarantine naming file, row, field, value
and reason (code and parameters), and the report lists every issue of it. The result is an
:class:`~zeropark.service.ingest.IngestReport`. :func:`read_activity_rows` reads the file for
``zeropark account`` too.

A file is read in bounded memory: an Excel file passes
:func:`~zeropark.ingest.xlsx_guard.check_xlsx` first, and a file of more than
:data:`MAX_ACTIVITY_ROWS` rows or :data:`MAX_ACTIVITY_TEXT_CHARS` characters is refused whole
(HTTP 413) before anything is stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from zeropark.data.factors import load_items
from zeropark.domain.access import Principal
from zeropark.domain.accounting import ItemCatalogue
from zeropark.domain.activity import ACTIVITY_COLUMNS, ActivityRecord
from zeropark.domain.categories import CATEGORIES
from zeropark.domain.issues import Issue
from zeropark.domain.spreadsheet import safe_text
from zeropark.errors import InputError, PermissionDenied
from zeropark.i18n import Lang, t
from zeropark.ingest.activities_format import (
    CATEGORY_ITEM_KINDS,
    COLUMNS,
    EXTRA_ITEMS,
    PERIOD_FORMS,
    UNITS,
    code_in_label,
    column_code,
    parse_activity_row,
)
from zeropark.ingest.encoding import read_text
from zeropark.ingest.files import open_workbook
from zeropark.ingest.xlsx_guard import MAX_SHEET_ROWS, SpreadsheetTooLarge
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, display_name, unseen_records
from zeropark.store import audit
from zeropark.store.activities import list_activities, write_activities
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import QuarantineRecord, add_records

__all__ = [
    "CATEGORY_ITEM_KINDS",
    "MAX_ACTIVITY_ROWS",
    "MAX_ACTIVITY_TEXT_CHARS",
    "TEMPLATE_COLUMNS",
    "import_activities_file",
    "import_activity_records",
    "read_activity_rows",
    "store_activity_rows",
    "write_template",
]

#: (code, Chinese, English) of every template column, in order (the contract's columns but
#: ``sector`` and ``origin``, which ``zeropark account`` files use; then the product columns).
TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = COLUMNS[:13] + COLUMNS[15:]
_DATA_ROWS = 1000


def _label(name: str, code: str) -> str:
    return f"{name} ({code})"


def write_template(
    db: Database, principal: Principal, park_id: str, path: Path, lang: Lang = "zh"
) -> Path:
    """Write the park's activities template to ``path`` (``.xlsx``); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        tenants = repo.section(park_id, "tenants")
    zh = lang == "zh"
    entities = [_label(park.name, park.id)] + [_label(t["name"], t["id"]) for t in tenants]
    categories = [_label(c.name_zh if zh else c.name_en, c.code) for c in CATEGORIES.values()]
    catalogue = load_items()
    items = [i.name_zh if zh else i.name_en for i in catalogue.items if i.kind != "other"]
    items += [z if zh else e for z, e in EXTRA_ITEMS]
    units = list(UNITS)
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    for col, (code, name_zh, name_en) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(1, col, f"{name_zh} {code}" if zh else f"{name_en} [{name_zh}] {code}")
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 24
        if code == "period":  # text, so Excel does not turn 2024-03 into a date
            sheet.column_dimensions[cell.column_letter].number_format = "@"
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    for col, values in enumerate((entities, categories, items, units), start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row, col, safe_text(value))  # park and tenant names come from users
        letter = lists.cell(1, col).column_letter
        target = {1: "A", 2: "C", 3: "D", 4: "F"}[col]
        strict = col in (1, 2)
        check = DataValidation(
            type="list",
            formula1=f"lists!${letter}$1:${letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=strict,
        )
        sheet.add_data_validation(check)
        check.add(f"{target}2:{target}{_DATA_ROWS + 1}")
    notes = book.create_sheet("说明 instructions")
    for row, line in enumerate(_instructions(park.id, zh), start=1):
        notes.cell(row, 1, safe_text(line))
    notes.column_dimensions["A"].width = 110
    book.save(path)
    return path


def _instructions(park_id: str, zh: bool) -> list[str]:
    if zh:
        return [
            f"园区 {park_id} 活动数据填报模板 (zeropark import activities 文件.xlsx 导入)",
            "每行一条: 主体、期间 (2024-03 月度 / 2024-Q1 季度 / 2024 年度)、"
            "类别、品种、数量、单位。",
            f"期间可写为: {' / '.join(PERIOD_FORMS)} (保存为 2024 / 2024-Q1 / 2024-03)。",
            "数量为数字 (可写 1,234.5), 不能是百分数; 只有输出电力/输出热力的更正可以为负数。",
            "类别与品种须匹配: 化石燃料燃烧→燃料 (柴油、天然气…); 工业生产过程→原料 (石灰石…);",
            "逸散排放→温室气体/制冷剂 (R-410A, kg); 绿电/绿证→绿证 (MWh); 产值→产值 (万元)。",
            "示例: 园区 | 2024-03 | 化石燃料燃烧 | 柴油 | 12.5 | t",
            "指标数据: 工业固体废物产生与利用→产生量/综合利用量 (t); 余热余冷余压→余热资源量/"
            "余热利用量… (GJ); 工业用水→取水量/重复利用水量 (m3);",
            "产品产量(实物量)→品种填产品名称, 可填能耗限额标准 (如 GB 21340-2019)、限额1/2/3级、"
            "限额单位 (kgce/t) 及产品综合能耗。",
            "实测参数 (发热量、含碳量、氧化率、排放因子) 可选, 填写后覆盖缺省值。",
            "有问题的行会被隔离并列出文件/行/字段/原因, 其余行照常保存; 重复导入不会重复记录。",
        ]
    return [
        f"Activity data template of park {park_id} (load with: zeropark import activities FILE)",
        "One row per entity, period (2024-03 month / 2024-Q1 quarter / 2024 year), category, "
        "item, quantity and unit.",
        f"Periods may be written {' / '.join(PERIOD_FORMS)} (stored as 2024 / 2024-Q1 / 2024-03).",
        "Quantities are numbers (1,234.5 is read), never percentages; only exports "
        "(exported electricity/heat) corrected down may be negative.",
        "Items must fit the category: fuel combustion → fuels (diesel, natural gas…); process → "
        "materials (limestone…);",
        "fugitive → gases/refrigerants (R-410A, kg); green electricity → certificates (MWh); "
        "output → output value (万元).",
        "Example: park | 2024-03 | fuel_combustion | diesel | 12.5 | t",
        "Indicator data: industrial_solid_waste → generated/utilised (t); waste_energy → "
        "heat_available/heat_recovered… (GJ); industrial_water → intake/reused (m3);",
        "product_output → the product's name as item, optionally its limit standard (e.g. GB "
        "21340-2019), grade 1/2/3 values, limit unit (kgce/t) and the product's energy.",
        "Measured parameters (NCV, carbon content, oxidation rate, EF) are optional and "
        "override defaults.",
        "Bad rows are quarantined with file/row/field/reason, the others stored; re-importing "
        "the same file changes nothing.",
    ]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


#: Data rows of one activities file; a longer file is refused (split it, or send readings).
MAX_ACTIVITY_ROWS = 100_000
#: Characters of one activities file's cells together (a 100,000-row file holds ~10 million).
MAX_ACTIVITY_TEXT_CHARS = 32_000_000
#: Characters kept of one cell: more than any field takes, so a longer cell is still refused as
#: too long (:data:`zeropark.domain.activity.MAX_CHARS`), without holding all of it.
MAX_CELL_CHARS = 10_000


def _raw_rows(path: Path, name: str) -> Iterator[Sequence[object]]:
    """The rows of the file's data sheet (``activities``, else the first) or of the CSV, lazily.

    An Excel file is checked first (:func:`~zeropark.ingest.xlsx_guard.check_xlsx`) and its data
    rows read only as wide as the header, up to Excel's row limit.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            yield from csv.reader(io.StringIO(read_text(path, name)))
            return
        if suffix not in (".xlsx", ".xlsm"):
            raise InputError(f"unsupported file type {suffix!r}; use .xlsx or .csv")
        book = open_workbook(path, name)
        try:
            sheet = book["activities"] if "activities" in book.sheetnames else book.worksheets[0]
            header = next(sheet.iter_rows(max_row=1, values_only=True), None)
            if header is None:
                return
            width = max((i + 1 for i, h in enumerate(header) if h not in (None, "")), default=1)
            yield header[:width]
            yield from sheet.iter_rows(
                min_row=2, max_row=MAX_SHEET_ROWS, max_col=width, values_only=True
            )
        finally:
            book.close()
    except InputError as exc:
        raise type(exc)(exc.reason, source=name, location=exc.location) from None
    except Exception as exc:  # openpyxl and codecs raise many unrelated types for a bad file
        raise InputError(f"not a readable activities file: {exc}", source=name) from exc


def read_activity_rows(path: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column code: text}) of every non-empty data row of a CSV or Excel file.

    Headers are the column codes or their Chinese or English names (the template's); every
    required column must be there. Unknown columns are ignored.

    Refuses (:class:`SpreadsheetTooLarge`, HTTP 413) a file of more than
    :data:`MAX_ACTIVITY_ROWS` data rows or :data:`MAX_ACTIVITY_TEXT_CHARS` characters; a cell is
    kept to :data:`MAX_CELL_CHARS`.
    """
    rows = _raw_rows(path, name)
    header = [column_code(_cell_text(h)) for h in next(rows, [])]
    missing = [c for c in ACTIVITY_COLUMNS if c not in header]
    if missing:
        raise InputError(
            t(
                f"缺少列 {', '.join(missing)}；活动数据格式为 entity, period, category, item, "
                "quantity, unit（见 docs/activities-csv.md）",
                f"missing column(s) {', '.join(missing)}; the activities format is entity, "
                "period, category, item, quantity, unit (see docs/activities-csv.md)",
            ),
            source=name,
            location="header",
        )
    count = chars = 0
    for number, values in enumerate(rows, start=2):
        row = {
            code: _cell_text(v)[:MAX_CELL_CHARS]
            for code, v in zip(header, values, strict=False)
            if code is not None
        }
        if not any(row.values()):
            continue
        count += 1
        chars += sum(map(len, row.values()))
        if count > MAX_ACTIVITY_ROWS:
            raise SpreadsheetTooLarge(
                t(
                    f"活动数据文件超过 {MAX_ACTIVITY_ROWS:,} 行; 请拆分后分别导入",
                    f"more than {MAX_ACTIVITY_ROWS:,} activity rows in one file; split it",
                ),
                source=name,
                location=f"row {number}",
            )
        if chars > MAX_ACTIVITY_TEXT_CHARS:
            raise SpreadsheetTooLarge(
                t(
                    f"活动数据文件的文本超过 {MAX_ACTIVITY_TEXT_CHARS:,} 个字符; 请拆分后分别导入",
                    f"more than {MAX_ACTIVITY_TEXT_CHARS:,} characters of text in one activities "
                    "file; split it",
                ),
                source=name,
                location=f"row {number}",
            )
        yield number, row


def _check(
    row: dict[str, str], entities: set[str], catalogue: ItemCatalogue
) -> tuple[ActivityRecord | None, list[Issue]]:
    """The record of one row (the contract's parser, entities of this park), or its issues."""
    return parse_activity_row(row, catalogue=catalogue, known_entities=entities)


def _key(r: ActivityRecord) -> tuple[str, str, str, str, str]:
    """The stored identity of a record (write_activities replaces on it)."""
    return (r.entity, r.period, r.category, r.item, r.unit)


def _refuse_foreign_entities(
    principal: Principal, park_id: str, rows: Sequence[tuple[str, str | None, dict[str, str]]]
) -> None:
    """Refuse a whole batch (403, nothing stored) with rows for entities the sender may not write.

    A park admin's rows for an unknown entity are quarantined for review; a tenant may only
    enter its own data, and a row naming another entity is not a data error to queue but a write
    it may not make.
    """
    if principal.can_configure(park_id):
        return
    foreign = sorted(
        {
            entity
            for _, _, row in rows
            if (entity := code_in_label(row.get("entity", "")))
            and not principal.can_write_activity(park_id, entity)
        }
    )
    if foreign:
        shown = ", ".join(repr(e) for e in foreign[:5])
        raise PermissionDenied(
            t(
                f"此调用方不能填报这些主体的活动数据: {shown}；整批未写入",
                f"this caller may not enter activity data of {shown}; nothing was stored",
            )
        )


def _store(
    conn: Connection,
    principal: Principal,
    park_id: str,
    rows: Sequence[tuple[str, str | None, dict[str, str]]],
    report: IngestReport,
) -> None:
    """Check rows (source, location, fields), store the good ones, quarantine the others."""
    repo = ParkRepository(conn, principal)
    tenant_ids = {t["id"] for t in repo.section(park_id, "tenants")}
    entities = tenant_ids | ({park_id} if principal.can_configure(park_id) else set())
    _refuse_foreign_entities(principal, park_id, rows)
    stored = {_key(r): r for r in list_activities(conn, principal, park_id)}
    good: list[ActivityRecord] = []
    quarantined: list[QuarantineRecord] = []
    catalogue = load_items()
    for source, location, row in rows:
        report.received += 1
        record, issues = _check(row, entities, catalogue)
        if record is None:
            placed = [i.at(source=source, location=location) for i in issues]
            entity = code_in_label(row.get("entity", ""))
            item = QuarantineRecord.of_issue(
                placed[0],
                tenant_id=entity if entity in tenant_ids else None,
                payload={"kind": "activity", "row": row},
                reason="; ".join(f"{i.field}: {i.reason()}" for i in placed),
            )
            quarantined.append(item)
            report.reject(item, placed)
        elif stored.get(_key(record)) == record:
            report.duplicates += 1
        else:
            good.append(record)
    report.accepted += len(good)
    if good:
        write_activities(conn, principal, park_id, good, source=report.source)
    add_records(
        conn, park_id, unseen_records(conn, park_id, quarantined), sent_by=principal.subject
    )
    if good:
        digest = hashlib.sha256(repr(sorted(map(repr, good))).encode()).hexdigest()
        audit.append(
            conn,
            actor=principal.subject,
            action="activities.batch",
            park_id=park_id,
            entity=f"source:{report.source}",
            payload={**report.as_dict(), "accepted_sha256": digest},
        )


def import_activities_file(
    db: Database, principal: Principal, park_id: str, path: Path, *, source: str | None = None
) -> IngestReport:
    """Validate and store an activities file (.xlsx template or .csv) in one transaction.

    ``source`` names the file in the report, quarantine and audit log (default: its path), e.g.
    an upload's own name rather than the temporary path it was saved under.
    """
    name = display_name(source if source is not None else str(path))
    report = IngestReport(name)
    rows = [(name, f"row {n}", row) for n, row in read_activity_rows(path, name)]
    with db.transaction() as conn:
        _store(conn, principal, park_id, rows, report)
    report.chunks = 1
    return report


def import_activity_records(
    db: Database,
    principal: Principal,
    park_id: str,
    records: Sequence[Mapping[str, object]],
    *,
    source: str,
) -> IngestReport:
    """Validate and store activity records given as mappings (the API's JSON), all of them, in
    one transaction: each is checked like an imported row and named ``record <n>`` (1 = first).
    """
    name = display_name(source)
    report = IngestReport(name)
    rows = [
        (name, f"record {n}", {str(k): _value_text(v) for k, v in record.items()})
        for n, record in enumerate(records, start=1)
    ]
    with db.transaction() as conn:
        _store(conn, principal, park_id, rows, report)
    report.chunks = 1
    return report


def _value_text(value: object) -> str:
    """A JSON value as the text a file cell would hold (floats as their shortest repr)."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value).strip()


def store_activity_rows(
    conn: Connection,
    principal: Principal,
    park_id: str,
    records: Sequence[dict[str, Any]],
    value: str,
    report: IngestReport,
) -> None:
    """Re-submit quarantined activity rows with their failing field set to ``value``."""
    rows = [
        (str(r["source"]), r.get("location"), {**r["payload"]["row"], str(r["field"]): value})
        for r in records
    ]
    _store(conn, principal, park_id, rows, report)
