"""Hostile Excel files built in the test: small on disk, huge (or endless) once expanded."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def plain_workbook(path: Path, rows: list[list[object]] | None = None) -> Path:
    """A small, honest readings workbook written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.append(["meter", "ts", "value"])
    for row in rows or [["main", "2024-03-01T00:00:00+08:00", 1000.0]]:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite(path: Path, replace: dict[str, object], *, extra: int = 0) -> Path:
    """Copy the plain workbook at ``path`` over itself, replacing members (bytes or a chunk
    writer) and adding ``extra`` tiny members."""
    source = path.with_suffix(".orig")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        names = old.namelist()
        for name in names:
            if name not in replace:
                new.writestr(name, old.read(name))
        for name, content in replace.items():
            with new.open(name, "w") as out:
                if isinstance(content, bytes):
                    out.write(content)
                else:
                    content(out)  # type: ignore[operator]
        for i in range(extra):
            new.writestr(f"customXml/item{i}.xml", b"<a/>")
    source.unlink()
    return path


def _content_types_with_strings(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
    return types.replace("</Types>", override + "</Types>").encode()


def shared_strings_bomb(path: Path, expanded_mib: int = 100, *, split: bool = False) -> Path:
    """A workbook whose shared-strings table holds ``expanded_mib`` MiB of "A": one string (the
    probe's file, ~0.1 % of its size on disk) or, ``split``, strings of 64 KiB; the first is
    referenced by the first data cell."""
    plain_workbook(path)
    types = _content_types_with_strings(path)

    def strings(out: object) -> None:
        write = out.write  # type: ignore[attr-defined]
        write(f'<sst xmlns="{MAIN}"><si><t>'.encode())
        block = b"A" * (1 << 16)
        for _ in range(expanded_mib * 16):
            write(block)
            if split:
                write(b"</t></si><si><t>")
        write(b"</t></si></sst>")

    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>meter</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>ts</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
        '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'
    ).encode()
    return _rewrite(
        path,
        {"[Content_Types].xml": types, "xl/sharedStrings.xml": strings,
         "xl/worksheets/sheet1.xml": sheet},
    )  # fmt: skip


def wide_row_bomb(path: Path, cells: int = 200_000) -> Path:
    """One row of ``cells`` empty cells: openpyxl holds every element of a row until it ends."""
    plain_workbook(path)
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
        + b"<c/>" * cells
        + b"</row></sheetData></worksheet>"
    )
    return _rewrite(path, {"xl/worksheets/sheet1.xml": sheet})


def entity_bomb(path: Path) -> Path:
    """The classic "billion laughs" in the shared-strings table (a DTD with nested entities)."""
    plain_workbook(path)
    types = _content_types_with_strings(path)
    entities = '<!ENTITY a0 "AAAAAAAAAA">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9)
    )
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
        f'<sst xmlns="{MAIN}"><si><t>&a8;</t></si></sst>'
    ).encode()
    return _rewrite(path, {"[Content_Types].xml": types, "xl/sharedStrings.xml": strings})


def many_members(path: Path, extra: int) -> Path:
    plain_workbook(path)
    return _rewrite(path, {}, extra=extra)


def far_row(path: Path) -> Path:
    """A header, one reading, then a row numbered two billion declared on a sheet of XFD columns:
    openpyxl would fill every missing row and column with empty cells."""
    plain_workbook(path)
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD2000000000"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>meter</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>ts</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>main</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>2024-03-01T00:00:00+08:00</t></is></c>'
        '<c r="C2"><v>1000</v></c></row>'
        '<row r="2000000000"><c r="XFD2000000000"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _rewrite(path, {"xl/worksheets/sheet1.xml": sheet})


def lying_sizes(path: Path) -> Path:
    """A worksheet whose zip headers declare 100 bytes while it holds 20 MiB."""
    plain_workbook(path)
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
        + b'<row><c t="inlineStr"><is><t>main</t></is></c></row>' * 400_000
        + b"</sheetData></worksheet>"
    )
    _rewrite(path, {"xl/worksheets/sheet1.xml": sheet})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    size = info.file_size.to_bytes(4, "little")
    # The uncompressed size sits at offset 22 of the local header and 24 of the central entry.
    local = info.header_offset + 22
    assert data[local : local + 4] == size
    data[local : local + 4] = (100).to_bytes(4, "little")
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    assert data[central + 24 : central + 28] == size
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path
