"""A real ``zeropark serve`` in a subprocess on a free loopback port, for tests that need one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(
    db_url: str, *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int, int]]:
    """``zeropark --db DB_URL serve --port P ARGS…`` until the block ends: (API base, port, pid).

    The environment is this process's without ``ZEROPARK_*`` variables, plus ``env``.
    """
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ZEROPARK_")}
    environment.update(env or {})
    server = subprocess.Popen(
        [sys.executable, "-c", "from zeropark.cli import main; main()", "--db", db_url,
         "serve", "--port", str(port), *args],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
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
        yield base, port, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
