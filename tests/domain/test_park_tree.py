"""The meter tree: of a set of members only the topmost count, under every view of the park."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zeropark.domain.park_tree import (
    ancestors,
    carrier_meters,
    group_meters,
    meter_roles,
    topmost,
)

#   intake (purchased)
#   ├── t1 (tenant T, purchased) ── t1_sub (T, purchased)
#   │                            └─ x (unmapped) ── deep (T, purchased)
#   ├── common (no tenant, purchased)
#   └── pv (onsite_renewable)
#   export (exported_electricity)
PARENT = {
    "intake": None,
    "t1": "intake",
    "t1_sub": "t1",
    "x": "t1",
    "deep": "x",
    "common": "intake",
    "pv": "intake",
    "export": None,
}
CATEGORY = {
    "intake": "purchased_electricity",
    "t1": "purchased_electricity",
    "t1_sub": "purchased_electricity",
    "x": None,
    "deep": "purchased_electricity",
    "common": "purchased_electricity",
    "pv": "onsite_renewable",
    "export": "exported_electricity",
}
TENANT = {"t1": "T", "t1_sub": "T", "deep": "T"}


def test_ancestors_stop_at_a_cycle_and_at_unknown_parents() -> None:
    assert ancestors("deep", PARENT) == ["x", "t1", "intake"]
    assert ancestors("a", {"a": "b", "b": "c", "c": "a"}) == ["b", "c"]
    assert ancestors("a", {"a": "gone"}) == []


def test_park_inventory_counts_the_intake_and_the_export() -> None:
    roles = meter_roles(PARENT, CATEGORY)
    assert roles == {
        "intake": "counted",
        "t1": "sub_meter",
        "t1_sub": "sub_meter",
        "x": "unmapped",
        "deep": "sub_meter",
        "common": "sub_meter",
        "pv": "sub_meter",
        "export": "counted",
    }


def test_tenant_inventory_counts_its_topmost_meter_through_unmapped_parents() -> None:
    roles = meter_roles(PARENT, CATEGORY, boundary=set(TENANT))
    assert roles == {"t1": "counted", "t1_sub": "sub_meter", "deep": "sub_meter"}


def test_carrier_balance_subtracts_exports() -> None:
    assert carrier_meters(PARENT, CATEGORY) == {"intake": 1.0, "export": -1.0}


def test_groups_never_add_the_intake_on_top_of_its_tenants() -> None:
    # intake (no tenant) feeds a tenant meter: not counted; PV and export are no consumption.
    counted = group_meters(PARENT, CATEGORY, TENANT)
    assert counted["t1"] == "T"
    assert not {"intake", "t1_sub", "deep", "pv", "export"} & set(counted)
    # a meter of no tenant beside the tenants, with nothing grouped below it, counts
    beside = {**PARENT, "lights": None}
    assert group_meters(beside, {**CATEGORY, "lights": "purchased_electricity"}, TENANT) == {
        "t1": "T",
        "common": None,
        "lights": None,
    }


def test_common_meters_under_the_intake_count_and_storage_charging_does_not() -> None:
    # Issue #11: the common meter under the intake was dropped with the intake (the by-tenant
    # energy hid the common part); a battery's charging is no use of energy.
    parent = {**PARENT, "charge": "intake", "common_sub": "common"}
    category = {
        **CATEGORY,
        "charge": "purchased_electricity",
        "common_sub": "purchased_electricity",
    }
    counted = group_meters(parent, category, TENANT, storage={"charge"})
    assert counted == {"t1": "T", "common": None}


@st.composite
def forests(draw: st.DrawFn) -> tuple[dict[str, str | None], dict[str, str | None]]:
    n = draw(st.integers(1, 12))
    ids = [f"m{i}" for i in range(n)]
    parent: dict[str, str | None] = {}
    for m in ids:
        # parents point anywhere (cycles included: the walk must stop)
        parent[m] = draw(st.one_of(st.none(), st.sampled_from(ids)))
        if parent[m] == m:
            parent[m] = None
    category = {m: draw(st.sampled_from([None, "purchased_electricity"])) for m in ids}
    return parent, category


@given(forests())
def test_every_mapped_meter_is_counted_once_or_below_a_counted_one(
    forest: tuple[dict[str, str | None], dict[str, str | None]],
) -> None:
    parent, category = forest
    roles = meter_roles(parent, category)
    counted = {m for m, r in roles.items() if r == "counted"}
    assert counted == set(topmost([m for m in parent if category[m]], parent))
    for m, role in roles.items():
        above = ancestors(m, parent)
        if role == "counted":
            assert not any(a in counted for a in above)  # no counted meter is inside another
        elif role == "sub_meter":
            assert any(category[a] for a in above)
        else:
            assert category[m] is None
