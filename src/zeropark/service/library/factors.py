"""Use case: browse the factor library (因子库) — every packaged factor with its value, unit and
source (document, clause), the datasets and versions, and which set a park uses.

The factors are the packaged CSV tables of :mod:`zeropark.data.factors` (each row carries
``source``, ``clause`` and ``verification``); a park that pins ``factor_version`` in its park
file is reported with that pin. Reading needs a signed-in user of any role but a gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeropark.data.factors import load_datasets, load_factors
from zeropark.domain.access import Principal
from zeropark.errors import PermissionDenied
from zeropark.service.database import Database
from zeropark.store.parks import ParkRepository

__all__ = ["FactorPage", "factor_page", "factor_sets"]


@dataclass(frozen=True, slots=True)
class FactorPage:
    """One page of factors matching a filter, and how many match in all."""

    items: list[dict[str, Any]]
    total: int


def _require_reader(principal: Principal) -> None:
    if principal.role == "gateway":
        raise PermissionDenied("a gateway key reads no factor library")


def factor_sets(db: Database, principal: Principal, park_id: str | None = None) -> dict[str, Any]:
    """The datasets of the library (version, title, role, factor count) and the active set:
    the packaged library, or the park's pinned ``factor_version`` when ``park_id`` is given."""
    _require_reader(principal)
    counts: dict[str, int] = {}
    for factor in load_factors().factors:
        counts[factor.dataset] = counts.get(factor.dataset, 0) + 1
    pinned = None
    if park_id is not None:
        with db.transaction() as conn:
            pinned = ParkRepository(conn, principal).get_park(park_id).factor_version
    datasets = [
        {
            "dataset": row["dataset"],
            "file": row["file"],
            "version": row["version"],
            "title": row["title"],
            "role": row["role"],
            "factors": counts.get(row["dataset"], 0),
        }
        for row in load_datasets()
    ]
    return {
        "active": pinned or "packaged",
        "pinned_version": pinned,
        "factors": sum(counts.values()),
        "datasets": datasets,
    }


def factor_page(
    principal: Principal,
    *,
    dataset: str | None = None,
    query: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> FactorPage:
    """Factors of ``dataset`` (all when None) whose code, names or parameter contain ``query``
    (case-insensitive), in library order, one page."""
    _require_reader(principal)
    needle = (query or "").strip().casefold()
    rows = []
    for f in load_factors().factors:
        if dataset and f.dataset != dataset:
            continue
        if needle and not any(
            needle in text.casefold()
            for text in (f.code, f.parameter, f.name_zh, f.name_en, f.region)
        ):
            continue
        rows.append(f)
    page = rows[offset : offset + limit]
    items = [
        {
            "code": f.code,
            "parameter": f.parameter,
            "variant": f.variant,
            "name_zh": f.name_zh,
            "name_en": f.name_en,
            "value": f.value,
            "unit": f.unit,
            "year": f.year,
            "region": f.region,
            "dataset": f.dataset,
            "version": f.version,
            "source": f.source,
            "clause": f.clause,
            "verification": f.verification,
            "note": f.note,
        }
        for f in page
    ]
    return FactorPage(items, len(rows))
