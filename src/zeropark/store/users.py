"""Users, login sessions and gateway API keys in the database.

These functions take a connection and do no access checks: :mod:`zeropark.service.auth` decides
who may call them (a park admin manages the users and keys of its own park). Only SHA-256 digests
of tokens and keys are stored, never the secrets themselves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, or_, select, update

from zeropark.store.engine import clock_of
from zeropark.store.schema import api_keys, sessions, users

__all__ = [
    "claim_login_attempt",
    "count_active_admins",
    "count_users",
    "find_api_key",
    "find_session",
    "find_user",
    "insert_api_key",
    "insert_session",
    "insert_user",
    "list_api_keys",
    "list_users",
    "lock_park_admins",
    "record_login_failure",
    "record_login_success",
    "revoke_api_key",
    "revoke_session",
    "revoke_user_sessions",
    "set_user_fields",
]


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were written in UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _user(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    out["locked_until"] = _utc(out.get("locked_until"))
    out["created_at"] = _utc(out.get("created_at"))
    return out


def insert_user(
    conn: Connection,
    *,
    email: str,
    password_hash: str,
    role: str,
    park_id: str | None,
    tenant_id: str | None,
) -> int:
    """Insert a user; returns its id."""
    result = conn.execute(
        users.insert().values(
            email=email,
            password_hash=password_hash,
            role=role,
            park_id=park_id,
            tenant_id=tenant_id,
            active=True,
            failed_logins=0,
            created_at=clock_of(conn).now(),
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def find_user(
    conn: Connection, *, email: str | None = None, user_id: int | None = None
) -> dict[str, Any] | None:
    """One user by email (case-insensitive) or id, or None."""
    query = select(users)
    if email is not None:
        query = query.where(func.lower(users.c.email) == email.strip().lower())
    if user_id is not None:
        query = query.where(users.c.id == user_id)
    row = conn.execute(query).first()
    return _user(row) if row is not None else None


def list_users(
    conn: Connection, park_ids: Sequence[str] | None, *, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Users of ``park_ids`` (all users when None), by id, and their total count."""
    cond = [] if park_ids is None else [users.c.park_id.in_(list(park_ids))]
    total = conn.execute(select(func.count()).select_from(users).where(*cond)).scalar_one()
    rows = conn.execute(select(users).where(*cond).order_by(users.c.id).limit(limit).offset(offset))
    return [_user(r) for r in rows], int(total)


def count_users(conn: Connection) -> int:
    """How many users exist."""
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def set_user_fields(conn: Connection, user_id: int, **values: Any) -> None:
    """Change columns of one user."""
    conn.execute(update(users).where(users.c.id == user_id).values(**values))


def claim_login_attempt(
    conn: Connection,
    email: str,
    *,
    now: datetime,
    window_start: datetime,
    max_attempts: int,
) -> dict[str, Any] | None:
    """Count one login attempt of ``email`` before its password is checked; the user, or None.

    One conditional ``UPDATE … RETURNING``, so the database decides and parallel attempts cannot
    all pass: the attempt is counted (and the row returned) only when the account is not locked
    (``locked_until`` unset or past ``now``) and fewer than ``max_attempts`` were counted since
    ``failed_since``. A window that began before ``window_start``, or ended by a lock that has
    expired, starts again at ``now`` with this attempt. None: no such user, or no attempt left —
    the caller cannot tell which, and must not.
    """
    fresh = or_(
        users.c.failed_since.is_(None),
        users.c.failed_since <= window_start,
        users.c.locked_until.is_not(None),  # the lock the WHERE below let through has expired
    )
    row = conn.execute(
        update(users)
        .where(
            func.lower(users.c.email) == email.strip().lower(),
            or_(users.c.locked_until.is_(None), users.c.locked_until <= now),
            or_(fresh, users.c.failed_logins < max_attempts),
        )
        .values(
            failed_logins=case((fresh, 1), else_=users.c.failed_logins + 1),
            failed_since=case((fresh, now), else_=users.c.failed_since),
            locked_until=None,
        )
        .returning(*users.c)
    ).first()
    return _user(row) if row is not None else None


def record_login_failure(
    conn: Connection, user_id: int, *, max_attempts: int, lock_count: int, locked_until: datetime
) -> bool:
    """After a wrong password: lock the account until ``locked_until`` if its window is used up.

    Locks only when ``max_attempts`` attempts were counted, no lock was set since, and the run of
    locks is still ``lock_count`` long (as read when the attempt was claimed); whether it locked.
    """
    result = conn.execute(
        update(users)
        .where(
            users.c.id == user_id,
            users.c.failed_logins >= max_attempts,
            users.c.locked_until.is_(None),
            users.c.lock_count == lock_count,
        )
        .values(locked_until=locked_until, lock_count=lock_count + 1)
    )
    return bool(result.rowcount)


def record_login_success(conn: Connection, user_id: int) -> None:
    """After a good password: forget the failures and the run of locks — unless it is locked.

    A lock set meanwhile (by the wrong attempts of the same burst) stays.
    """
    conn.execute(
        update(users)
        .where(users.c.id == user_id, users.c.locked_until.is_(None))
        .values(failed_logins=0, failed_since=None, lock_count=0)
    )


def lock_park_admins(conn: Connection, park_id: str) -> None:
    """Serialise changes to a park's admins until the transaction ends.

    A no-op ``UPDATE`` of their rows takes PostgreSQL's row locks and SQLite's write lock, so the
    count that follows (:func:`count_active_admins`) cannot be raced by a concurrent change.
    """
    conn.execute(
        update(users)
        .where(users.c.park_id == park_id, users.c.role == "park_admin")
        .values(active=users.c.active)
    )


def count_active_admins(conn: Connection, park_id: str, *, excluding: int | None = None) -> int:
    """How many active park admins ``park_id`` has (leaving out user ``excluding``)."""
    cond = [users.c.park_id == park_id, users.c.role == "park_admin", users.c.active.is_(True)]
    if excluding is not None:
        cond.append(users.c.id != excluding)
    return int(conn.execute(select(func.count()).select_from(users).where(*cond)).scalar_one())


def insert_session(conn: Connection, token_sha256: str, user_id: int, expires_at: datetime) -> None:
    """Store a login session by the SHA-256 of its token."""
    conn.execute(
        sessions.insert().values(
            token_sha256=token_sha256,
            user_id=user_id,
            expires_at=expires_at,
            revoked=False,
            created_at=clock_of(conn).now(),
        )
    )


def find_session(conn: Connection, token_sha256: str) -> dict[str, Any] | None:
    """A session and its user's columns (``user_*``), or None."""
    row = conn.execute(
        select(
            sessions.c.expires_at,
            sessions.c.revoked,
            users.c.id.label("user_id"),
            users.c.email,
            users.c.role,
            users.c.park_id,
            users.c.tenant_id,
            users.c.active,
        )
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_sha256 == token_sha256)
    ).first()
    if row is None:
        return None
    out = dict(row._mapping)
    out["expires_at"] = _utc(out["expires_at"])
    return out


def revoke_session(conn: Connection, token_sha256: str) -> int:
    """Revoke one session; returns how many were revoked (0 or 1)."""
    result = conn.execute(
        update(sessions).where(sessions.c.token_sha256 == token_sha256).values(revoked=True)
    )
    return int(result.rowcount)


def revoke_user_sessions(conn: Connection, user_id: int) -> int:
    """Revoke every session of a user; returns how many."""
    result = conn.execute(
        update(sessions)
        .where(sessions.c.user_id == user_id, sessions.c.revoked.is_(False))
        .values(revoked=True)
    )
    return int(result.rowcount)


def _key(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    ids = out.get("meter_ids")
    out["meter_ids"] = sorted(json.loads(ids) if isinstance(ids, str) else ids or [])
    out["created_at"] = _utc(out.get("created_at"))
    out.pop("key_sha256", None)
    return out


def insert_api_key(
    conn: Connection,
    *,
    key_sha256: str,
    name: str,
    park_id: str,
    meter_ids: Sequence[str],
    created_by: str,
) -> int:
    """Store a gateway key by its SHA-256; returns its id."""
    result = conn.execute(
        api_keys.insert().values(
            key_sha256=key_sha256,
            name=name,
            park_id=park_id,
            meter_ids=sorted(meter_ids),
            revoked=False,
            created_by=created_by,
            created_at=clock_of(conn).now(),
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def find_api_key(conn: Connection, key_sha256: str) -> dict[str, Any] | None:
    """A key by its SHA-256 (revoked ones included), or None."""
    row = conn.execute(select(api_keys).where(api_keys.c.key_sha256 == key_sha256)).first()
    return _key(row) if row is not None else None


def list_api_keys(conn: Connection, park_id: str) -> list[dict[str, Any]]:
    """The keys of a park (without their digests), by id."""
    rows = conn.execute(
        select(api_keys).where(api_keys.c.park_id == park_id).order_by(api_keys.c.id)
    )
    return [_key(r) for r in rows]


def revoke_api_key(conn: Connection, park_id: str, key_id: int) -> int:
    """Revoke a key of a park; returns how many were revoked (0 or 1)."""
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.park_id == park_id, api_keys.c.id == key_id)
        .values(revoked=True)
    )
    return int(result.rowcount)
