"""``zeropark serve --workers 2`` starts worker processes that answer (app factory, env)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import httpx

from tests.api.live_server import live_server
from tests.api.parkdata import PARK, PASSWORD, USERS, build_world
from zeropark.logs import log_config
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


def test_a_worker_sets_up_its_logs_without_importing_the_application(tmp_path: Path) -> None:
    """uvicorn pickles the log configuration to each worker and applies it before the worker
    answers its 5 s health check: it must not import the command line or the app (2 s idle,
    past 5 s under load, when uvicorn killed the workers as they started)."""
    config = log_config(str(tmp_path / "access.log"), str(tmp_path / "error.log"), "info")
    probe = (
        "import logging, logging.config, pickle, sys\n"
        "logging.config.dictConfig(pickle.loads(sys.stdin.buffer.read()))\n"
        "logging.getLogger('uvicorn.access').info('%s - \"%s %s HTTP/%s\" %d', "
        "'127.0.0.1', 'GET', '/x', '1.1', 200)\n"
        "heavy = ('zeropark.cli', 'zeropark.api', 'zeropark.service', 'fastapi')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], input=pickle.dumps(config), capture_output=True, check=True
    )
    assert done.stdout.decode().strip() == "[]"
    line = json.loads((tmp_path / "access.log").read_text(encoding="utf-8"))
    assert (line["method"], line["path"], line["status"]) == ("GET", "/x", 200)


def test_a_worker_keeps_its_startup_heap_out_of_full_collections(tmp_path: Path) -> None:
    """The app a worker builds (about 270,000 objects) is frozen once built, so no full garbage
    collection walks it again while requests wait (a 120-190 ms stall per pass)."""
    probe = (
        "import gc\n"
        "from zeropark.api.app import create_app_from_env\n"
        "before = gc.get_freeze_count()\n"
        "create_app_from_env()\n"
        "print(before, gc.get_freeze_count())\n"
    )
    env = {**os.environ, "ZEROPARK_DB_URL": f"sqlite:///{tmp_path / 'heap.db'}"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, check=True, text=True
    )
    before, after = map(int, done.stdout.split())
    assert before == 0 and after > 100_000
