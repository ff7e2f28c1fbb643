"""Reading readings files (CSV and Excel) in bounded memory, chunk by chunk.

Both formats go through :func:`~zeropark.ingest.readings_format.parse_table`, the one parser of
the canonical format. Each chunk reports how many bytes of the file it has consumed (CSV) or how
many rows (Excel), so callers can show progress.

Excel files are checked by :func:`~zeropark.ingest.xlsx_guard.check_xlsx` before openpyxl opens
them (a small file must not expand into gigabytes) and read as a stream: only the wanted columns,
at most Excel's 1,048,576 rows, empty rows skipped as in CSV files.

CSV files are UTF-8 or GB18030/GBK (:mod:`zeropark.ingest.encoding`) and are read by Arrow's
streaming CSV reader, every column as text (a value that is not a
number is the parser's to reject, row by row, not the reader's to fail on). A row with the wrong
number of fields is rejected with its row number and text; the rest of the file is read. The first
chunks are smaller (:func:`chunk_sizes`), so storing starts while the rest is still parsed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv

from zeropark.errors import InputError
from zeropark.ingest.encoding import SAMPLE_BYTES, detect_encoding
from zeropark.ingest.readings_format import (
    ParsedReadings,
    RowRejection,
    normalise_columns,
    parse_table,
)
from zeropark.ingest.xlsx_guard import MAX_SHEET_ROWS, check_xlsx

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "FileChunk",
    "chunk_sizes",
    "iter_readings_file",
    "open_workbook",
    "progress_total",
]

DEFAULT_CHUNK_ROWS = 500_000


@dataclass(frozen=True, slots=True)
class FileChunk:
    """One parsed chunk and how far into the file it reaches (bytes for CSV, rows for Excel)."""

    parsed: ParsedReadings
    position: int


def progress_total(path: Path) -> int:
    """The number :attr:`FileChunk.position` counts up to: file size for CSV, rows for Excel."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        workbook = open_workbook(path, str(path))
        try:
            return min(int(workbook.worksheets[0].max_row or 0), MAX_SHEET_ROWS)
        finally:
            workbook.close()
    return path.stat().st_size


def open_workbook(path: Path, source: str) -> Any:
    """An Excel file opened read-only by openpyxl, once :func:`check_xlsx` has passed it.

    Raises :class:`InputError` (or :class:`SpreadsheetTooLarge`) naming ``source``.
    """
    from openpyxl import load_workbook

    check_xlsx(path, source)
    try:
        return load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise InputError(f"not a readable Excel file: {exc}", source=source) from exc


def iter_readings_file(
    path: Path, *, timezone: str, chunk_rows: int = DEFAULT_CHUNK_ROWS, source: str | None = None
) -> Iterator[FileChunk]:
    """Parse a readings file chunk by chunk; raises :class:`InputError` for a bad header.

    ``source`` is the name rejections carry (default: the path).
    """
    suffix = path.suffix.lower()
    name = source or str(path)
    if suffix in (".xlsx", ".xlsm"):
        yield from _iter_excel(path, timezone, chunk_rows, name)
    elif suffix in (".csv", ".txt", ""):
        yield from _iter_csv(path, timezone, chunk_rows, name)
    else:
        raise InputError(f"unsupported file type {suffix!r}; use .csv or .xlsx", source=name)


#: Bytes Arrow parses at a time (a 1 MiB block holds about 25,000 rows of the canonical format).
CSV_BLOCK_BYTES = 1 << 20
#: The first chunk is this fraction of ``chunk_rows``; each next one doubles, up to ``chunk_rows``.
FIRST_CHUNK_FRACTION = 8


def chunk_sizes(chunk_rows: int) -> Iterator[int]:
    """Rows per chunk of a CSV file: small first, so storing starts at once, then doubling.

    Each chunk is parsed while the one before it is stored; storing a row costs several times
    parsing it, so a chunk twice the size of the one before is ready by the time it is needed.
    """
    size = max(1, chunk_rows // FIRST_CHUNK_FRACTION)
    while True:
        yield size
        size = min(chunk_rows, size * 2)


#: The longest header line accepted [bytes]: a few column names, with room to spare.
MAX_HEADER_BYTES = 64 * 1024


def _csv_header(path: Path, source: str) -> tuple[list[str], str]:
    """The column names of the file's first line, and the file's encoding (UTF-8 or GB18030)."""
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror}", source=source) from exc
    encoding = detect_encoding(sample, source)
    first_line = sample.split(b"\n", 1)[0]
    if len(first_line) > MAX_HEADER_BYTES:
        raise InputError(
            f"the header line is longer than {MAX_HEADER_BYTES // 1024} KiB; the readings format "
            "has a header of a few column names (meter, ts, value[, quality])",
            source=source,
            location="header",
        )
    try:
        line = first_line.decode(encoding)
    except UnicodeDecodeError as exc:  # a header line longer than the sample, cut mid-character
        raise InputError(
            f"unreadable header line: {exc}", source=source, location="header"
        ) from exc
    try:
        names = next(csv.reader([line]), [])
    except csv.Error as exc:  # e.g. a field over the csv module's limit
        raise InputError(
            f"unreadable header line: {exc}", source=source, location="header"
        ) from None
    if not names:
        raise InputError("the file is empty: no header line", source=source, location="header")
    return names, encoding


def _canonical_positions(names: list[str], source: str) -> dict[str, int]:
    """Canonical column name → position in the file (the first of repeated aliases wins)."""
    mapping = normalise_columns(names, source)
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        canonical = mapping.get(name)
        if canonical and canonical not in positions:
            positions[canonical] = i
    return positions


class _SkippedRows:
    """Rows the CSV reader skipped (wrong field count) and the row numbers of those it kept.

    Arrow's reader calls :meth:`on_invalid_row` for each row it skips; rows are numbered as a user
    sees them (header = 1), so the kept records' numbers skip the numbers of skipped rows.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.next_row = 2
        self.pending: list[RowRejection] = []

    def on_invalid_row(self, row: pa_csv.InvalidRow) -> str:
        """Arrow's invalid-row handler: keep the row as a rejection, skip it."""
        self.pending.append(
            RowRejection(
                self.source,
                row.number,  # known: the reader runs single-threaded
                None,
                row.text,
                "bad_row",
                f"expected {row.expected_columns} fields, found {row.actual_columns}",
                {"text": row.text},
                "bad_row",
                {"expected": row.expected_columns, "actual": row.actual_columns},
            )
        )
        return "skip"

    def take(self, n: int) -> tuple[npt.NDArray[np.int64], list[RowRejection]]:
        """Row numbers of the next ``n`` kept records, and the skipped rows up to the last one."""
        skipped = np.asarray([r.row for r in self.pending], np.int64)
        candidates = np.arange(self.next_row, self.next_row + n + skipped.size, dtype=np.int64)
        rows = candidates[~np.isin(candidates, skipped)][:n] if skipped.size else candidates
        last = int(rows[-1]) if rows.size else int(skipped.max(initial=self.next_row - 1))
        self.next_row = last + 1
        done = [r for r in self.pending if (r.row or 0) <= last]
        self.pending = [r for r in self.pending if (r.row or 0) > last]
        return rows, done


def _open_csv(
    handle: pa.NativeFile, names: list[str], encoding: str, wanted: list[int], skipped: _SkippedRows
) -> pa_csv.CSVStreamingReader:
    """Arrow's streaming reader over the data rows: every column text, only ``wanted`` kept."""
    internal = [f"c{i}" for i in range(len(names))]
    return pa_csv.open_csv(
        handle,
        read_options=pa_csv.ReadOptions(
            column_names=internal,
            skip_rows=1,
            block_size=CSV_BLOCK_BYTES,
            use_threads=False,  # single-threaded, so skipped rows carry their numbers
            encoding="utf8" if encoding == "utf-8-sig" else encoding,
        ),
        parse_options=pa_csv.ParseOptions(
            newlines_in_values=True, invalid_row_handler=skipped.on_invalid_row
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(internal, pa.string()),
            include_columns=[internal[i] for i in wanted],
            strings_can_be_null=False,
        ),
    )


def _tables(
    reader: pa_csv.CSVStreamingReader, sizes: Iterator[int], handle: pa.NativeFile, source: str
) -> Iterator[pa.Table]:
    """The reader's rows re-cut into tables of ``sizes`` rows (the last one holds the rest)."""
    target, pending = next(sizes), reader.schema.empty_table()
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as exc:
            if "UTF8" in str(exc):  # the sample was UTF-8, text further on is not
                raise InputError(
                    f"not a readable CSV file: text near byte {handle.tell():,} is not UTF-8 "
                    "after all (mixed encodings); save the file as CSV UTF-8",
                    source=source,
                ) from exc
            raise InputError(f"not a readable CSV file: {exc}", source=source) from exc
        pending = pa.concat_tables([pending, pa.Table.from_batches([batch])])
        while pending.num_rows >= target:
            yield pending.slice(0, target)
            pending, target = pending.slice(target), next(sizes)
    yield pending


def _iter_csv(path: Path, timezone: str, chunk_rows: int, source: str) -> Iterator[FileChunk]:
    names, encoding = _csv_header(path, source)
    positions = _canonical_positions(names, source)
    skipped = _SkippedRows(source)
    try:
        handle = pa.OSFile(str(path), "rb")
        reader = _open_csv(handle, names, encoding, sorted(positions.values()), skipped)
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(f"not a readable CSV file: {exc}", source=source) from exc
    canonical = {f"c{i}": name for name, i in positions.items()}
    with handle:
        for table in _tables(reader, chunk_sizes(chunk_rows), handle, source):
            rows, bad_rows = skipped.take(table.num_rows)
            if table.num_rows == 0 and not bad_rows:
                continue
            table = table.rename_columns([canonical[c] for c in table.column_names])
            parsed = parse_table(table, source=source, timezone=timezone, rows=rows)
            if bad_rows:
                parsed.rejections.extend(bad_rows)
                parsed.rejections.sort(key=lambda r: r.row or 0)
            yield FileChunk(parsed, handle.tell())
        if skipped.pending:  # malformed rows after the last good one: a chunk of their own
            _, bad_rows = skipped.take(0)
            empty = pa.table({name: pa.array([], pa.string()) for name in canonical.values()})
            parsed = parse_table(
                empty, source=source, timezone=timezone, rows=np.zeros(0, np.int64)
            )
            parsed.rejections.extend(bad_rows)
            yield FileChunk(parsed, handle.tell())


def _iter_excel(path: Path, timezone: str, chunk_rows: int, source: str) -> Iterator[FileChunk]:
    """Rows of the first sheet, only the wanted columns, at most Excel's rows; empty rows skipped.

    Reading stops at row :data:`MAX_SHEET_ROWS` and takes only the columns up to the last wanted
    one, so a sheet that declares a huge size or a row numbered in the billions costs no more
    than its real cells.
    """
    workbook = open_workbook(path, source)
    try:
        sheet = workbook.worksheets[0]
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            raise InputError("the first sheet is empty", source=source, location="header")
        names = [str(h) if h is not None else "" for h in header]
        positions = _canonical_positions(names, source)
        columns, keep = list(positions), list(positions.values())
        rows = sheet.iter_rows(
            min_row=2, max_row=MAX_SHEET_ROWS, max_col=max(keep, default=0) + 1, values_only=True
        )
        buffer: list[list[str]] = []
        numbers: list[int] = []
        position = 1
        for values in rows:
            position += 1
            texts = [_cell_text(values[i]) if i < len(values) else "" for i in keep]
            if not any(texts):
                continue  # an empty row, as in a CSV file
            buffer.append(texts)
            numbers.append(position)
            if len(buffer) >= chunk_rows:
                yield _excel_chunk(buffer, columns, source, numbers, timezone, position)
                buffer, numbers = [], []
        if buffer:
            yield _excel_chunk(buffer, columns, source, numbers, timezone, position)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _excel_chunk(
    buffer: list[list[str]],
    columns: list[str],
    source: str,
    numbers: list[int],
    timezone: str,
    pos: int,
) -> FileChunk:
    table = pa.table(
        {name: pa.array([r[i] for r in buffer], pa.string()) for i, name in enumerate(columns)}
    )
    rows = np.asarray(numbers, dtype=np.int64)
    return FileChunk(parse_table(table, source=source, rows=rows, timezone=timezone), pos)
