"""A small park and helpers for the data-integration scenarios (real files, real databases).

Park ``sp`` (Asia/Shanghai, UTC+8, no DST):

- ``main``: cumulative kWh register, multiplier 80 (CT ratio), register_max 100 000 (modulus),
  15-min readings, max_power 2000 kW — a rise of more than 2000/80 = 25 register units per hour
  is impossible;
- ``sub``: tenant ``t_a``'s cumulative kWh register, multiplier 1, register_max 10 000,
  max_power 500 kW;
- virtual meter ``rest = main - sub``.

Readings are written in park-local time without offset (``2024-03-01T00:15``), as users do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_readings_file
from zeropark.service.park_file import parse_park_text
from zeropark.service.parks import apply_park
from zeropark.store.schema import (
    audit_log,
    corrections,
    hourly_rollups,
    meters,
    quarantine,
    readings,
)

SYSTEM = Principal.system()
PARK = "sp"
PARK_YAML = """
version: 1
park: {id: sp, name: 情景园区, type: manufacturing, province: 江苏, timezone: Asia/Shanghai}
tenants:
  - {id: t_a, name: 甲公司}
meters:
  - {id: main, carrier: electricity, unit: kWh, kind: cumulative, multiplier: 80,
     register_max: 100000, interval_s: 900, max_power: 2000,
     accounting: {category: purchased_electricity, sector: industry}}
  - {id: sub, carrier: electricity, unit: kWh, kind: cumulative, parent: main, tenant: t_a,
     register_max: 10000, interval_s: 900, max_power: 500,
     accounting: {category: purchased_electricity, sector: industry}}
virtual_meters:
  - {id: rest, carrier: electricity, unit: kWh, expression: "main - sub"}
"""
T0 = datetime(2024, 3, 1)  # park-local midnight = 2024-02-29T16:00Z
SLOT = timedelta(minutes=15)


def local(ts: datetime) -> str:
    """Park-local ISO text without offset, as a user writes it."""
    return ts.isoformat(timespec="minutes")


def series(meter: str, start: datetime, values: Iterable[float]) -> list[tuple[str, str, str]]:
    """Rows of a 15-min register series starting at ``start``."""
    return [(meter, local(start + i * SLOT), f"{v:.6g}") for i, v in enumerate(values)]


def write_csv(path: Path, rows: Iterable[tuple[str, ...]], header: str = "meter,ts,value") -> Path:
    """A readings CSV file."""
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def ingest(db: Database, path: Path, **kwargs: Any) -> IngestReport:
    """The real file path of the pipeline."""
    return ingest_readings_file(db, SYSTEM, PARK, path, **kwargs)


@pytest.fixture
def park(db: Database) -> Database:
    """``db`` with the scenario park applied."""
    apply_park(db, SYSTEM, parse_park_text(PARK_YAML, "park.yaml"))
    return db


@contextmanager
def fresh_park(path: Path) -> Iterator[Database]:
    """The scenario park in a new SQLite file (a clean import to compare with)."""
    clean = Database(f"sqlite:///{path}")
    apply_park(clean, SYSTEM, parse_park_text(PARK_YAML, "park.yaml"))
    try:
        yield clean
    finally:
        clean.dispose()


def same_hours(
    a: dict[str, tuple[float, float, int]], b: dict[str, tuple[float, float, int]]
) -> bool:
    """Equal hours, and equal values up to float rounding (1e-9 relative)."""
    return a.keys() == b.keys() and all(
        a[h][2] == b[h][2] and a[h][:2] == pytest.approx(b[h][:2], rel=1e-9, abs=1e-9) for h in a
    )


def rollups(db: Database, meter: str) -> dict[str, tuple[float, float, int]]:
    """Hourly rollups of a meter: park-local hour → (quantity, estimated, coverage_s)."""
    with db.transaction() as conn:
        rows = conn.execute(
            select(hourly_rollups.c.hour_s, hourly_rollups.c.quantity, hourly_rollups.c.estimated,
                   hourly_rollups.c.coverage_s)
            .join(meters, meters.c.key == hourly_rollups.c.meter_key)
            .where(meters.c.id == meter)
            .order_by(hourly_rollups.c.hour_s)
        ).all()  # fmt: skip
    hour = lambda s: (datetime(1970, 1, 1) + timedelta(seconds=s + 8 * 3600)).strftime("%d %H")  # noqa: E731
    return {hour(h): (q, e, c) for h, q, e, c in rows}


def stored(db: Database, meter: str) -> list[tuple[int, float, int]]:
    """Stored readings of a meter: (ts_s, value, quality)."""
    with db.transaction() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(readings.c.ts_s, readings.c.value, readings.c.quality)
                .join(meters, meters.c.key == readings.c.meter_key)
                .where(meters.c.id == meter)
                .order_by(readings.c.ts_s)
            )
        ]


def table_rows(db: Database, table: Any) -> list[dict[str, Any]]:
    """Every row of a table (quarantine, audit_log, corrections), in id order."""
    order = table.c.seq if table is audit_log else table.c.id
    with db.transaction() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(order))]


__all__ = ["audit_log", "corrections", "quarantine"]
