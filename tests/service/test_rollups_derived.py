"""Stored hourly rollups always equal what the readings and the current configuration derive.

``zeropark verify`` derives every meter's rollups again from its whole series
(:func:`zeropark.ingest.normalise.meter_hours`); ingest maintains them window by window. These
tests hold the two equal: an interval meter's first interval, readings arriving in shuffled
chunks with late data and corrections (in a timezone with a DST change), and a park file that
changes a meter's multiplier or the park's timezone.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from sqlalchemy import func, select

from zeropark.domain.access import Principal
from zeropark.domain.timeseries import Quality
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.audit_verify import verify_database
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.service.park_file import parse_park_text
from zeropark.service.parks import apply_park
from zeropark.store.schema import hourly_rollups, meters

SYSTEM = Principal.system("test")
PARK = "rd"
TZ = "Europe/Berlin"
PARK_YAML = """
version: 1
park: {id: rd, name: 汇总园区, type: manufacturing, province: 江苏, timezone: Europe/Berlin}
meters:
  - {id: reg, carrier: electricity, unit: kWh, kind: cumulative, multiplier: 80,
     register_max: 100000, interval_s: 900, max_power: 2000}
  - {id: reg2, carrier: electricity, unit: kWh, kind: cumulative, register_max: 10000}
  - {id: itv, carrier: electricity, unit: kWh, kind: interval, interval_s: 900, max_power: 100}
  - {id: pwr, carrier: electricity, unit: kW, kind: instantaneous}
"""
#: 2024-03-29 00:00 UTC: the series runs over the DST change of 2024-03-31 in Berlin.
T0 = 1711670400


def _ingest(db: Database, meter: str, ts: np.ndarray, value: np.ndarray, quality: int = 0) -> None:
    parsed = ParsedReadings(
        meter=np.full(ts.size, meter, dtype=object),
        ts_s=ts.astype(np.int64),
        value=value.astype(np.float64),
        quality=np.full(ts.size, quality, np.uint8),
        row=np.full(ts.size, -1, np.int64),
    )
    with db.transaction() as conn:
        ingest_parsed(conn, SYSTEM, PARK, TZ, parsed, IngestReport("test"))


def _totals(db: Database) -> dict[str, float]:
    with db.transaction() as conn:
        rows = conn.execute(
            select(meters.c.id, func.sum(hourly_rollups.c.quantity))
            .join(meters, meters.c.key == hourly_rollups.c.meter_key)
            .group_by(meters.c.id)
        )
        return {r[0]: float(r[1]) for r in rows}


@pytest.fixture
def park_db(db: Database) -> Database:
    apply_park(db, SYSTEM, parse_park_text(PARK_YAML, "rd.yaml"))
    return db


def test_first_interval_of_an_interval_meter_is_rolled_up(park_db: Database) -> None:
    """A reading labels the end of its interval: the first one, on the hour, fills the hour
    before it (the window ingest rewrote used to start at that reading's own hour)."""
    ts = T0 + 900 * np.arange(8)  # 00:00 .. 01:45 UTC, the first on the hour
    _ingest(park_db, "itv", ts, np.full(8, 2.0))
    assert _totals(park_db)["itv"] == pytest.approx(16.0)
    assert verify_database(park_db, SYSTEM).ok


def _series(rng: np.random.Generator, kind: str) -> tuple[np.ndarray, np.ndarray]:
    ts = T0 + 900 * np.arange(500)
    keep = rng.random(ts.size) > 0.05
    keep[100:130] = False  # an outage
    ts = ts[keep]
    if kind == "reg":
        value = (99_000 + np.cumsum(rng.random(ts.size) * 20)) % 100_000  # rolls over
        value[rng.integers(0, ts.size, 3)] += 5_000  # spikes
    elif kind == "reg2":
        value = (9_000 + np.cumsum(rng.random(ts.size) * 10)) % 10_000
        value[300:] = np.cumsum(rng.random(ts.size - 300))  # a reset
    elif kind == "itv":
        value = rng.random(ts.size) * 20
        value[rng.integers(0, ts.size, 2)] += 500  # beyond max_power
    else:
        value = rng.random(ts.size) * 100
    return ts, value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_chunks_late_data_and_corrections_equal_the_whole_series(
    park_db: Database, seed: int
) -> None:
    rng, order = np.random.default_rng(seed), random.Random(seed)
    for meter in ("reg", "reg2", "itv", "pwr"):
        ts, value = _series(rng, meter)
        cuts = sorted(order.sample(range(1, ts.size), 10))
        chunks = np.split(np.arange(ts.size), cuts)
        order.shuffle(chunks)  # late data: earlier chunks arrive after later ones
        for chunk in chunks:
            _ingest(park_db, meter, ts[chunk], value[chunk])
        fixed = np.unique(rng.integers(0, ts.size, 4))
        _ingest(park_db, meter, ts[fixed], value[fixed] * 1.01 + 0.5, int(Quality.CORRECTED))
    report = verify_database(park_db, SYSTEM)
    assert report.ok, report.as_dict()["failures"]
    assert report.rollup_meters == 4 and report.rollup_hours > 4 * 100


def test_a_changed_multiplier_or_timezone_derives_the_rollups_again(park_db: Database) -> None:
    ts = T0 + 900 * np.arange(1, 97)
    _ingest(park_db, "itv", ts, np.full(ts.size, 1.0))
    _ingest(park_db, "reg", ts, 1000.0 + np.arange(ts.size, dtype=float))
    before = _totals(park_db)
    spec = parse_park_text(PARK_YAML, "rd.yaml")
    doubled = [replace(m, multiplier=m.multiplier * 2) if m.id == "itv" else m for m in spec.meters]
    report = apply_park(park_db, SYSTEM, replace(spec, meters=doubled))
    assert report.renormalise == ["itv"]
    after = _totals(park_db)
    assert after["itv"] == pytest.approx(2 * before["itv"]) and after["reg"] == before["reg"]
    assert verify_database(park_db, SYSTEM).ok
    moved = replace(spec, park=replace(spec.park, timezone="Asia/Shanghai"), meters=doubled)
    report = apply_park(park_db, SYSTEM, moved)
    assert report.renormalise == ["itv", "pwr", "reg", "reg2"]
    verified = verify_database(park_db, SYSTEM)
    assert verified.ok, verified.as_dict()["failures"]
    assert _totals(park_db) == pytest.approx(after)
