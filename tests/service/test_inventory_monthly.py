"""The monthly carbon trend: months (plus records of a whole year or quarter) add up to the year."""

from __future__ import annotations

import pytest

from tests.service.inventory_park import PARK, SYSTEM, build, hour_s, ingest
from zeropark.domain.access import Principal
from zeropark.domain.accounting import METHODS
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import NotFound
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory, monthly_inventory, monthly_trend_to_dict

EF_CN_T_PER_MWH = 0.5703  # cn_national 2024 (see test_inventory.py)


def _build(db: Database) -> None:
    # January readings from inventory_park; March adds 2,000 kWh on the intake and tenant a.
    records = [
        ActivityRecord("t_b", "2024-05", "mobile_combustion", "柴油", 1.0, "吨"),
        ActivityRecord("t_a", "2024", "mobile_combustion", "柴油", 2.0, "吨"),
        ActivityRecord("t_a", "2024-Q3", "mobile_combustion", "柴油", 0.5, "吨"),
    ]
    build(db, records)
    march = [(hour_s(5, h, month=3), 200.0) for h in range(10)]
    ingest(db, {"main": march, "a_main": march})


def test_months_and_other_periods_add_up_to_the_year(db: Database) -> None:
    _build(db)
    trend = monthly_inventory(db, SYSTEM, PARK, 2024)
    year = compute_inventory(db, SYSTEM, PARK, 2024).inventory
    assert trend.months[0] == "2024-01" and len(trend.months) == 12
    for method in METHODS:
        months = sum(trend.gross_t[method].values())
        other = sum(trend.other_periods[method].values())
        assert months + other == pytest.approx(year.totals[method].gross_t, rel=1e-12)
        assert trend.year_gross_t[method] == pytest.approx(year.totals[method].gross_t)
    national = trend.gross_t["cn_national"]
    assert national["2024-03"] == pytest.approx(2.0 * EF_CN_T_PER_MWH)
    assert national["2024-05"] > 3.0  # one tonne of diesel
    assert national["2024-02"] == 0.0
    assert set(trend.other_periods["cn_national"]) == {"2024", "2024-Q3"}
    scopes = trend.by_scope["cn_national"]["2024-03"]
    assert scopes == pytest.approx({"2": 2.0 * EF_CN_T_PER_MWH})
    energy = sum(trend.energy_tce.values()) + sum(trend.other_energy_tce.values())
    assert energy == pytest.approx(year.energy.total_tce)


def test_without_year_records_the_months_are_the_year(sqlite_db: Database) -> None:
    build(sqlite_db)
    trend = monthly_inventory(sqlite_db, SYSTEM, PARK, 2024)
    year = compute_inventory(sqlite_db, SYSTEM, PARK, 2024).inventory
    for method in METHODS:
        assert trend.other_periods[method] == {}
        assert sum(trend.gross_t[method].values()) == pytest.approx(year.totals[method].gross_t)


def test_tenant_trend_is_its_own(sqlite_db: Database) -> None:
    _build(sqlite_db)
    tenant_a = Principal("a@ip", "tenant", frozenset({PARK}), tenant_id="t_a")
    trend = monthly_inventory(sqlite_db, tenant_a, PARK, 2024, tenant_id="t_a")
    national = trend.gross_t["cn_national"]
    assert national["2024-01"] == pytest.approx(0.4 * EF_CN_T_PER_MWH)
    assert national["2024-03"] == pytest.approx(2.0 * EF_CN_T_PER_MWH)
    assert national["2024-05"] == 0.0  # tenant b's diesel
    with pytest.raises(NotFound):
        monthly_inventory(sqlite_db, tenant_a, PARK, 2024, tenant_id="t_b")
    data = monthly_trend_to_dict(trend)
    assert data["schema"] == "zeropark.inventory_monthly/1"
    assert len(data["methods"]["cn_national"]["gross_tco2e"]) == 12
