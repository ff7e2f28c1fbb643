"""Login, logout, the caller, users and gateway API keys.

The admin-only routes check the caller's role in a dependency (:data:`UserAdmin`,
:data:`KeyAdmin`): FastAPI solves dependencies before it validates the body, so a caller who may
not make the change gets 403 (or 404 for a park it cannot see), never a 422 that tells it about
the fields. (A body that is not JSON at all is still refused with 422 first: FastAPI parses it
before any dependency runs. The request guard refuses writes to a park's keys even earlier,
before the body is read.)
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from zeropark.api.deps import DbDep, DbId, PageDep, PrincipalDep, TokenDep
from zeropark.api.guard import caller_gate, write_gate
from zeropark.api.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    LoginRequest,
    LoginResponse,
    Me,
    Page,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from zeropark.config import Settings
from zeropark.domain.access import Principal
from zeropark.service import auth
from zeropark.service.login_throttle import LoginThrottle

router = APIRouter(tags=["auth"])

_login_state_lock = threading.Lock()


def _login_guards(request: Request) -> tuple[auth.LoginPolicy, LoginThrottle]:
    """The app's lock-out policy and per-address throttle (made once per app, from its settings)."""
    state = request.app.state
    guards: tuple[auth.LoginPolicy, LoginThrottle] | None = getattr(state, "login_guards", None)
    if guards is None:
        with _login_state_lock:
            guards = getattr(state, "login_guards", None)
            if guards is None:
                settings: Settings = state.settings
                guards = (auth.LoginPolicy.from_settings(settings), auth.login_throttle(settings))
                state.login_guards = guards
    return guards


async def _user_admin(principal: PrincipalDep) -> Principal:
    """The caller, if its role manages users (403 before the body is validated)."""
    auth.require_user_admin(principal)
    return principal


async def _key_admin(park_id: str, principal: PrincipalDep) -> Principal:
    """The caller, if it manages the park's API keys (404/403 before the body is validated)."""
    auth.require_key_admin(principal, park_id)
    return principal


UserAdmin = Annotated[Principal, Depends(_user_admin)]
KeyAdmin = Annotated[Principal, Depends(_key_admin)]


@router.post("/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, db: DbDep, request: Request) -> LoginResponse:
    """Log in with email and password; the token expires (``expires_at``).

    Unknown email, wrong password, inactive or locked account: the same 401. Too many failed
    logins from the client's address: 429 with ``Retry-After``.
    """
    policy, throttle = _login_guards(request)
    result = auth.login(
        db,
        body.email,
        body.password,
        policy=policy,
        throttle=throttle,
        source=request.client.host if request.client else None,
    )
    return LoginResponse(
        token=result.token,
        expires_at=result.expires_at,
        user=UserPublic.model_validate(result.user),
    )


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(db: DbDep, principal: PrincipalDep, token: TokenDep) -> None:
    """Revoke the token of this request."""
    auth.logout(db, token)


@router.get("/auth/me", response_model=Me)
def get_me(db: DbDep, principal: PrincipalDep) -> Me:
    """Who the caller is: role, park, tenant (and a gateway's meters)."""
    return Me.model_validate(auth.me(db, principal))


@router.get("/users", response_model=Page[UserPublic], tags=["users"])
def list_users(db: DbDep, principal: UserAdmin, page: PageDep) -> Page[UserPublic]:
    """Users the caller manages (park admins: their park's)."""
    rows, total = auth.list_users(db, principal, limit=page.limit, offset=page.offset)
    return Page[UserPublic](
        items=[UserPublic.model_validate(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED, tags=["users"]
)
@caller_gate(auth.manages_users)
def create_user(principal: UserAdmin, body: UserCreate, db: DbDep) -> UserPublic:
    """Create a user of a park (park admins of that park)."""
    row = auth.create_user(
        db,
        principal,
        email=body.email,
        password=body.password,
        role=body.role,
        park_id=body.park_id,
        tenant_id=body.tenant_id,
    )
    return UserPublic.model_validate(row)


@router.patch("/users/{user_id}", response_model=UserPublic, tags=["users"])
@caller_gate(auth.manages_users)
def update_user(principal: UserAdmin, user_id: DbId, body: UserUpdate, db: DbDep) -> UserPublic:
    """Activate or deactivate a user, or change their role (``role``, with ``tenant_id`` for a
    tenant user); either revokes their sessions.

    409 for the caller's own account and for the last active admin of a park.
    """
    row = None
    if body.role is not None:
        row = auth.set_user_role(db, principal, user_id, body.role, body.tenant_id)
    if body.active is not None:
        row = auth.set_user_active(db, principal, user_id, body.active)
    return UserPublic.model_validate(row)


@router.get("/parks/{park_id}/api-keys", response_model=list[ApiKeyPublic], tags=["api keys"])
def list_api_keys(park_id: str, db: DbDep, principal: KeyAdmin) -> list[ApiKeyPublic]:
    """The park's gateway keys (park admins)."""
    return [ApiKeyPublic.model_validate(k) for k in auth.list_api_keys(db, principal, park_id)]


@router.post(
    "/parks/{park_id}/api-keys",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["api keys"],
)
@write_gate(Principal.can_configure)
def create_api_key(
    park_id: str, principal: KeyAdmin, body: ApiKeyCreate, db: DbDep
) -> ApiKeyCreated:
    """Create a gateway key bound to meters; ``key`` is shown this once."""
    created = auth.create_api_key(db, principal, park_id, name=body.name, meter_ids=body.meter_ids)
    return ApiKeyCreated.model_validate({**created.info, "key": created.key})


@router.delete(
    "/parks/{park_id}/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["api keys"],
)
@write_gate(Principal.can_configure)
def revoke_api_key(park_id: str, key_id: DbId, db: DbDep, principal: KeyAdmin) -> None:
    """Revoke a gateway key."""
    auth.revoke_api_key(db, principal, park_id, key_id)
