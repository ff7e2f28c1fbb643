"""Certificate serial ranges (绿证序列号段) that split and merge exactly.

A holding of certificates is a sorted list of disjoint, non-adjacent inclusive ranges of
integer serial numbers (32-digit ids as integers). Taking a range out of a holding splits the
range that contains it; adding a range merges it with its neighbours. A range can only be taken
where it is held whole and only added where nothing of it is held, so no serial is ever held
twice or retired twice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["SerialRange", "add_range", "count", "holds", "overlapping", "take_range"]


@dataclass(frozen=True, slots=True, order=True)
class SerialRange:
    """Serials ``start``..``end`` inclusive."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"serial range ends ({self.end}) before it starts ({self.start})")

    @property
    def size(self) -> int:
        """How many certificates: ``end - start + 1``."""
        return self.end - self.start + 1

    def label(self, digits: int = 32) -> str:
        """``start-end`` as zero-padded ids."""
        return f"{self.start:0{digits}d}-{self.end:0{digits}d}"


def count(ranges: Iterable[SerialRange]) -> int:
    """Certificates in ``ranges``."""
    return sum(r.size for r in ranges)


def _index(held: Sequence[SerialRange], serial: int) -> int:
    """Index of the range that could contain ``serial`` (the last starting at or before it)."""
    return bisect_right([r.start for r in held], serial) - 1


def holds(held: Sequence[SerialRange], wanted: SerialRange) -> bool:
    """Whether ``wanted`` lies whole inside one held range (held ranges never touch)."""
    i = _index(held, wanted.start)
    return i >= 0 and held[i].end >= wanted.end


def overlapping(held: Sequence[SerialRange], wanted: SerialRange) -> list[SerialRange]:
    """The held ranges that share a serial with ``wanted``."""
    return [r for r in held if r.start <= wanted.end and wanted.start <= r.end]


def take_range(held: Sequence[SerialRange], wanted: SerialRange) -> list[SerialRange]:
    """``held`` without ``wanted``; ValueError unless all of ``wanted`` is held."""
    if not holds(held, wanted):
        raise ValueError(f"serials {wanted.label()} are not all held")
    i = _index(held, wanted.start)
    source = held[i]
    pieces = []
    if source.start < wanted.start:
        pieces.append(SerialRange(source.start, wanted.start - 1))
    if wanted.end < source.end:
        pieces.append(SerialRange(wanted.end + 1, source.end))
    return [*held[:i], *pieces, *held[i + 1 :]]


def add_range(held: Sequence[SerialRange], new: SerialRange) -> list[SerialRange]:
    """``held`` with ``new`` merged in; ValueError if any serial of ``new`` is already held."""
    if overlapping(held, new):
        raise ValueError(f"serials {new.label()} overlap serials already held")
    out = sorted([*held, new])
    merged: list[SerialRange] = []
    for r in out:
        if merged and merged[-1].end + 1 == r.start:
            merged[-1] = SerialRange(merged[-1].start, r.end)
        else:
            merged.append(r)
    return merged
