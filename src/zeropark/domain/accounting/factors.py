"""Emission factors as sourced data, and their lookup by item, year and region.

A :class:`Factor` is one row of a factor table: a value with its unit and where it comes from.
A :class:`FactorSet` holds many and answers :meth:`FactorSet.lookup` with a :class:`FactorChoice`
that records how the row was chosen, so every result can say which fallback it took.

Lookup rule (documented in ``docs/methodology.md``):

1. rows of the requested ``code``, ``parameter`` and ``variant`` (``default`` unless asked),
   restricted to ``dataset`` when one is given; user (custom) rows win over packaged rows;
2. region: the requested region first, then the regions of ``fallback_regions`` in order
   (province → its grid region → ``全国`` → ``全球``); the first region with a row is used;
3. year: the latest row whose year is ≤ the reporting year; if every row is later, the earliest.

Every step away from the request is written to :attr:`FactorChoice.fallbacks`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zeropark.errors import FactorNotFound

__all__ = ["Factor", "FactorChoice", "FactorSet"]

DEFAULT_VARIANT = "default"


@dataclass(frozen=True, slots=True)
class Factor:
    """One sourced factor: a value, its unit and its provenance."""

    code: str
    parameter: str
    value: float
    unit: str
    year: int
    region: str
    dataset: str
    version: str
    source: str
    clause: str
    verification: str
    variant: str = DEFAULT_VARIANT
    name_zh: str = ""
    name_en: str = ""
    note: str = ""
    custom: bool = False

    def describe(self) -> dict[str, object]:
        """The factor as a plain mapping (for traces and JSON)."""
        return {
            "code": self.code,
            "parameter": self.parameter,
            "variant": self.variant,
            "value": self.value,
            "unit": self.unit,
            "year": self.year,
            "region": self.region,
            "dataset": self.dataset,
            "version": self.version,
            "source": self.source,
            "clause": self.clause,
            "verification": self.verification,
            "custom": self.custom,
        }


@dataclass(frozen=True, slots=True)
class FactorChoice:
    """The factor a lookup chose, and each fallback taken to reach it."""

    factor: Factor
    fallbacks: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorSet:
    """An immutable collection of factors with an index by (code, parameter, variant)."""

    factors: tuple[Factor, ...]
    _index: Mapping[tuple[str, str, str], tuple[Factor, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[tuple[str, str, str], list[Factor]] = defaultdict(list)
        for factor in self.factors:
            index[(factor.code, factor.parameter, factor.variant)].append(factor)
        object.__setattr__(self, "_index", {key: tuple(rows) for key, rows in index.items()})

    @classmethod
    def of(cls, factors: Iterable[Factor]) -> FactorSet:
        """Build a set from any iterable of factors."""
        return cls(tuple(factors))

    def merged_with(self, custom: FactorSet) -> FactorSet:
        """A new set where ``custom`` rows are added and win over packaged rows on lookup."""
        return FactorSet(self.factors + custom.factors)

    def versions(self) -> dict[str, list[str]]:
        """Dataset name → sorted distinct versions present in the set."""
        found: dict[str, set[str]] = defaultdict(set)
        for factor in self.factors:
            found[factor.dataset].add(factor.version)
        return {name: sorted(found[name]) for name in sorted(found)}

    def has(self, code: str, parameter: str, variant: str = DEFAULT_VARIANT) -> bool:
        """Whether any row exists for ``code`` / ``parameter`` / ``variant``."""
        return (code, parameter, variant) in self._index

    def has_code(self, code: str) -> bool:
        """Whether any row exists for ``code``."""
        return any(c == code for (c, _, _) in self._index)

    def variants(self, code: str, parameter: str) -> list[str]:
        """The variants present for ``code`` / ``parameter``."""
        return sorted({v for (c, p, v) in self._index if c == code and p == parameter})

    def lookup(
        self,
        code: str,
        parameter: str,
        *,
        year: int,
        region: str = "全国",
        fallback_regions: Sequence[str] = ("全国", "全球"),
        variant: str = DEFAULT_VARIANT,
        dataset: str | None = None,
    ) -> FactorChoice:
        """Choose the factor for ``code``/``parameter`` in reporting ``year`` and ``region``.

        Raises :class:`FactorNotFound` naming what was asked and which variants exist.
        """
        rows = [
            f
            for f in self._index.get((code, parameter, variant), ())
            if dataset is None or f.dataset == dataset or f.custom
        ]
        if not rows:
            known = self.variants(code, parameter)
            hint = f"; variants present: {', '.join(known)}" if known else ""
            where = f" in dataset {dataset!r}" if dataset else ""
            raise FactorNotFound(
                f"no factor {parameter!r} for item {code!r} (variant {variant!r}){where}{hint}"
            )
        custom_rows = [f for f in rows if f.custom]
        notes: list[str] = []
        if custom_rows:
            rows = custom_rows
            notes.append("custom factor set used instead of the packaged value")
        chain = [region, *[r for r in fallback_regions if r != region]]
        for position, candidate_region in enumerate(chain):
            in_region = [f for f in rows if f.region == candidate_region]
            if not in_region:
                continue
            if position > 0 and region not in _TOP_LEVEL:
                notes.append(f"no {parameter} for region {region}; used {candidate_region}")
            chosen, year_note = _choose_year(in_region, year)
            if year_note:
                notes.append(year_note)
            return FactorChoice(chosen, tuple(notes))
        regions = ", ".join(sorted({f.region for f in rows}))
        raise FactorNotFound(
            f"no factor {parameter!r} for item {code!r} in region {region!r} or its fallbacks "
            f"({', '.join(chain[1:])}); regions present: {regions}"
        )


_TOP_LEVEL = ("全国", "全球")


def _choose_year(rows: Sequence[Factor], year: int) -> tuple[Factor, str | None]:
    """Latest row with year ≤ ``year``; else the earliest row, with a note.

    A note is written only when the table is indexed by year (more than one year present) and
    the year chosen is not the reporting year.
    """
    earlier = [f for f in rows if f.year <= year]
    by_year = len({f.year for f in rows}) > 1
    if earlier:
        chosen = max(earlier, key=lambda f: f.year)
        note = None
        if by_year and chosen.year < year:
            note = f"latest published data year ≤ {year} is {chosen.year}"
        return chosen, note
    chosen = min(rows, key=lambda f: f.year)
    return chosen, f"no value published for {year} or earlier; used the earliest, {chosen.year}"
