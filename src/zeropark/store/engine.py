"""Engines and sessions: :func:`make_engine` for a URL, and schema migration to the newest version.

SQLite (the embedded default) is opened in WAL mode with foreign keys on; PostgreSQL URLs are
normalised to the psycopg 3 driver. Nothing here runs at import time.

A transaction carries the clock of its database (:func:`bind_clock`, done by
``Database.transaction``): store functions that stamp rows (``created_at``, the audit log's
``at``) ask :func:`clock_of` for the time, so a database opened with a fixed or replayed clock
writes that time (:mod:`zeropark.clock`).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError

from zeropark.clock import Clock, default_clock
from zeropark.errors import StoreError

__all__ = [
    "alembic_config",
    "bind_clock",
    "clock_of",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
]

_CLOCK_KEY = "zeropark.clock"


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
