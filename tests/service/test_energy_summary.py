"""The energy summary's year-on-year and month-on-month, by hand, on a small park.

Readings (hourly, Asia/Shanghai): the intake ``main`` 10 kWh/h over 10 Jan 2023 (240 kWh),
15 kWh/h over 10 Jan 2024 (360 kWh) and 12 kWh/h over 10 Feb 2024 (288 kWh); tenant A's gas
meter 100 Nm3 on 10 Jan 2024. Coefficients of GB/T 2589-2020 附录A 表A.1 as in the factor
library: electricity 0.1229 kgce/kWh (equivalent value), natural gas 1.33 kgce/Nm3.

- January 2024: 360 × 0.1229 / 1000 + 100 × 1.33 / 1000 = 0.044244 + 0.133 = 0.177244 tce;
  January 2023: 240 × 0.1229 / 1000 = 0.029496 tce; year on year 0.177244 / 0.029496 − 1;
- February 2024: 288 × 0.1229 / 1000 = 0.0353952 tce; month on month 0.0353952 / 0.177244 − 1;
- electricity 2024 against 2023: (360 + 288) / 240 − 1 = 1.7.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from zeropark.domain.access import Principal
from zeropark.domain.park import AccountingMapping, Meter, Park, ParkSpec, Tenant
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.database import Database
from zeropark.service.energy.summary import energy_summary
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test")
PARK, TZ = "es", "Asia/Shanghai"


def _spec() -> ParkSpec:
    electricity = AccountingMapping(category="purchased_electricity", sector="industry")
    gas = AccountingMapping(category="fuel_combustion", sector="industry", item="natural_gas")
    return ParkSpec(
        park=Park(id=PARK, name="同比园区", type="mixed", province="江苏", timezone=TZ),
        tenants=[Tenant(id="t_a", name="甲")],
        meters=[
            Meter(id="main", carrier="electricity", unit="kWh", kind="interval",
                  interval_s=3600, accounting=electricity),
            Meter(id="gas_a", carrier="natural_gas", unit="Nm3", kind="interval",
                  interval_s=3600, accounting=gas, tenant="t_a"),
        ],
    )  # fmt: skip


def _day(year: int, month: int, meter: str, per_hour: float) -> list[tuple[str, int, float]]:
    start = int(datetime(year, month, 10, tzinfo=ZoneInfo(TZ)).timestamp())
    return [(meter, start + 3600 * (h + 1), per_hour) for h in range(24)]


def _build(db: Database) -> None:
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(_spec())
    rows = _day(2023, 1, "main", 10.0) + _day(2024, 1, "main", 15.0) + _day(2024, 2, "main", 12.0)
    rows += _day(2024, 1, "gas_a", 100.0 / 24)
    parsed = ParsedReadings(
        meter=np.array([m for m, _, _ in rows], dtype=object),
        ts_s=np.array([t for _, t, _ in rows], np.int64),
        value=np.array([v for _, _, v in rows], np.float64),
        quality=np.zeros(len(rows), np.uint8),
        row=np.full(len(rows), -1, np.int64),
    )
    with db.transaction() as conn:
        ingest_parsed(conn, SYSTEM, PARK, TZ, parsed, IngestReport("test"))


def test_year_on_year_and_month_on_month_by_hand(sqlite_db: Database) -> None:
    _build(sqlite_db)
    doc = energy_summary(sqlite_db, SYSTEM, PARK, 2024)
    months = doc["months"]
    jan, feb = 0.044244 + 0.133, 0.0353952
    assert months["total_tce"][:3] == pytest.approx([jan, feb, 0.0], rel=1e-9)
    assert months["previous_year_tce"][0] == pytest.approx(0.029496, rel=1e-9)
    assert months["yoy"][0] == pytest.approx(jan / 0.029496 - 1, rel=1e-9)
    assert months["yoy"][1] is None  # February 2023 has no data
    assert months["mom"][1] == pytest.approx(feb / jan - 1, rel=1e-9)
    assert months["mom"][0] is None and months["mom"][2] is None
    carriers = {c["carrier"]: c for c in doc["carriers"]}
    assert carriers["electricity"]["yoy"] == pytest.approx((360 + 288) / 240 - 1, rel=1e-9)
    assert carriers["natural_gas"]["yoy"] is None  # no gas the year before
    assert carriers["natural_gas"]["quantities"] == [
        {"unit": "Nm3", "quantity": pytest.approx(100.0, rel=1e-9)}
    ]
    assert doc["total_tce"] == pytest.approx(jan + feb, rel=1e-9)
    # the gas is tenant A's, the electricity the park's intake with no tenant meter below it
    rec = {g["carrier"]: g for g in doc["reconciliation"]["groups"]}
    assert rec["natural_gas"]["tenants"] == pytest.approx(100.0)
    assert rec["electricity"]["common_metered"] == pytest.approx(648.0)
    assert doc["reconciliation"]["balance"]["closes"] is True
