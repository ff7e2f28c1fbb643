"""Late data, property-tested on the pipeline itself: batches in any order give the full run.

``service.ingest.reroll_meter`` re-derives only the hours new readings can affect (the
``lookahead + 1`` readings on each side, widened to whole park-local hours). Whatever the split
of a meter's readings into batches and their order — late readings, backfills inside outages,
faults the register normaliser judges with look-ahead — the stored hourly rollups must equal the
derivation over the whole series (what ``zeropark verify`` recomputes), and the open quarantine
records must be those of the readings that derivation sets aside, with its reasons. These tests
replace the pure ``affected_span`` model the pipeline never used (removed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from zeropark.domain.access import Principal
from zeropark.domain.timeseries.quality import iso_utc as iso
from zeropark.ingest.normalise import meter_hours
from zeropark.service.database import Database
from zeropark.service.live_ingest import ingest_records
from zeropark.service.park_file import parse_park_text
from zeropark.service.parks import apply_park
from zeropark.store.schema import corrections, hourly_rollups, meters, quarantine, readings

SYSTEM = Principal.system()
TZ = "Asia/Shanghai"
PARK_YAML = """
version: 1
park: {id: lw, name: 迟到数据, type: office, province: 江苏, timezone: Asia/Shanghai}
meters:
  - {id: reg, carrier: electricity, unit: kWh, kind: cumulative, register_max: 10000,
     interval_s: 900, max_power: 40}
  - {id: qty, carrier: electricity, unit: kWh, kind: interval, interval_s: 900, max_power: 40}
  - {id: pwr, carrier: electricity, unit: kW, kind: instantaneous, interval_s: 900}
"""


@dataclass(frozen=True, slots=True)
class _Meter:
    """A meter as normalisation sees it (``ingest.normalise.MeterNormalisation``)."""

    kind: str
    interval_s: int | None = 900
    multiplier: float = 1.0
    register_max: float | None = None
    max_power: float | None = None


#: The park's meters as the park file above declares them.
METERS = {
    "reg": _Meter("cumulative", register_max=10000.0, max_power=40.0),
    "qty": _Meter("interval", max_power=40.0),
    "pwr": _Meter("instantaneous"),
}
T0 = int(datetime(2024, 3, 1, 7, 0, tzinfo=UTC).timestamp())  # 15:00 park time
SLOT = 900


@pytest.fixture
def lw(sqlite_db: Database) -> Iterator[Database]:
    apply_park(sqlite_db, SYSTEM, parse_park_text(PARK_YAML, "lw.yaml"))
    yield sqlite_db


def _reset(db: Database, key: int) -> None:
    with db.transaction() as conn:
        for table in (hourly_rollups, corrections, readings):
            conn.execute(delete(table).where(table.c.meter_key == key))
        conn.execute(delete(quarantine))


def _values(kind: str, steps: list[float], faults: list[tuple[int, float]]) -> np.ndarray:
    """Register values (cumulative), quantities (interval) or power samples of the steps."""
    if kind == "cumulative":
        values = 500.0 + np.cumsum(steps)
        for k, fault in faults:  # spikes, drops, a reset: judged with look-ahead
            if k < values.size:
                values[k] = fault if fault >= 0 else values[k] + 100.0
        return values
    return np.asarray(steps, dtype=np.float64) * (4.0 if kind == "instantaneous" else 1.0)


Scenario = tuple[np.ndarray, list[tuple[int, float]], np.ndarray, np.ndarray]


@st.composite
def _scenarios(draw: st.DrawFn) -> Scenario:
    """Steps of a series, faults, the slots sent (an outage's slots never are) and each sent
    slot's batch."""
    n = draw(st.integers(3, 36))
    steps = draw(st.lists(st.floats(0.0, 8.0, allow_nan=False), min_size=n, max_size=n))
    faults = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from([-1.0, 0.0, 9000.0])), max_size=3)
    )
    gap = draw(st.lists(st.integers(0, n - 1), max_size=min(6, n - 2), unique=True))
    sent = np.setdiff1d(np.arange(n), gap)
    batches = draw(st.integers(1, 4))
    batch_of = draw(st.lists(st.integers(0, batches - 1), min_size=sent.size, max_size=sent.size))
    return np.array(steps), faults, sent, np.array(batch_of, dtype=np.int64)


def _stored(db: Database, key: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple]]:
    """The meter's stored readings (ts, value, quality) and hourly rollups, read in SQL."""
    with db.transaction() as conn:
        rows = conn.execute(
            select(readings.c.ts_s, readings.c.value, readings.c.quality)
            .where(readings.c.meter_key == key)
            .order_by(readings.c.ts_s)
        ).all()
        hours = conn.execute(
            select(hourly_rollups.c.hour_s, hourly_rollups.c.quantity,
                   hourly_rollups.c.estimated, hourly_rollups.c.coverage_s)
            .where(hourly_rollups.c.meter_key == key)
            .order_by(hourly_rollups.c.hour_s)
        ).all()  # fmt: skip
    ts = np.array([r[0] for r in rows], dtype=np.int64)
    value = np.array([r[1] for r in rows], dtype=np.float64)
    quality = np.array([r[2] for r in rows], dtype=np.uint8)
    return ts, value, quality, [tuple(h) for h in hours]


def _check(db: Database, meter: str, scenario: Scenario) -> None:
    steps, faults, sent, batch_of = scenario
    with db.transaction() as conn:
        key = int(conn.execute(select(meters.c.key).where(meters.c.id == meter)).scalar_one())
    _reset(db, key)
    values = _values(METERS[meter].kind, steps.tolist(), faults)
    ts = T0 + SLOT * np.arange(values.size)
    for batch in np.unique(batch_of)[::-1]:  # later batches first: the earliest arrive late
        records: list[dict[str, object]] = [
            {"meter": meter, "ts": datetime.fromtimestamp(int(ts[i]), UTC).isoformat(),
             "value": repr(float(values[i]))}
            for i in sent[batch_of == batch].tolist()
        ]  # fmt: skip
        ingest_records(db, SYSTEM, "lw", records, source=f"batch-{batch}")
    all_ts, all_value, all_quality, stored = _stored(db, key)
    assert all_ts.tolist() == ts[sent].tolist()
    derived = meter_hours(METERS[meter], all_ts, all_value, all_quality, TZ)
    full, full_result = derived.hours, derived.intervals
    assert [h[0] for h in stored] == full.hour_start_s.tolist()
    np.testing.assert_allclose([h[1] for h in stored], full.quantity, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(
        [h[2] for h in stored], full.estimated_quantity, rtol=1e-9, atol=1e-9
    )
    assert [h[3] for h in stored] == full.coverage_s.tolist()
    # The quarantine ends with the judgement of the whole series: one open record per reading
    # it sets aside, with its code and reason, however the readings were batched (a jump on
    # arrival that later readings show was a spike is closed as reclassified).
    with db.transaction() as conn:
        records = conn.execute(
            select(quarantine.c.code, quarantine.c.payload, quarantine.c.params)
            .where(quarantine.c.status == "open")
        ).all()  # fmt: skip
    judged = sorted((iso(r.ts_s), str(r.code), r.reason) for r in full_result.rejections)
    assert sorted((p["ts"], code, q["reason_en"]) for code, p, q in records) == judged


@pytest.mark.parametrize("meter", ["reg", "qty", "pwr"])
def test_batches_in_any_order_give_the_rollups_of_the_whole_series(
    lw: Database, meter: str
) -> None:
    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_scenarios())
    def run(scenario: Scenario) -> None:
        _check(lw, meter, scenario)

    run()
