"""Login, logout, the caller, users and gateway API keys."""

from __future__ import annotations

from fastapi import APIRouter, status

from zeropark.api.deps import DbDep, DbId, PageDep, PrincipalDep, TokenDep
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
from zeropark.service import auth

router = APIRouter(tags=["auth"])


@router.post("/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, db: DbDep) -> LoginResponse:
    """Log in with email and password; the token expires (``expires_at``)."""
    result = auth.login(db, body.email, body.password)
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
def list_users(db: DbDep, principal: PrincipalDep, page: PageDep) -> Page[UserPublic]:
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
def create_user(body: UserCreate, db: DbDep, principal: PrincipalDep) -> UserPublic:
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
def update_user(user_id: DbId, body: UserUpdate, db: DbDep, principal: PrincipalDep) -> UserPublic:
    """Activate or deactivate a user; deactivating revokes their sessions."""
    return UserPublic.model_validate(auth.set_user_active(db, principal, user_id, body.active))


@router.get("/parks/{park_id}/api-keys", response_model=list[ApiKeyPublic], tags=["api keys"])
def list_api_keys(park_id: str, db: DbDep, principal: PrincipalDep) -> list[ApiKeyPublic]:
    """The park's gateway keys (park admins)."""
    return [ApiKeyPublic.model_validate(k) for k in auth.list_api_keys(db, principal, park_id)]


@router.post(
    "/parks/{park_id}/api-keys",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["api keys"],
)
def create_api_key(
    park_id: str, body: ApiKeyCreate, db: DbDep, principal: PrincipalDep
) -> ApiKeyCreated:
    """Create a gateway key bound to meters; ``key`` is shown this once."""
    created = auth.create_api_key(db, principal, park_id, name=body.name, meter_ids=body.meter_ids)
    return ApiKeyCreated.model_validate({**created.info, "key": created.key})


@router.delete(
    "/parks/{park_id}/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["api keys"],
)
def revoke_api_key(park_id: str, key_id: DbId, db: DbDep, principal: PrincipalDep) -> None:
    """Revoke a gateway key."""
    auth.revoke_api_key(db, principal, park_id, key_id)
