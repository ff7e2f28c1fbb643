"""Identity and access: users, login sessions, lock-out, gateway API keys (DESIGN.md §1, §7).

- Passwords are hashed with argon2 (argon2-cffi defaults, RFC 9106 low-memory profile) and must
  meet the policy of :mod:`zeropark.service.credentials`.
- Login gives an opaque random token (``zps_…``); only its SHA-256 is stored, with an expiry.
  Logout revokes it; deactivating a user revokes all of theirs. No one can deactivate themselves
  or the last active admin of a park.
- Logins are throttled per client address first (:mod:`zeropark.service.login_throttle`), then
  counted per account in the database (:class:`LoginPolicy`): each attempt is counted *before*
  its password is checked, by one conditional UPDATE, so parallel attempts get no more checks
  than the policy allows; then the account is locked for a short time that doubles with each lock
  in a row. Unknown, wrong, inactive and locked all answer alike after one argon2 verification.
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
from sqlalchemy import Connection

from zeropark.config import Settings
from zeropark.domain.access import Principal
from zeropark.errors import AuthenticationFailed, Conflict, InputError, NotFound
from zeropark.i18n import t
from zeropark.service.credentials import check_password, normalise_email
from zeropark.service.database import Database
from zeropark.service.login_throttle import LoginThrottle
from zeropark.store import audit, seal
from zeropark.store import users as store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import meter_refs
from zeropark.store.scope import require

__all__ = [
    "PRINCIPAL_TTL",
    "TOKEN_TTL",
    "USER_ROLES",
    "ApiKeyCreated",
    "AuthenticationFailed",
    "LoginPolicy",
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
    "login_throttle",
    "logout",
    "manages_users",
    "require_key_admin",
    "require_user_admin",
    "revoke_api_key",
    "set_user_active",
    "set_user_role",
    "user_principal",
    "verify_password",
]

TOKEN_TTL = timedelta(hours=12)
USER_ROLES = ("park_admin", "tenant", "regulator", "auditor")
SESSION_PREFIX = "zps_"
KEY_PREFIX = "zpk_"

#: How long a resolved token is trusted without a query (other processes' revocations lag this).
PRINCIPAL_TTL = timedelta(seconds=30)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("zeropark-dummy-password")


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """The per-account lock-out: attempts per window, and the lock that follows.

    At most ``account_failures`` passwords of one account are checked per ``window`` (counted
    from the window's first attempt; a good login starts over); the attempt that uses the last one
    and fails locks the account for ``lock``, doubled for each lock in a row (a good login ends the
    run), at most ``lock_max``. Keep ``account_failures`` above the per-source allowance
    (``login_source_failures``, over the same window) so that one source alone cannot lock anyone.
    """

    account_failures: int = 30
    window: timedelta = timedelta(minutes=15)
    lock: timedelta = timedelta(minutes=1)
    lock_max: timedelta = timedelta(minutes=15)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        """The policy of the ``ZEROPARK_LOGIN_*`` settings."""
        return cls(
            account_failures=settings.login_account_failures,
            window=timedelta(seconds=settings.login_window_s),
            lock=timedelta(seconds=settings.login_lock_s),
            lock_max=timedelta(seconds=settings.login_lock_max_s),
        )

    def lock_for(self, locks_in_a_row: int) -> timedelta:
        """How long the next lock lasts after ``locks_in_a_row`` earlier ones."""
        doubled: timedelta = self.lock * (1 << min(locks_in_a_row, 20))
        return min(doubled, self.lock_max)


def login_throttle(settings: Settings) -> LoginThrottle:
    """The per-source throttle of the ``ZEROPARK_LOGIN_*`` settings."""
    return LoginThrottle(settings.login_source_failures, float(settings.login_window_s))


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


def hash_password(password: str, *, email: str | None = None) -> str:
    """The argon2 hash of a password that meets the policy (:func:`check_password`)."""
    check_password(password, email=email)
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
    """Create a user of ``park_id`` (park admins of that park, or the local operator); audited.

    Who may is checked before what is asked: a caller who may not manage users learns nothing
    from the validation of the fields.
    """
    require_user_admin(principal)
    require(principal.can_configure(park_id), principal, f"manage users of {park_id!r}")
    email = normalise_email(email)
    if role not in USER_ROLES:
        raise InputError(f"role must be one of {', '.join(USER_ROLES)}", field="role")
    if (role == "tenant") != (tenant_id is not None):
        raise InputError(
            t("租户用户需要且仅需要企业编号", "a tenant user needs a tenant id, others none"),
            field="tenant_id",
        )
    password_hash = hash_password(password, email=email)
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)  # an admin of the park: it reads every tenant
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


def manages_users(principal: Principal) -> bool:
    """Whether the caller's role manages users (no query)."""
    return principal.role in ("system", "park_admin")


def require_user_admin(principal: Principal) -> None:
    """Raise :class:`PermissionDenied` unless the caller's role manages users (no query)."""
    require(manages_users(principal), principal, "manage users")


def require_key_admin(principal: Principal, park_id: str) -> None:
    """Raise unless the caller manages the API keys of ``park_id`` (no query).

    A park the caller cannot see is :class:`NotFound`, as if it did not exist.
    """
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    require(principal.can_configure(park_id), principal, f"manage API keys of {park_id!r}")


def _admin_parks(principal: Principal) -> list[str] | None:
    require_user_admin(principal)
    return None if principal.role == "system" else sorted(principal.park_ids)


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
    """Activate or deactivate a user; deactivation revokes every session; audited.

    Refused (:class:`Conflict`) for the caller's own account and for the last active admin of a
    park: no park can be left without someone to manage it. The park's admins are locked for the
    check, so two admins deactivating each other at once cannot both succeed.
    """
    parks = _admin_parks(principal)
    with db.transaction() as conn:
        row = store.find_user(conn, user_id=user_id)
        if row is None or (parks is not None and row["park_id"] not in parks):
            raise NotFound(f"user {user_id} not found")
        if not active:
            _check_deactivation(conn, principal, row)
        store.set_user_fields(
            conn,
            user_id,
            active=active,
            failed_logins=0,
            locked_until=None,
            failed_since=None,
            lock_count=0,
        )
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


def set_user_role(
    db: Database, principal: Principal, user_id: int, role: str, tenant_id: str | None
) -> dict[str, Any]:
    """Change a user's role (and company, for the tenant role); revokes the user's sessions so
    the new permissions apply at the next login; audited (``user.role``, sealed row).

    Refused like a deactivation (:class:`Conflict`) for the caller's own account and for the
    park's last active admin; a tenant user needs a company of the park, other roles none.
    """
    if role not in USER_ROLES:
        raise InputError(f"role must be one of {', '.join(USER_ROLES)}", field="role")
    if (role == "tenant") != (tenant_id is not None):
        raise InputError(
            t("租户用户需要且仅需要企业编号", "a tenant user needs a tenant id, others none"),
            field="tenant_id",
        )
    parks = _admin_parks(principal)
    with db.transaction() as conn:
        row = store.find_user(conn, user_id=user_id)
        if row is None or (parks is not None and row["park_id"] not in parks):
            raise NotFound(f"user {user_id} not found")
        if role != row["role"]:
            _check_deactivation(conn, principal, row)
        park_id = row["park_id"]
        if tenant_id is not None and tenant_id not in {
            t_["id"] for t_ in ParkRepository(conn, principal).section(park_id, "tenants")
        }:
            raise InputError(f"no tenant {tenant_id!r} in park {park_id!r}", field="tenant_id")
        store.set_user_fields(conn, user_id, role=role, tenant_id=tenant_id)
        store.revoke_user_sessions(conn, user_id)
        audit.append(
            conn,
            actor=principal.subject,
            action="user.role",
            park_id=park_id,
            entity=f"user:{user_id}",
            payload={
                "email": row["email"],
                "from": {"role": row["role"], "tenant_id": row["tenant_id"]},
                "to": {"role": role, "tenant_id": tenant_id},
                "sealed": {"users": seal.seal_rows(conn, "users", [str(user_id)])},
            },
        )
        row = store.find_user(conn, user_id=user_id)
    assert row is not None
    email = row["email"]
    _forget(lambda key, p: key[0] == db.url and p.subject == email and p.role != "gateway")
    return public_user(row)


def _check_deactivation(conn: Connection, principal: Principal, row: dict[str, Any]) -> None:
    """Raise :class:`Conflict` if deactivating the user of ``row`` is refused."""
    if principal.role != "system" and row["email"] == principal.subject.lower():
        raise Conflict(
            t(
                "不能停用自己的账户, 请由另一位管理员操作",
                "you cannot deactivate your own account: ask another admin",
            )
        )
    park_id = row["park_id"]
    if row["role"] != "park_admin" or park_id is None:
        return
    store.lock_park_admins(conn, park_id)
    current = store.find_user(conn, user_id=row["id"])
    still_active = current is not None and current["active"]
    if still_active and store.count_active_admins(conn, park_id, excluding=row["id"]) == 0:
        raise Conflict(
            t(
                f"不能停用园区 {park_id} 最后一位在用的管理员, 请先添加另一位管理员",
                f"cannot deactivate the last active admin of park {park_id}: "
                "add another admin first",
            )
        )


def login(
    db: Database,
    email: str,
    password: str,
    *,
    policy: LoginPolicy | None = None,
    throttle: LoginThrottle | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check a password and open a session (see the module doc for the lock-out).

    ``throttle`` counts the failures of the client address ``source`` and refuses it
    (:class:`RateLimited`) before anything else once it has too many. Every other refusal is the
    same :class:`AuthenticationFailed`, after exactly one argon2 verification.
    """
    reservation = throttle.reserve(source) if throttle is not None else None
    try:
        result = _login(db, email, password, policy or LoginPolicy(), now or db.clock.now())
    except AuthenticationFailed:
        raise  # the reserved failure stays counted
    except BaseException:
        if throttle is not None and reservation is not None:
            throttle.release(reservation)  # e.g. the database is down: not the caller's failure
        raise
    if throttle is not None and reservation is not None:
        throttle.release(reservation)
    return result


def _login(
    db: Database, email: str, password: str, policy: LoginPolicy, now: datetime
) -> LoginResult:
    now = now.astimezone(UTC)
    failed = AuthenticationFailed(t("邮箱或密码错误", "wrong email or password"))
    with db.transaction() as conn:
        user = store.claim_login_attempt(
            conn,
            email,
            now=now,
            window_start=now - policy.window,
            max_attempts=policy.account_failures,
        )
    if user is None:  # unknown, or no attempt left (locked): the same work and answer as wrong
        verify_password(_DUMMY_HASH, password)
        raise failed
    if not verify_password(user["password_hash"], password) or not user["active"]:
        with db.transaction() as conn:
            store.record_login_failure(
                conn,
                user["id"],
                max_attempts=policy.account_failures,
                lock_count=user["lock_count"],
                locked_until=now + policy.lock_for(user["lock_count"]),
            )
        raise failed
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    expires = now + TOKEN_TTL
    with db.transaction() as conn:
        store.record_login_success(conn, user["id"])
        store.insert_session(conn, _sha(token), user["id"], expires)
    return LoginResult(token, expires, public_user(user))


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
    if time.monotonic() > deadline or (expires is not None and expires <= db.clock.now()):
        return None
    return principal


def authenticate(db: Database, token: str, *, now: datetime | None = None) -> Principal:
    """The principal of a bearer token: a user session or a gateway key (cached when valid)."""
    now = now or db.clock.now()
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
    require_key_admin(principal, park_id)
    ids = sorted({m.strip() for m in meter_ids if m.strip()})
    if not ids:
        raise InputError(
            t("至少绑定一块表计", "bind the key to at least one meter"), field="meters"
        )
    if not name.strip():
        raise InputError(t("请填写名称", "give the key a name"), field="name")
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        unknown = sorted(set(ids) - set(meter_refs(conn, principal, park_id, ids)))
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
    require_key_admin(principal, park_id)
    with db.transaction() as conn:
        return store.list_api_keys(conn, park_id)


def revoke_api_key(db: Database, principal: Principal, park_id: str, key_id: int) -> None:
    """Revoke a gateway key of a park; audited."""
    require_key_admin(principal, park_id)
    with db.transaction() as conn:
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
