"""The item catalogue: the codes accounting lines use and the names users write for them.

Users write 柴油, 天然气, 外购电力, R410A or ``diesel``; :meth:`ItemCatalogue.resolve` maps each to
one code (``diesel``, ``natural_gas``, ``electricity``, ``R-410A``). Items outside the catalogue
are allowed for categories that carry their own factor (scope 3, custom factors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from zeropark.errors import InputError

__all__ = ["Item", "ItemCatalogue", "ItemKind"]

ItemKind = Literal["fuel", "electricity", "heat", "gas", "material", "sink", "instrument", "other"]


@dataclass(frozen=True, slots=True)
class Item:
    """One catalogue item: code, kind, names and accepted aliases."""

    code: str
    kind: ItemKind
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()


def _key(text: str) -> str:
    return text.strip().casefold()


@dataclass(frozen=True)
class ItemCatalogue:
    """Items by code, and a lookup from every accepted spelling to its code."""

    items: tuple[Item, ...]
    _by_name: dict[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, Item] = {}
        for item in self.items:
            for name in (item.code, item.name_zh, item.name_en, *item.aliases):
                if name:
                    by_name.setdefault(_key(name), item)
        object.__setattr__(self, "_by_name", by_name)

    @classmethod
    def of(cls, items: Iterable[Item]) -> ItemCatalogue:
        """Build a catalogue from any iterable of items."""
        return cls(tuple(items))

    def find(self, text: str) -> Item | None:
        """The item ``text`` names, or ``None``."""
        return self._by_name.get(_key(text))

    def resolve(self, text: str) -> Item:
        """The item ``text`` names; raises :class:`InputError` (field ``item``) if unknown."""
        item = self.find(text)
        if item is None:
            raise InputError(
                f"unknown item {text!r}; use a code or Chinese name of the item catalogue "
                "(e.g. 柴油/diesel, 天然气/natural_gas, 外购电力/electricity, 热力/heat)",
                field="item",
            )
        return item
