"""Which text encoding a CSV file is in: UTF-8, or GB18030 as Excel on Chinese Windows saves it.

"CSV (逗号分隔)" from Excel on a Chinese-language Windows is written in the ANSI code page, GBK
(code page 936), of which GB18030 is a superset. Park staff send such files as often as UTF-8 ones;
refusing them, or worse reading their meter ids as mojibake, is not acceptable. The encoding is
judged on a sample from the start of the file: valid UTF-8 is UTF-8 (pure ASCII included);
otherwise valid GB18030 is GB18030; otherwise the file is refused with the position of the first
byte neither can read.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from zeropark.errors import InputError

__all__ = ["SAMPLE_BYTES", "detect_encoding", "read_text"]

#: Bytes read from the start of a file to judge its encoding.
SAMPLE_BYTES = 1 << 20


def _decodes(sample: bytes, encoding: str) -> UnicodeDecodeError | None:
    """None if ``sample`` is valid ``encoding`` (a character cut off at its end is allowed)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError as exc:
        return exc
    return None


def detect_encoding(sample: bytes, source: str) -> str:
    """``utf-8-sig`` (a byte order mark is dropped) or ``gb18030``; raises for anything else."""
    utf8_error = _decodes(sample, "utf-8")
    if utf8_error is None:
        return "utf-8-sig"
    if _decodes(sample, "gb18030") is None:
        return "gb18030"
    raise InputError(
        f"the file is neither UTF-8 nor GB18030/GBK text (byte {utf8_error.start}: "
        f"{sample[utf8_error.start : utf8_error.start + 4]!r}); save it as CSV UTF-8",
        source=source,
    )


def read_text(path: Path, source: str | None = None) -> str:
    """The whole text of a small file (activities, inventories) in its detected encoding."""
    name = source or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror}", source=name) from exc
    encoding = detect_encoding(data[:SAMPLE_BYTES], name)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"text after the first {SAMPLE_BYTES:,} bytes is not {encoding} "
            f"(byte {exc.start}); save the file as CSV UTF-8",
            source=name,
        ) from None
