"""What inventories read and write: the meter tree, rollup sums by period, published versions.

- :func:`accounting_meters` — the meters the caller may read, with parent and accounting mapping.
- :func:`period_sums` / :func:`range_sums` — rollup quantities summed in SQL by meter and period
  in one statement (streaming scans, so the engine receives one row per meter and period, not
  8,784 hours); :func:`newest_hour` — the newest hour with data.
- Published inventories are written once and never changed (only ``superseded`` is set on the
  previous version); every publication is appended to the audit log, sealing the new row and
  the one it supersedes (:mod:`zeropark.store.seal`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Numeric,
    Select,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)

from zeropark.domain.access import Principal
from zeropark.store import audit, seal
from zeropark.store.schema import (
    hourly_rollups,
    meters,
    published_inventories,
)
from zeropark.store.scope import readable_meter_keys, require, row_filter

__all__ = [
    "RANGES_PER_STATEMENT",
    "AccountingMeter",
    "PeriodSum",
    "PublishedInventory",
    "accounting_meters",
    "insert_version",
    "latest_version",
    "list_versions",
    "newest_hour",
    "period_sums",
    "range_sums",
]


_HOUR_S = 3600  # seconds of a complete hourly rollup (see ROLLUP_INCOMPLETE_SQL)
#: Ranges summed by one statement of :func:`range_sums` (two selects each).
RANGES_PER_STATEMENT = 100


@dataclass(frozen=True, slots=True)
class AccountingMeter:
    """A meter as inventories see it: tree position, owner and accounting mapping."""

    key: int
    id: str
    name: str | None
    tenant_id: str | None
    parent_id: str | None
    carrier: str
    unit: str
    category: str | None
    sector: str | None
    item: str | None


def accounting_meters(
    conn: Connection, principal: Principal, park_id: str
) -> dict[str, AccountingMeter]:
    """The park's meters the caller may read (active or not), by id."""
    rows = conn.execute(
        select(meters).where(meters.c.park_id == park_id, row_filter(principal, meters))
    )
    out = {}
    for r in rows:
        mapping = (r.spec or {}).get("accounting") or {}
        out[r.id] = AccountingMeter(
            key=r.key,
            id=r.id,
            name=(r.spec or {}).get("name"),
            tenant_id=r.tenant_id,
            parent_id=r.parent_id,
            carrier=r.carrier,
            unit=r.unit,
            category=r.category,
            sector=r.sector,
            item=mapping.get("item"),
        )
    return out


@dataclass(frozen=True, slots=True)
class PeriodSum:
    """One meter's rollups summed over one period: quantity and estimated part in the meter's
    (energy) unit, and coverage [s]."""

    meter_key: int
    period: int
    quantity: float
    estimated: float
    coverage_s: int


def _incomplete() -> ColumnElement[bool]:
    """:data:`ROLLUP_INCOMPLETE_SQL` as an expression with literal values (parameters would
    keep SQLite from matching the partial index)."""
    t = hourly_rollups
    return or_(t.c.estimated != literal_column("0"), t.c.coverage_s != literal_column(str(_HOUR_S)))


def period_sums(
    conn: Connection, principal: Principal, keys: Sequence[int], bounds_s: Sequence[int]
) -> list[PeriodSum]:
    """Rollups of ``keys`` summed per meter and period ``i`` = ``[bounds_s[i], bounds_s[i+1])``.

    ``bounds_s`` are UTC epoch seconds of park-local period starts, ascending, plus the end.
    One statement (:func:`range_sums` over consecutive ranges).
    """
    return range_sums(conn, principal, keys, list(pairwise(bounds_s)))


def _readable(principal: Principal, keys: Sequence[int]) -> ColumnElement[bool]:
    """The rollups of the meters of ``keys`` the caller may read: the keys inline (integers, so
    many meters stay within the driver's limit on bound parameters), and, unless the caller is
    the local operator, only keys of meters it may read (one sub-select)."""
    t = hourly_rollups
    wanted = t.c.meter_key.in_(bindparam("keys", sorted(set(keys)), literal_execute=True))
    if principal.role == "system":
        return wanted
    return and_(wanted, readable_meter_keys(principal, t.c.meter_key))


def range_sums(
    conn: Connection,
    principal: Principal,
    keys: Sequence[int],
    ranges: Sequence[tuple[int, int]],
) -> list[PeriodSum]:
    """Rollups of the meters of ``keys`` the caller may read, summed per meter and range
    ``i`` = hours in ``ranges[i]`` = [lo, hi).

    One statement, a ``UNION ALL`` of two streaming queries per range, each grouped by meter
    only (it reads the primary key in order (meter, hour); grouping by (meter, period) would
    sort every row first, 4x slower on SQLite): one sums the quantity and counts the hours; the
    other, on the partial index of incomplete or estimated hours, adds the exact estimated part
    and missing coverage. Reading ``estimated`` and ``coverage_s`` of every complete hour would
    cost about half as much again. Meter keys are rendered inline (integers), so a park of
    many meters over many ranges stays within the driver's limit on bound parameters.

    Rows are ordered by range, then meter key; a meter without hours in a range has no row.
    More than :data:`RANGES_PER_STATEMENT` ranges (SQLite compounds at most 500 selects) take
    one statement per that many.
    """
    if not keys or not ranges:
        return []
    if len(ranges) > RANGES_PER_STATEMENT:
        out: list[PeriodSum] = []
        for first in range(0, len(ranges), RANGES_PER_STATEMENT):
            part = range_sums(conn, principal, keys, ranges[first : first + RANGES_PER_STATEMENT])
            out.extend(replace(s, period=s.period + first) for s in part)
        return out
    quantity: Any = hourly_rollups.c.quantity
    if conn.dialect.name == "postgresql":
        # Exact, order-independent sums: parallel float aggregation may differ in the last bit,
        # which would change the input hash of an unchanged inventory.
        quantity = cast(quantity, Numeric)
    t = hourly_rollups
    wanted = _readable(principal, keys)
    no_quantity, no_estimate = cast(null(), quantity.type), cast(null(), Float)
    arms: list[Select[Any]] = []
    for period, (lo, hi) in enumerate(ranges):
        where = (wanted, t.c.hour_s >= lo, t.c.hour_s < hi)
        tag = literal_column(str(int(period)), Integer).label("period")
        arms.append(
            select(
                tag,
                literal_column("0", Integer).label("part"),
                t.c.meter_key,
                func.sum(quantity).label("q"),
                no_estimate.label("e"),
                func.count().label("n"),
            )
            .where(*where)
            .group_by(t.c.meter_key)
        )
        arms.append(
            select(
                tag,
                literal_column("1", Integer).label("part"),
                t.c.meter_key,
                no_quantity.label("q"),
                func.sum(t.c.estimated).label("e"),
                func.sum(t.c.coverage_s - literal_column(str(_HOUR_S))).label("n"),
            )
            .where(*where, _incomplete())
            .group_by(t.c.meter_key)
        )
    totals: dict[tuple[int, int], tuple[float, int]] = {}
    partial: dict[tuple[int, int], tuple[float, int]] = {}
    for period, part, key, q, e, n in conn.execute(union_all(*arms)):
        if part:
            partial[(int(period), int(key))] = (float(e or 0.0), int(n or 0))
        else:
            totals[(int(period), int(key))] = (float(q), int(n))
    out = []
    for (period, key), (q, n) in sorted(totals.items()):
        estimated, missing = partial.get((period, key), (0.0, 0))
        out.append(PeriodSum(key, period, q, estimated, _HOUR_S * n + missing))
    return out


def newest_hour(
    conn: Connection,
    principal: Principal,
    keys: Sequence[int],
    lo_s: int | None = None,
    hi_s: int | None = None,
) -> int | None:
    """Start [UTC s] of the newest rollup hour in ``[lo_s, hi_s)`` of the meters of ``keys``
    the caller may read (None: no data)."""
    if not keys:
        return None
    t = hourly_rollups
    query = select(func.max(t.c.hour_s)).where(
        t.c.meter_key.in_(sorted(set(keys))), readable_meter_keys(principal, t.c.meter_key)
    )
    if lo_s is not None:
        query = query.where(t.c.hour_s >= lo_s)
    if hi_s is not None:
        query = query.where(t.c.hour_s < hi_s)
    found = conn.execute(query).scalar()
    return None if found is None else int(found)


@dataclass(frozen=True, slots=True)
class PublishedInventory:
    """One published version of an inventory (the stored row)."""

    id: int
    park_id: str
    tenant_id: str | None
    entity: str
    period: str
    options: dict[str, Any]
    options_sha256: str
    version: int
    input_hash: str
    factor_versions: dict[str, list[str]]
    result: dict[str, Any]
    result_sha256: str
    published_at: datetime
    published_by: str
    superseded: bool


def _published(row: Any) -> PublishedInventory:
    return PublishedInventory(**{c.name: getattr(row, c.name) for c in published_inventories.c})


def latest_version(
    conn: Connection,
    principal: Principal,
    park_id: str,
    entity: str,
    period: str,
    options_sha256: str,
) -> PublishedInventory | None:
    """The newest version of one inventory the caller may read (None if never published)."""
    t = published_inventories
    row = conn.execute(
        select(t)
        .where(
            t.c.park_id == park_id,
            t.c.entity == entity,
            t.c.period == period,
            t.c.options_sha256 == options_sha256,
            row_filter(principal, t),
        )
        .order_by(t.c.version.desc())
        .limit(1)
    ).first()
    return None if row is None else _published(row)


def list_versions(
    conn: Connection, principal: Principal, park_id: str, entity: str | None = None
) -> list[PublishedInventory]:
    """Every published version the caller may read, by entity, period and version."""
    t = published_inventories
    query = select(t).where(t.c.park_id == park_id, row_filter(principal, t))
    if entity is not None:
        query = query.where(t.c.entity == entity)
    query = query.order_by(t.c.entity, t.c.period, t.c.options_sha256, t.c.version)
    return [_published(r) for r in conn.execute(query)]


def insert_version(
    conn: Connection,
    principal: Principal,
    *,
    park_id: str,
    tenant_id: str | None,
    entity: str,
    period: str,
    options: Mapping[str, Any],
    options_sha256: str,
    input_hash: str,
    factor_versions: Mapping[str, list[str]],
    result: Mapping[str, Any],
    published_at: datetime,
) -> PublishedInventory:
    """Write version n+1 of an inventory, mark version n superseded, and audit it.

    ``principal`` publishes it (:meth:`Principal.can_publish_inventory`); the caller checks that
    the inputs differ from version n.
    """
    require(
        principal.can_publish_inventory(park_id, tenant_id),
        principal,
        f"publish inventories of park {park_id!r}",
    )
    actor = principal.subject
    t = published_inventories
    scope = (
        t.c.park_id == park_id,
        t.c.entity == entity,
        t.c.period == period,
        t.c.options_sha256 == options_sha256,
    )
    last = conn.execute(select(func.max(t.c.version)).where(*scope)).scalar()
    version = int(last or 0) + 1
    result_sha = audit.sha256_hex(audit.canonical_json(result))
    previous = list(conn.execute(select(t.c.id).where(*scope, t.c.superseded.is_(False))).scalars())
    conn.execute(update(t).where(*scope, t.c.superseded.is_(False)).values(superseded=True))
    inserted = conn.execute(
        t.insert().values(
            park_id=park_id,
            tenant_id=tenant_id,
            entity=entity,
            period=period,
            options=dict(options),
            options_sha256=options_sha256,
            version=version,
            input_hash=input_hash,
            factor_versions=dict(factor_versions),
            result=dict(result),
            result_sha256=result_sha,
            published_at=published_at,
            published_by=actor,
            superseded=False,
        )
    )
    assert inserted.inserted_primary_key is not None
    row_id = int(inserted.inserted_primary_key[0])
    audit.append(
        conn,
        actor=actor,
        action="inventory.publish",
        park_id=park_id,
        entity=f"inventory:{entity}/{period}/v{version}",
        payload={
            "id": row_id,
            "entity": entity,
            "period": period,
            "version": version,
            "options_sha256": options_sha256,
            "input_hash": input_hash,
            "factor_versions": dict(factor_versions),
            "result_sha256": result_sha,
            "supersedes": version - 1 if version > 1 else None,
            "sealed": {
                "published_inventories": seal.seal_rows(
                    conn, "published_inventories", [str(i) for i in (*previous, row_id)]
                )
            },
        },
    )
    row = conn.execute(select(t).where(t.c.id == row_id)).one()
    return _published(row)
