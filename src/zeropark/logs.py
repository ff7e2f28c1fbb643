"""The server's access and error logs: JSON lines, configured for uvicorn and the app's loggers.

``ZEROPARK_ACCESS_LOG`` and ``ZEROPARK_ERROR_LOG`` name a file (size-rotated: 10 MB × 5), ``-``
for standard error, or ``off``; ``ZEROPARK_LOG_LEVEL`` the lowest level of the error log. Each
access line holds ``ts`` (UTC, ISO 8601), ``client``, ``method``, ``path`` (with the query),
``http`` and ``status``; each error line ``ts``, ``level``, ``logger``, ``message`` and, for an
exception, ``exc`` (the traceback). The same configuration reaches every worker process, since
uvicorn applies it in each. Documented in docs/architecture.md ("Logs").

A module of the shared kernel that imports nothing else of zeropark: each worker process of
``zeropark serve --workers N`` loads the formatter by name before it answers the supervisor's
health check, and it had 5 s for that. Named in ``zeropark.cli``, the formatter made the worker
import the whole command line first (2 s on an idle 2-core machine, past 5 s under load), and
uvicorn killed workers as they started.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

__all__ = ["JsonFormatter", "log_config"]

_ROTATE_BYTES = 10 << 20
_ROTATE_KEEP = 5


class JsonFormatter(logging.Formatter):
    """One JSON object per record; uvicorn's access records become their named fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, path, http, status = args
            doc.update(client=client, method=method, path=path, http=http, status=status)
        else:
            doc["message"] = record.getMessage()
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False, default=str)


def _handler(target: str, level: str) -> dict[str, Any] | None:
    if target.strip().lower() in ("", "off", "none"):
        return None
    if target == "-":
        return {"class": "logging.StreamHandler", "formatter": "json", "level": level}
    return {
        "class": "logging.handlers.RotatingFileHandler",
        "formatter": "json",
        "level": level,
        "filename": target,
        "maxBytes": _ROTATE_BYTES,
        "backupCount": _ROTATE_KEEP,
        "encoding": "utf-8",
    }


def log_config(access_log: str, error_log: str, log_level: str) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` for uvicorn (``log_config=``): the access log and
    the error log (settings ``access_log``, ``error_log``, ``log_level``; module doc).

    The formatter is named by its import path, so the configuration carries no class object
    (it is pickled to every worker process)."""
    level = log_level.upper()
    handlers = {
        name: handler
        for name, handler in (
            ("access", _handler(access_log, "INFO")),
            ("error", _handler(error_log, level)),
        )
        if handler is not None
    }
    error = ["error"] if "error" in handlers else []
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.{JsonFormatter.__name__}"}},
        "handlers": handlers,
        "loggers": {
            "uvicorn": {"handlers": error, "level": level, "propagate": False},
            "uvicorn.error": {"handlers": error, "level": level, "propagate": False},
            "uvicorn.access": {
                "handlers": ["access"] if "access" in handlers else [],
                "level": "INFO",
                "propagate": False,
            },
            "zeropark": {"handlers": error, "level": level, "propagate": False},
        },
    }
