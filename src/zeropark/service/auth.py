"""Identity and access: users, login sessions, lock-out, gateway API keys (DESIGN.md §1, §7).

- Passwords are hashed with argon2 (argon2-cffi defaults, RFC 9106 low-memory profile).
- Login gives an opaque random token (``zps_…``); only its SHA-256 is stored, with an expiry.
  Logout revokes it; deactivating a user revokes all of theirs.
- After :data:`MAX_FAILURES` wrong passwords in a row an account is locked for
  :data:`LOCKOUT`; a good login resets the count.
- Gateway keys (``zpk_…``) are shown once at creation, stored as SHA-256 and bound to the meters
  they may write: they resolve to a ``gateway`` :class:`Principal` that can do nothing else.
- A park admin manages the users and keys of its own park; the local operator (CLI) all of them.
- Resolved tokens are cached in memory for :data:`PRINCIPAL_TTL` (so a request costs no query).
  Logout, deactivation and key revocation drop the entries of this process at once; another
  process (``zeropark serve --workers N``) may accept a revoked token for up to that long.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from zeropark.domain.access import Principal
from zeropark.errors import AuthenticationFailed, InputError, NotFound
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.store import audit, seal
from zeropark.store import users as store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import meter_refs
from zeropark.store.scope import require

__all__ = [
    "LOCKOUT",
    "MAX_FAILURES",
    "PRINCIPAL_TTL",
    "TOKEN_TTL",
    "USER_ROLES",
    "ApiKeyCreated",
    "AuthenticationFailed",
    "LoginResult",
    "authenticate",
    "cached_principal",
    "create_api_key",
    "create_user",
    "ensure_demo_accounts",
    "hash_password",
    "list_api_keys",
    "list_users",
    "login",
    "logout",
    "revoke_api_key",
    "set_user_active",
    "user_principal",
    "verify_password",
]

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
TOKEN_TTL = timedelta(hours=12)
USER_ROLES = ("park_admin", "tenant", "regulator", "auditor")
MIN_PASSWORD = 8
SESSION_PREFIX = "zps_"
KEY_PREFIX = "zpk_"

#: How long a resolved token is trusted without a query (other processes' revocations lag this).
PRINCIPAL_TTL = timedelta(seconds=30)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("zeropark-dummy-password")


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A fresh session: the token (shown once), its expiry, and who it is for."""

    token: str
    expires_at: datetime
    user: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ApiKeyCreated:
    """A new gateway key: the secret (shown once) and its stored description."""

    key: str
    info: dict[str, Any]


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """The argon2 hash of a password (at least :data:`MIN_PASSWORD` characters)."""
    if len(password) < MIN_PASSWORD:
        raise InputError(
            t(f"密码至少 {MIN_PASSWORD} 个字符", f"the password needs {MIN_PASSWORD}+ characters"),
            field="password",
        )
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def public_user(row: dict[str, Any]) -> dict[str, Any]:
    """A user as shown to callers (never the hash)."""
    return {
        "id": row["id"],
        "email": row["email"],
        "role": row["role"],
        "park_id": row["park_id"],
        "tenant_id": row["tenant_id"],
        "active": bool(row["active"]),
        "locked_until": row.get("locked_until"),
        "created_at": row.get("created_at"),
    }


def user_principal(user: dict[str, Any]) -> Principal:
    """The principal of a user row (role, park and tenant scope)."""
    parks = frozenset([user["park_id"]]) if user.get("park_id") else frozenset()
    return Principal(
        subject=str(user["email"]),
        role=user["role"],
        park_ids=parks,
        tenant_id=user.get("tenant_id"),
    )


def create_user(
    db: Database,
    principal: Principal,
    *,
    email: str,
    password: str,
    role: str,
    park_id: str,
    tenant_id: str | None = None,
) -> dict[str, Any]:
    """Create a user of ``park_id`` (park admins of that park, or the local operator); audited."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InputError(t("邮箱格式不正确", "not an email address"), field="email")
    if role not in USER_ROLES:
        raise InputError(f"role must be one of {', '.join(USER_ROLES)}", field="role")
    if (role == "tenant") != (tenant_id is not None):
        raise InputError(
            t("租户用户需要且仅需要企业编号", "a tenant user needs a tenant id, others none"),
            field="tenant_id",
        )
    password_hash = hash_password(password)
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"manage users of {park_id!r}")
        repo = ParkRepository(conn, Principal.system())
        repo.get_park(park_id)
        if tenant_id is not None and tenant_id not in {
            t_["id"] for t_ in repo.section(park_id, "tenants")
        }:
            raise InputError(f"no tenant {tenant_id!r} in park {park_id!r}", field="tenant_id")
        if store.find_user(conn, email=email) is not None:
            raise InputError(t("该邮箱已有用户", "a user with this email exists"), field="email")
        user_id = store.insert_user(
            conn,
            email=email,
            password_hash=password_hash,
            role=role,
            park_id=park_id,
            tenant_id=tenant_id,
        )
        audit.append(
            conn,
            actor=principal.subject,
            action="user.create",
            park_id=park_id,
            entity=f"user:{user_id}",
            payload={
                "email": email,
                "role": role,
                "tenant_id": tenant_id,
                "sealed": {"users": seal.seal_rows(conn, "users", [str(user_id)])},
            },
        )
        row = store.find_user(conn, user_id=user_id)
    assert row is not None
    return public_user(row)


def _admin_parks(principal: Principal) -> list[str] | None:
    if principal.role == "system":
        return None
    require(principal.role == "park_admin", principal, "manage users")
    return sorted(principal.park_ids)


def list_users(
    db: Database, principal: Principal, *, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Users the caller manages (park admins: their park's), and the total count."""
    with db.transaction() as conn:
        rows, total = store.list_users(conn, _admin_parks(principal), limit=limit, offset=offset)
    return [public_user(r) for r in rows], total


def set_user_active(
    db: Database, principal: Principal, user_id: int, active: bool
) -> dict[str, Any]:
    """Activate or deactivate a user; deactivation revokes every session; audited."""
    parks = _admin_parks(principal)
    with db.transaction() as conn:
        row = store.find_user(conn, user_id=user_id)
        if row is None or (parks is not None and row["park_id"] not in parks):
            raise NotFound(f"user {user_id} not found")
        store.set_user_fields(conn, user_id, active=active, failed_logins=0, locked_until=None)
        if not active:
            store.revoke_user_sessions(conn, user_id)
        audit.append(
            conn,
            actor=principal.subject,
            action="user.activate" if active else "user.deactivate",
            park_id=row["park_id"],
            entity=f"user:{user_id}",
            payload={
                "email": row["email"],
                "active": active,
                "sealed": {"users": seal.seal_rows(conn, "users", [str(user_id)])},
            },
        )
        row = store.find_user(conn, user_id=user_id)
    assert row is not None
    if not active:  # after the commit, so no request can cache the old session again
        email = row["email"]
        _forget(lambda key, p: key[0] == db.url and p.subject == email and p.role != "gateway")
    return public_user(row)


def login(db: Database, email: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a password and open a session; counts failures and locks the account."""
    now = now or datetime.now(UTC)
    failed = AuthenticationFailed(t("邮箱或密码错误", "wrong email or password"))
    with db.transaction() as conn:
        user = store.find_user(conn, email=email)
        if user is None:
            verify_password(_DUMMY_HASH, password)  # same work for unknown accounts
            raise failed
        locked = user["locked_until"]
        if locked is not None and locked > now:
            raise AuthenticationFailed(
                t(
                    f"连续登录失败次数过多, 账户锁定至 {locked.isoformat(timespec='seconds')}",
                    "too many failed logins: the account is locked until "
                    + locked.isoformat(timespec="seconds"),
                )
            )
        if not verify_password(user["password_hash"], password) or not user["active"]:
            lock = now + LOCKOUT if user["failed_logins"] + 1 >= MAX_FAILURES else None
            store.record_login_failure(conn, user["id"], lock)
        else:
            store.record_login_success(conn, user["id"])
            token = SESSION_PREFIX + secrets.token_urlsafe(32)
            expires = now + TOKEN_TTL
            store.insert_session(conn, _sha(token), user["id"], expires)
            return LoginResult(token, expires, public_user(user))
    raise failed


def logout(db: Database, token: str) -> None:
    """Revoke the session of ``token`` (no error when it is unknown or already revoked)."""
    digest = _sha(token)
    with db.transaction() as conn:
        store.revoke_session(conn, digest)
    _forget(lambda key, _principal: key == (db.url, digest))


# -- token → principal cache -------------------------------------------------------------------

#: (db url, token sha256) → (principal, cache deadline [monotonic s], session expiry or None)
_principals: dict[tuple[str, str], tuple[Principal, float, datetime | None]] = {}
_principals_lock = threading.Lock()
_PRINCIPALS_MAX = 10_000


def _remember(db: Database, digest: str, principal: Principal, expires: datetime | None) -> None:
    with _principals_lock:
        if len(_principals) >= _PRINCIPALS_MAX:
            _principals.clear()
        deadline = time.monotonic() + PRINCIPAL_TTL.total_seconds()
        _principals[(db.url, digest)] = (principal, deadline, expires)


def _forget(match: Callable[[tuple[str, str], Principal], bool]) -> None:
    """Drop cached principals for which ``match(key, principal)`` holds."""
    with _principals_lock:
        for key in [k for k, v in _principals.items() if match(k, v[0])]:
            del _principals[key]


def cached_principal(db: Database, token: str) -> Principal | None:
    """The principal of ``token`` if resolved within :data:`PRINCIPAL_TTL` (no query), else None."""
    found = _principals.get((db.url, _sha(token)))
    if found is None:
        return None
    principal, deadline, expires = found
    if time.monotonic() > deadline or (expires is not None and expires <= datetime.now(UTC)):
        return None
    return principal


def authenticate(db: Database, token: str, *, now: datetime | None = None) -> Principal:
    """The principal of a bearer token: a user session or a gateway key (cached when valid)."""
    now = now or datetime.now(UTC)
    digest = _sha(token)
    with db.transaction() as conn:
        if token.startswith(KEY_PREFIX):
            key = store.find_api_key(conn, digest)
            if key is None or key["revoked"]:
                raise AuthenticationFailed(t("API 密钥无效或已吊销", "invalid or revoked API key"))
            gateway = Principal(
                subject=f"apikey:{key['id']}:{key['name']}",
                role="gateway",
                park_ids=frozenset([key["park_id"]]),
                meter_ids=frozenset(key["meter_ids"]),
            )
            _remember(db, digest, gateway, None)
            return gateway
        session = store.find_session(conn, digest)
    if session is None or session["revoked"] or not session["active"]:
        raise AuthenticationFailed(t("登录已失效, 请重新登录", "invalid or revoked token"))
    if session["expires_at"] <= now:
        raise AuthenticationFailed(t("登录已过期, 请重新登录", "the token has expired"))
    principal = user_principal(session)
    _remember(db, digest, principal, session["expires_at"])
    return principal


def me(db: Database, principal: Principal) -> dict[str, Any]:
    """What the caller is: its user row, or the gateway key's scope."""
    if principal.role == "gateway":
        return {
            "email": None,
            "role": "gateway",
            "park_id": min(principal.park_ids),
            "tenant_id": None,
            "meter_ids": sorted(principal.meter_ids),
        }
    with db.transaction() as conn:
        row = store.find_user(conn, email=principal.subject)
    if row is None:
        raise NotFound("user not found")
    return public_user(row) | {"meter_ids": []}


def create_api_key(
    db: Database, principal: Principal, park_id: str, *, name: str, meter_ids: Sequence[str]
) -> ApiKeyCreated:
    """Create a gateway key bound to ``meter_ids`` of ``park_id``; the secret is shown once."""
    ids = sorted({m.strip() for m in meter_ids if m.strip()})
    if not ids:
        raise InputError(
            t("至少绑定一块表计", "bind the key to at least one meter"), field="meters"
        )
    if not name.strip():
        raise InputError(t("请填写名称", "give the key a name"), field="name")
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"manage API keys of {park_id!r}")
        ParkRepository(conn, Principal.system()).get_park(park_id)
        unknown = sorted(set(ids) - set(meter_refs(conn, park_id, ids)))
        if unknown:
            raise InputError(
                f"no meter(s) {', '.join(unknown)} in park {park_id!r}", field="meters"
            )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        key_id = store.insert_api_key(
            conn,
            key_sha256=_sha(key),
            name=name.strip(),
            park_id=park_id,
            meter_ids=ids,
            created_by=principal.subject,
        )
        audit.append(
            conn,
            actor=principal.subject,
            action="apikey.create",
            park_id=park_id,
            entity=f"apikey:{key_id}",
            payload={
                "name": name.strip(),
                "meter_ids": ids,
                "sealed": {"api_keys": seal.seal_rows(conn, "api_keys", [str(key_id)])},
            },
        )
        info = next(k for k in store.list_api_keys(conn, park_id) if k["id"] == key_id)
    return ApiKeyCreated(key, info)


def list_api_keys(db: Database, principal: Principal, park_id: str) -> list[dict[str, Any]]:
    """The gateway keys of a park (admins of the park)."""
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"manage API keys of {park_id!r}")
        return store.list_api_keys(conn, park_id)


def revoke_api_key(db: Database, principal: Principal, park_id: str, key_id: int) -> None:
    """Revoke a gateway key of a park; audited."""
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"manage API keys of {park_id!r}")
        if not store.revoke_api_key(conn, park_id, key_id):
            raise NotFound(f"API key {key_id} not found")
        audit.append(
            conn,
            actor=principal.subject,
            action="apikey.revoke",
            park_id=park_id,
            entity=f"apikey:{key_id}",
            payload={
                "id": key_id,
                "sealed": {"api_keys": seal.seal_rows(conn, "api_keys", [str(key_id)])},
            },
        )
    prefix = f"apikey:{key_id}:"
    _forget(lambda key, p: key[0] == db.url and p.subject.startswith(prefix))


def ensure_demo_accounts(db: Database, park_id: str) -> list[tuple[str, str, str | None, str]]:
    """Create the demo park's accounts once; ``(email, role, tenant, password)`` of each.

    The passwords are fixed and printed by ``zeropark demo``: never use them outside a demo.
    """
    system = Principal.system("zeropark-demo")
    with db.transaction() as conn:
        tenants = [t_["id"] for t_ in ParkRepository(conn, system).section(park_id, "tenants")]
    wanted: list[tuple[str, str, str | None, str]] = [
        ("admin@demo.zeropark.dev", "park_admin", None, "demo-admin-pass"),
        ("regulator@demo.zeropark.dev", "regulator", None, "demo-regulator-pass"),
        ("auditor@demo.zeropark.dev", "auditor", None, "demo-auditor-pass"),
    ]
    if tenants:
        wanted.append(("tenant@demo.zeropark.dev", "tenant", tenants[0], "demo-tenant-pass"))
    for email, role, tenant, password in wanted:
        with db.transaction() as conn:
            exists = store.find_user(conn, email=email) is not None
        if not exists:
            create_user(
                db,
                system,
                email=email,
                password=password,
                role=role,
                park_id=park_id,
                tenant_id=tenant,
            )
    return wanted
