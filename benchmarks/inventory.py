"""Annual inventory of a 1,000-meter park from a year of hourly rollups vs a minimal SQL sum.

Synthesises 1,000 top-level mapped meters (electricity, gas, heat, water; the worst case: every
meter counts) × 8,784 hours of 2024 directly into a SQLite file (bulk insert), then times, in
the same run and on the same rollups,

- the stored-data path: ``compute_inventory`` (meter tree, SQL sums by meter and period, records,
  the accounting engine, data-quality figures), and
- the baseline: ``SELECT meter_key, SUM(quantity) FROM hourly_rollups GROUP BY meter_key``.

Prints seconds (best of 5) and the ratio. Run: ``.venv/bin/python benchmarks/inventory.py``.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.park import AccountingMapping, Meter, Park, ParkSpec, Tenant
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory
from zeropark.service.summary import year_bounds_s
from zeropark.store.parks import ParkRepository

METERS, YEAR = 1000, 2024
KINDS = [
    ("electricity", "kWh", "purchased_electricity", None),
    ("natural_gas", "Nm3", "fuel_combustion", "natural_gas"),
    ("heat", "GJ", "purchased_heat", "heat"),
    ("water", "m3", "water", "water"),
]


def _spec() -> ParkSpec:
    tenants = [Tenant(id=f"t{i:03d}", name=f"企业{i}") for i in range(100)]
    meters = []
    for i in range(METERS):
        carrier, unit, category, item = KINDS[0] if i % 10 < 7 else KINDS[1 + i % 2]
        meters.append(
            Meter(
                id=f"m{i:04d}",
                carrier=carrier,
                unit=unit,
                kind="interval",
                interval_s=3600,
                tenant=f"t{i % 100:03d}",
                accounting=AccountingMapping(category=category, sector="industry", item=item),
            )
        )
    park = Park(id="bench", name="基准园区", type="manufacturing", province="江苏")
    return ParkSpec(park=park, tenants=tenants, meters=meters)


def _fill(db: Database, path: Path) -> int:
    with db.transaction() as conn:
        ParkRepository(conn, Principal.system()).apply(_spec())
    lo, hi = year_bounds_s(YEAR, "Asia/Shanghai")
    hours = np.arange(lo, hi, 3600, dtype=np.int64)
    rng = np.random.default_rng(1)
    raw = sqlite3.connect(path)
    keys = [k for (k,) in raw.execute("SELECT key FROM meters ORDER BY key")]
    rows = 0
    for key in keys:
        q = rng.uniform(0.5, 1.5, hours.size)
        raw.executemany(
            "INSERT INTO hourly_rollups VALUES (?, ?, ?, 0.0, 3600, 0)",
            zip([key] * hours.size, hours.tolist(), q.tolist(), strict=True),
        )
        rows += hours.size
    raw.commit()
    raw.close()
    return rows


def _best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = Database(f"sqlite:///{path}")
        t0 = time.perf_counter()
        rows = _fill(db, path)
        print(
            f"synthesised {rows:,} rollup rows ({METERS} meters × {rows // METERS} h) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        principal = Principal.system()
        stored = compute_inventory(db, principal, "bench", YEAR)
        counted = sum(m.role == "counted" for m in stored.meters)
        sql = "SELECT meter_key, SUM(quantity) FROM hourly_rollups GROUP BY meter_key"

        def baseline() -> None:
            with db.engine.connect() as conn:
                conn.exec_driver_sql(sql).all()

        t_inv = _best(lambda: compute_inventory(db, principal, "bench", YEAR))
        t_sql = _best(baseline)
        print(
            f"stored-path annual inventory: {t_inv:.3f} s ({counted} meters counted, "
            f"{len(stored.inventory.results)} lines)"
        )
        print(f"minimal SQL aggregation:      {t_sql:.3f} s")
        print(f"ratio: {t_inv / t_sql:.2f}x  (targets: < 1 s and < 2x)")
        db.dispose()
        return 0 if t_inv < 1.0 and t_inv / t_sql < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
