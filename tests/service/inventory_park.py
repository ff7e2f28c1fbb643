"""A small applied park for inventory tests, with readings through the real ingest path.

Park ``ip`` (Jiangsu): ``main`` (park intake, 1,000 kWh in January 2024) is the parent of the
tenant mains ``a_main`` (400 kWh) and ``b_main`` (500 kWh); ``a_sub`` (150 kWh) is a sub-meter of
``a_main``; ``b_gas`` (tenant b, no parent, 100 Nm3 natural gas); ``bess_out`` has no mapping.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.park import AccountingMapping, Meter, Park, ParkSpec, Tenant
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.store.activities import write_activities
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test-admin")
PARK = "ip"
TZ = "Asia/Shanghai"
#: Meter → total of ten hourly readings in January 2024 (meter unit).
TOTALS = {
    "main": 1000.0,
    "a_main": 400.0,
    "a_sub": 150.0,
    "b_main": 500.0,
    "b_gas": 100.0,
    "bess_out": 80.0,
}


def _meter(
    ident: str,
    carrier: str,
    unit: str,
    category: str | None,
    *,
    parent=None,
    tenant=None,
    item=None,
) -> Meter:
    acc = AccountingMapping(category=category, sector="industry", item=item) if category else None
    return Meter(
        id=ident,
        carrier=carrier,
        unit=unit,
        kind="interval",
        interval_s=3600,
        parent=parent,
        tenant=tenant,
        accounting=acc,
    )


def spec() -> ParkSpec:
    return ParkSpec(
        park=Park(id=PARK, name="测试园区", type="manufacturing", province="江苏"),
        tenants=[Tenant(id="t_a", name="甲公司"), Tenant(id="t_b", name="乙公司")],
        meters=[
            _meter("main", "electricity", "kWh", "purchased_electricity"),
            _meter(
                "a_main", "electricity", "kWh", "purchased_electricity", parent="main", tenant="t_a"
            ),
            _meter(
                "a_sub",
                "electricity",
                "kWh",
                "purchased_electricity",
                parent="a_main",
                tenant="t_a",
            ),
            _meter(
                "b_main", "electricity", "kWh", "purchased_electricity", parent="main", tenant="t_b"
            ),
            _meter(
                "b_gas", "natural_gas", "Nm3", "fuel_combustion", tenant="t_b", item="natural_gas"
            ),
            _meter("bess_out", "electricity", "kWh", None),
        ],
    )


def hour_s(day: int, hour: int, month: int = 1) -> int:
    return int(datetime(2024, month, day, hour, tzinfo=ZoneInfo(TZ)).timestamp())


def ingest(db: Database, values: dict[str, list[tuple[int, float]]], quality: int = 0) -> None:
    meters = [m for m, rows in values.items() for _ in rows]
    parsed = ParsedReadings(
        meter=np.array(meters, dtype=object),
        ts_s=np.array([ts for rows in values.values() for ts, _ in rows], np.int64),
        value=np.array([v for rows in values.values() for _, v in rows], np.float64),
        quality=np.full(len(meters), quality, np.uint8),
        row=np.full(len(meters), -1, np.int64),
    )
    with db.transaction() as conn:
        ingest_parsed(conn, SYSTEM, PARK, TZ, parsed, IngestReport("test"))


def build(db: Database, records: list[ActivityRecord] = ()) -> None:  # type: ignore[assignment]
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec())
    ingest(
        db, {m: [(hour_s(2, h), total / 10) for h in range(1, 11)] for m, total in TOTALS.items()}
    )
    if records:
        with db.transaction() as conn:
            write_activities(conn, SYSTEM, PARK, records, source="test")
