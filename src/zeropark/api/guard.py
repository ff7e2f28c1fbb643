"""The request guard: who may send a body, how much of it, and how often — before any is read.

One plain ASGI middleware (``@app.middleware`` would cost a task per request) in front of the API:

1. **Bounded bodies.** A body is counted as it streams, chunked or not: past the limit of its
   kind (JSON, or a multipart file upload) the app is told the client went away and the caller
   gets 413; at most one network chunk beyond the limit is ever held. A ``Content-Length`` over
   the limit is refused before a byte is read.
2. **Authentication first.** A request with a body (POST, PUT, PATCH, DELETE) to the API needs a
   valid bearer token, checked before the body is read: an anonymous or forged request costs one
   token lookup, never a parse. Only ``/auth/login`` takes a body without a token. The principal
   is left in the request state for the route (``deps.get_principal``).
3. **Authorisation first.** A route may declare a gate (:func:`write_gate`): a rule over the
   principal and the park of the path, from :mod:`zeropark.domain.access`, decided before the body
   is read. A park the caller cannot see answers 404, a write its role may not make 403. A route
   without a park in its path (user administration) may declare a rule over the caller alone
   (:func:`caller_gate`), also decided before the body is read: a malformed body from a caller
   who may not write there gets 403, never a parse error.
4. **Rate.** Writes are limited per principal (token bucket: ``write_burst`` at once,
   ``write_rate_per_minute`` sustained); beyond, 429 with ``Retry-After``.
5. **Text the database cannot hold.** A NUL character in the URL or in a JSON body (the JSON escape
   ``\\u0000``) is refused with 422: PostgreSQL stores no NUL in text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zeropark.api.problems import problem
from zeropark.api.ratelimit import RateLimiter
from zeropark.api.route_table import RouteEntry, route_table
from zeropark.domain.access import Principal
from zeropark.errors import AuthenticationFailed
from zeropark.i18n import t
from zeropark.service.auth import authenticate, cached_principal
from zeropark.service.database import Database

__all__ = ["CALLER_GATE_ATTRIBUTE", "GATE_ATTRIBUTE", "RequestGuard", "caller_gate", "write_gate"]

GATE_ATTRIBUTE = "__zeropark_write_gate__"
CALLER_GATE_ATTRIBUTE = "__zeropark_caller_gate__"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Paths that take a body without a token (the login itself; it has its own throttle).
OPEN_PATHS = frozenset({"/auth/login"})
_NUL_ESCAPE = b"\\u0000"

F = TypeVar("F", bound=Callable[..., Any])
Gate = Callable[[Principal, str], bool]
CallerGate = Callable[[Principal], bool]


def write_gate(rule: Gate) -> Callable[[F], F]:
    """Declare the rule ``rule(principal, park_id)`` a write to this route must pass.

    The guard checks it before the body is read (the route's path must have ``{park_id}``).
    """

    def mark(endpoint: F) -> F:
        setattr(endpoint, GATE_ATTRIBUTE, rule)
        return endpoint

    return mark


def caller_gate(rule: CallerGate) -> Callable[[F], F]:
    """Declare the rule ``rule(principal)`` a write to this park-less route must pass.

    The guard checks it before the body is read; a caller it refuses gets 403.
    """

    def mark(endpoint: F) -> F:
        setattr(endpoint, CALLER_GATE_ATTRIBUTE, rule)
        return endpoint

    return mark


class _TooLarge(Exception):
    """The body passed its limit (raised inside the app's read, caught by the guard)."""


class RequestGuard:
    """The middleware of the module doc, for the API under ``prefix``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        prefix: str,
        max_json_bytes: int,
        max_upload_bytes: int,
        write_rate_per_minute: int,
        write_burst: int,
        clock_s: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.writes = RateLimiter(write_rate_per_minute / 60.0, write_burst)
        self.clock_s = clock_s
        self._routes: list[RouteEntry] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what the module doc says, else run the app with the body counted."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("raw_path", b"") or b"%00" in scope.get("query_string", b""):
            await self._refuse(scope, receive, send, 422, "NulCharacter", _nul_message())
            return
        headers = Headers(scope=scope)
        limit = self._limit(headers)
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        route = self._route(scope) if scope["method"] in BODY_METHODS else None
        if route is not None and path[len(self.prefix) :] not in OPEN_PATHS:
            refused = await self._admit(scope, headers, *route)
            if refused is not None:
                status, code, detail, extra = refused
                await self._refuse(scope, receive, send, status, code, detail, extra)
                return
        await self._run_bounded(scope, receive, send, limit, headers)

    def _limit(self, headers: Headers) -> int:
        multipart = headers.get("content-type", "").startswith("multipart/form-data")
        return self.max_upload_bytes if multipart else self.max_json_bytes

    def _route(self, scope: Scope) -> tuple[Gate | CallerGate | None, str | None] | None:
        """(gate, park id) of the API route that takes this method and path; None if none does.

        The gate is the route's :func:`write_gate` with the park of its path, else its
        :func:`caller_gate` (park id None), else None.

        A method or path no route takes passes through (the router answers 405 with ``Allow``,
        or 404) without authentication: there is nothing to protect and no body is read.
        """
        if self._routes is None:
            self._routes = route_table(scope["app"])
        path, method = scope["path"], scope["method"]
        for route in self._routes:
            found = route.regex.match(path)
            if found is not None and method in route.methods:
                park_id = found.groupdict().get("park_id")
                gate: Gate | None = getattr(route.endpoint, GATE_ATTRIBUTE, None)
                if gate is not None and park_id is not None:
                    return gate, park_id
                return getattr(route.endpoint, CALLER_GATE_ATTRIBUTE, None), None
        return None

    async def _admit(
        self, scope: Scope, headers: Headers, rule: Gate | CallerGate | None, park_id: str | None
    ) -> tuple[int, str, str, dict[str, str] | None] | None:
        """None when the write may proceed, else (status, code, detail, headers) to refuse it."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            detail = t("需要登录", "authentication required: send a bearer token")
            return 401, "AuthenticationFailed", detail, {"WWW-Authenticate": "Bearer"}
        db: Database = scope["app"].state.db
        principal = cached_principal(db, token)
        if principal is None:
            try:
                principal = await run_in_threadpool(authenticate, db, token)
            except AuthenticationFailed as exc:
                return 401, "AuthenticationFailed", str(exc), {"WWW-Authenticate": "Bearer"}
        scope.setdefault("state", {})["principal"] = principal
        wait = self.writes.take(principal.subject, self.clock_s())
        if wait > 0:
            detail = t(
                "写入请求过于频繁，请稍后再试", "too many write requests; retry after a pause"
            )
            return 429, "RateLimited", detail, {"Retry-After": RateLimiter.retry_after(wait)}
        if rule is None:
            return None
        if park_id is None:
            allowed = cast(CallerGate, rule)(principal)
        elif not principal.in_park(park_id):
            return 404, "NotFound", t("未找到", "not found"), None
        else:
            allowed = cast(Gate, rule)(principal, park_id)
        if not allowed:
            detail = t("您的角色不能写入此数据", "your role may not write this data in this park")
            return 403, "PermissionDenied", detail, None
        return None

    async def _run_bounded(
        self, scope: Scope, receive: Receive, send: Send, limit: int, headers: Headers
    ) -> None:
        """Run the app with a receive that counts the body and refuses it past ``limit``."""
        received = 0
        tail = b""
        exceeded: list[str] = []  # "size" or "nul" once refused
        started = False
        check_nul = headers.get("content-type", "").startswith("application/json")

        async def bounded_receive() -> Message:
            nonlocal received, tail
            message = await receive()
            if message["type"] == "http.request" and not exceeded:
                body: bytes = message.get("body", b"")
                received += len(body)
                if received > limit:
                    exceeded.append("size")
                elif check_nul and _NUL_ESCAPE in tail + body:
                    exceeded.append("nul")
                tail = (tail + body)[-(len(_NUL_ESCAPE) - 1) :]
                if exceeded:
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the refusal below answers instead
            started = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            if exceeded[0] == "size":
                await self._too_large(scope, _no_body, send, limit)
            else:
                await self._refuse(scope, _no_body, send, 422, "NulCharacter", _nul_message())

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        mib = f"{limit / (1 << 20):g}"
        detail = t(f"请求体超过 {mib} MiB", f"the request body is larger than {mib} MiB")
        await self._refuse(scope, receive, send, 413, "UploadTooLarge", detail)

    @staticmethod
    async def _refuse(
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        response = problem(status, detail, code=code, instance=scope["path"], headers=headers)
        await response(scope, receive, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _nul_message() -> str:
    return t(
        "文本中不能含有 NUL 字符（\\u0000）", "text may not contain the NUL character (\\u0000)"
    )
