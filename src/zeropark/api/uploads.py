"""Uploaded files: size-limited, kept in a temporary file for the service to read by path."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from zeropark.errors import InputError

__all__ = ["UploadTooLarge", "saved_upload"]

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".txt")


class UploadTooLarge(InputError):
    """The upload is larger than the server accepts."""

    http_status = 413


@contextmanager
def saved_upload(upload: UploadFile, max_bytes: int) -> Iterator[Path]:
    """The upload written to a temporary file with its own suffix (deleted afterwards)."""
    name = Path(upload.filename or "upload.csv").name
    suffix = Path(name).suffix.lower() or ".csv"
    if suffix not in ALLOWED_SUFFIXES:
        raise InputError(
            f"unsupported file type {suffix!r}; use .csv or .xlsx", source=name, field="file"
        )
    with tempfile.TemporaryDirectory(prefix="zeropark-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        written = 0
        with path.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                written += len(chunk)
                if written > max_bytes:
                    raise UploadTooLarge(
                        f"the file is larger than {max_bytes // (1 << 20)} MiB",
                        source=name,
                        field="file",
                    )
                out.write(chunk)
        if written == 0:
            raise InputError("the file is empty", source=name, field="file")
        yield path
