"""``zeropark doctor``: check the installation, the database and the optional servers."""

from __future__ import annotations

import platform
import socket
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Literal

from zeropark.config import Settings
from zeropark.i18n import t
from zeropark.store.engine import probe

__all__ = ["Check", "run_checks"]

Status = Literal["ok", "warn", "fail", "skip"]

_PACKAGES = ("sqlalchemy", "alembic", "pydantic", "pint", "numpy", "pandas", "pvlib", "psycopg")


@dataclass(frozen=True, slots=True)
class Check:
    """One check: what was checked, its status and a detail line."""

    name: str
    status: Status
    detail: str


def _port(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _installation() -> list[Check]:
    checks = [
        Check(
            "Python",
            "ok" if sys.version_info >= (3, 11) else "fail",
            f"{platform.python_version()} ({sys.executable})",
        ),
        Check("zeropark", "ok", metadata.version("zeropark")),
    ]
    for name in _PACKAGES:
        try:
            checks.append(Check(name, "ok", metadata.version(name)))
        except metadata.PackageNotFoundError:
            checks.append(Check(name, "fail", t("未安装", "not installed")))
    return checks


def _database(settings: Settings) -> Check:
    found = probe(settings.db_url)
    url, revision, head = found.url, found.revision, found.head
    if found.error is not None:
        return Check(t("数据库", "database"), "fail", f"{url}: {found.error}")
    mode = "" if found.journal_mode is None else f", journal {found.journal_mode}"
    if revision is None:
        state = t("空库 (首次使用时自动建表)", "empty (schema is created on first use)")
        return Check(t("数据库", "database"), "warn", f"{url}{mode}: {state}")
    status: Status = "ok" if revision == head else "warn"
    return Check(t("数据库", "database"), status, f"{url}{mode}: schema {revision} (head {head})")


def _servers(settings: Settings) -> list[Check]:
    servers = [
        ("PostgreSQL", "127.0.0.1", 5432),
        ("MQTT broker", settings.mqtt_host, settings.mqtt_port),
        ("Redis", "127.0.0.1", 6379),
    ]
    return [
        Check(
            name,
            "ok" if _port(host, port) else ("fail" if settings.require_services else "skip"),
            f"{host}:{port} "
            + (
                t("可连接", "reachable")
                if _port(host, port)
                else t("不可达 (可选)", "down (optional)")
            ),
        )
        for name, host, port in servers
    ]


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in order: installation, database, optional servers."""
    return [*_installation(), _database(settings), *_servers(settings)]
