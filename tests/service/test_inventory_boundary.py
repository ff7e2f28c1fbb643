"""Stored-data inventories at their own boundary: the green-electricity check, not-quantified
scope-3 lines, liquid fuels by volume, and the regulator's park-level view."""

from __future__ import annotations

import json

import pytest

from tests.service.inventory_park import PARK, SYSTEM, build
from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import NotFound, PermissionDenied
from zeropark.service.database import Database
from zeropark.service.inventory import (
    compute_inventory,
    park_indicators,
    park_indicators_to_dict,
    stored_inventory_to_dict,
)

# a_main (tenant t_a) measured 400 kWh; the park intake ``main`` 1,000 kWh (entity ``ip``).


def _green(mwh: float) -> ActivityRecord:
    return ActivityRecord("t_a", "2024", "green_electricity", "绿证", mwh, "MWh")


def _excess(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "green electricity exceeds" in w]


def test_green_certificates_of_a_tenant_are_checked_against_the_park_intake(
    sqlite_db: Database,
) -> None:
    # 0.6 MWh of certificates: more than t_a's own 0.4 MWh, less than the park's 1.0 MWh.
    build(sqlite_db, [_green(0.6)])
    park = compute_inventory(sqlite_db, SYSTEM, PARK, 2024)
    assert _excess(park.inventory.warnings) == []  # a per-entity check warned for t_a here
    tenant = compute_inventory(sqlite_db, SYSTEM, PARK, 2024, tenant_id="t_a")
    (warning,) = _excess(tenant.inventory.warnings)
    assert warning.startswith("t_a 2024:") and "0.2 MWh" in warning


def test_green_beyond_the_park_intake_is_warned_at_park_level(sqlite_db: Database) -> None:
    build(sqlite_db, [_green(1.5)])
    (warning,) = _excess(compute_inventory(sqlite_db, SYSTEM, PARK, 2024).inventory.warnings)
    assert warning.startswith("ip 2024:") and "0.5 MWh" in warning


def test_scope3_records_without_factor_are_listed_not_counted(sqlite_db: Database) -> None:
    waste = ActivityRecord("t_b", "2024-01", "waste", "一般工业固废", 3.0, "吨")
    build(sqlite_db, [waste])
    stored = compute_inventory(sqlite_db, SYSTEM, PARK, 2024)
    (aside,) = stored.not_quantified
    assert (aside.entity, aside.category, aside.item, aside.quantity) == (
        "t_b",
        "waste",
        "一般工业固废",
        3.0,
    )
    data = stored_inventory_to_dict(stored)
    assert data["not_quantified"][0]["ref"] == "record:t_b/2024-01/waste/一般工业固废"


def test_diesel_record_in_litres_uses_the_density_factor(sqlite_db: Database) -> None:
    litres = ActivityRecord("t_b", "2024-02", "mobile_combustion", "柴油", 1000.0, "升")
    build(sqlite_db, [litres])
    stored = compute_inventory(sqlite_db, SYSTEM, PARK, 2024)
    diesel = next(r for r in stored.inventory.results if r.line.item == "diesel")
    assert (diesel.activity_value, diesel.activity_unit) == (pytest.approx(0.8275), "t")
    assert "density" in {f.role for f in diesel.factors}


def test_regulator_reads_park_level_indicators_only(sqlite_db: Database) -> None:
    build(sqlite_db, [_green(0.3)])
    regulator = Principal("reg@gov.example", "regulator", frozenset({PARK}))
    view = park_indicators(sqlite_db, regulator, PARK, 2024)
    full = compute_inventory(sqlite_db, SYSTEM, PARK, 2024).inventory
    for method, totals in full.totals.items():
        assert view.totals[method].gross_t == pytest.approx(totals.gross_t)
    assert view.energy.total_tce == pytest.approx(full.energy.total_tce)
    assert view.indicator.co2_t == pytest.approx(full.park.co2_t)
    data = park_indicators_to_dict(view)
    text = json.dumps(data, ensure_ascii=False)
    for tenant_level in ("t_a", "t_b", "甲公司", "乙公司", "a_main", "b_gas", "main", "record:"):
        assert tenant_level not in text, tenant_level
    assert not {"lines", "boundary", "by_entity", "warnings", "double_counting"} & _keys(data)


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_regulator_of_another_park_gets_not_found(sqlite_db: Database) -> None:
    build(sqlite_db)
    elsewhere = Principal("reg@gov.example", "regulator", frozenset({"other_park"}))
    with pytest.raises(NotFound):
        park_indicators(sqlite_db, elsewhere, PARK, 2024)


def test_tenant_may_not_read_park_indicators(sqlite_db: Database) -> None:
    build(sqlite_db)
    tenant = Principal("a@example.com", "tenant", frozenset({PARK}), tenant_id="t_a")
    with pytest.raises(PermissionDenied):
        park_indicators(sqlite_db, tenant, PARK, 2024)
