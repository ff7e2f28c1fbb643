"""The energy page's year document: uncached cost against the overview's, and the cached answer.

Builds the demo park (one year of data) into a SQLite file unless it is there already, then
times, in this process, ``--repeat`` runs each of

- the overview document (``overview``, uncached), the baseline measured in the same run;
- the energy summary of the year (``energy_summary``: two monthly inventories — the year and
  the year before, for year-on-year — the carriers, reconciliation, flows and intensity);
- the energy summary served from its per-scope cache (``SUMMARY_CACHE``), as the API does until
  the data change.

Prints the median and best [ms] of each and the ratio summary / overview (target: ≤ 3, the
summary accounts two years where the overview accounts one) and cached / uncached.

    .venv/bin/python benchmarks/energy_summary.py [--db /tmp/zeropark-bench.db] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.demo import load_demo
from zeropark.service.energy.summary import SUMMARY_CACHE, energy_summary
from zeropark.service.overview import overview

YEAR = 2024


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/zeropark-bench.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = Path(args.db)
    db = Database(f"sqlite:///{path}")
    if not path.exists() or path.stat().st_size < 1_000_000:
        print(f"building the demo park into {path} …")
        load_demo(db)
    park = "demo"
    admin = Principal("bench@demo", "park_admin", frozenset({park}))
    key = ("energy_summary", park, YEAR, "bench")

    base = _time(lambda: overview(db, admin, park, YEAR), args.repeat)
    summary = _time(lambda: energy_summary(db, admin, park, YEAR), args.repeat)
    SUMMARY_CACHE.get(db, key, lambda: energy_summary(db, admin, park, YEAR))
    cached = _time(
        lambda: SUMMARY_CACHE.get(db, key, lambda: energy_summary(db, admin, park, YEAR)),
        args.repeat,
    )
    for name, values in (("overview", base), ("summary", summary), ("cached", cached)):
        print(f"{name:9s} median {statistics.median(values):8.1f} ms  best {min(values):8.1f} ms")
    print(f"summary / overview = {statistics.median(summary) / statistics.median(base):.2f}")
    print(f"cached / uncached  = {statistics.median(cached) / statistics.median(summary):.4f}")


if __name__ == "__main__":
    main()
