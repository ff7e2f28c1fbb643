"""Typed dependencies of the routes: the database, the caller's principal, pagination.

They are ``async`` and touch no database on the hot path (FastAPI runs sync dependencies in its
thread pool): the principal comes from the in-memory token cache
(:func:`zeropark.service.auth.cached_principal`) and only a miss queries, in the thread pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from zeropark.config import Settings
from zeropark.domain.access import Principal
from zeropark.errors import AuthenticationFailed
from zeropark.i18n import t
from zeropark.service.auth import authenticate, cached_principal
from zeropark.service.database import Database

__all__ = [
    "DbDep",
    "DbId",
    "PageDep",
    "Pagination",
    "PrincipalDep",
    "SettingsDep",
    "TokenDep",
    "get_db",
    "get_principal",
]

T = TypeVar("T")

_bearer = HTTPBearer(
    auto_error=False,
    description="a login token (POST /api/v1/auth/login) or a gateway API key",
)


async def get_db(request: Request) -> Database:
    """The app's database."""
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The bearer token of the request (401 when there is none)."""
    if credentials is None or not credentials.credentials:
        raise AuthenticationFailed(t("需要登录", "authentication required: send a bearer token"))
    return credentials.credentials


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TokenDep = Annotated[str, Depends(get_token)]


async def get_principal(request: Request, db: DbDep, token: TokenDep) -> Principal:
    """The principal of the bearer token (a user session or a gateway key).

    A write was authenticated by the request guard before its body was read: reuse that.
    """
    guarded: Principal | None = getattr(request.state, "principal", None)
    if guarded is not None:
        return guarded
    principal = cached_principal(db, token)
    if principal is None:
        principal = await run_in_threadpool(authenticate, db, token)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]

#: A database row id in a path: positive and within a 32-bit integer (PostgreSQL ``integer``),
#: so an id no row can have answers 404/422, never a database overflow.
DbId = Annotated[int, Path(ge=1, le=2**31 - 1, description="row id")]


@dataclass(frozen=True, slots=True)
class Pagination:
    """``limit`` items from ``offset``."""

    limit: int
    offset: int

    def window(self, items: list[T]) -> list[T]:
        """The page of an in-memory list."""
        return items[self.offset : self.offset + self.limit]


async def get_pagination(
    limit: Annotated[int, Query(ge=1, le=1000, description="page size")] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")] = 0,
) -> Pagination:
    """Pagination parameters."""
    return Pagination(limit, offset)


PageDep = Annotated[Pagination, Depends(get_pagination)]
