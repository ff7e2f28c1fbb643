"""``zeropark serve --workers 2`` starts worker processes that answer (app factory, env)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.live_server import live_server
from tests.api.parkdata import PARK, PASSWORD, USERS, build_world
from zeropark.service.database import Database


def test_serve_with_two_workers_answers(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'serve.db'}")
    build_world(db)
    db.dispose()
    with live_server(db.url, "--workers", "2") as (base, _, _):
        email = USERS["park_admin"][0]
        login = httpx.post(f"{base}/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        # New connections are spread over the workers; each must build the app and answer.
        for _ in range(8):
            response = httpx.get(f"{base}/parks/{PARK}/overview", headers=headers, timeout=30)
            assert response.status_code == 200, response.text
            assert response.json()["park_id"] == PARK
