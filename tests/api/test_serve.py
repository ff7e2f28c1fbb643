"""``zeropark serve --workers 2`` starts worker processes that answer (app factory, env)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.parkdata import PARK, PASSWORD, USERS, build_world
from zeropark.service.database import Database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_two_workers_answers(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'serve.db'}")
    build_world(db)
    db.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZEROPARK_")}
    server = subprocess.Popen(
        [sys.executable, "-c", "from zeropark.cli import main; main()", "--db", db.url,
         "serve", "--workers", "2", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        email = USERS["park_admin"][0]
        login = httpx.post(f"{base}/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        # New connections are spread over the workers; each must build the app and answer.
        for _ in range(8):
            response = httpx.get(f"{base}/parks/{PARK}/overview", headers=headers, timeout=30)
            assert response.status_code == 200, response.text
            assert response.json()["park_id"] == PARK
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode is not None
