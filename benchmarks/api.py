"""API latency under load: 50 concurrent clients on the overview and inventory endpoints.

Builds the demo park (one year of data) into a SQLite file unless it is there already, serves
the app with uvicorn on a loopback port, logs in as the demo park admin, and runs N requests per
endpoint with ``--clients`` concurrent asyncio httpx workers. Prints p50 and p99 latency [ms];
the target is p99 < 100 ms for the overview endpoints. Each endpoint first gets one untimed
request (its "cold" latency: it fills the per-scope caches) and an untimed burst (so every
server process is warm), then the timed ones.

    .venv/bin/python benchmarks/api.py [--db /tmp/zeropark-bench.db] [--requests 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from zeropark.domain.access import Principal
from zeropark.service.auth import ensure_demo_accounts
from zeropark.service.database import Database
from zeropark.service.demo import load_demo
from zeropark.service.park_views import list_parks

OVERVIEW = ["/parks/{park}/overview?year=2024", "/parks/{park}/meters", "/parks/{park}/alerts"]
INVENTORY = ["/parks/{park}/inventories", "/parks/{park}/inventory?year=2024"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(path: Path) -> tuple[Database, str, str, str]:
    db = Database(f"sqlite:///{path}")
    parks = list_parks(db, Principal.system())
    if not parks:
        started = time.perf_counter()
        load_demo(db, year=2024)
        print(f"built the demo park in {time.perf_counter() - started:.0f} s")
        parks = list_parks(db, Principal.system())
    park = parks[0]["id"]
    email, _, _, password = ensure_demo_accounts(db, park)[0]
    return db, park, email, password


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; returns the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _run(base: str, token: str, path: str, n: int, clients: int) -> list[float]:
    """``n`` GETs of ``path`` over ``clients`` keep-alive connections; latencies [ms].

    A minimal HTTP/1.1 client on asyncio streams: httpx's client costs so much CPU per request
    that, sharing the machine with the server, it saturated a core before the server did.
    """
    url = httpx.URL(base)
    host, port = url.host, url.port or 80
    request = (
        f"GET {url.path}{path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors: list[int] = []
    remaining = [n]

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while remaining[0] > 0:
                remaining[0] -= 1
                started = time.perf_counter()
                status = await _get(reader, writer, request)
                latencies.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    errors.append(status)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(clients)))
    if errors:
        print(f"  {path}: {len(errors)} non-200 answers: {sorted(set(errors))}")
    return latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/zeropark-bench.db"))
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    db, park, email, password = _prepare(args.db)
    port = _free_port()
    # The server runs in its own process(es), so the load generator does not share its GIL.
    env = {**os.environ, "ZEROPARK_DB_URL": db.url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "zeropark.api.app:create_app_from_env",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
         "--log-level", "error"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    token = httpx.post(f"{base}/auth/login", json={"email": email, "password": password}).json()[
        "token"
    ]
    print(
        f"{args.clients} clients, {args.requests} requests per endpoint, park {park}, "
        f"{args.workers} server process(es)"
    )
    print(f"{'endpoint':45} {'cold ms':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for group, paths in (("overview", OVERVIEW), ("inventory", INVENTORY)):
        for template in paths:
            path = template.format(park=park)
            heavy = "inventory?" in template
            n = args.clients if heavy else args.requests
            # One untimed request first: it fills the per-scope caches (reported as "cold").
            cold = time.perf_counter()
            httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            cold_ms = (time.perf_counter() - cold) * 1000
            # Then a short untimed burst, so every server process has filled its caches.
            asyncio.run(_run(base, token, path, 2 * args.clients, args.clients))
            started = time.perf_counter()
            lat = asyncio.run(_run(base, token, path, n, args.clients))
            rate = len(lat) / (time.perf_counter() - started)
            p99 = _pct(lat, 0.99)
            flag = "" if group != "overview" else ("  ok" if p99 < 100 else "  > 100 ms target")
            print(
                f"{path:45} {cold_ms:8.1f} {statistics.median(lat):8.1f} {p99:8.1f} "
                f"{rate:8.0f}{flag}"
            )
    server.terminate()
    server.wait(timeout=30)


if __name__ == "__main__":
    main()
