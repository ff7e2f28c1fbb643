"""Excel files (.xlsx) checked before openpyxl opens them: parsing in bounded memory and time.

An xlsx file is a zip of XML parts, and a small file can expand a thousandfold. openpyxl, even in
read-only mode, loads some parts whole (the shared-strings table, styles, the workbook and its
relationships) and keeps one element per row of the sheet it streams; an XML element it does not
know stays in memory until the part ends. :func:`check_xlsx` reads every member of the zip once, as
a stream (a 64 KiB block at a time, nothing kept), counts what it really holds (the sizes in a
zip's headers can lie) and refuses the file, naming it and the limit, when:

- the zip has more than :data:`MAX_ZIP_ENTRIES` members;
- all members together expand to more than :data:`MAX_TOTAL_BYTES`, or to more than
  :data:`MAX_EXPANSION_RATIO` times the file's size (beyond the first :data:`RATIO_FREE_BYTES`);
- a worksheet expands to more than :data:`MAX_WORKSHEET_BYTES`, the shared-strings table to more
  than :data:`MAX_SHARED_STRINGS_BYTES`, any other member to more than :data:`MAX_PART_BYTES`;
- an XML part declares a DTD (``<!DOCTYPE``: entity expansion), is not in UTF-8 or an 8-bit
  encoding, or holds a text or tag longer than :data:`MAX_XML_TEXT_BYTES`;
- a worksheet row (or a shared string) holds more than :data:`MAX_RECORD_ELEMENTS` XML elements,
  a part holds more than :data:`MAX_ELEMENTS_OUTSIDE_RECORDS` elements outside its rows (or
  strings), a worksheet has more than :data:`MAX_SHEET_ROWS` rows (Excel's own limit) or the
  shared-strings table more than :data:`MAX_SHARED_STRINGS` strings;
- a worksheet or the shared-strings table holds comments, CDATA or processing instructions
  (Excel never writes them; the element count could not see through them).

Sizes over a limit raise :class:`SpreadsheetTooLarge` (HTTP 413), other refusals
:class:`~zeropark.errors.InputError` (422). For scale: a 1,000,000-row readings file written by
openpyxl (``meter, ts, value, quality``) is 17-19 MB on disk and its worksheet expands to 229 MB
(timestamps as dates) or 244 MB (timestamps as text), a ratio of 12-14; checking it reads 245 MB
in about a second. Excel itself writes text to the shared-strings table: a million distinct
timestamps take about 36 MB there.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from zeropark.errors import InputError
from zeropark.i18n import t

__all__ = [
    "MAX_ELEMENTS_OUTSIDE_RECORDS",
    "MAX_EXPANSION_RATIO",
    "MAX_PART_BYTES",
    "MAX_RECORD_ELEMENTS",
    "MAX_SHARED_STRINGS",
    "MAX_SHARED_STRINGS_BYTES",
    "MAX_SHEET_ROWS",
    "MAX_TOTAL_BYTES",
    "MAX_WORKSHEET_BYTES",
    "MAX_XML_TEXT_BYTES",
    "MAX_ZIP_ENTRIES",
    "RATIO_FREE_BYTES",
    "SpreadsheetTooLarge",
    "check_xlsx",
]

MiB = 1 << 20

#: Members of the zip (a workbook of a few sheets has 10-30).
MAX_ZIP_ENTRIES = 1_000
#: All members together, uncompressed.
MAX_TOTAL_BYTES = 1024 * MiB
#: All members together may expand to this many times the file's size...
MAX_EXPANSION_RATIO = 100
#: ... once past this many bytes (a small file may expand more).
RATIO_FREE_BYTES = 8 * MiB
#: One worksheet, uncompressed (streamed by openpyxl; a 1,000,000-row readings sheet is ~245 MB).
MAX_WORKSHEET_BYTES = 512 * MiB
#: The shared-strings table, uncompressed: openpyxl holds all of it in memory.
MAX_SHARED_STRINGS_BYTES = 64 * MiB
#: Strings in the shared-strings table (two distinct texts per row of a full Excel sheet).
MAX_SHARED_STRINGS = 2_000_000
#: Any other member, uncompressed (styles, workbook, relationships: loaded whole).
MAX_PART_BYTES = 16 * MiB
#: Rows of one worksheet: Excel's own limit.
MAX_SHEET_ROWS = 1_048_576
#: XML elements inside one row or one shared string (16,384 columns of inline strings take ~50,000).
MAX_RECORD_ELEMENTS = 100_000
#: XML elements of a part outside its rows or strings (a styles part of 64,000 formats: ~200,000).
MAX_ELEMENTS_OUTSIDE_RECORDS = 300_000
#: Longest text or tag between two ``<`` (an Excel cell holds at most 32,767 characters).
MAX_XML_TEXT_BYTES = 1 * MiB

_BLOCK = 64 * 1024
_CONTENT_TYPES = "[Content_Types].xml"
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
#: Parts openpyxl reads whole whatever a relationship says they are.
_LOADED_WHOLE = frozenset(
    {_CONTENT_TYPES, "xl/styles.xml", "xl/theme/theme1.xml", "docProps/core.xml",
     "docProps/custom.xml"}
)  # fmt: skip
_ENCODINGS = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252",
     "cp1252"}
)  # fmt: skip
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


#: Files that passed (path, size, modification time): a file read twice is checked once.
_PASSED: dict[tuple[str, int, int], None] = {}


class SpreadsheetTooLarge(InputError):
    """An Excel file expands beyond a documented limit (HTTP 413)."""

    http_status = 413


@dataclass(frozen=True, slots=True)
class _Kind:
    """How a member is read by openpyxl, and so what it may hold."""

    name: str
    max_bytes: int
    record: bytes | None = None  # the element openpyxl clears one by one: row or si
    max_records: int = 0
    xml: bool = True
    strict: bool = False  # no comments, CDATA or processing instructions


_WORKSHEET = _Kind("worksheet", MAX_WORKSHEET_BYTES, b"row", MAX_SHEET_ROWS, strict=True)
_STRINGS = _Kind("shared strings", MAX_SHARED_STRINGS_BYTES, b"si", MAX_SHARED_STRINGS, strict=True)
_PART = _Kind("part", MAX_PART_BYTES)
_BINARY = _Kind("binary", MAX_PART_BYTES, xml=False)


def check_xlsx(path: Path, source: str | None = None) -> None:
    """Refuse ``path`` unless openpyxl can read it in bounded memory and time (see module doc).

    ``source`` names the file in errors (default: the path).
    """
    name = source or str(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key in _PASSED:
            return
        size = stat.st_size
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise InputError(
            t(f"不是可读的 Excel 文件: {exc}", f"not a readable Excel file: {exc}"), source=name
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise SpreadsheetTooLarge(
                t(
                    f"压缩包内有 {len(infos):,} 个成员, 上限 {MAX_ZIP_ENTRIES:,}",
                    f"the zip holds {len(infos):,} members, more than the limit of "
                    f"{MAX_ZIP_ENTRIES:,}",
                ),
                source=name,
            )
        budget = _Budget(name, size)
        kinds = _classify(archive, budget)
        for info in infos:
            if id(info) not in budget.done:
                kind = kinds.get(info.filename) or (_PART if _is_xml(info.filename) else _BINARY)
                _read_member(archive, info, kind, budget)
    _PASSED[key] = None
    while len(_PASSED) > 16:
        del _PASSED[next(iter(_PASSED))]


class _Budget:
    """What all members together may expand to, and how much they have so far."""

    def __init__(self, source: str, file_size: int) -> None:
        self.source = source
        self.limit = min(MAX_TOTAL_BYTES, max(RATIO_FREE_BYTES, MAX_EXPANSION_RATIO * file_size))
        self.used = 0
        self.done: set[int] = set()  # ids of the members read (names may repeat)

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise SpreadsheetTooLarge(
                t(
                    f"解压后超过 {_mib(self.limit)} (上限: {_mib(MAX_TOTAL_BYTES)}, "
                    f"且不超过文件大小的 {MAX_EXPANSION_RATIO} 倍)",
                    f"the file expands to more than {_mib(self.limit)} (the limit is "
                    f"{_mib(MAX_TOTAL_BYTES)}, and at most {MAX_EXPANSION_RATIO} times the "
                    "file's size)",
                ),
                source=self.source,
            )


def _mib(n: int) -> str:
    return f"{n / MiB:,.0f} MiB" if n >= MiB else f"{n:,} bytes"


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _classify(archive: zipfile.ZipFile, budget: _Budget) -> dict[str, _Kind]:
    """Each member openpyxl streams or loads as something particular, found as openpyxl does.

    The content types name the shared-strings table and the workbook; the workbook's
    relationships name its sheets (streamed, so they may be large, unless openpyxl loads that
    member whole for another reason).
    """
    names = set(archive.namelist())
    if _CONTENT_TYPES not in names:
        raise InputError(
            t(
                "不是 Excel 工作簿 (缺少 [Content_Types].xml)",
                "not an Excel workbook (no [Content_Types].xml)",
            ),
            source=budget.source,
        )
    types = _parse(archive, _CONTENT_TYPES, budget)
    strings: set[str] = set()
    workbook = "xl/workbook.xml"
    for node in types.iter():
        if node.tag.rsplit("}", 1)[-1] != "Override":
            continue
        part = (node.get("PartName") or "").lstrip("/")
        content_type = node.get("ContentType")
        if content_type == _SHARED_STRINGS_TYPE:
            strings.add(part)
        elif content_type in _WORKBOOK_TYPES and workbook == "xl/workbook.xml":
            workbook = part
    kinds = dict.fromkeys(strings, _STRINGS)
    rels_path = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook))
    rels_path += ".rels"
    whole = _LOADED_WHOLE | strings | {workbook}
    if rels_path in names:
        parent = posixpath.split(posixpath.dirname(rels_path))[0]
        for node in _parse(archive, rels_path, budget).iter():
            target = node.get("Target")
            if target is None or node.get("TargetMode") == "External":
                continue
            if "chartsheet" in (node.get("Type") or ""):
                continue  # loaded whole
            target = target[1:] if target.startswith("/") else posixpath.join(parent, target)
            target = posixpath.normpath(target)
            if target not in whole and not target.endswith(".rels"):
                kinds[target] = _WORKSHEET
    return kinds


def _parse(archive: zipfile.ZipFile, member: str, budget: _Budget) -> ElementTree.Element:
    """A small part, checked like any other, then parsed (it holds no DTD: checked)."""
    info = archive.getinfo(member)
    data = _read_member(archive, info, _PART, budget, keep=True)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise InputError(
            t(
                f"不是可读的 Excel 文件: {member}: {exc}",
                f"not a readable Excel file: {member}: {exc}",
            ),
            source=budget.source,
            location=member,
        ) from exc


def _read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    kind: _Kind,
    budget: _Budget,
    *,
    keep: bool = False,
) -> bytes:
    """Stream one member, counting its bytes (and, for XML, its elements) against the limits."""
    budget.done.add(id(info))
    where = info.filename
    if info.file_size > kind.max_bytes:
        raise _too_large(budget.source, where, kind, info.file_size, declared=True)
    scanner = _XmlScanner(budget.source, where, kind) if kind.xml else None
    kept: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while block := stream.read(_BLOCK):
                total += len(block)
                if total > kind.max_bytes:
                    raise _too_large(budget.source, where, kind, total, declared=False)
                budget.spend(len(block))
                if scanner is not None:
                    scanner.feed(block)
                if keep:
                    kept.append(block)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise InputError(
            t(f"不是可读的 Excel 文件: {exc}", f"not a readable Excel file: {exc}"),
            source=budget.source,
            location=where,
        ) from exc
    if scanner is not None:
        scanner.close()
    return b"".join(kept)


def _too_large(source: str, member: str, kind: _Kind, size: int, *, declared: bool) -> InputError:
    what = {"worksheet": ("工作表", "a worksheet"), "shared strings": ("共享字符串表",
            "the shared-strings table")}.get(kind.name, ("成员", "a member"))  # fmt: skip
    more = "declares" if declared else "expands to more than"
    return SpreadsheetTooLarge(
        t(
            f"{what[0]} {member} 解压后{'声明' if declared else '超过'} {_mib(size)}, "
            f"上限 {_mib(kind.max_bytes)}",
            f"{what[1]} ({member}) {more} {_mib(size)}, over the limit of {_mib(kind.max_bytes)}",
        ),
        source=source,
        location=member,
    )


#: A row or shared-string tag name, found by its name first (fast), its ``<`` checked after.
_RECORD_NAMES = {record: re.compile(record + rb"(?=[\s/>])") for record in (b"row", b"si")}
_PREFIX = re.compile(rb"/?(?:[A-Za-z_][\w.\-]*:)?")
_TAG_REST = re.compile(rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")


class _XmlScanner:
    """Counts the elements of an XML part as its bytes stream by, keeping only an unfinished tag.

    A tag holds no ``<``, so everything up to the last ``<`` of what has arrived is whole tags
    and text. Elements are counted as ``<`` not followed by ``/``; a row (or shared string) is
    found by its start and end tags, so the elements inside one row, outside all rows and the
    rows themselves are each counted against their limit.
    """

    def __init__(self, source: str, member: str, kind: _Kind) -> None:
        self.source, self.member, self.kind = source, member, kind
        self.tail = b""
        self.first = True  # nothing scanned yet: the XML declaration may come
        self.inside = False  # within a row (or shared string)
        self.in_record = 0  # elements of the current row so far
        self.outside = 0  # elements outside rows so far
        self.records = 0
        self.pattern = _RECORD_NAMES[kind.record] if kind.record else None

    def feed(self, block: bytes) -> None:
        data = self.tail + block
        cut = max(0, data.rfind(b"<"))
        self.tail = data[cut:]
        if len(self.tail) > MAX_XML_TEXT_BYTES:
            self._refuse(
                t(
                    f"有超过 {_mib(MAX_XML_TEXT_BYTES)} 的文本或标签",
                    f"holds a text or tag longer than {_mib(MAX_XML_TEXT_BYTES)}",
                ),
                too_large=True,
            )
        self._scan(data[:cut])

    def close(self) -> None:
        self._scan(self.tail)
        self.tail = b""

    def _scan(self, text: bytes) -> None:
        if not text:
            return
        declaration = 0
        if self.first:  # the part's first bytes
            self.first = False
            self._check_encoding(text)
            declaration = int(text.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"))
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            self._refuse(
                t("含有 DTD (<!DOCTYPE), 不允许", "declares a DTD (<!DOCTYPE), not allowed")
            )
        if self.kind.strict and (b"<!" in text or text.count(b"<?") > declaration):
            self._refuse(
                t(
                    "含有注释、CDATA 或处理指令, Excel 不会写入这些",
                    "holds comments, CDATA or processing instructions, which Excel never writes",
                )
            )
        if self.pattern is None:
            self._count(text, 0, len(text))
            return
        # The hot loop of a large sheet (two tags a row): plain locals, few calls.
        count = text.count
        position, inside, in_record, outside, records = 0, self.inside, self.in_record, 0, 0
        for match in self.pattern.finditer(text):
            start, end = match.span()
            lt = text.rfind(b"<", 0, start)
            if lt < 0 or (lt + 1 != start and not _PREFIX.fullmatch(text, lt + 1, start)):
                continue  # "row" in a text, an attribute or another name
            n = count(b"<", position, lt) - count(b"</", position, lt)
            if inside:
                in_record += n
                if in_record > MAX_RECORD_ELEMENTS:
                    self._refuse_record_elements()
            else:
                outside += n
            position = start
            if text[lt + 1] == 47:  # "/": </row>
                inside = False
                continue
            records += 1
            gt = text.find(b">", end)
            inner = text[end:gt]
            if gt >= 0 and 39 not in inner and inner.count(b'"') % 2 == 0:  # 39: "'"
                inside = not inner.endswith(b"/")  # <row/> holds nothing
            else:  # a quoted ">" or '...': parse the attributes
                rest = _TAG_REST.match(text, end)
                inside = not (rest and rest.group(1))
            in_record = 0
        self.inside, self.in_record = inside, in_record
        self.records += records
        if self.records > self.kind.max_records:
            self._refuse_records()
        self._add_outside(outside)
        self._count(text, position, len(text))

    def _check_encoding(self, head: bytes) -> None:
        if head.startswith((b"\xfe\xff", b"\xff\xfe")) or b"\x00" in head[:4]:
            self._refuse(t("不是 UTF-8 编码的 XML", "is not XML in UTF-8"))
        declared = _DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
        encoding = declared.group(1).decode("ascii", "replace") if declared else "utf-8"
        if encoding.lower() not in _ENCODINGS:
            self._refuse(
                t(
                    f"XML 编码 {encoding!r} 不受支持",
                    f"declares the unsupported encoding {encoding!r}",
                )
            )

    def _count(self, text: bytes, start: int, end: int) -> None:
        n = text.count(b"<", start, end) - text.count(b"</", start, end)
        if self.inside:
            self.in_record += n
            if self.in_record > MAX_RECORD_ELEMENTS:
                self._refuse_record_elements()
        else:
            self._add_outside(n)

    def _add_outside(self, n: int) -> None:
        self.outside += n
        if self.outside > MAX_ELEMENTS_OUTSIDE_RECORDS:
            self._refuse(
                t(
                    f"行或字符串之外含有超过 {MAX_ELEMENTS_OUTSIDE_RECORDS:,} 个 XML 元素",
                    f"holds more than {MAX_ELEMENTS_OUTSIDE_RECORDS:,} XML elements outside "
                    "rows and strings",
                ),
                too_large=True,
            )

    def _refuse_record_elements(self) -> None:
        row = self.kind.record == b"row"
        what = t("一行", "one row") if row else t("一个字符串", "one string")
        self._refuse(
            t(
                f"{what}含有超过 {MAX_RECORD_ELEMENTS:,} 个 XML 元素",
                f"{what} holds more than {MAX_RECORD_ELEMENTS:,} XML elements",
            ),
            too_large=True,
        )

    def _refuse_records(self) -> None:
        if self.kind.record == b"row":
            message = t(
                f"工作表超过 {MAX_SHEET_ROWS:,} 行 (Excel 的上限)",
                f"the worksheet has more than {MAX_SHEET_ROWS:,} rows (Excel's own limit)",
            )
        else:
            message = t(
                f"共享字符串表超过 {MAX_SHARED_STRINGS:,} 个字符串",
                f"the shared-strings table holds more than {MAX_SHARED_STRINGS:,} strings",
            )
        self._refuse(message, too_large=True)

    def _refuse(self, reason: str, *, too_large: bool = False) -> None:
        error = SpreadsheetTooLarge if too_large else InputError
        raise error(reason, source=self.source, location=self.member)
