"""API latency under load: 50 concurrent clients on the overview and inventory endpoints.

Builds the demo park (one year of data) into a SQLite file unless it is there already, serves
the app with uvicorn on a loopback port, logs in as the demo park admin, and runs N requests per
endpoint with ``--clients`` concurrent asyncio httpx workers. Prints p50 and p99 latency [ms];
the target is p99 < 100 ms for the overview endpoints.

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


async def _run(base: str, token: str, path: str, n: int, clients: int) -> list[float]:
    latencies: list[float] = []
    errors: list[int] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as c:

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                response = await c.get(path)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors.append(response.status_code)

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
    print(f"{'endpoint':45} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for group, paths in (("overview", OVERVIEW), ("inventory", INVENTORY)):
        for template in paths:
            path = template.format(park=park)
            heavy = "inventory?" in template
            n = args.clients if heavy else args.requests
            started = time.perf_counter()
            lat = asyncio.run(_run(base, token, path, n, args.clients))
            rate = len(lat) / (time.perf_counter() - started)
            p99 = _pct(lat, 0.99)
            flag = "" if group != "overview" else ("  ok" if p99 < 100 else "  > 100 ms target")
            print(f"{path:45} {statistics.median(lat):8.1f} {p99:8.1f} {rate:8.0f}{flag}")
    server.terminate()
    server.wait(timeout=30)


if __name__ == "__main__":
    main()
