"""Seals: the audit log's record of what each row of a sealed table holds.

Park configuration, users, gateway keys, published inventories, dispatch plans, budgets, issued
tenant bills and the carbon-asset ledger's accounts move reported numbers or permissions, so
every legitimate write to their tables records, in an audit entry appended in the same
transaction, the seal of each row it changed (:func:`seal_rows`): the SHA-256 of the
row's sealed columns as canonical JSON, a short hash per column (to name the changed field),
and the row's park; ``None`` for a row the write deleted. The entry's payload carries them under
``"sealed"`` as ``{table: {key: seal | None}}`` — any action may carry seals, and an entry whose
only purpose is sealing has the action ``state.seal`` (:func:`append_seal`).

``zeropark verify`` replays the newest seal of every key and compares it with the current rows
(:func:`current_seals`): a changed row, a row deleted and a row inserted behind the system's back
are each named.

What is sealed is listed per table in :data:`SEALED` (explicit columns: a column added later is
not covered until it is listed, and listing it needs a migration that seals the current rows
again). Login bookkeeping (``failed_logins``, ``locked_until``, ...), record-keeping times and
sessions are deliberately not sealed: logins change them all the time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Connection,
    Float,
    Integer,
    Table,
    Text,
    select,
    type_coerce,
)

from zeropark.domain.access import Principal
from zeropark.store import audit
from zeropark.store.billing_schema import issued_bills
from zeropark.store.budgets_schema import budgets
from zeropark.store.dispatch_schema import dispatch_plans
from zeropark.store.ledger_schema import (
    ledger_accounts,
    ledger_obligations,
    ledger_prices,
    ledger_settings,
)
from zeropark.store.schema import (
    api_keys,
    assets,
    buildings,
    meters,
    parks,
    published_inventories,
    sinks,
    tenants,
    users,
    virtual_meters,
)
from zeropark.store.scope import verifier_parks

__all__ = [
    "SEALED",
    "SEAL_ACTION",
    "SealedTable",
    "append_seal",
    "current_seals",
    "row_key",
    "seal_everything",
    "seal_rows",
]

SEAL_ACTION = "state.seal"
_FIELD_HINT = 12  # hex characters of a column's hash kept to name a changed field


@dataclass(frozen=True, slots=True)
class SealedTable:
    """A sealed table: its key columns (joined by ``/``), sealed columns and park column."""

    table: Table
    key: tuple[str, ...]
    columns: tuple[str, ...]
    park: str

    @property
    def name(self) -> str:
        """The table's name."""
        return self.table.name


def _sealed(table: Table, key: tuple[str, ...], columns: tuple[str, ...], park: str) -> SealedTable:
    return SealedTable(table, key, columns, park)


_IN_PARK = ("park_id", "id")

#: Every sealed table, by name, with the columns its seal covers.
SEALED: dict[str, SealedTable] = {
    s.name: s
    for s in (
        _sealed(parks, ("id",), ("id", "name", "type", "province", "timezone", "spec"), "id"),
        _sealed(tenants, _IN_PARK, ("park_id", "id", "name", "industry_code", "spec"), "park_id"),
        _sealed(buildings, _IN_PARK, ("park_id", "id", "tenant_id", "name", "spec"), "park_id"),
        _sealed(
            meters,
            _IN_PARK,
            (
                "key",
                "park_id",
                "id",
                "tenant_id",
                "building_id",
                "parent_id",
                "carrier",
                "unit",
                "kind",
                "interval_s",
                "multiplier",
                "register_max",
                "category",
                "sector",
                "active",
                "spec",
            ),
            "park_id",
        ),
        _sealed(
            virtual_meters,
            _IN_PARK,
            ("park_id", "id", "tenant_id", "expression", "carrier", "unit", "spec"),
            "park_id",
        ),
        _sealed(assets, _IN_PARK, ("park_id", "id", "type", "tenant_id", "spec"), "park_id"),
        _sealed(sinks, _IN_PARK, ("park_id", "id", "type", "spec"), "park_id"),
        _sealed(
            users,
            ("id",),
            ("id", "email", "password_hash", "role", "park_id", "tenant_id", "active"),
            "park_id",
        ),
        _sealed(
            api_keys,
            ("id",),
            ("id", "key_sha256", "name", "park_id", "meter_ids", "revoked", "created_by"),
            "park_id",
        ),
        _sealed(
            published_inventories,
            ("id",),
            tuple(c.name for c in published_inventories.c),
            "park_id",
        ),
        _sealed(
            budgets,
            ("id",),
            tuple(c.name for c in budgets.c if c.name != "updated_at"),
            "park_id",
        ),
        _sealed(
            dispatch_plans,
            ("id",),
            tuple(c.name for c in dispatch_plans.c if c.name != "created_at"),
            "park_id",
        ),
        # Issued tenant bills: every column (a re-issue only sets ``superseded`` of the old one).
        _sealed(issued_bills, ("id",), tuple(c.name for c in issued_bills.c), "park_id"),
        # The carbon-asset ledger's sealed rows (#14; movements are checked against their own
        # ``ledger.movements`` entries: service/carbon_assets/verify.py).
        *(
            _sealed(table, key, tuple(c.name for c in table.c), "park_id")
            for table, key in (
                (ledger_accounts, _IN_PARK),
                (ledger_prices, ("id",)),
                (ledger_obligations, ("id",)),
                (ledger_settings, _IN_PARK),
            )
        ),
    )
}


def row_key(table: str, *parts: object) -> str:
    """The key of a row in seals: its key columns' values joined by ``/``."""
    sealed = SEALED[table]
    if len(parts) != len(sealed.key):
        raise ValueError(f"{table} rows are keyed by {', '.join(sealed.key)}")
    return "/".join(str(p) for p in parts)


def _plain(value: Any, column_type: Any) -> Any:
    """A column value as plain JSON data, the same on SQLite and PostgreSQL."""
    if value is None:
        return None
    if isinstance(column_type, JSON):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return {"unreadable JSON": value}
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(column_type, Boolean):
        return bool(value)
    if isinstance(column_type, Float) or isinstance(value, Decimal):
        return float(value)
    if isinstance(column_type, Integer):
        return int(value)
    return value


def _seal(sealed: SealedTable, values: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        name: audit.sha256_hex(audit.canonical_json(values[name]))[:_FIELD_HINT]
        for name in sealed.columns
    }
    return {
        "sha256": audit.sha256_hex(audit.canonical_json({n: values[n] for n in sealed.columns})),
        "fields": fields,
        "park": values[sealed.park],
    }


def _rows(
    conn: Connection, sealed: SealedTable, *where: ColumnElement[bool]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, seal) of the rows matching ``where``, read column by column as stored."""
    table = sealed.table
    # JSON columns are read as text where the driver allows it: a value written behind the
    # system's back that is not JSON must not stop verification.
    columns = [
        type_coerce(table.c[n], Text).label(n) if isinstance(table.c[n].type, JSON) else table.c[n]
        for n in sealed.columns
    ]
    for row in conn.execute(select(*columns).where(*where)):
        values = {n: _plain(row._mapping[n], table.c[n].type) for n in sealed.columns}
        yield "/".join(str(values[k]) for k in sealed.key), _seal(sealed, values)


def seal_rows(
    conn: Connection, table: str, keys: Iterable[str]
) -> dict[str, dict[str, Any] | None]:
    """The seals of rows ``keys`` of ``table`` as they are now (None: no such row)."""
    sealed = SEALED[table]
    wanted = set(keys)
    out: dict[str, dict[str, Any] | None] = dict.fromkeys(sorted(wanted))
    if not wanted:
        return out
    t = sealed.table
    if sealed.key == ("id",) and isinstance(t.c.id.type, Integer):
        found = _rows(conn, sealed, t.c.id.in_(sorted({int(k) for k in wanted})))
    elif sealed.key == ("id",):
        found = _rows(conn, sealed, t.c.id.in_(sorted(wanted)))
    else:
        by_park: dict[str, set[str]] = {}
        for key in wanted:
            park, _, ident = key.partition("/")
            by_park.setdefault(park, set()).add(ident)
        found = (
            pair
            for park, idents in sorted(by_park.items())
            for pair in _rows(conn, sealed, t.c.park_id == park, t.c.id.in_(sorted(idents)))
        )
    for key, seal in found:
        if key in wanted:
            out[key] = seal
    return out


def current_seals(
    conn: Connection, principal: Principal, table: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, seal) of every current row of ``table`` in the verifier's parks (all, for the
    local operator; :func:`~zeropark.store.scope.verifier_parks`)."""
    yield from _current(conn, table, verifier_parks(principal))


def _current(
    conn: Connection, table: str, park_ids: Iterable[str] | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    sealed = SEALED[table]
    where = [] if park_ids is None else [sealed.table.c[sealed.park].in_(sorted(park_ids))]
    yield from _rows(conn, sealed, *where)


def append_seal(
    conn: Connection,
    *,
    actor: str,
    sealed: Mapping[str, Mapping[str, dict[str, Any] | None]],
    park_id: str | None = None,
    entity: str | None = None,
    action: str = SEAL_ACTION,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Append an entry carrying ``sealed`` (from :func:`seal_rows`) in the caller's transaction."""
    payload = {**(extra or {}), "sealed": {t: dict(rows) for t, rows in sealed.items() if rows}}
    audit.append(conn, actor=actor, action=action, park_id=park_id, entity=entity, payload=payload)


def seal_everything(
    conn: Connection, tables: Iterable[str] | None = None
) -> dict[str, dict[str, dict[str, Any] | None]]:
    """The seals of every row of every sealed table (an explicit baseline; see the migration).

    ``tables``: only these (a migration names the tables that exist at its revision).
    """
    return {
        name: dict(rows)
        for name in (SEALED if tables is None else tables)
        if (rows := sorted(_current(conn, name, None), key=lambda pair: pair[0]))
    }
