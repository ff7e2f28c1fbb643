"""API latency under load: 100 concurrent clients on a mixed workload, served by N workers.

Builds the demo park (one year of data) into a SQLite file unless it is there already, then

1. times, in this process and uncached, the year of energy by tenant by month
   (``energy_groups.aggregate_energy``, the work behind
   ``GET /energy?group_by=tenant&interval=month`` over 2024; target < 100 ms) and the overview
   document (``overview_json`` with its cache cleared): the median and best of ``--repeat`` runs;
2. serves the app with ``zeropark serve --workers N`` on a loopback port, logs in as the demo
   park admin and sends ``--requests`` requests over ``--clients`` keep-alive connections, each
   client cycling through the mix — the overview, one day of one meter's readings (15-minute
   intervals re-derived from the raw readings; every request asks for another meter or day,
   none asked before, so none is answered from the cache), the year of energy by tenant by
   month, the inventory of the year — with no pause between requests
   (a closed loop: the server is saturated, and latency includes the queue behind the other
   clients); then again with each client thinking on average ``--pause-ms`` P (500 ms by
   default) after each answer, its think times exponential and its start random (users reading
   their dashboards, who do not click in lock-step: the load offered is about clients / P per
   second).

Prints the cold latency (the first request of each endpoint, which fills the caches), then p50
and p99 latency [ms] and requests per second per endpoint and in total. Target: p99 < 250 ms
for each endpoint with 2 workers on a 2-core machine. The load generator shares the machine
with the server, so run it on an otherwise idle machine.

    .venv/bin/python benchmarks/api.py [--db /tmp/zeropark-bench.db] [--requests 1200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import httpx

from zeropark.domain.access import Principal
from zeropark.service.auth import ensure_demo_accounts
from zeropark.service.database import Database
from zeropark.service.demo import load_demo
from zeropark.service.energy_groups import aggregate_energy
from zeropark.service.overview import OVERVIEW_CACHE, overview_json
from zeropark.service.park_views import list_parks

YEAR = "start=2024-01-01T00:00:00%2B08:00&end=2025-01-01T00:00:00%2B08:00"
MIX = {
    "overview": "/parks/{park}/overview?year=2024",
    "readings": "/parks/{park}/readings/{meter}?start=2024-{day}T00:00:00%2B08:00"
    "&end=2024-{next}T00:00:00%2B08:00&interval=15min",
    "energy": "/parks/{park}/energy?" + YEAR + "&interval=month&group_by=tenant",
    "inventory": "/parks/{park}/inventory?year=2024",
}
TARGET_P99_MS = 250.0
TARGET_ENERGY_MS = 100.0


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


def _uncached(db: Database, park: str, repeat: int) -> None:
    """Time the energy year by tenant and the overview in this process, caches bypassed."""
    admin = Principal("benchmark", "park_admin", frozenset({park}))
    lo, hi = 1704038400, 1735660800  # 2024 in Asia/Shanghai [UTC s]

    def energy() -> None:
        aggregate_energy(db, admin, park, lo, hi, interval="month", group_by="tenant")

    def overview() -> None:
        OVERVIEW_CACHE.clear()
        overview_json(db, admin, park, 2024)

    for name, run in (("energy year by tenant by month", energy), ("overview", overview)):
        run()  # first run: imports, factor tables, page cache
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        flag = ""
        if name.startswith("energy"):
            ok = statistics.median(times) < TARGET_ENERGY_MS
            flag = "  ok" if ok else f"  > {TARGET_ENERGY_MS:.0f} ms target"
        print(
            f"uncached {name:32} median {statistics.median(times):7.1f} ms, "
            f"best {min(times):7.1f} ms{flag}"
        )


def _path(name: str, park: str, n: int, meters: list[str]) -> str:
    """The path of request number ``n``: readings go through every (meter, day) of 2024 once."""
    start = date(2024, 1, 1) + timedelta(days=n % 365)
    end = start + timedelta(days=1)
    meter = meters[(n // 365) % len(meters)]
    return MIX[name].format(
        park=park, meter=meter, day=start.strftime("%m-%d"), next=end.strftime("%m-%d")
    )


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


async def _mixed(
    base: str,
    token: str,
    park: str,
    meters: list[str],
    n: int,
    clients: int,
    pause_s: float = 0.0,
    first: int = 0,
) -> tuple[dict[str, list[float]], float]:
    """``n`` GETs (numbered from ``first``, which picks the readings' meter and day) over
    ``clients`` keep-alive connections cycling through :data:`MIX`, each
    client pausing after each answer for a think time drawn from an exponential distribution
    of mean ``pause_s``, and starting at a random moment within the first ``pause_s`` (0: a
    closed loop, every client sending again at once). Users reading dashboards do not click in
    lock-step; clients that all pause exactly ``pause_s`` arrive as bursts of ``clients``
    requests, and the last of each burst waits for all the others.

    A minimal HTTP/1.1 client on asyncio streams: httpx's client costs so much CPU per request
    that, sharing the machine with the server, it saturated a core before the server did.
    Returns latencies [ms] per endpoint and the wall time [s].
    """
    url = httpx.URL(base)
    host, port = url.host, url.port or 80
    names = list(MIX)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[int]] = defaultdict(list)
    issued = [first]

    async def worker(offset: int) -> None:
        think = random.Random(offset)  # seeded: the same arrival pattern on every run
        if pause_s:
            await asyncio.sleep(think.uniform(0, pause_s))
        reader, writer = await asyncio.open_connection(host, port)
        try:
            step = 0
            while issued[0] < first + n:
                count = issued[0]
                issued[0] += 1
                name = names[(offset + step) % len(names)]
                step += 1
                request = (
                    f"GET {url.path}{_path(name, park, count, meters)} HTTP/1.1\r\n"
                    f"Host: {host}:{port}\r\n"
                    f"Authorization: Bearer {token}\r\n\r\n"
                ).encode()
                started = time.perf_counter()
                try:
                    status = await _get(reader, writer, request)
                except (ConnectionError, asyncio.IncompleteReadError):
                    # A worker that died (uvicorn kills one that misses its 5 s health
                    # check) resets its connections: count the failure and connect again.
                    errors[name].append(0)
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                latencies[name].append((time.perf_counter() - started) * 1000)
                if status != 200:
                    errors[name].append(status)
                if pause_s:
                    await asyncio.sleep(think.expovariate(1 / pause_s))
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    for name, codes in errors.items():
        print(f"  {name}: {len(codes)} failed (0: connection reset): {sorted(set(codes))}")
    return latencies, elapsed


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _report(latencies: dict[str, list[float]], elapsed: float, cold: dict[str, float]) -> None:
    print(f"{'endpoint':12} {'cold ms':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name in MIX:
        lat = latencies[name]
        p99 = _pct(lat, 0.99)
        flag = "  ok" if p99 < TARGET_P99_MS else f"  > {TARGET_P99_MS:.0f} ms target"
        print(
            f"{name:12} {cold[name]:8.1f} {statistics.median(lat):8.1f} {p99:8.1f} "
            f"{len(lat) / elapsed:8.0f}{flag}"
        )
    total = sum(len(v) for v in latencies.values())
    print(f"{'all':12} {'':8} {'':8} {'':8} {total / elapsed:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/zeropark-bench.db"))
    parser.add_argument("--requests", type=int, default=1200, help="mixed requests in all")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the uncached timings")
    parser.add_argument(
        "--pause-ms",
        type=float,
        default=500.0,
        help="also run the mix with clients thinking this long on average after each answer "
        "(0: the closed loop only)",
    )
    args = parser.parse_args()
    db, park, email, password = _prepare(args.db)
    _uncached(db, park, args.repeat)
    db.dispose()
    port = _free_port()
    # The server runs in its own processes, so the load generator does not share its GIL.
    env = {**os.environ, "ZEROPARK_DB_URL": db.url}
    server = subprocess.Popen(
        [sys.executable, "-c", "from zeropark.cli import main; main()", "serve",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        login = {"email": email, "password": password}
        token = httpx.post(f"{base}/auth/login", json=login).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        listed = httpx.get(f"{base}/parks/{park}/meters", headers=headers).json()
        meters = [m["id"] for m in listed["items"]]
        print(
            f"{args.clients} clients, {args.requests} mixed requests, park {park}, "
            f"zeropark serve --workers {args.workers}"
        )
        cold: dict[str, float] = {}
        for i, name in enumerate(MIX):
            started = time.perf_counter()
            httpx.get(base + _path(name, park, i, meters), headers=headers, timeout=120)
            cold[name] = (time.perf_counter() - started) * 1000
        # An untimed burst, so every server process has filled its caches.
        first = 2 * args.clients
        asyncio.run(_mixed(base, token, park, meters, first, args.clients))
        pauses = [0.0] + ([args.pause_ms / 1000] if args.pause_ms else [])
        for pause_s in pauses:
            latencies, elapsed = asyncio.run(
                _mixed(base, token, park, meters, args.requests, args.clients, pause_s, first)
            )
            first += args.requests
            mode = f"each client pausing {pause_s * 1000:.0f} ms" if pause_s else "closed loop"
            print(f"{args.clients} clients, {mode}")
            _report(latencies, elapsed, cold)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
