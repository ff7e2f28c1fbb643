"""Login under attack, through the real app with real threads, on SQLite and PostgreSQL.

Bursts of 40 logins are sent at once (a barrier releases 40 threads together); each request runs
in the app's thread pool, so the database and argon2 see them in parallel. argon2 verifications
are counted by wrapping the hasher (never by timing): which hash each check was against tells a
check of the account's password from a check of the dummy hash.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from tests.api.parkdata import PARK, SYSTEM
from zeropark.api import create_app
from zeropark.config import load_settings
from zeropark.service import auth
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store import users as user_store
from zeropark.store.parks import ParkRepository

PASSWORD = "correct-horse-battery"
ADMIN = "admin@p.test"
BURST = 40
LOGIN = "/api/v1/auth/login"


class CountingHasher:
    """The real argon2 hasher, recording (thread-safely) the hash each ``verify`` was against."""

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

    def real_checks(self) -> int:
        """Verifications against a stored password hash (not the dummy)."""
        return sum(h != auth._DUMMY_HASH for h in self.verified)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", counting)
    return counting


@pytest.fixture
def park_db(db: Database) -> Database:
    """A park with an admin and an inactive auditor."""
    spec = parse_park_text(park_template("mixed"), "mixed.yaml")
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
    auth.create_user(db, SYSTEM, email=ADMIN, password=PASSWORD, role="park_admin", park_id=PARK)
    gone = auth.create_user(
        db, SYSTEM, email="gone@p.test", password=PASSWORD, role="auditor", park_id=PARK
    )
    auth.set_user_active(db, SYSTEM, gone["id"], False)
    return db


@contextmanager
def app_client(db: Database, address: str = "203.0.113.1", **login: int) -> Iterator[TestClient]:
    """A client of a new app on ``db`` calling from ``address``, ``login_*`` settings set."""
    settings = load_settings(
        db_url=db.url, lang="en", **{f"login_{k}": v for k, v in login.items()}
    )
    with TestClient(create_app(settings, db, web=False), client=(address, 40000)) as client:
        yield client


@pytest.fixture
def client(park_db: Database) -> Iterator[TestClient]:
    """An app whose per-address throttle is out of the way: the account lock-out alone."""
    with app_client(park_db, source_failures=10_000, account_failures=5) as c:
        yield c


def burst(client: TestClient, bodies: list[dict[str, str]]) -> list[httpx.Response]:
    """POST every body to the login at the same moment, one thread each."""
    barrier = threading.Barrier(len(bodies))

    def send(body: dict[str, str]) -> httpx.Response:
        barrier.wait()
        return client.post(LOGIN, json=body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def _answer(response: httpx.Response) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
    """Status, body and every header: what a caller can compare."""
    return response.status_code, response.content, tuple(sorted(response.headers.items()))


def _locked(db: Database) -> bool:
    with db.transaction() as conn:
        user = user_store.find_user(conn, email=ADMIN)
    assert user is not None
    return user["locked_until"] is not None


def test_a_burst_of_wrong_passwords_checks_no_more_than_the_policy_allows(
    client: TestClient, park_db: Database, hasher: CountingHasher
) -> None:
    wrong = {"email": ADMIN, "password": "not-the-password"}
    answers = burst(client, [wrong] * BURST)
    assert {r.status_code for r in answers} == {401}
    assert len({_answer(r) for r in answers}) == 1  # one answer, byte for byte
    assert len(hasher.verified) == BURST  # every attempt did one argon2 verification ...
    assert hasher.real_checks() == 5  # ... but only five were of the account's password
    assert _locked(park_db)
    hasher.verified.clear()
    right = client.post(LOGIN, json={"email": ADMIN, "password": PASSWORD})
    assert _answer(right) == _answer(answers[0])  # locked reads exactly like wrong
    assert hasher.verified == [auth._DUMMY_HASH]


def test_the_right_password_in_a_burst_does_not_clear_the_lock(
    client: TestClient, park_db: Database, hasher: CountingHasher
) -> None:
    wrong = {"email": ADMIN, "password": "not-the-password"}
    bodies = [wrong] * (BURST - 1)
    bodies.insert(BURST // 2, {"email": ADMIN, "password": PASSWORD})
    answers = burst(client, bodies)
    assert sum(r.status_code == 200 for r in answers) <= 1
    # A good login resets the count at most once: two windows' worth of checks, never 40.
    assert hasher.real_checks() <= 2 * 5
    assert _locked(park_db)
    after = client.post(LOGIN, json={"email": ADMIN, "password": PASSWORD})
    assert after.status_code == 401


def test_unknown_wrong_inactive_and_locked_answer_alike_after_one_verification(
    client: TestClient, hasher: CountingHasher
) -> None:
    attempts = {
        "unknown": {"email": "ghost@p.test", "password": PASSWORD},
        "wrong": {"email": ADMIN, "password": "not-the-password"},
        "inactive": {"email": "gone@p.test", "password": PASSWORD},
    }
    answers = {}
    for name, body in attempts.items():
        hasher.verified.clear()
        answers[name] = _answer(client.post(LOGIN, json=body))
        assert len(hasher.verified) == 1, name
    for _ in range(4):  # the account's fifth attempt was the wrong one above
        client.post(LOGIN, json=attempts["wrong"])
    hasher.verified.clear()
    answers["locked"] = _answer(client.post(LOGIN, json={"email": ADMIN, "password": PASSWORD}))
    assert hasher.verified == [auth._DUMMY_HASH]
    assert len(set(answers.values())) == 1, answers
    status, body, headers = answers["unknown"]
    assert status == 401 and ("www-authenticate", "Bearer") in headers
    assert b"wrong email or password" in body


def test_one_address_cannot_lock_an_account(park_db: Database, hasher: CountingHasher) -> None:
    """Default policy: 10 failures per address per 15 min, 30 attempts per account."""
    with app_client(park_db, "198.51.100.66") as client:
        bodies = [
            {"email": ADMIN if i % 2 else "ghost@p.test", "password": "not-the-password"}
            for i in range(BURST)
        ]
        answers = burst(client, bodies)
        refused = [r for r in answers if r.status_code == 429]
        assert sum(r.status_code == 401 for r in answers) == 10
        assert len(refused) == BURST - 10
        assert len(hasher.verified) == 10  # a refused address costs no argon2 work
        # The refusal says nothing of the account: the same for a known and an unknown email.
        assert len({r.content for r in refused}) == 1
        assert all(1 <= int(r.headers["retry-after"]) <= 900 for r in refused)
        assert client.post(LOGIN, json={"email": ADMIN, "password": PASSWORD}).status_code == 429
    assert not _locked(park_db)
    with app_client(park_db, "192.0.2.10") as victim:
        assert victim.post(LOGIN, json={"email": ADMIN, "password": PASSWORD}).status_code == 200


def test_good_logins_do_not_use_up_an_address(park_db: Database) -> None:
    with app_client(park_db, source_failures=2) as client:
        for _ in range(5):
            response = client.post(LOGIN, json={"email": ADMIN, "password": PASSWORD})
            assert response.status_code == 200, response.text
