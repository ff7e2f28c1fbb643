"""Opening the database for a use case: engine from settings, schema brought up to date.

A :class:`Database` also carries the clock its use cases read (``db.clock``; the process
default of :func:`zeropark.clock.default_clock` unless given), and binds it to every
transaction it opens, so the store stamps rows with the same time (:mod:`zeropark.clock`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine

from zeropark.clock import Clock, default_clock
from zeropark.config import Settings
from zeropark.store.engine import bind_clock, make_engine, migrate, snapshot

__all__ = ["Database", "open_database"]

_MIGRATE_LOCK = threading.Lock()


class Database:
    """One database (engine) whose schema is migrated to the newest version on first use.

    ``clock`` is the time of its use cases (default: :func:`~zeropark.clock.default_clock`).
    """

    def __init__(self, url: str, *, clock: Clock | None = None) -> None:
        self.url = url
        self.engine: Engine = make_engine(url, **_pool_options(url))
        self.clock: Clock = clock if clock is not None else default_clock()
        self._migrated = False

    def ensure_schema(self) -> None:
        """Migrate the schema to the newest version (once per process).

        Alembic keeps its running environment in module globals, so two threads migrating at
        once (the first requests of a fresh worker process) broke each other: one lock for the
        process, and the flag checked again under it.
        """
        if self._migrated:
            return
        with _MIGRATE_LOCK:
            if not self._migrated:
                migrate(self.engine)
                self._migrated = True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction: committed on success, rolled back on any error.

        The connection carries :attr:`clock` (``store.engine.clock_of(conn)``).
        """
        self.ensure_schema()
        with self.engine.begin() as conn:
            bind_clock(conn, self.clock)
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read-only transaction that sees one state of the database throughout
        (:func:`zeropark.store.engine.snapshot`); it carries :attr:`clock` too."""
        self.ensure_schema()
        with snapshot(self.engine) as conn:
            bind_clock(conn, self.clock)
            yield conn

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


#: Connections kept open, and the most opened beyond them under load. The API runs sync routes
#: in a thread pool of 40 threads and computes small answers on its event loop
#: (``api/caching.py``): pool + overflow covers all 41, so no request waits on the pool.
POOL_SIZE = 10
MAX_OVERFLOW = 31


def _pool_options(url: str) -> dict[str, int]:
    """Pool sizing for file and server databases (in-memory SQLite keeps its single connection)."""
    if url.startswith("sqlite") and (
        ":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite:/")
    ):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW}


@lru_cache(maxsize=8)
def _cached(url: str) -> Database:
    return Database(url)


def open_database(settings: Settings) -> Database:
    """The database of ``settings`` (one :class:`Database` per URL in this process)."""
    return _cached(settings.db_url)
