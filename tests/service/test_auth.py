"""Identity: argon2 passwords, expiring and revocable tokens, lock-out, API keys, user admin."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from tests.api.parkdata import OTHER, PARK, SYSTEM, build_world
from zeropark.domain.access import Principal
from zeropark.errors import Conflict, InputError, NotFound, PermissionDenied, RateLimited
from zeropark.service import auth
from zeropark.service.database import Database
from zeropark.service.login_throttle import LoginThrottle, source_key

PASSWORD = "a-good-password"


@pytest.fixture
def world_db(db: Database) -> Database:
    build_world(db, users=False)
    auth.create_user(
        db, SYSTEM, email="Admin@P.test", password=PASSWORD, role="park_admin",
        park_id=PARK,
    )  # fmt: skip
    return db


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


POLICY = auth.LoginPolicy(
    account_failures=3, window=timedelta(minutes=15), lock=timedelta(minutes=1),
    lock_max=timedelta(minutes=3),
)  # fmt: skip


def _fails(db: Database, email: str, password: str, now: datetime) -> None:
    with pytest.raises(auth.AuthenticationFailed, match="wrong email or password"):
        auth.login(db, email, password, policy=POLICY, now=now)


def test_lock_out_after_repeated_failures_grows_and_ends(world_db: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(POLICY.account_failures):
        _fails(world_db, "admin@p.test", "nope-nope", now)
    _fails(world_db, "admin@p.test", PASSWORD, now)  # locked: the right password reads as wrong
    # The first lock lasts one minute; three more failures lock it for two.
    later = now + POLICY.lock
    for _ in range(POLICY.account_failures):
        _fails(world_db, "admin@p.test", "nope-nope", later)
    _fails(world_db, "admin@p.test", PASSWORD, later + POLICY.lock)
    # A good login ends the run of locks: the next lock lasts one minute again.
    unlocked = later + 2 * POLICY.lock
    assert auth.login(world_db, "admin@p.test", PASSWORD, policy=POLICY, now=unlocked).token
    for _ in range(POLICY.account_failures):
        _fails(world_db, "admin@p.test", "nope-nope", unlocked)
    assert auth.login(
        world_db, "admin@p.test", PASSWORD, policy=POLICY, now=unlocked + POLICY.lock
    ).token


def test_lock_durations_double_up_to_the_cap() -> None:
    assert [POLICY.lock_for(n).total_seconds() for n in range(5)] == [60, 120, 180, 180, 180]


def test_failures_outside_the_window_do_not_add_up(world_db: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(POLICY.account_failures - 1):
        _fails(world_db, "admin@p.test", "nope-nope", now)
    after = now + POLICY.window + timedelta(seconds=1)
    for _ in range(POLICY.account_failures - 1):
        _fails(world_db, "admin@p.test", "nope-nope", after)
    assert auth.login(world_db, "admin@p.test", PASSWORD, policy=POLICY, now=after).token


class CountingHasher:
    """The real argon2 hasher, counting (thread-safely) which hashes ``verify`` was asked about."""

    def __init__(self, real: PasswordHasher) -> None:
        self.real = real
        self.verified: list[str] = []
        self._lock = threading.Lock()

    def verify(self, password_hash: str, password: str) -> bool:
        with self._lock:
            self.verified.append(password_hash)
        return self.real.verify(password_hash, password)

    def hash(self, password: str) -> str:
        return self.real.hash(password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


def test_unknown_wrong_inactive_and_locked_read_the_same_after_one_verification(
    world_db: Database, hasher: CountingHasher
) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    auth.create_user(
        world_db, SYSTEM, email="gone@p.test", password=PASSWORD, role="auditor", park_id=PARK
    )
    gone = next(u for u in auth.list_users(world_db, SYSTEM)[0] if u["email"] == "gone@p.test")
    auth.set_user_active(world_db, SYSTEM, gone["id"], False)
    messages = {}
    cases = {
        "unknown": ("ghost@p.test", PASSWORD),
        "wrong": ("admin@p.test", "wrong-password"),
        "inactive": ("gone@p.test", PASSWORD),
    }
    for name, (email, password) in cases.items():
        hasher.verified.clear()
        with pytest.raises(auth.AuthenticationFailed) as caught:
            auth.login(world_db, email, password, policy=POLICY, now=now)
        messages[name] = str(caught.value)
        assert len(hasher.verified) == 1, name
    for _ in range(POLICY.account_failures):
        _fails(world_db, "admin@p.test", "nope-nope", now)
    hasher.verified.clear()
    with pytest.raises(auth.AuthenticationFailed) as locked:
        auth.login(world_db, "admin@p.test", PASSWORD, policy=POLICY, now=now)
    messages["locked"] = str(locked.value)
    assert hasher.verified == [auth._DUMMY_HASH]  # the stored hash is never checked
    assert len(set(messages.values())) == 1, messages


def test_throttle_refuses_a_source_before_any_check(
    world_db: Database, hasher: CountingHasher
) -> None:
    clock = [1000.0]
    throttle = LoginThrottle(2, 60.0, clock_s=lambda: clock[0])
    for _ in range(2):
        with pytest.raises(auth.AuthenticationFailed):
            auth.login(world_db, "admin@p.test", "nope-nope", throttle=throttle, source="192.0.2.1")
    hasher.verified.clear()
    for email in ("admin@p.test", "ghost@p.test"):
        with pytest.raises(RateLimited) as refused:
            auth.login(world_db, email, PASSWORD, throttle=throttle, source="192.0.2.1")
        assert refused.value.retry_after_s == 60
    assert hasher.verified == []  # refused before the account is looked at
    # Another address is not affected; a good login gives its reservation back.
    for _ in range(3):
        assert auth.login(world_db, "admin@p.test", PASSWORD, throttle=throttle, source="192.0.2.2")
    assert throttle.failures("192.0.2.2") == 0
    clock[0] += 60.0
    assert auth.login(world_db, "admin@p.test", PASSWORD, throttle=throttle, source="192.0.2.1")


def test_throttle_counts_an_ipv6_network_as_one_source() -> None:
    throttle = LoginThrottle(1, 60.0)
    throttle.reserve("2001:db8:1:2::10")
    with pytest.raises(RateLimited):
        throttle.reserve("2001:db8:1:2:ffff::1")
    throttle.reserve("2001:db8:1:3::10")
    assert source_key("::ffff:192.0.2.7") == "192.0.2.7"


def test_throttle_memory_is_bounded() -> None:
    throttle = LoginThrottle(3, 60.0, max_sources=100)
    for i in range(1000):
        throttle.reserve(f"10.0.{i // 250}.{i % 250}")
    assert len(throttle._failures) == 100


def _user_id(db: Database, email: str) -> int:
    return next(u["id"] for u in auth.list_users(db, SYSTEM)[0] if u["email"] == email)


def test_deactivation_revokes_sessions(world_db: Database) -> None:
    auth.create_user(
        world_db, SYSTEM, email="second@p.test", password=PASSWORD, role="park_admin",
        park_id=PARK,
    )  # fmt: skip
    token = auth.login(world_db, "admin@p.test", PASSWORD).token
    auth.set_user_active(world_db, SYSTEM, _user_id(world_db, "admin@p.test"), False)
    with pytest.raises(auth.AuthenticationFailed):
        auth.authenticate(world_db, token)


def test_no_one_deactivates_themselves_or_the_last_admin_of_a_park(world_db: Database) -> None:
    admin = auth.authenticate(world_db, auth.login(world_db, "admin@p.test", PASSWORD).token)
    admin_id = _user_id(world_db, "admin@p.test")
    with pytest.raises(Conflict, match="your own account"):
        auth.set_user_active(world_db, admin, admin_id, False)
    with pytest.raises(Conflict, match="last active admin of park my_park"):
        auth.set_user_active(world_db, SYSTEM, admin_id, False)
    second = auth.create_user(
        world_db, admin, email="second@p.test", password=PASSWORD, role="park_admin",
        park_id=PARK,
    )  # fmt: skip
    assert not auth.set_user_active(world_db, admin, second["id"], False)["active"]
    with pytest.raises(Conflict, match="last active admin"):
        auth.set_user_active(world_db, SYSTEM, admin_id, False)
    auth.set_user_active(world_db, admin, second["id"], True)
    assert not auth.set_user_active(world_db, SYSTEM, admin_id, False)["active"]
    # Other roles and inactive admins are not counted: a tenant can always be deactivated.
    tenant = auth.create_user(
        world_db, SYSTEM, email="t@p.test", password=PASSWORD, role="tenant", park_id=PARK,
        tenant_id="t_chem",
    )  # fmt: skip
    assert not auth.set_user_active(world_db, SYSTEM, tenant["id"], False)["active"]


def _deactivate(
    db: Database, barrier: threading.Barrier, outcomes: list[str], who: Principal, whom: int
) -> None:
    barrier.wait()
    try:
        auth.set_user_active(db, who, whom, False)
        outcomes.append("done")
    except Conflict:
        outcomes.append("refused")


def test_two_admins_deactivating_each_other_at_once_leave_one(world_db: Database) -> None:
    emails = ("one@o.test", "two@o.test")
    for email in emails:
        auth.create_user(
            world_db, SYSTEM, email=email, password=PASSWORD, role="park_admin", park_id=OTHER
        )
    ids = [_user_id(world_db, e) for e in emails]
    principals = [Principal(email, "park_admin", frozenset([OTHER])) for email in emails]
    for _round in range(4):
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        threads = [
            threading.Thread(target=_deactivate, args=(world_db, barrier, outcomes, who, whom))
            for who, whom in ((principals[0], ids[1]), (principals[1], ids[0]))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["done", "refused"]
        users = {u["id"]: u for u in auth.list_users(world_db, SYSTEM)[0]}
        assert sum(users[i]["active"] for i in ids) == 1
        for i in ids:
            auth.set_user_active(world_db, SYSTEM, i, True)


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


def test_the_users_table_matches_its_migrations(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from zeropark.store.schema import metadata

    db.ensure_schema()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "'users'" in str(d) or "users." in str(d)] == []
