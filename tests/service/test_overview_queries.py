"""The overview is one unit of work: a handful of SQL statements in one transaction.

Counted with SQLAlchemy's ``before_cursor_execute`` and ``begin`` events on the engine, for each
scope (park, tenant, regulator), on SQLite and PostgreSQL. Before this bound an uncached
overview ran 37-41 statements in 6-7 transactions and the accounting engine twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from tests.service.inventory_park import PARK, build
from zeropark.domain.access import Principal
from zeropark.service import cache
from zeropark.service.database import Database
from zeropark.service.overview import OVERVIEW_CACHE, overview_json

#: An uncached overview: park, data version, (tenant,) meters, assets, newest hour, range sums,
#: the day's flows, open alerts, activity records.
MAX_STATEMENTS = 10
PRINCIPALS = {
    "park_admin": Principal("admin@test", "park_admin", frozenset({PARK})),
    "tenant": Principal("a@test", "tenant", frozenset({PARK}), tenant_id="t_a"),
    "regulator": Principal("gov@test", "regulator", frozenset({PARK})),
}


@contextmanager
def counted(db: Database) -> Iterator[dict[str, list[Any]]]:
    seen: dict[str, list[Any]] = {"statements": [], "transactions": []}

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen["statements"].append(sql)

    def begin(conn: Any) -> None:
        seen["transactions"].append(conn)

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "begin", begin)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "begin", begin)


@pytest.mark.parametrize("role", list(PRINCIPALS))
@pytest.mark.parametrize("year", [None, 2024])
def test_an_uncached_overview_is_a_handful_of_statements_in_one_transaction(
    db: Database, role: str, year: int | None
) -> None:
    build(db)
    db.ensure_schema()
    OVERVIEW_CACHE.clear()
    cache._versions.pop(db.url, None)  # the data version must be read again, and is counted
    with counted(db) as seen:
        body = overview_json(db, PRINCIPALS[role], PARK, year)
    assert b'"day":"2024-01-02"' in body
    assert len(seen["transactions"]) == 1
    assert len(seen["statements"]) <= MAX_STATEMENTS, "\n".join(seen["statements"])


def test_a_cached_overview_reads_the_park_and_at_most_the_data_version(db: Database) -> None:
    build(db)
    db.ensure_schema()
    OVERVIEW_CACHE.clear()
    first = overview_json(db, PRINCIPALS["park_admin"], PARK, None)
    cache._versions.pop(db.url, None)
    with counted(db) as seen:
        again = overview_json(db, PRINCIPALS["park_admin"], PARK, None)
    assert again == first
    assert len(seen["transactions"]) == 1 and len(seen["statements"]) <= 2
