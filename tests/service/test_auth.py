"""Identity: argon2 passwords, expiring and revocable tokens, lock-out, API keys, user admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.parkdata import OTHER, PARK, SYSTEM, build_world
from zeropark.domain.access import Principal
from zeropark.errors import InputError, NotFound, PermissionDenied
from zeropark.service import auth
from zeropark.service.database import Database

PASSWORD = "a-good-password"


@pytest.fixture
def world_db(sqlite_db: Database) -> Database:
    build_world(sqlite_db, users=False)
    auth.create_user(
        sqlite_db, SYSTEM, email="Admin@P.test", password=PASSWORD, role="park_admin",
        park_id=PARK,
    )  # fmt: skip
    return sqlite_db


def test_password_is_hashed_with_argon2(world_db: Database) -> None:
    from sqlalchemy import select

    from zeropark.store.schema import users

    with world_db.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_gives_a_principal_scoped_to_the_park(world_db: Database) -> None:
    result = auth.login(world_db, "admin@p.test", PASSWORD)
    principal = auth.authenticate(world_db, result.token)
    assert principal.role == "park_admin" and principal.park_ids == {PARK}
    assert result.expires_at - datetime.now(UTC) <= auth.TOKEN_TTL


def test_token_expires(world_db: Database) -> None:
    result = auth.login(world_db, "admin@p.test", PASSWORD)
    later = result.expires_at + timedelta(seconds=1)
    with pytest.raises(auth.AuthenticationFailed, match="expired"):
        auth.authenticate(world_db, result.token, now=later)


def test_logout_revokes_the_token(world_db: Database) -> None:
    result = auth.login(world_db, "admin@p.test", PASSWORD)
    auth.logout(world_db, result.token)
    with pytest.raises(auth.AuthenticationFailed):
        auth.authenticate(world_db, result.token)


def test_lock_out_after_repeated_failures(world_db: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthenticationFailed, match="wrong"):
            auth.login(world_db, "admin@p.test", "nope-nope", now=now)
    with pytest.raises(auth.AuthenticationFailed, match="locked"):
        auth.login(world_db, "admin@p.test", PASSWORD, now=now)
    unlocked = auth.login(world_db, "admin@p.test", PASSWORD, now=now + auth.LOCKOUT)
    assert unlocked.token


def test_unknown_user_and_wrong_password_read_the_same(world_db: Database) -> None:
    with pytest.raises(auth.AuthenticationFailed) as unknown:
        auth.login(world_db, "ghost@p.test", PASSWORD)
    with pytest.raises(auth.AuthenticationFailed) as wrong:
        auth.login(world_db, "admin@p.test", "wrong-password")
    assert str(unknown.value) == str(wrong.value)


def test_deactivation_revokes_sessions(world_db: Database) -> None:
    token = auth.login(world_db, "admin@p.test", PASSWORD).token
    user_id = auth.list_users(world_db, SYSTEM)[0][0]["id"]
    auth.set_user_active(world_db, SYSTEM, user_id, False)
    with pytest.raises(auth.AuthenticationFailed):
        auth.authenticate(world_db, token)


def test_park_admin_manages_only_its_park(world_db: Database) -> None:
    admin = auth.authenticate(world_db, auth.login(world_db, "admin@p.test", PASSWORD).token)
    created = auth.create_user(
        world_db, admin, email="t@p.test", password=PASSWORD, role="tenant", park_id=PARK,
        tenant_id="t_chem",
    )  # fmt: skip
    assert created["tenant_id"] == "t_chem"
    with pytest.raises(PermissionDenied):
        auth.create_user(
            world_db, admin, email="x@o.test", password=PASSWORD, role="auditor", park_id=OTHER
        )
    with pytest.raises(InputError):
        auth.create_user(
            world_db, admin, email="y@p.test", password="short", role="auditor", park_id=PARK
        )
    tenant = Principal("t@p.test", "tenant", frozenset([PARK]), tenant_id="t_chem")
    with pytest.raises(PermissionDenied):
        auth.list_users(world_db, tenant)
    other = auth.create_user(
        world_db, SYSTEM, email="o@o.test", password=PASSWORD, role="auditor", park_id=OTHER
    )
    with pytest.raises(NotFound):
        auth.set_user_active(world_db, admin, other["id"], False)


def test_api_key_is_bound_and_revocable(world_db: Database) -> None:
    created = auth.create_api_key(world_db, SYSTEM, PARK, name="gw", meter_ids=["e_mall"])
    principal = auth.authenticate(world_db, created.key)
    assert principal.role == "gateway" and principal.meter_ids == {"e_mall"}
    assert principal.can_write_reading(PARK, "e_mall")
    assert not principal.can_write_reading(PARK, "e_chem")
    assert not principal.can_read_park(PARK)
    auth.revoke_api_key(world_db, SYSTEM, PARK, created.info["id"])
    with pytest.raises(auth.AuthenticationFailed):
        auth.authenticate(world_db, created.key)
    with pytest.raises(InputError, match="no meter"):
        auth.create_api_key(world_db, SYSTEM, PARK, name="gw", meter_ids=["nope"])


def test_demo_accounts_are_deterministic(world_db: Database) -> None:
    first = auth.ensure_demo_accounts(world_db, PARK)
    again = auth.ensure_demo_accounts(world_db, PARK)
    assert first == again
    for email, role, _tenant, password in first:
        token = auth.login(world_db, email, password).token
        assert auth.authenticate(world_db, token).role == role
