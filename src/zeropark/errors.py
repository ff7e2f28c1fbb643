"""The one error tree of zeropark.

Every error the package raises on purpose derives from :class:`ZeroparkError`; most also derive
from the builtin a caller would expect (``UnitError`` is a ``ValueError``), as pint does. The CLI
maps each class to an exit code and one readable line; the API maps it to an HTTP status.

This module imports nothing of the project, so every layer (the domain core included) may use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol


class ZeroparkError(Exception):
    """Base of every error zeropark raises on purpose."""

    exit_code: int = 1
    http_status: int = 500


class ConfigError(ZeroparkError):
    """A setting is missing, malformed or unsafe."""

    exit_code = 78
    http_status = 500


class InputError(ZeroparkError, ValueError):
    """User input (a file, a row, a field) is not acceptable.

    ``source`` names the file, topic or request; ``location`` the row or path inside it.
    ``reason_code`` and ``params``, when given, are the reason as data: a code of the issue
    message catalogue (:mod:`zeropark.domain.issue_messages`) whose English text is ``reason``,
    so the edges can show it in the reader's language.
    """

    exit_code = 65
    http_status = 422

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        location: str | None = None,
        field: str | None = None,
        reason_code: str | None = None,
        params: Mapping[str, str | int | float | bool | None] | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.location = location
        self.field = field
        self.reason_code = reason_code
        self.params: dict[str, str | int | float | bool | None] = dict(params or {})
        where = ", ".join(
            part
            for part in (
                source,
                f"at {location}" if location else None,
                f"field {field!r}" if field else None,
            )
            if part
        )
        super().__init__(f"{where}: {reason}" if where else reason)


class UnitError(InputError):
    """A unit is unknown or does not fit the quantity (kWh on a gas meter)."""


class PartialImport(InputError):
    """A multi-chunk import stopped part-way: the chunks before the failure are stored.

    Each chunk is stored all or nothing; the text says how many chunks and rows were stored and
    ``stored`` holds the report of them. ``http_status`` is the cause's: 422 for input found
    bad part-way (a file that turns out not to be UTF-8), 500 for an internal error.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        location: str | None = None,
        stored: dict[str, object],
        http_status: int = 422,
    ) -> None:
        super().__init__(reason, source=source, location=location)
        self.stored = stored
        self.http_status = http_status


class IssueLike(Protocol):
    """What the edges need of an issue (:class:`zeropark.domain.issues.Issue` is the one type;
    the kernel cannot import the domain, so it names the shape)."""

    @property
    def code(self) -> str:
        """The stable code of the problem."""
        ...

    def describe(self, lang: Literal["zh", "en"] = "en") -> str:
        """One readable line in ``lang``."""
        ...

    def as_dict(self, lang: Literal["zh", "en"] = "en") -> dict[str, Any]:
        """Plain data with the reason rendered in ``lang``."""
        ...


class ValidationFailed(InputError):
    """A document failed validation; ``issues`` holds every issue found, as data
    (:class:`zeropark.domain.issues.Issue`)."""

    def __init__(self, issues: Sequence[IssueLike], *, source: str | None = None) -> None:
        self.issues: list[IssueLike] = list(issues)
        super().__init__(f"{len(self.issues)} validation issue(s)", source=source)


class FactorNotFound(ZeroparkError, LookupError):
    """No emission factor or coefficient matches the request (item, year, region)."""

    exit_code = 66
    http_status = 422


class NotFound(ZeroparkError, LookupError):
    """The object does not exist, or the caller may not know it exists."""

    exit_code = 66
    http_status = 404


class PermissionDenied(ZeroparkError, PermissionError):
    """The caller is known but may not do this."""

    exit_code = 77
    http_status = 403


class AuthenticationFailed(ZeroparkError, PermissionError):
    """The caller could not be identified: bad credentials, expired or revoked token, lock-out."""

    exit_code = 77
    http_status = 401


class Conflict(ZeroparkError):
    """The change is refused by the state it would leave (the last active admin of a park)."""

    exit_code = 65
    http_status = 409


class RateLimited(ZeroparkError):
    """Too many attempts from this caller: retry after ``retry_after_s`` seconds."""

    exit_code = 75
    http_status = 429

    def __init__(self, reason: str, *, retry_after_s: int) -> None:
        self.retry_after_s = max(1, retry_after_s)
        super().__init__(reason)


class StoreError(ZeroparkError):
    """The database is unreachable, at the wrong schema version, or refused a write."""

    exit_code = 74
    http_status = 503


class IntegrityError(ZeroparkError):
    """Stored data or the audit chain does not match its recorded hashes."""

    exit_code = 70
    http_status = 409


class ServiceUnavailable(ZeroparkError, ConnectionError):
    """An optional server (PostgreSQL, MQTT broker, Modbus device) cannot be reached."""

    exit_code = 69
    http_status = 503
