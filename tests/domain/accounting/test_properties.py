"""Invariants of the engine, checked with hypothesis."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zeropark.domain.accounting import (
    METHODS,
    AccountingOptions,
    MeasuredParameters,
    account,
    input_hash,
)

from .helpers import FACTORS, line, run

quantities = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
SOURCES = [
    ("fuel_combustion", "natural_gas", "万Nm3"),
    ("mobile_combustion", "diesel", "t"),
    ("fuel_combustion", "anthracite", "t"),
    ("purchased_electricity", "electricity", "MWh"),
    ("green_electricity", "green_electricity", "MWh"),
    ("exported_electricity", "electricity", "万kWh"),
    ("purchased_heat", "heat", "GJ"),
    ("process", "calcium_carbonate", "t"),
    ("fugitive", "HFC-134a", "kg"),
]
line_specs = st.lists(
    st.tuples(
        st.sampled_from(SOURCES), quantities, st.sampled_from(["2023-01", "2023-02", "2023-Q3"])
    ),
    min_size=1,
    max_size=12,
)


def _lines(specs: list[tuple[tuple[str, str, str], float, str]]) -> list:
    return [line(c, i, q, u, period=p) for (c, i, u), q, p in specs]


@settings(max_examples=50, deadline=None)
@given(line_specs)
def test_totals_are_the_sum_of_lines(specs: list) -> None:
    inventory = account(_lines(specs), FACTORS)
    for method in METHODS:
        total = inventory.totals[method].gross_t
        assert total == pytest.approx(sum(r.result(method) for r in inventory.results), rel=1e-9)
        by_period = inventory.totals[method].by_period
        assert sum(by_period.values()) == pytest.approx(total, rel=1e-9, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(line_specs, line_specs)
def test_inventory_is_additive_over_line_sets(first: list, second: list) -> None:
    both = account(_lines(first) + _lines(second), FACTORS)
    a, b = account(_lines(first), FACTORS), account(_lines(second), FACTORS)
    # Green electricity beyond a set's purchased electricity is capped (green_cap): additive
    # only where each set's certificates are within its own purchase.
    assume(not a.issues and not b.issues)
    for method in METHODS:
        assert both.totals[method].gross_t == pytest.approx(
            a.totals[method].gross_t + b.totals[method].gross_t, rel=1e-9, abs=1e-9
        )
    assert both.energy.total_tce == pytest.approx(
        a.energy.total_tce + b.energy.total_tce, rel=1e-9, abs=1e-9
    )


@settings(max_examples=30, deadline=None)
@given(quantities, quantities)
def test_months_add_up_to_the_quarter_rollup(jan: float, feb: float) -> None:
    lines = [
        line("mobile_combustion", "diesel", jan, "t", period="2023-01"),
        line("mobile_combustion", "diesel", feb, "t", period="2023-02"),
    ]
    monthly = account(lines, FACTORS, AccountingOptions(granularity="month"))
    quarterly = account(lines, FACTORS, AccountingOptions(granularity="quarter"))
    months = monthly.totals["ghg_location"].by_period
    assert set(months) == {"2023-01", "2023-02"}
    assert quarterly.totals["ghg_location"].by_period["2023-Q1"] == pytest.approx(
        months["2023-01"] + months["2023-02"]
    )


@settings(max_examples=50, deadline=None)
@given(quantities)
def test_unit_invariance_tonnes_and_kilograms(tonnes: float) -> None:
    in_t = run(line("mobile_combustion", "diesel", tonnes, "t"))
    in_kg = run(line("mobile_combustion", "diesel", tonnes * 1000, "kg"))
    assert in_kg.result("ghg_location") == pytest.approx(in_t.result("ghg_location"), rel=1e-9)
    assert in_kg.energy_tce == pytest.approx(in_t.energy_tce, rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(quantities)
def test_unit_invariance_wan_nm3_and_nm3(wan: float) -> None:
    in_wan = run(line("fuel_combustion", "natural_gas", wan, "万Nm3"))
    in_nm3 = run(line("fuel_combustion", "natural_gas", wan * 1e4, "Nm3"))
    in_m3 = run(line("fuel_combustion", "natural_gas", wan, "万立方米"))
    assert in_nm3.result("cn_national") == pytest.approx(in_wan.result("cn_national"), rel=1e-9)
    assert in_m3.result("cn_national") == pytest.approx(in_wan.result("cn_national"), rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(quantities, st.sampled_from(["diesel", "gasoline"]))
def test_unit_invariance_litres_cubic_metres_and_tonnes(litres: float, fuel: str) -> None:
    # A liquid fuel by volume is turned into mass by its density row, so L, m3 and t agree.
    in_l = run(line("mobile_combustion", fuel, litres, "L"))
    in_m3 = run(line("mobile_combustion", fuel, litres / 1000, "m3"))
    density = next(f for f in in_l.factors if f.role == "density")
    tonnes = litres / 1000 * density.value / 1000  # kg/m3 → t/m3
    in_t = run(line("mobile_combustion", fuel, tonnes, "t"))
    for other in (in_m3, in_t):
        for method in METHODS:
            assert other.result(method) == pytest.approx(in_l.result(method), rel=1e-9, abs=1e-12)
        assert other.energy_tce == pytest.approx(in_l.energy_tce, rel=1e-9, abs=1e-12)
    assert in_l.activity_unit == in_m3.activity_unit == in_t.activity_unit == "t"
    assert in_l.activity_value == pytest.approx(tonnes, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("category", "item", "unit"), SOURCES)
def test_zero_activity_gives_zero(category: str, item: str, unit: str) -> None:
    result = run(line(category, item, 0.0, unit))
    assert all(value == 0.0 for value in result.co2e_t.values())
    assert result.energy_tce == 0.0


@settings(max_examples=50, deadline=None)
@given(
    quantities,
    st.floats(min_value=0.001, max_value=0.05),
    st.floats(min_value=0.5, max_value=1.0),
    st.floats(min_value=5, max_value=60),
)
def test_measured_parameters_override_defaults(
    tonnes: float, cc: float, of: float, ncv: float
) -> None:
    measured = MeasuredParameters(
        ncv=ncv, ncv_unit="GJ/t", carbon_content_tc_per_gj=cc, oxidation_rate=of
    )
    result = run(line("fuel_combustion", "bituminous_coal", tonnes, "t", measured=measured))
    assert result.result("ghg_location") == pytest.approx(tonnes * ncv * cc * of * 44 / 12)


@settings(max_examples=30, deadline=None)
@given(quantities, st.floats(min_value=0.01, max_value=5))
def test_measured_process_factor_overrides_default(tonnes: float, ef: float) -> None:
    measured = MeasuredParameters(emission_factor=ef, ef_unit="tCO2/t")
    result = run(line("process", "calcium_carbonate", tonnes, "t", measured=measured))
    assert result.result("cn_national") == pytest.approx(tonnes * ef)


@settings(max_examples=30, deadline=None)
@given(line_specs, st.randoms())
def test_input_hash_is_stable_and_order_independent(specs: list, rng: random.Random) -> None:
    lines = _lines(specs)
    shuffled = lines[:]
    rng.shuffle(shuffled)
    options = AccountingOptions()
    assert input_hash(lines, FACTORS, options) == input_hash(shuffled, FACTORS, options)
    changed = [*lines[:-1], line("mobile_combustion", "diesel", 1e7, "t")]
    assert input_hash(changed, FACTORS, options) != input_hash(lines, FACTORS, options)
    assert input_hash(lines, FACTORS, AccountingOptions(gwp_set="AR6")) != input_hash(
        lines, FACTORS, options
    )
