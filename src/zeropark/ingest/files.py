"""Reading readings files (CSV and Excel) in bounded memory, chunk by chunk.

Both formats go through :func:`~zeropark.ingest.readings_format.parse_frame`, the one parser of
the canonical format. Each chunk reports how many bytes of the file it has consumed (CSV) or how
many rows (Excel), so callers can show progress.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zeropark.errors import InputError
from zeropark.ingest.readings_format import ParsedReadings, normalise_columns, parse_frame

__all__ = ["DEFAULT_CHUNK_ROWS", "FileChunk", "iter_readings_file", "progress_total"]

DEFAULT_CHUNK_ROWS = 250_000


@dataclass(frozen=True, slots=True)
class FileChunk:
    """One parsed chunk and how far into the file it reaches (bytes for CSV, rows for Excel)."""

    parsed: ParsedReadings
    position: int


def progress_total(path: Path) -> int:
    """The number :attr:`FileChunk.position` counts up to: file size for CSV, rows for Excel."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            return int(workbook.worksheets[0].max_row or 0)
        finally:
            workbook.close()
    return path.stat().st_size


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
        raise InputError(f"unsupported file type {suffix!r}; use .csv or .xlsx", source=str(path))


def _iter_csv(path: Path, timezone: str, chunk_rows: int, source: str) -> Iterator[FileChunk]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror}", source=source) from exc
    with handle:
        try:
            reader = pd.read_csv(
                handle,
                dtype=str,
                keep_default_na=False,
                chunksize=chunk_rows,
                skipinitialspace=True,
                encoding="utf-8-sig",
            )
            row = 2
            mapping: dict[str, str] | None = None
            for frame in reader:
                if mapping is None:
                    mapping = normalise_columns(list(frame.columns), source)
                frame = frame.rename(columns=mapping)
                parsed = parse_frame(frame, source=source, first_row=row, timezone=timezone)
                row += len(frame)
                yield FileChunk(parsed, handle.tell())
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise InputError(f"not a readable CSV file: {exc}", source=source) from exc


def _iter_excel(path: Path, timezone: str, chunk_rows: int, source: str) -> Iterator[FileChunk]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a bad file
        raise InputError(f"not a readable Excel file: {exc}", source=source) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError("the first sheet is empty", source=source, location="header")
        names = [str(h) if h is not None else "" for h in header]
        mapping = normalise_columns(names, source)
        keep = [i for i, name in enumerate(names) if name in mapping]
        columns = [mapping[names[i]] for i in keep]
        buffer: list[list[str]] = []
        row = 2
        position = 1
        for values in rows:
            position += 1
            buffer.append([_cell_text(values[i]) if i < len(values) else "" for i in keep])
            if len(buffer) >= chunk_rows:
                yield _excel_chunk(buffer, columns, source, row, timezone, position)
                row += len(buffer)
                buffer = []
        if buffer:
            yield _excel_chunk(buffer, columns, source, row, timezone, position)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _excel_chunk(
    buffer: list[list[str]], columns: list[str], source: str, row: int, timezone: str, pos: int
) -> FileChunk:
    frame = pd.DataFrame(buffer, columns=columns, dtype="string")
    return FileChunk(parse_frame(frame, source=source, first_row=row, timezone=timezone), pos)
