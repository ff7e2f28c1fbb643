"""kill -9 in the middle of a large import, then the same import again: no loss, no duplicate.

The pipeline commits one transaction per chunk, so a killed import leaves whole chunks; running
the same command again stores the rest, and the hourly rollups equal a clean import's.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.ingest_scenarios.conftest import (
    SYSTEM,
    fresh_park,
    ingest,
    rollups,
    same_hours,
    stored,
)
from zeropark.ingest.files import chunk_sizes
from zeropark.service.database import Database
from zeropark.store.readings import count_readings, meter_refs

pytestmark = pytest.mark.usefixtures("park")

START_S = 1582992000  # 2020-03-01T00:00+08:00: the series ends in 2024, before the clock
PER_METER = 150_000  # 15-min readings: ~4.3 years each, 300 000 in all
CHUNK_ROWS = 20_000


def _write_big_csv(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Two registers with varying load and several rollovers; values exact in binary."""
    ts = START_S + 900 * np.arange(PER_METER, dtype=np.int64)
    text = np.datetime_as_string(ts.astype("datetime64[s]"), unit="m")
    steps = {"main": 8 + np.arange(PER_METER) % 7, "sub": 160 + 40 * (np.arange(PER_METER) % 5)}
    modulus = {"main": 100_000, "sub": 10_000}
    expected = {}
    with path.open("w", encoding="utf-8") as out:
        out.write("meter,ts,value\n")
        for meter, step in steps.items():
            quarters = np.concatenate([[0], np.cumsum(step[1:])])  # register in 1/4 units
            value = (quarters % (4 * modulus[meter])) / 4.0
            expected[meter] = (ts, value)
            out.writelines(
                f"{meter},{t}Z,{v!r}\n" for t, v in zip(text, value.tolist(), strict=True)
            )
    return expected


def _command(db: Database, path: Path) -> list[str]:
    exe = shutil.which("zeropark") or str(Path(sys.executable).with_name("zeropark"))
    prefix = (
        [exe]
        if Path(exe).exists()
        else [sys.executable, "-c", "from zeropark.cli import main; main()"]
    )
    return [*prefix, "--db", db.url, "--lang", "en", "import", "readings", str(path),
            "--park", "sp", "--chunk-rows", str(CHUNK_ROWS), "--format", "json"]  # fmt: skip


def _count(db: Database) -> int:
    with db.transaction() as conn:
        keys = [r.key for r in meter_refs(conn, SYSTEM, "sp").values()]
        return count_readings(conn, SYSTEM, keys)


def test_kill_9_then_reimport_is_exact(park: Database, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    expected = _write_big_csv(big)
    env = {**os.environ, "COLUMNS": "120"}
    process = subprocess.Popen(
        _command(park, big), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    deadline = time.monotonic() + 60
    while _count(park) < 2 * CHUNK_ROWS and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    partial = _count(park)
    ends = set(itertools.accumulate(itertools.islice(chunk_sizes(CHUNK_ROWS), 2 * PER_METER)))
    assert 0 < partial < 2 * PER_METER and partial in ends  # whole chunks only

    report = ingest(park, big, chunk_rows=CHUNK_ROWS)  # the same import again
    assert (report.duplicates, report.accepted, report.rejected) == (
        partial, 2 * PER_METER - partial, 0,
    )  # fmt: skip
    for meter, (ts, value) in expected.items():
        rows = np.asarray([(t, v) for t, v, _ in stored(park, meter)])
        assert rows.shape == (PER_METER, 2)
        assert np.array_equal(rows[:, 0].astype(np.int64), ts) and np.array_equal(rows[:, 1], value)

    with fresh_park(tmp_path / "clean.db") as clean:
        ingest(clean, big)
        for meter in expected:
            assert same_hours(rollups(clean, meter), rollups(park, meter))
