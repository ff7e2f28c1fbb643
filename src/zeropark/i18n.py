"""Bilingual user-facing text (Simplified Chinese and English).

User-facing strings are written as pairs at the call site, ``t("园区", "Park")``, so the two
languages cannot drift apart. The language comes from ``ZEROPARK_LANG`` (or the locale) and can be
switched at run time (``zeropark --lang zh``).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Lang", "get_lang", "set_lang", "t"]

Lang = Literal["zh", "en"]
_current: list[Lang] = ["en"]


def set_lang(lang: Lang) -> None:
    """Choose the language of user-facing text for this process."""
    _current[0] = lang


def get_lang() -> Lang:
    """The language of user-facing text for this process."""
    return _current[0]


def t(zh: str, en: str) -> str:
    """Pick the Chinese or English text for the current language."""
    return zh if _current[0] == "zh" else en
