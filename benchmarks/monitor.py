"""Benchmark: all alert rules of a 1,000-meter park (5 rules per meter) for one new 15-minute
interval, end to end from the stored data (docs/monitoring.md).

Builds a park of N meters (default 1,000) with D days (default 15) of 15-minute readings
through the real ingest path, five rules per meter (threshold, rate of change, profile
deviation, no data, estimated share), then times one pass of the monitor after one new interval
is stored, and prints that time and its ratio to the 15-minute interval. Then a full year's
back-evaluation (service/monitor/backfill.py) of the same five rules per meter on a second park
of N meters holding a year of hourly rollups (written straight to the rollup table: the
back-evaluation reads rollups only, and ingesting 35 million readings would take the benchmark
half an hour).

    .venv/bin/python benchmarks/monitor.py [--meters 1000] [--days 15] [--url sqlite:///…]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.clock import FixedClock
from zeropark.domain.access import Principal
from zeropark.domain.park import AccountingMapping, Meter, Park, ParkSpec
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.service.monitor import rules_api
from zeropark.service.monitor.backfill import back_evaluate
from zeropark.service.monitor.engine import run_pass
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import meter_refs, write_rollups

SYSTEM = Principal.system("bench")
PARK = "bench"
TZ = "Asia/Shanghai"
INTERVAL_S = 900


RULES = (
    ("threshold", {"limit": 400}),
    ("rate_of_change", {"max_change_pct": 900}),
    ("profile_deviation", {"days": 10}),
    ("no_data", {"minutes": 60}),
    ("estimated_share", {"max_share_pct": 50}),
)


def _rules(db: Database, park: str, ids: list[str]) -> None:
    for m in ids:
        for kind, params in RULES:
            entry = {"id": f"{m}_{kind}", "kind": kind, "target": {"meter": m}, "params": params}
            rules_api.save_rule(db, SYSTEM, park, entry)


def _year_park(db: Database, n: int, start: int, rng: np.random.Generator) -> str:
    park = "bench_year"
    spec = _spec(n)
    spec = ParkSpec(
        park=Park(id=park, name="基准园区（全年）", type="office", province="江苏"),
        meters=spec.meters,
    )
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
    hours = np.arange(start, start + 365 * 86400, 3600, dtype=np.int64)
    local_hour = (hours // 3600 + 8) % 24
    with db.transaction() as conn:
        refs = meter_refs(conn, SYSTEM, park)
        for ref in refs.values():
            base = np.where((local_hour >= 8) & (local_hour < 18), 200.0, 48.0)
            qty = base * rng.uniform(0.95, 1.05, hours.size)
            write_rollups(
                conn, SYSTEM, ref, hours, qty, np.zeros(hours.size), np.full(hours.size, 3600)
            )
    _rules(db, park, sorted(refs))
    return park


def _spec(n: int) -> ParkSpec:
    meters = [
        Meter(
            id=f"m{i:04d}",
            carrier="electricity",
            unit="kWh",
            kind="interval",
            interval_s=INTERVAL_S,
            accounting=AccountingMapping(category="purchased_electricity", sector="industry"),
        )
        for i in range(n)
    ]
    return ParkSpec(
        park=Park(id=PARK, name="基准园区", type="office", province="江苏"), meters=meters
    )


def _ingest(db: Database, ids: list[str], ts: np.ndarray, rng: np.random.Generator) -> None:
    for lo in range(0, len(ids), 100):
        chunk = ids[lo : lo + 100]
        meter = np.repeat(np.array(chunk, dtype=object), ts.size)
        stamps = np.tile(ts, len(chunk))
        hours = (stamps // 3600 + 8) % 24
        value = np.where((hours >= 8) & (hours < 18), 50.0, 12.0) * rng.uniform(
            0.95, 1.05, stamps.size
        )
        parsed = ParsedReadings(
            meter=meter,
            ts_s=stamps.astype(np.int64),
            value=value,
            quality=np.zeros(stamps.size, np.uint8),
            row=np.full(stamps.size, -1, np.int64),
        )
        with db.transaction() as conn:
            ingest_parsed(conn, SYSTEM, PARK, TZ, parsed, IngestReport("bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--days", type=int, default=15)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    start = int(datetime(2024, 9, 2, tzinfo=ZoneInfo(TZ)).timestamp())
    end = start + args.days * 86400
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/monitor-bench.db"
    db = Database(url, clock=FixedClock(datetime.fromtimestamp(end + 3600, ZoneInfo(TZ))))
    rng = np.random.default_rng(7)
    ids = [f"m{i:04d}" for i in range(args.meters)]
    t0 = time.perf_counter()
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(_spec(args.meters))
    _ingest(db, ids, np.arange(start + INTERVAL_S, end + 1, INTERVAL_S), rng)
    _rules(db, PARK, ids)
    setup_s = time.perf_counter() - t0
    first = run_pass(db, SYSTEM, PARK, now_s=end)  # states of every subject created once
    # One new 15-minute interval arrives, then the pass of that interval, timed.
    _ingest(db, ids, np.array([end + INTERVAL_S]), rng)
    t1 = time.perf_counter()
    result = run_pass(db, SYSTEM, PARK, now_s=end + INTERVAL_S)
    pass_s = time.perf_counter() - t1
    print(f"park: {args.meters} meters, {args.days} days of 15-min readings, {result.rules} rules")
    print(
        f"set-up (ingest + rules): {setup_s:.1f} s; first pass: {first.observations} observations"
    )
    print(
        f"one 15-minute interval, all rules end to end: {pass_s:.3f} s = "
        f"{pass_s / INTERVAL_S:.5f} of the interval "
        f"({INTERVAL_S / pass_s:,.0f}x faster than real time)"
    )
    print(f"alerts raised in the timed pass: {len(result.raised)} (clean data: expect 0)")
    year_start = int(datetime(2023, 1, 1, tzinfo=ZoneInfo(TZ)).timestamp())
    t2 = time.perf_counter()
    year_park = _year_park(db, args.meters, year_start, rng)
    year_setup_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    backfill = back_evaluate(db, SYSTEM, year_park, year_start, year_start + 365 * 86400)
    year_s = time.perf_counter() - t3
    print(
        f"full year's back-evaluation: {backfill.rules} rules x {backfill.hours} hours from the "
        f"stored rollups: {year_s:.1f} s ({year_s / 365:.3f} s per day of data; set-up "
        f"{year_setup_s:.0f} s); would have raised {backfill.raised} alerts on the clean year"
    )


if __name__ == "__main__":
    main()
