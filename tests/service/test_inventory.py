"""Inventories from stored data: hand-checked small park, meter hierarchy, access, double counts."""

from __future__ import annotations

import pytest

from tests.service.inventory_park import PARK, SYSTEM, build
from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import NotFound, PermissionDenied
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory, meter_roles
from zeropark.store.inventories import AccountingMeter

# Hand-checked (factor library 2024 values):
# electricity: cn_national 0.5703 tCO2/MWh (MEE enterprise reporting 2024 national factor)
EF_CN_T_PER_MWH = 0.5703
# natural gas 100 Nm3: 0.01 万Nm3 × 389.31 GJ/万Nm3 × 0.0153 tC/GJ × 0.99 × 44/12
GAS_100_NM3_T = 0.01 * 389.31 * 0.0153 * 0.99 * 44 / 12


def test_park_counts_each_quantity_once(db: Database) -> None:
    build(db)
    stored = compute_inventory(db, SYSTEM, PARK, 2024)
    national = stored.inventory.totals["cn_national"]
    # Only the intake (1,000 kWh) counts: a_main, b_main and a_sub are sub-meters.
    assert national.by_category["purchased_electricity"] == pytest.approx(1.0 * EF_CN_T_PER_MWH)
    assert national.by_category["fuel_combustion"] == pytest.approx(GAS_100_NM3_T)
    assert pytest.approx(0.2162188809) == GAS_100_NM3_T
    roles = {m.id: m.role for m in stored.meters}
    assert roles == {
        "main": "counted",
        "b_gas": "counted",
        "a_main": "sub_meter",
        "a_sub": "sub_meter",
        "b_main": "sub_meter",
        "bess_out": "unmapped",
    }
    assert national.by_entity == pytest.approx({"ip": EF_CN_T_PER_MWH, "t_b": GAS_100_NM3_T})


def test_tenant_inventory_uses_the_tenants_topmost_meters(db: Database) -> None:
    build(db)
    a = compute_inventory(db, SYSTEM, PARK, 2024, tenant_id="t_a")
    assert {m.id: m.role for m in a.meters} == {"a_main": "counted", "a_sub": "sub_meter"}
    assert a.inventory.totals["cn_national"].gross_t == pytest.approx(0.4 * EF_CN_T_PER_MWH)
    b = compute_inventory(db, SYSTEM, PARK, 2024, tenant_id="t_b")
    assert b.inventory.totals["cn_national"].gross_t == pytest.approx(
        0.5 * EF_CN_T_PER_MWH + GAS_100_NM3_T
    )
    assert b.coverage == pytest.approx(10 * 3600 / (366 * 86400))


def test_tenant_principal_sees_only_its_own_inventory(sqlite_db: Database) -> None:
    build(sqlite_db)
    tenant_a = Principal("a@example.com", "tenant", frozenset({PARK}), tenant_id="t_a")
    own = compute_inventory(sqlite_db, tenant_a, PARK, 2024, tenant_id="t_a")
    assert own.inventory.totals["cn_national"].gross_t == pytest.approx(0.4 * EF_CN_T_PER_MWH)
    with pytest.raises(NotFound):
        compute_inventory(sqlite_db, tenant_a, PARK, 2024, tenant_id="t_b")
    with pytest.raises(PermissionDenied):
        compute_inventory(sqlite_db, tenant_a, PARK, 2024)


def test_record_duplicating_a_meter_is_reported_not_counted(db: Database) -> None:
    gas = ActivityRecord("t_b", "2024-01", "fuel_combustion", "天然气", 0.01, "万Nm3")
    diesel = ActivityRecord("t_b", "2024-01", "mobile_combustion", "柴油", 1.0, "吨")
    build(db, [gas, diesel])
    stored = compute_inventory(db, SYSTEM, PARK, 2024)
    (dup,) = stored.inventory.double_counting
    assert (dup.entity, dup.item, dup.coverage) == ("t_b", "natural_gas", "full")
    assert dup.meter_refs == ("meter:b_gas",)
    national = stored.inventory.totals["cn_national"]
    assert national.by_category["fuel_combustion"] == pytest.approx(GAS_100_NM3_T)
    assert national.by_category["mobile_combustion"] > 3.0  # the diesel record still counts
    assert stored.records == 2


def _m(ident: str, parent: str | None, tenant: str | None, category: str | None):
    return AccountingMeter(
        0, ident, None, tenant, parent, "electricity", "kWh", category, None, None
    )


def test_meter_roles_walk_through_unmapped_parents() -> None:
    meters = {
        "intake": _m("intake", None, None, None),  # unmapped intake: children count
        "t1": _m("t1", "intake", "T", "purchased_electricity"),
        "t1_sub": _m("t1_sub", "t1", "T", "purchased_electricity"),
        "deep": _m("deep", "x", "T", "purchased_electricity"),
        "x": _m("x", "t1", None, None),
    }
    assert meter_roles(meters) == {
        "intake": "unmapped",
        "t1": "counted",
        "t1_sub": "sub_meter",
        "deep": "sub_meter",
        "x": "unmapped",
    }
    assert meter_roles(meters, "T") == {"t1": "counted", "t1_sub": "sub_meter", "deep": "sub_meter"}
