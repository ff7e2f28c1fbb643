"""Small answers (a day of a meter's readings) are computed on the event loop, never waiting there.

``cached_json(..., inline=True)`` computes a missing answer in place instead of handing it to the
thread pool (``api/caching.py`` says why); when another thread holds the answer's lock, it must
hand the request to the pool rather than block the loop that serves every other request.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK, World
from zeropark.api.caching import LIST_CACHE, READINGS_CACHE
from zeropark.domain.access import Principal
from zeropark.service.cache import VersionedMemo, scope_key
from zeropark.service.database import Database

ADMIN_SCOPE = scope_key(Principal("admin", "park_admin", frozenset({PARK})))
DAY = "start=2024-03-01T00:00:00%2B08:00&end=2024-03-02T00:00:00%2B08:00"


def _stripe(memo: VersionedMemo[Any], db: Database, key: object) -> threading.Lock:
    lock: threading.Lock = memo._locks[hash((db.url, key)) % memo._STRIPES]
    return lock


def test_get_unless_busy_computes_when_free_and_gives_up_when_the_lock_is_held(
    world: World,
) -> None:
    memo: VersionedMemo[str] = VersionedMemo()
    calls: list[str] = []

    def compute() -> str:
        calls.append("x")
        return "answer"

    lock = _stripe(memo, world.db, "k")
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    try:
        assert memo.get_unless_busy(world.db, "k", compute) is None
        assert calls == []  # nothing computed while another thread holds the key
    finally:
        release.set()
        thread.join()
    assert memo.get_unless_busy(world.db, "k", compute) == "answer"
    assert memo.get_unless_busy(world.db, "k", compute) == "answer"
    assert calls == ["x"]  # the second call was served from the memo


def test_a_day_of_readings_whose_lock_is_held_waits_in_the_pool_not_on_the_loop(
    client: TestClient, tokens: dict[str, str | None], world: World
) -> None:
    headers = auth(tokens["park_admin"])
    url = f"/api/v1/parks/{PARK}/readings/e_chem?interval=15min&{DAY}"
    expected = client.get(url, headers=headers)
    assert expected.status_code == 200 and expected.json()["rows"]

    # Make the answer stale (another day) and hold its lock as a long fill would.
    url = url.replace("03-01", "03-05").replace("03-02", "03-06")
    lo = int(datetime.fromisoformat("2024-03-05T00:00:00+08:00").timestamp())
    key = (PARK, ("readings", "e_chem", lo, lo + 86400, "15min"), ADMIN_SCOPE)
    lock = _stripe(READINGS_CACHE, world.db, key)  # world.db is the app's database
    held, release, released = threading.Event(), threading.Event(), threading.Event()
    health_while_held: list[bool] = []
    answers: list[int] = []

    def holder() -> None:
        with lock:
            held.set()
            release.wait(5)  # the test releases it; 5 s only if the loop hung
        released.set()

    def reader() -> None:
        answers.append(client.get(url, headers=headers).status_code)

    hold = threading.Thread(target=holder)
    hold.start()
    held.wait(10)
    read = threading.Thread(target=reader)
    read.start()
    try:
        read.join(0.3)
        assert read.is_alive()  # it waits for the lock…
        # …in the thread pool: the loop still answers other requests meanwhile.
        health = client.get("/api/v1/health")
        health_while_held.append(health.status_code == 200 and not released.is_set())
    finally:
        release.set()
        hold.join()
        read.join(10)
    assert health_while_held == [True]
    assert answers == [200]


def test_readings_answers_are_kept_apart_from_the_costly_aggregates(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    """Callers make up any number of (meter, day) answers: in the shared cache of 512 they
    pushed out the inventory and the year of energy, each far costlier to compute again."""
    headers = auth(tokens["park_admin"])
    assert client.get(f"/api/v1/parks/{PARK}/inventory?year=2024", headers=headers).is_success
    kept = dict(LIST_CACHE._items)
    for day in range(1, 29):
        window = (
            f"start=2024-02-{day:02d}T00:00:00%2B08:00&end=2024-02-{day + 1:02d}T00:00:00%2B08:00"
        )
        url = f"/api/v1/parks/{PARK}/readings/e_chem?interval=hour&{window}"
        assert client.get(url, headers=headers).status_code == 200
    assert dict(LIST_CACHE._items) == kept
    readings = [key for _url, (_park, key, _scope) in READINGS_CACHE._items if key[0] == "readings"]
    assert len(readings) >= 28
