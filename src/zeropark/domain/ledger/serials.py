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

__all__ = [
    "SerialRange",
    "add_range",
    "clip",
    "count",
    "holds",
    "overlapping",
    "take_range",
    "union",
]


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
    return bisect_right(held, serial, key=lambda r: r.start) - 1


def holds(held: Sequence[SerialRange], wanted: SerialRange) -> bool:
    """Whether ``wanted`` lies whole inside one held range (held ranges never touch)."""
    i = _index(held, wanted.start)
    return i >= 0 and held[i].end >= wanted.end


def overlapping(held: Sequence[SerialRange], wanted: SerialRange) -> list[SerialRange]:
    """The held ranges that share a serial with ``wanted`` (held: sorted, disjoint)."""
    i = max(_index(held, wanted.start), 0)
    out = []
    while i < len(held) and held[i].start <= wanted.end:
        if held[i].end >= wanted.start:
            out.append(held[i])
        i += 1
    return out


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
    out = list(held)
    out[i : i + 1] = pieces
    return out


def add_range(held: Sequence[SerialRange], new: SerialRange) -> list[SerialRange]:
    """``held`` with ``new`` merged in; ValueError if any serial of ``new`` is already held."""
    if overlapping(held, new):
        raise ValueError(f"serials {new.label()} overlap serials already held")
    i = _index(held, new.start) + 1  # insertion point: after the last range starting before
    start, end, lo, hi = new.start, new.end, i, i
    if i > 0 and held[i - 1].end + 1 == new.start:
        start, lo = held[i - 1].start, i - 1
    if i < len(held) and held[i].start == new.end + 1:
        end, hi = held[i].end, i + 1
    out = list(held)
    out[lo:hi] = [SerialRange(start, end)]
    return out


def union(ranges: Iterable[SerialRange]) -> list[SerialRange]:
    """The sorted, disjoint, non-adjacent ranges covering the serials of ``ranges``."""
    merged: list[SerialRange] = []
    for r in sorted(ranges):
        if merged and r.start <= merged[-1].end + 1:
            merged[-1] = SerialRange(merged[-1].start, max(merged[-1].end, r.end))
        else:
            merged.append(r)
    return merged


def clip(r: SerialRange, windows: Sequence[SerialRange]) -> list[SerialRange]:
    """The parts of ``r`` inside ``windows`` (sorted, disjoint)."""
    return [SerialRange(max(r.start, w.start), min(r.end, w.end)) for w in overlapping(windows, r)]
