"""Engines and sessions: :func:`make_engine` for a URL, and schema migration to the newest version.

SQLite (the embedded default) is opened in WAL mode with foreign keys on; PostgreSQL URLs are
normalised to the psycopg 3 driver. Nothing here runs at import time.

A transaction carries the clock of its database (:func:`bind_clock`, done by
``Database.transaction``): store functions that stamp rows (``created_at``, the audit log's
``at``) ask :func:`clock_of` for the time, so a database opened with a fixed or replayed clock
writes that time (:mod:`zeropark.clock`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from zeropark.clock import Clock, default_clock
from zeropark.errors import StoreError

__all__ = [
    "DatabaseError",
    "Probe",
    "alembic_config",
    "bind_clock",
    "clock_of",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
    "probe",
    "snapshot",
]

_CLOCK_KEY = "zeropark.clock"

#: What the driver raises when the database fails a statement (down, busy, a lost connection):
#: a live worker keeps its batch and tries it again.
DatabaseError = DBAPIError


def bind_clock(conn: Connection, clock: Clock) -> None:
    """Make ``clock`` the time of what runs on ``conn`` (until bound again)."""
    conn.info[_CLOCK_KEY] = clock


def clock_of(conn: Connection) -> Clock:
    """The clock bound to ``conn`` (:func:`bind_clock`), else the process default."""
    clock: Clock | None = conn.info.get(_CLOCK_KEY)
    return clock if clock is not None else default_clock()


def _normalise_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (SQLite file or PostgreSQL), configured for zeropark."""
    url = _normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read transaction that sees one state of the database throughout: rows committed while
    it runs (live ingest) are not half seen.

    PostgreSQL: REPEATABLE READ. SQLite (WAL): a read transaction is a snapshot from its first
    read, but the driver opens none for a SELECT, so it is begun explicitly.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")
            yield conn


def alembic_config(engine: Engine) -> Config:
    """An Alembic config whose scripts are the package's migrations, bound to ``engine``."""
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("zeropark.store").joinpath("migrations"))
    )
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` (default: the newest)."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise StoreError(f"cannot migrate {engine.url.render_as_string()}: {exc.orig}") from exc


def head_revision() -> str:
    """The newest migration revision shipped with this version of zeropark."""
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True, slots=True)
class Probe:
    """What :func:`probe` found: the URL (password hidden), SQLite's journal mode, the schema's
    revision (None: an empty database) and the newest one shipped, or the error that stopped it."""

    url: str
    journal_mode: str | None = None
    revision: str | None = None
    head: str | None = None
    error: str | None = None


def probe(url: str) -> Probe:
    """Connect to ``url`` once (``SELECT 1``) and read its schema revision (``zeropark doctor``)."""
    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            mode = None
            if conn.dialect.name == "sqlite":
                mode = str(conn.execute(text("PRAGMA journal_mode")).scalar())
        return Probe(shown, mode, current_revision(engine), head_revision())
    except SQLAlchemyError as exc:
        return Probe(shown, error=f"{exc.__class__.__name__}: {exc}")
    finally:
        engine.dispose()
