"""Cumulative-register scenarios through the real file path, numbers checked by hand.

``main`` has multiplier 80: one register unit is 80 kWh; 2.5 units per 15 min = 200 kWh per slot
= 800 kWh per hour. Hours below are park-local (``"01 02"`` = 1 March, 02:00-03:00).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ingest_scenarios.conftest import (
    SLOT,
    T0,
    ingest,
    quarantine,
    rollups,
    series,
    stored,
    table_rows,
    write_csv,
)
from zeropark.domain.access import Principal
from zeropark.ingest.normalise import normalise_meter
from zeropark.service.database import Database
from zeropark.store.readings import meter_refs

pytestmark = pytest.mark.usefixtures("park")


def test_steady_load_gives_exact_hours(park: Database, tmp_path: Path) -> None:
    # 25 readings 00:00..06:00, register 1000 + 2.5 i: 6 hours × 4 slots × 2.5 × 80 = 800 kWh/h.
    report = ingest(
        park,
        write_csv(tmp_path / "steady.csv", series("main", T0, [1000 + 2.5 * i for i in range(25)])),
    )
    assert (report.received, report.accepted, report.rejected) == (25, 25, 0)
    assert rollups(park, "main") == {f"01 {h:02d}": (800.0, 0.0, 3600) for h in range(6)}
    # Total = (1060 - 1000) × 80 = 4800 kWh.
    assert sum(q for q, _, _ in rollups(park, "main").values()) == 4800.0


def test_outage_is_spread_over_its_slots_and_conserved(park: Database, tmp_path: Path) -> None:
    # 00:00..02:00 at 2.5/slot (register 1000 → 1020); no readings 02:15..04:45; at 05:00 the
    # register shows 1056: 36 units = 2880 kWh over 3 h → 12 slots of 240 kWh, 960 kWh per hour,
    # all estimated; then 2.5/slot again to 07:00 (1076).
    before = [1000 + 2.5 * i for i in range(9)]
    after = [1056 + 2.5 * i for i in range(9)]
    rows = series("main", T0, before) + series("main", T0 + 20 * SLOT, after)
    report = ingest(park, write_csv(tmp_path / "outage.csv", rows))
    assert report.estimated_intervals == 12
    hours = rollups(park, "main")
    assert hours["01 00"] == hours["01 01"] == (800.0, 0.0, 3600)
    for h in ("01 02", "01 03", "01 04"):
        assert hours[h] == pytest.approx((960.0, 960.0, 3600))
    # Nothing is dumped into the first hour after reconnection.
    assert hours["01 05"] == hours["01 06"] == (800.0, 0.0, 3600)
    # Conserved: (1076 - 1000) × 80 = 6080 = 2×800 + 3×960 + 2×800.
    assert sum(q for q, _, _ in hours.values()) == pytest.approx(6080.0)


def test_register_rollover(park: Database, tmp_path: Path) -> None:
    # 99995, 99997.5, then the register wraps at 100 000: 0, 2.5, ... 15 (02:00).
    values = [(99995 + 2.5 * i) % 100000 for i in range(9)]
    report = ingest(park, write_csv(tmp_path / "rollover.csv", series("main", T0, values)))
    assert report.rejected == 0
    # (15 + 100000 - 99995) × 80 = 1600 kWh in two hours of 800.
    assert rollups(park, "main") == {"01 00": (800.0, 0.0, 3600), "01 01": (800.0, 0.0, 3600)}


def test_meter_replacement_is_a_flagged_reset_never_negative(
    park: Database, tmp_path: Path
) -> None:
    # Old meter: 5000 + 50 i, 00:00..01:00 (50 kWh per slot). New meter from 01:15: 20, 70, ... 370.
    # 01:00→01:15 counts the new register from zero: 20 kWh, estimated.
    rows = series("sub", T0, [5000 + 50 * i for i in range(5)])
    rows += series("sub", T0 + 5 * SLOT, [20 + 50 * j for j in range(8)])
    report = ingest(park, write_csv(tmp_path / "reset.csv", rows))
    assert report.rejected == 0 and report.estimated_intervals == 1
    hours = rollups(park, "sub")
    assert hours == {
        "01 00": (200.0, 0.0, 3600),
        "01 01": (170.0, 20.0, 3600),  # 20 (estimated) + 3 × 50
        "01 02": (200.0, 0.0, 3600),
    }
    assert all(q >= 0 for q, _, _ in hours.values())


def test_upward_spike_is_quarantined_and_energy_conserved(park: Database, tmp_path: Path) -> None:
    # Steady 2.5/slot 00:00..03:00, but 01:30 reads 500 units too high (40 000 kWh in 15 min,
    # far above 2000 kW): a transient spike, discarded; 01:15→01:45 is spread over 2 slots.
    values = [1000 + 2.5 * i for i in range(13)]
    values[6] += 500
    report = ingest(park, write_csv(tmp_path / "spike.csv", series("main", T0, values)))
    assert dict(report.rejected_by_code) == {"spike": 1}
    assert report.accepted == 12 and report.received == 13
    (record,) = table_rows(park, quarantine)
    assert (record["code"], record["field"], record["value"]) == ("spike", "value", "1515.0")
    assert "excluded from derived quantities" in record["reason"]
    assert record["payload"]["ts"] == "2024-02-29T17:30:00Z"
    hours = rollups(park, "main")
    assert hours["01 01"] == pytest.approx((800.0, 400.0, 3600))  # 2 spread slots of 200
    # Conservation report: derived total = register difference (1030 - 1000) × 80 = 2400.
    with park.transaction() as conn:
        ref = meter_refs(conn, Principal.system(), "sp", ["main"])["main"]
    ts, value, _ = (np.asarray(c) for c in zip(*stored(park, "main"), strict=True))
    balance = normalise_meter(ref, ts.astype(np.int64), value.astype(float)).conservation
    assert balance is not None
    assert balance.derived_total == pytest.approx(2400.0)
    assert balance.register_difference == pytest.approx(2400.0)
    assert balance.residual == pytest.approx(0.0, abs=1e-9)
    assert sum(q for q, _, _ in hours.values()) == pytest.approx(2400.0)


def test_reading_61_minutes_after_the_last(park: Database, tmp_path: Path) -> None:
    # 480 kW = 8 kWh/min = 1.5 units per slot: 00:00..01:00 (1000..1006). Next reading at 02:01
    # (61 min later): +6.1 units = 488 kWh, spread pro rata over 01:00-01:15 … 01:45-02:00
    # (4 × 120) and 02:00-02:01 (8), estimated. Then 02:15 (+14 min = 112), 02:30..03:00 (+120).
    rows = series("main", T0, [1000 + 1.5 * i for i in range(5)])
    rows += [("main", "2024-03-01T02:01", "1012.1"), ("main", "2024-03-01T02:15", "1013.5")]
    rows += series("main", T0 + 10 * SLOT, [1015.0, 1016.5, 1018.0])
    report = ingest(park, write_csv(tmp_path / "late61.csv", rows))
    assert report.rejected == 0 and report.estimated_intervals == 5
    hours = rollups(park, "main")
    assert hours["01 00"] == (480.0, 0.0, 3600)
    assert hours["01 01"] == pytest.approx((480.0, 480.0, 3600))
    assert hours["01 02"] == pytest.approx((480.0, 8.0, 3600))  # 8 + 112 + 3 × 120
    assert sum(q for q, _, _ in hours.values()) == pytest.approx((1018 - 1000) * 80)
