"""Settings from ``ZEROPARK_*`` environment variables (pydantic-settings).

Nothing is read at import time: call :func:`load_settings` (the CLI and the app factory do), so
tests build their own settings pointing at their own database.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DB_FILE", "Settings", "load_settings"]

DEFAULT_DB_FILE = "zeropark.db"


def _default_db_url() -> str:
    return f"sqlite:///{Path.cwd() / DEFAULT_DB_FILE}"


def _default_lang() -> Literal["zh", "en"]:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


class Settings(BaseSettings):
    """Runtime settings; every field maps to ``ZEROPARK_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="ZEROPARK_", extra="ignore")

    db_url: str = Field(default_factory=_default_db_url, description="SQLAlchemy database URL")
    lang: Literal["zh", "en"] = Field(default_factory=_default_lang, description="UI language")
    env: Literal["development", "production"] = "development"
    secret_key: str = "dev-insecure-secret-change-me"
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    redis_url: str = "redis://127.0.0.1:6379/0"
    max_json_bytes: int = Field(
        default=8 << 20, ge=1024, description="largest JSON request body [bytes] (413 beyond)"
    )
    max_upload_bytes: int = Field(
        default=50 << 20, ge=1024, description="largest file upload body [bytes] (413 beyond)"
    )
    write_rate_per_minute: int = Field(
        default=600, ge=1, description="sustained write requests per principal and minute"
    )
    write_burst: int = Field(
        default=120, ge=1, description="write requests a principal may send at once"
    )
    login_source_failures: int = Field(
        default=10,
        ge=1,
        description="failed logins one client address may make per login window (429 beyond)",
    )
    login_account_failures: int = Field(
        default=30,
        ge=1,
        description="login attempts on one account per login window before it is locked",
    )
    login_window_s: int = Field(
        default=900, ge=1, description="the window both login counts are kept over [s]"
    )
    login_lock_s: int = Field(
        default=60,
        ge=1,
        description="first lock of an account [s]; doubles with each lock in a row",
    )
    login_lock_max_s: int = Field(default=900, ge=1, description="longest lock of an account [s]")
    readings_earliest: date = Field(
        default=date(2000, 1, 1),
        description="no reading may be dated before this day (park-local); a meter's "
        "commissioned date raises it",
    )
    readings_max_age_days: int | None = Field(
        default=None,
        ge=1,
        description="refuse readings older than this many days (unset: no limit)",
    )
    readings_clock_skew_s: int = Field(
        default=86_400,
        ge=0,
        le=31 * 86_400,
        description="how far ahead of now a reading may be [s]",
    )
    access_log: str = Field(
        default="-",
        description="the server's access log, one JSON object a line: a file path, '-' for "
        "standard error (the default), or 'off'",
    )
    error_log: str = Field(
        default="-",
        description="the server's error log (warnings, errors with their traceback), JSON "
        "lines: a file path, '-' for standard error (the default), or 'off'",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="lowest level written to the error log"
    )
    require_services: bool = Field(
        default=False, description="fail, not skip, when an optional server is down (CI)"
    )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides taking precedence."""
    return Settings(**overrides)  # type: ignore[arg-type]
