"""Every error as RFC 9457 ``application/problem+json``, mapped in one place.

:class:`~zeropark.errors.ZeroparkError` subclasses carry their HTTP status; request validation
errors become 422 with every field's reason; unknown routes and methods keep their status. An
unexpected exception is a 500 whose body says nothing about the internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from zeropark.api.route_table import allowed_methods
from zeropark.domain.issues import Issue
from zeropark.domain.park_rules import schema_reason
from zeropark.errors import InputError, RateLimited, ValidationFailed, ZeroparkError
from zeropark.i18n import get_lang, t

__all__ = ["PROBLEM_RESPONSES", "install_problem_handlers", "problem"]

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("zeropark.api")

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
#: Documented on every route: the problem responses it can give.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": HTTPStatus(status).phrase,
        "content": {MEDIA_TYPE: {"schema": _PROBLEM_REF}},
    }
    for status in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}


def problem(
    status: int,
    detail: str,
    *,
    code: str,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def input_issue(exc: InputError) -> Issue:
    """The issue of an input error: its catalogued reason (``reason_code`` and ``params``) when
    it has one, else its reason (already in the request's language, written with ``t()``) as
    the ``text`` of the catalogue; with its source, location and field."""
    if exc.reason_code:
        code, params = exc.reason_code, {**exc.params, "detail": str(exc.reason)}
    else:
        code, params = "text", {"text": str(exc.reason)}
    return Issue(
        type(exc).__name__,
        code,
        params,
        source=exc.source,
        location=exc.location,
        field=exc.field,
    )


def _zeropark(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ZeroparkError)
    errors: list[dict[str, Any]] | None = None
    lang = get_lang()
    if isinstance(exc, ValidationFailed):
        errors = [issue.as_dict(lang) for issue in exc.issues]
    elif isinstance(exc, InputError):
        errors = [input_issue(exc).as_dict(lang)]
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after_s)}
    status = exc.http_status
    detail = str(exc)
    if isinstance(exc, ValidationFailed):
        count = t(f"{len(exc.issues)} 个问题", f"{len(exc.issues)} validation issue(s)")
        detail = f"{exc.source}: {count}" if exc.source else count
    return problem(
        status,
        detail,
        code=type(exc).__name__,
        instance=request.url.path,
        errors=errors,
        headers=headers,
    )


def _request_reason(error: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The catalogue code and parameters of a request's pydantic error (those the park file
    shares: ``Field required``, ``Input should be a valid integer``…), else pydantic's English
    words as ``text``."""
    reason_code, params = schema_reason(error)
    if reason_code == "park_schema":
        return "text", {"text": str(error.get("msg", ""))}
    return reason_code, {**params, "detail": str(error.get("msg", ""))}


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = get_lang()
    errors = [
        {
            **Issue(
                "request_invalid",
                *_request_reason(e),
                source="request",
                location=str(e["loc"][0]) if e.get("loc") else None,
                field=".".join(str(p) for p in e.get("loc", ())),
            ).as_dict(lang),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": "", "reason": "invalid request"}
    return problem(
        422,
        f"{first['field']}: {first['reason']}"
        + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""),
        code="RequestValidationError",
        instance=request.url.path,
        errors=errors,
    )


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route on the path only; name them all.
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
    return problem(
        exc.status_code,
        detail,
        code="HTTPException",
        instance=request.url.path,
        headers=headers or None,
    )


def _data_error(request: Request, exc: Exception) -> JSONResponse:
    """A value the database refused (a string too long, a number out of range, a NUL on
    PostgreSQL) that no check before it caught: the transaction rolled back, nothing was
    written; the input is at fault, so 422 — and the log says which check is missing."""
    log.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc)
    detail = t(
        "数据库无法保存请求中的某个值（过长、超出范围或含有不允许的字符）；未写入任何数据",
        "the database cannot store a value of the request (too long, out of range or a "
        "character it does not allow); nothing was written",
    )
    return problem(422, detail, code="ValueNotStorable", instance=request.url.path)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(500, "internal error", code="InternalError", instance=request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""
    app.add_exception_handler(ZeroparkError, _zeropark)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected)
