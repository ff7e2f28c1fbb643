"""Inventory assembly: methods side by side, double counting, metered lines, periods, regions."""

from __future__ import annotations

from datetime import datetime

import pytest

from zeropark.domain.accounting import (
    AccountingOptions,
    MeterMapping,
    account,
    find_double_counting,
    metered_lines,
    normalise_region,
    park_indicator,
    parse_period,
    pivot,
)
from zeropark.errors import FactorNotFound, InputError

from .helpers import FACTORS, line


def test_gross_removals_offsets_and_net() -> None:
    lines = [
        line("mobile_combustion", "diesel", 10, "t"),
        line("ccus", "CO2", 5, "t"),
        line("offset", "CCER", 2, "tCO2e"),
    ]
    inventory = account(lines, FACTORS)
    ghg = inventory.totals["ghg_location"]
    assert ghg.gross_t == pytest.approx(30.959096, abs=1e-5)
    assert (ghg.removals_t, ghg.offsets_t) == (5.0, 2.0)
    assert ghg.net_t == pytest.approx(ghg.gross_t - 7.0)
    park = inventory.totals["zero_carbon_park"]
    assert park.net_t == park.gross_t  # never deducts sinks or offsets


def test_scope3_only_in_ghg_protocol_methods() -> None:
    from zeropark.domain.accounting import MeasuredParameters

    travel = line(
        "travel",
        "flights",
        1000,
        "km",
        measured=MeasuredParameters(emission_factor=0.1, ef_unit="kgCO2e/km"),
    )
    inventory = account([travel], FACTORS)
    assert inventory.totals["ghg_location"].by_scope == {"3": pytest.approx(0.1)}
    assert inventory.totals["cn_national"].gross_t == 0.0


def test_scope3_without_factor_is_set_aside_and_says_what_to_give() -> None:
    inventory = account(
        [
            line("waste", "landfill", 3, "t", ref="f.csv row 2"),
            line("fuel_combustion", "coke", 1, "t"),
        ],
        FACTORS,
    )
    (aside,) = inventory.not_quantified
    assert (aside.ref, aside.category, aside.item, aside.quantity, aside.unit) == (
        "f.csv row 2",
        "waste",
        "landfill",
        3.0,
        "t",
    )
    assert "emission_factor" in aside.supply and "--factors" in aside.supply
    assert [r.line.item for r in inventory.results] == ["coke"]
    assert "3" not in inventory.totals["ghg_location"].by_scope
    assert any("not quantified" in w for w in inventory.warnings)


def test_scope3_with_a_measured_factor_is_quantified_not_set_aside() -> None:
    from zeropark.domain.accounting import MeasuredParameters

    measured = MeasuredParameters(emission_factor=0.5, ef_unit="tCO2e/t")
    inventory = account([line("waste", "landfill", 3, "t", measured=measured)], FACTORS)
    assert inventory.not_quantified == ()
    assert inventory.totals["ghg_location"].by_scope == {"3": pytest.approx(1.5)}


def test_other_missing_factors_still_raise_naming_the_line() -> None:
    with pytest.raises(FactorNotFound, match=r"f.csv row 7: .*unobtainium"):
        account([line("process", "unobtainium", 1, "t", ref="f.csv row 7")], FACTORS)


def test_pivot_by_entity_and_sector() -> None:
    lines = [
        line("mobile_combustion", "diesel", 1, "t", entity="A"),
        line("purchased_electricity", "electricity", 1, "MWh", entity="B"),
    ]
    inventory = account(lines, FACTORS)
    table = pivot(inventory.results, "cn_national", ("entity", "sector"))
    assert set(table) == {("A", "transport"), ("B", "energy")}


def test_double_counting_reported_not_counted() -> None:
    meters = [
        line(
            "purchased_electricity",
            "electricity",
            100,
            "MWh",
            period=f"2023-{m:02d}",
            origin="meter",
        )
        for m in (1, 2, 3)
    ]
    quarter_record = line(
        "purchased_electricity", "electricity", 300, "MWh", period="2023-Q1", ref="r1"
    )
    year_record = line("purchased_electricity", "electricity", 1200, "MWh", period="2023", ref="r2")
    other = line("mobile_combustion", "diesel", 1, "t", ref="r3")
    issues = find_double_counting(meters, [quarter_record, year_record, other])
    assert [(i.record_ref, i.coverage) for i in issues] == [("r1", "full"), ("r2", "partial")]
    inventory = account([quarter_record, year_record, other], FACTORS, metered=meters)
    electricity = inventory.totals["ghg_location"].by_category["purchased_electricity"]
    assert electricity == pytest.approx(300 * 0.5306)
    assert len(inventory.double_counting) == 2 and inventory.warnings


def test_metered_lines_from_hourly_quantities() -> None:
    mapping = {
        "M1": MeterMapping("M1", "A", "purchased_electricity", "electricity", "kWh"),
    }
    hourly = [
        ("M1", datetime(2023, 1, 31, 23), 100.0),
        ("M1", datetime(2023, 2, 1, 0), 50.0),
        ("M1", datetime(2023, 2, 1, 1), 50.0),
    ]
    lines = metered_lines(mapping, hourly, "month")
    assert [(ln.period.label, ln.quantity, ln.origin) for ln in lines] == [
        ("2023-01", 100.0, "meter"),
        ("2023-02", 100.0, "meter"),
    ]
    with pytest.raises(InputError):
        metered_lines(mapping, [("M9", datetime(2023, 1, 1), 1.0)])


def test_green_beyond_purchase_is_warned() -> None:
    lines = [
        line("purchased_electricity", "electricity", 100, "MWh"),
        line("green_electricity", "green_electricity", 150, "MWh"),
    ]
    warnings = account(lines, FACTORS, boundary="park1").warnings
    assert any(w.startswith("park1 2023: green electricity exceeds") for w in warnings)


def test_green_check_is_at_the_inventory_boundary_not_per_entity() -> None:
    # Park level: a tenant's certificates cover grid power metered at the park's intake, and an
    # annual certificate record covers monthly metered lines: no excess.
    lines = [
        line("purchased_electricity", "electricity", 60, "MWh", entity="park", period="2023-01"),
        line("purchased_electricity", "electricity", 60, "MWh", entity="park", period="2023-02"),
        line("green_electricity", "green_electricity", 100, "MWh", entity="tenant_a"),
    ]
    assert not any("exceeds" in w for w in account(lines, FACTORS, boundary="park").warnings)
    # Tenant level: its own certificates beyond its own purchase are warned.
    tenant = [
        line("purchased_electricity", "electricity", 40, "MWh", entity="tenant_a"),
        line("green_electricity", "green_electricity", 100, "MWh", entity="tenant_a"),
    ]
    warnings = account(tenant, FACTORS, boundary="tenant_a").warnings
    assert any(w.startswith("tenant_a 2023: green electricity exceeds") for w in warnings)


@pytest.mark.parametrize(
    ("text", "label", "months"),
    [
        ("2024", "2024", 12),
        ("2024-Q2", "2024-Q2", 3),
        ("2024Q2", "2024-Q2", 3),
        ("2024-3", "2024-03", 1),
        ("2024年3月", "2024-03", 1),
    ],
)
def test_periods(text: str, label: str, months: int) -> None:
    period = parse_period(text)
    assert (period.label, period.months) == (label, months)


def test_bad_period_names_field() -> None:
    with pytest.raises(InputError) as excinfo:
        parse_period("2024-13")
    assert excinfo.value.field == "period"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("广东省", "广东"),
        ("Guangdong", "广东"),
        ("新疆维吾尔自治区", "新疆"),
        ("华东电网", "华东"),
        ("", "全国"),
    ],
)
def test_regions(text: str, expected: str) -> None:
    assert normalise_region(text) == expected


def test_unknown_region_and_gwp_rejected() -> None:
    with pytest.raises(InputError):
        AccountingOptions(region="Atlantis")
    with pytest.raises(InputError):
        AccountingOptions(gwp_set="AR9")


def test_park_indicator_thresholds() -> None:
    # 发改环资〔2025〕910号 附件3: ≤ 0.20 tCO2/tce for 20-100万 tce/yr, ≤ 0.30 above.
    middle = park_indicator(co2_t=50_000, energy_tce=300_000, electricity_basis="equal_value")
    assert middle.threshold_tco2_per_tce == 0.20 and middle.meets is True and middle.gap_t == 0.0
    large = park_indicator(co2_t=400_000, energy_tce=1_000_000, electricity_basis="equal_value")
    assert large.threshold_tco2_per_tce == 0.30 and large.gap_t == pytest.approx(100_000)
    small = park_indicator(co2_t=10, energy_tce=100, electricity_basis="equivalent")
    assert small.threshold_tco2_per_tce is None and small.meets is None and len(small.notes) == 2
