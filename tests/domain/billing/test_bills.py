"""Month billing checked against a calculation by hand (docs/billing.md).

Two tenants A and B and the park's own meters over four hours, bands valley, peak, flat, peak;
prices (excl. VAT) valley 0.30, flat 0.60, peak 1.00 CNY/kWh; demand 40 CNY/kW·month; fixed
100 CNY; on-site PV at 0.85 × the band price; floor areas A 6,000, B 3,000, park 1,000 m².

Loads [kWh]: A 100, 200, 100, 100; B 50, 100, 50, 100; park 10, 20, 10, 0.
PV used on site: 0, 64, 16, 0. Intake import G: 170, 270, 150, 210.

By hand:

- PV shares: hour 1 loads 320, PV 64 → 20 %: A 40, B 20, park 4; hour 2 loads 160, PV 16 →
  10 %: A 10, B 5, park 1.
- A grid energy: valley 100, peak (200 − 40) + 100 = 260, flat 100 − 10 = 90 →
  30.00 + 260.00 + 54.00 = 344.00. B: valley 50, peak 80 + 100 = 180, flat 45 →
  15.00 + 180.00 + 27.00 = 222.00.
- Supplier: valley 170 × 0.30 = 51.00, peak 480 × 1.00 = 480.00, flat 150 × 0.60 = 90.00;
  demand max G = 270 kW × 40 = 10,800.00; fixed 100.00; subtotal 11,521.00; VAT 13 %
  1,497.73; total 13,018.73.
- Demand by coincident peak (hour 1: A 200, B 100, park 20 of 320): A 6,750.00,
  B 3,375.00, park 675.00.
- Common pool 51 + 480 + 90 + 100 − 344 − 222 = 155.00; floor area 60/30/10 %: A 93.00,
  B 46.50, park 15.50.
- PV: A 40 × 0.85 + 10 × 0.51 = 34.00 + 5.10 = 39.10; B 17.00 + 2.55 = 19.55.
- A electricity 344 + 6,750 + 93 = 7,187.00, VAT 934.31, total 8,121.31; PV 39.10 + VAT 5.08
  = 44.18; bill 8,165.49. B electricity 3,643.50, VAT 473.66 (473.655 half up), total
  4,117.16; PV 19.55 + 2.54 = 22.09; bill 4,139.25.
- Park retained: subtotal 11,521.00 − 7,187.00 − 3,643.50 = 690.50 (= 675.00 + 15.50), VAT
  1,497.73 − 934.31 − 473.66 = 89.76; 8,121.31 + 4,117.16 + 780.26 = 13,018.73.
- Gas (3.00 CNY/Nm³, VAT 9 %): supplier 1,000 Nm³ = 3,000.00 (VAT 270.00); A 600 → 1,800.00,
  B 300 → 900.00; pool 300.00: A 180.00, B 90.00, park 30.00; A VAT 178.20, B 89.10.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zeropark.domain.billing.bills import (
    PARK,
    PV_SECTION,
    CarrierMonth,
    ElectricityMonth,
    MonthInput,
    allocate,
    bill_month,
)
from zeropark.domain.billing.tariff_spec import (
    CommonCosts,
    DemandCharge,
    ElectricityTariff,
    FlatTariff,
    OnsitePv,
    Tariffs,
    TariffSeason,
)
from zeropark.errors import InputError

D = Decimal
TARIFFS = Tariffs(
    electricity=ElectricityTariff(
        seasons=[
            TariffSeason(
                months=list(range(1, 13)),
                prices_cny_per_kwh={"peak": 1.0, "flat": 0.6, "valley": 0.3},
            )
        ],
        vat_rate=0.13,
        demand=DemandCharge(basis="max_demand", price_cny_per_kw_month=40.0),
        fixed_cny_per_month=100.0,
        onsite_pv=OnsitePv(price_factor=0.85),
    ),
    others=[FlatTariff(carrier="natural_gas", unit="Nm3", price_cny_per_unit=3.0, vat_rate=0.09)],
    common_costs=CommonCosts(key="floor_area"),
)


def _input(**changes: object) -> MonthInput:
    base = {
        "month": 3,
        "tenants": ["A", "B"],
        "floor_area_m2": {"A": 6000.0, "B": 3000.0, PARK: 1000.0},
        "electricity": ElectricityMonth(
            bands=["valley", "peak", "flat", "peak"],
            grid_kwh=np.array([170.0, 270.0, 150.0, 210.0]),
            pv_self_kwh=np.array([0.0, 64.0, 16.0, 0.0]),
            loads_kwh={
                "A": np.array([100.0, 200.0, 100.0, 100.0]),
                "B": np.array([50.0, 100.0, 50.0, 100.0]),
                PARK: np.array([10.0, 20.0, 10.0, 0.0]),
            },
        ),
        "others": [CarrierMonth("natural_gas", 1000.0, {"A": 600.0, "B": 300.0, PARK: 50.0})],
    }
    base.update(changes)
    return MonthInput(**base)  # type: ignore[arg-type]


def _amounts(bill_lines: tuple, section: str, kind: str) -> dict:
    return {x.band: x.amount_cny for x in bill_lines if x.section == section and x.kind == kind}


def test_bills_match_the_hand_calculation() -> None:
    month = bill_month(TARIFFS, _input())
    supplier = month.suppliers["electricity"]
    assert supplier.kwh_by_band == {"peak": 480.0, "flat": 150.0, "valley": 170.0}
    assert supplier.max_demand_kw == 270.0
    assert supplier.total.subtotal_cny == D("11521.00")
    assert supplier.total.vat_cny == D("1497.73")
    a, b = month.bills["A"], month.bills["B"]
    assert a.kwh_by_band == pytest.approx({"valley": 100, "peak": 260, "flat": 90})
    assert a.pv_kwh_by_band == pytest.approx({"peak": 40, "flat": 10})
    assert _amounts(a.lines, "electricity", "energy") == {
        "valley": D("30.00"),
        "peak": D("260.00"),
        "flat": D("54.00"),
    }
    assert _amounts(a.lines, "electricity", "demand") == {None: D("6750.00")}
    assert _amounts(b.lines, "electricity", "demand") == {None: D("3375.00")}
    assert month.common_pool_cny["electricity"] == D("155.00")
    assert _amounts(a.lines, "electricity", "common") == {None: D("93.00")}
    assert _amounts(b.lines, "electricity", "common") == {None: D("46.50")}
    assert _amounts(a.lines, PV_SECTION, "pv") == {"peak": D("34.00"), "flat": D("5.10")}
    sections_a = {s.section: s for s in a.sections}
    assert sections_a["electricity"].subtotal_cny == D("7187.00")
    assert sections_a["electricity"].vat_cny == D("934.31")
    assert sections_a[PV_SECTION].total_cny == D("44.18")
    assert sections_a["natural_gas"].subtotal_cny == D("1980.00")
    assert sections_a["natural_gas"].vat_cny == D("178.20")
    sections_b = {s.section: s for s in b.sections}
    assert sections_b["electricity"].vat_cny == D("473.66")
    assert sections_b[PV_SECTION].total_cny == D("22.09")
    assert a.total_cny == D("8165.49") + D("1980.00") + D("178.20")
    assert b.total_cny == D("4139.25") + D("990.00") + D("89.10")
    kept = month.retained["electricity"]
    assert (kept.subtotal_cny, kept.vat_cny) == (D("690.50"), D("89.76"))
    assert month.retained_parts["electricity"] == {"demand": D("675.00"), "common": D("15.50")}
    assert month.retained["natural_gas"].subtotal_cny == D("30.00")


def test_supplier_cost_reconciles_with_bills_and_retained_cost() -> None:
    for key, shares in (("floor_area", None), ("consumption", None),
                        ("fixed", {"A": 0.5, "B": 0.25, PARK: 0.25})):  # fmt: skip
        tariffs = Tariffs(
            electricity=TARIFFS.electricity,
            others=TARIFFS.others,
            common_costs=CommonCosts(key=key, shares=shares),  # type: ignore[arg-type]
        )
        month = bill_month(tariffs, _input())
        for carrier, supplier in month.suppliers.items():
            paid = sum(
                (s.total_cny for bill in month.bills.values() for s in bill.sections
                 if s.section == carrier),
                D(0),
            )  # fmt: skip
            assert paid + month.retained[carrier].total_cny == supplier.total.total_cny


def test_consumption_key_shares_by_metered_consumption() -> None:
    tariffs = Tariffs(electricity=TARIFFS.electricity, common_costs=CommonCosts(key="consumption"))
    month = bill_month(tariffs, _input(others=[]))
    # A 500, B 300, park 40 kWh of 840.
    assert month.common_shares["electricity"] == pytest.approx(
        {"A": 500 / 840, "B": 300 / 840, PARK: 40 / 840}
    )
    common = {t: _amounts(b.lines, "electricity", "common")[None] for t, b in month.bills.items()}
    # 155.00 × 500/840 = 92.26..., × 300/840 = 55.357..., park 7.38...: largest remainder.
    assert common == {"A": D("92.26"), "B": D("55.36")}
    assert month.retained_parts["electricity"]["common"] == D("7.38")


def test_capacity_charge_and_common_demand() -> None:
    elec = ElectricityTariff(
        seasons=TARIFFS.electricity.seasons,  # type: ignore[union-attr]
        demand=DemandCharge(
            basis="capacity", price_cny_per_kva_month=25.0, capacity_kva=400, allocation="common"
        ),
    )
    month = bill_month(Tariffs(electricity=elec), _input(others=[]))
    supplier = month.suppliers["electricity"]
    assert [x.amount_cny for x in supplier.lines if x.kind == "demand"] == [D("10000.00")]
    # Pool: 621 − 566 + 10,000 = 10,055.00, shared 60/30/10.
    assert month.common_pool_cny["electricity"] == D("10055.00")
    assert _amounts(month.bills["A"].lines, "electricity", "common") == {None: D("6033.00")}


def test_hours_without_a_price_are_refused() -> None:
    data = _input(
        electricity=ElectricityMonth(
            bands=["critical_peak", "peak", "flat", "peak"],
            grid_kwh=np.ones(4),
            pv_self_kwh=np.zeros(4),
            loads_kwh={},
        )
    )
    with pytest.raises(InputError, match="critical_peak"):
        bill_month(TARIFFS, data)
    with pytest.raises(InputError, match="tenant"):
        bill_month(TARIFFS, _input(tenants=["A", PARK]))


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=8),
)
def test_allocate_sums_exactly(cents: int, weights: list[float]) -> None:
    amount = D(cents) / 100
    shares = allocate(amount, {f"k{i}": w for i, w in enumerate(weights)})
    assert sum(shares.values(), D(0)) == amount
    assert all(v.as_tuple().exponent >= -2 for v in shares.values())


def test_a_measured_maximum_demand_wins_over_the_hourly_mean() -> None:
    """A 15-minute maximum of 300 kW in hour 3: 300 × 40 = 12,000.00, shared by the loads of
    hour 3 (A 100, B 100, park 0): 6,000.00 each."""
    base = _input().electricity
    assert base is not None
    elec = ElectricityMonth(
        base.bands, base.grid_kwh, base.pv_self_kwh, base.loads_kwh, max_demand_kw=300.0,
        peak_hour=3,
    )  # fmt: skip
    month = bill_month(TARIFFS, _input(electricity=elec))
    assert month.suppliers["electricity"].max_demand_kw == 300.0
    assert _amounts(month.bills["A"].lines, "electricity", "demand") == {None: D("6000.00")}
    assert _amounts(month.bills["B"].lines, "electricity", "demand") == {None: D("6000.00")}
