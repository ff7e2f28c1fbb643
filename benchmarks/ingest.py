"""Ingest throughput: the file path and the MQTT path against a plain bulk insert, same run.

    .venv/bin/python benchmarks/ingest.py                    # 1,000,000 rows file + 200,000 MQTT
    .venv/bin/python benchmarks/ingest.py --rows 300000 --mqtt 50000 --db postgresql
    .venv/bin/python benchmarks/ingest.py --gb 1 --mqtt 0    # ~1 GB CSV, peak RSS of the import

Every figure is readings per second; each path is also given as a ratio to a plain insert of the
same rows into the same ``readings`` table of a fresh database of the same kind (executemany on
SQLite, COPY on PostgreSQL), measured in this run. The file path and the plain insert run in turn
``--repeat`` times (default 3); each run is printed, then the medians. Targets: file >= 100,000/s
on SQLite and >= 0.5 x plain; MQTT >= 10,000/s. ``--profile`` prints the top of a cProfile of
the file path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import text

from zeropark.data.demo import build_demo
from zeropark.domain.access import Principal
from zeropark.ingest.mqtt import park_topic
from zeropark.service.database import Database
from zeropark.service.ingest import ingest_readings_file
from zeropark.service.live_ingest import MqttOptions, run_mqtt_worker
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import count_readings

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SYSTEM = Principal.system("benchmark")


class Fresh:
    """A fresh database with the demo park applied (SQLite file or a PostgreSQL schema)."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind, self.schema = kind, None
        if kind == "sqlite":
            self.db = Database(f"sqlite:///{workdir / f'{uuid.uuid4().hex[:8]}.db'}")
        else:
            self.schema = f"zp_bench_{uuid.uuid4().hex[:8]}"
            self.admin = Database(PG_URL)
            with self.admin.engine.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {self.schema}"))
            self.db = Database(f"{PG_URL}?options=-csearch_path%3D{self.schema}")
        self.park = build_demo(2024).spec
        with self.db.transaction() as conn:
            ParkRepository(conn, SYSTEM).apply(self.park)
            self.keys = ParkRepository(conn, SYSTEM).meter_keys(self.park.park.id)

    def count(self) -> int:
        with self.db.transaction() as conn:
            return count_readings(conn, SYSTEM, list(self.keys.values()))

    def close(self) -> None:
        self.db.dispose()
        if self.schema:
            with self.admin.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {self.schema} CASCADE"))
            self.admin.dispose()


def demo_rows(limit: int, years: int = 1) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """(meter, ts_s, value) blocks of the demo year in time order, repeated ``years`` times."""
    demo = build_demo(2024)
    n = min(s.ts_s.size for s in demo.series)
    span = n * 900
    emitted = 0
    for year in range(years):
        for lo in range(0, n, 96):  # one day of all meters at a time: a time-ordered file
            for s in demo.series:
                ts = s.ts_s[lo : min(lo + 96, n)] + year * span
                yield s.meter_id, ts, s.value[lo : min(lo + 96, n)]
                emitted += ts.size
                if emitted >= limit:
                    return


def write_csv(path: Path, limit: int, years: int = 1) -> int:
    """Write the canonical CSV (meter, ts, value) in UTC ISO time; returns rows written."""
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("meter,ts,value\n")
        for meter, ts, value in demo_rows(limit, years):
            stamps = np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")
            out.write(
                "".join(f"{meter},{t}Z,{v:.3f}\n" for t, v in zip(stamps, value, strict=True))
            )
            rows += ts.size
    return rows


def plain_insert(fresh: Fresh, limit: int) -> float:
    """Seconds to insert the same rows into ``readings`` with plain executemany / COPY."""
    rows = [
        (fresh.keys[m], int(t), round(float(v), 3), 0)
        for m, ts, value in demo_rows(limit)
        for t, v in zip(ts.tolist(), value.tolist(), strict=True)
    ]
    cols = "meter_key, ts_s, value, quality"
    started = time.perf_counter()
    with fresh.db.transaction() as conn:
        raw = conn.connection.driver_connection
        if fresh.kind == "sqlite":
            raw.executemany(f"INSERT INTO readings ({cols}) VALUES (?, ?, ?, ?)", rows)
        else:
            from zeropark.store.bulk import ensure_reading_partitions

            ensure_reading_partitions(conn, min(r[1] for r in rows), max(r[1] for r in rows))
            with raw.cursor() as cur, cur.copy(f"COPY readings ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return time.perf_counter() - started


def plain_seconds(kind: str, workdir: Path, rows: int) -> float:
    """:func:`plain_insert` into a fresh database of ``kind``."""
    base = Fresh(kind, workdir)
    try:
        return plain_insert(base, rows)
    finally:
        base.close()


def bench_file(
    kind: str, workdir: Path, rows: int, profile: bool, repeat: int
) -> tuple[float, float]:
    """The file path against a plain insert, ``repeat`` times in turn; the median of each."""
    path = workdir / "readings.csv"
    written = write_csv(path, rows)
    rates, ratios = [], []
    for run in range(repeat):
        fresh = Fresh(kind, workdir)
        try:
            profiler = cProfile.Profile() if profile and run == 0 else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            report = ingest_readings_file(fresh.db, SYSTEM, fresh.park.park.id, path)
            if profiler:
                profiler.disable()
            seconds = time.perf_counter() - started
            stored = fresh.count()
        finally:
            fresh.close()
        plain = plain_seconds(kind, workdir, rows)
        rate, plain_rate = written / seconds, written / plain
        rates.append(rate)
        ratios.append(rate / plain_rate)
        print(
            f"file  [{kind}] run {run + 1}: {written:,} readings in {seconds:.2f} s: "
            f"{rate:,.0f} readings/s; plain insert {plain:.2f} s, {plain_rate:,.0f}/s; "
            f"ratio {rate / plain_rate:.2f} (stored {stored:,}, rejected {report.rejected:,})"
        )
        if profiler:
            buf = io.StringIO()
            pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(30)
            print(buf.getvalue())
    rate, ratio = statistics.median(rates), statistics.median(ratios)
    print(
        f"file  [{kind}] median of {repeat}: {rate:,.0f} readings/s, ratio {ratio:.2f} "
        "(targets on SQLite: >= 100,000/s and >= 0.5)"
    )
    return rate, ratio


def bench_mqtt(kind: str, workdir: Path, n: int, host: str, port: int) -> tuple[float, float]:
    fresh = Fresh(kind, workdir)
    park = fresh.park.park.id
    stop = threading.Event()
    options = MqttOptions(
        host=host,
        port=port,
        client_id=f"zp-bench-{uuid.uuid4().hex[:8]}",
        batch_ms=200,
        max_readings=20_000,
        session_expiry_s=60,
    )
    worker = threading.Thread(
        target=run_mqtt_worker,
        args=(fresh.db, SYSTEM, park),
        kwargs={"options": options, "stop": stop},
        daemon=True,
    )
    worker.start()
    time.sleep(1.0)  # connect and subscribe
    pub = paho.Client(CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
    pub.max_inflight_messages_set(1000)
    pub.max_queued_messages_set(0)
    pub.connect(host, port)
    pub.loop_start()
    started = time.perf_counter()
    sent = 0
    infos = []
    for meter, ts, value in demo_rows(n):
        stamps = np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")
        payload = [
            {"ts": f"{t}Z", "value": round(float(v), 3)}
            for t, v in zip(stamps, value.tolist(), strict=True)
        ]
        infos.append(pub.publish(park_topic(park, meter), json.dumps(payload), qos=1))
        sent += ts.size
    for info in infos:
        info.wait_for_publish(30)
    deadline = time.monotonic() + 300
    while fresh.count() < sent and time.monotonic() < deadline:
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    stored = fresh.count()
    stop.set()
    worker.join(10)
    pub.disconnect()
    pub.loop_stop()
    fresh.close()
    plain = plain_seconds(kind, workdir, n)
    rate, plain_rate = stored / seconds, sent / plain
    print(
        f"mqtt  [{kind}] {stored:,}/{sent:,} readings stored in {seconds:.1f} s: "
        f"{rate:,.0f} readings/s; plain insert {plain_rate:,.0f}/s; ratio {rate / plain_rate:.2f}"
    )
    return rate, rate / plain_rate


def bench_gb(kind: str, workdir: Path, gb: float) -> None:
    path = workdir / "big.csv"
    target = int(gb * 1e9)
    rows_per_year = 2_300_000
    started = time.perf_counter()
    # ~46 bytes a row: write enough years of the demo to reach the size.
    years = max(1, int(target / (46 * rows_per_year)) + 1)
    rows = write_csv(path, int(target / 46), years)
    print(
        f"gb    wrote {path.stat().st_size / 1e9:.2f} GB, {rows:,} rows in "
        f"{time.perf_counter() - started:.0f} s"
    )
    fresh = Fresh(kind, workdir)
    try:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        report = ingest_readings_file(fresh.db, SYSTEM, fresh.park.park.id, path)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        fresh.close()
    print(
        f"gb    [{kind}] imported {rows:,} rows in {seconds:.0f} s ({rows / seconds:,.0f}/s); "
        f"accepted {report.accepted:,}; peak RSS {peak:.0f} MB (before import {before:.0f} MB)"
    )


@contextmanager
def broker(spec: str, workdir: Path) -> Iterator[tuple[str, int]]:
    """A broker to benchmark against: a private mosquitto, or the one at HOST:PORT.

    Mosquitto's default ``max_queued_messages 1000`` drops QoS 1 messages for a subscriber that
    falls behind a fast publisher; the private broker lifts it, as docs/live-data.md tells
    operators to do.
    """
    if spec != "private":
        host, _, port = spec.rpartition(":")
        yield host, int(port)
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = workdir / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n"
        "max_inflight_messages 0\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        ["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000, help="file path rows (0: skip)")
    parser.add_argument("--mqtt", type=int, default=200_000, help="MQTT readings (0: skip)")
    parser.add_argument(
        "--broker",
        default="private",
        help="'private' (default: a mosquitto started here, configured as docs/live-data.md "
        "recommends) or HOST:PORT of a running broker",
    )
    parser.add_argument("--gb", type=float, default=0.0, help="also import a CSV of this size")
    parser.add_argument("--profile", action="store_true", help="cProfile the file path")
    parser.add_argument(
        "--repeat", type=int, default=3, help="file path and plain insert this many times each"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zp-bench-") as tmp:
        workdir = Path(tmp)
        if args.rows:
            bench_file(args.db, workdir, args.rows, args.profile, args.repeat)
        if args.mqtt:
            with broker(args.broker, workdir) as (host, port):
                bench_mqtt(args.db, workdir, args.mqtt, host, port)
        if args.gb:
            bench_gb(args.db, workdir, args.gb)


if __name__ == "__main__":
    main()
