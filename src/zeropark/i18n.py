"""Bilingual user-facing text (Simplified Chinese and English).

User-facing strings are written as pairs at the call site, ``t("园区", "Park")``, so the two
languages cannot drift apart. The language comes from ``ZEROPARK_LANG`` (or the locale) and can be
switched at run time (``zeropark --lang zh``). A request of the API chooses its own
(``Accept-Language`` or ``?lang=``): :func:`use_lang` sets it for the current context only
(a ``contextvars`` variable, so concurrent requests do not see each other's).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

__all__ = ["Lang", "get_lang", "parse_lang", "set_lang", "t", "use_lang"]

Lang = Literal["zh", "en"]
_current: list[Lang] = ["en"]
_context: ContextVar[Lang | None] = ContextVar("zeropark_lang", default=None)


def set_lang(lang: Lang) -> None:
    """Choose the language of user-facing text for this process."""
    _current[0] = lang


def get_lang() -> Lang:
    """The language of user-facing text here: the context's (a request's), else the process's."""
    return _context.get() or _current[0]


@contextmanager
def use_lang(lang: Lang | None) -> Iterator[None]:
    """Within the block, user-facing text of this context is in ``lang`` (None: the process's)."""
    token = _context.set(lang)
    try:
        yield
    finally:
        _context.reset(token)


def parse_lang(text: str | None) -> Lang | None:
    """``zh`` or ``en`` from a ``?lang=`` value or an ``Accept-Language`` header (the first of
    the two languages it prefers, by q-value), None when it names neither."""
    if not text:
        return None
    ranked: list[tuple[float, int, Lang]] = []
    for index, part in enumerate(text.split(",")):
        tag, _, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and quality > 0:
            ranked.append((-quality, index, "zh" if primary == "zh" else "en"))
    return min(ranked)[2] if ranked else None


def t(zh: str, en: str) -> str:
    """Pick the Chinese or English text for the current language."""
    return zh if get_lang() == "zh" else en
