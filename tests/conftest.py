"""Shared fixtures: databases (SQLite and the real PostgreSQL) and service markers.

Tests marked ``requires_postgres`` or ``requires_mqtt`` skip with a reason when the server is down,
and fail instead when ``ZEROPARK_REQUIRE_SERVICES=1`` (as in CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from zeropark.i18n import set_lang
from zeropark.service.database import Database


@pytest.fixture(autouse=True)
def _process_language_english() -> Iterator[None]:
    """Each test starts (and leaves the process) with English as the process's language.

    ``zeropark --lang zh`` sets the language for the whole process, so a Chinese CLI test made
    the English assertions of whatever test ran next in the same process fail.
    """
    set_lang("en")
    yield
    set_lang("en")


PG_URL = os.environ.get("ZEROPARK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_SERVICES = os.environ.get("ZEROPARK_REQUIRE_SERVICES", "") not in ("", "0", "false")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    """Skip (or fail in CI) when a server the test needs is not listening."""
    if _port_open(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} and ZEROPARK_REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'zeropark.db'}")
    yield db
    db.dispose()


@pytest.fixture
def pg_db() -> Iterator[Database]:
    need_service("PostgreSQL", "127.0.0.1", 5432)
    schema = f"zp_test_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    db = Database(f"{PG_URL}?options=-csearch_path%3D{schema}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.requires_postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on the embedded SQLite and on the real PostgreSQL."""
    name = "sqlite_db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(name)
    return database


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo park (2024, with its files) built once per test session, as a SQLite file.

    Modules take their own copy with :func:`demo_copy`, so none sees another's writes and the
    demo is generated once instead of once per module.
    """
    from zeropark.service.demo import load_demo

    folder = tmp_path_factory.mktemp("demo-template")
    db = Database(f"sqlite:///{folder / 'demo.db'}")
    load_demo(db, year=2024, files_dir=folder / "files")
    db.dispose()
    return folder / "demo.db"


def demo_copy(template: Path, folder: Path) -> Database:
    """A fresh copy of the demo database (and its files) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / "demo.db")
    if (template.parent / "files").exists():
        shutil.copytree(template.parent / "files", folder / "files", dirs_exist_ok=True)
    return Database(f"sqlite:///{folder / 'demo.db'}")
