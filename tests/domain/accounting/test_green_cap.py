"""Green electricity beyond the boundary's purchased grid electricity reduces nothing (#11/#14).

``zeropark account zeropark-demo/activities.csv`` once reported a zero-carbon-park gross of
−1,527.8 tCO2e: certificates were netted against no purchased electricity. Factors: MEE/NBS
公告2025年第47号 (2023): excl. market-traded non-fossil 0.6096, fossil 0.8273 tCO2/MWh.
"""

from __future__ import annotations

import pytest

from tests.domain.accounting.helpers import FACTORS, line
from zeropark.domain.accounting import account

EF_MARKET, EF_FOSSIL = 0.6096, 0.8273


def test_certificates_without_purchased_electricity_reduce_nothing() -> None:
    lines = [
        line("fuel_combustion", "natural_gas", 10, "万Nm3"),
        line("green_electricity", "green_electricity", 100, "MWh"),
    ]
    inventory = account(lines, FACTORS, boundary="t_elec")
    gas_only = account(lines[:1], FACTORS, boundary="t_elec")
    for method in ("ghg_market", "zero_carbon_park"):
        assert inventory.totals[method].gross_t == pytest.approx(gas_only.totals[method].gross_t)
        assert inventory.totals[method].gross_t > 0
    assert inventory.energy.green_electricity_tce == 0.0
    (issue,) = [i for i in inventory.issues if i.code == "green_exceeds_purchased"]
    assert issue.params["excess"] == 100 and issue.params["grid"] == 0
    assert "不抵减排放" in issue.reason("zh")
    assert issue.reason("en").startswith("t_elec 2023: green electricity exceeds")


def test_partial_excess_counts_only_the_purchased_part() -> None:
    # 80 MWh bought, 100 MWh of certificates: market-based and park method go to 0, not below.
    lines = [
        line("purchased_electricity", "electricity", 80, "MWh"),
        line("green_electricity", "green_electricity", 100, "MWh"),
    ]
    inventory = account(lines, FACTORS, boundary="A")
    assert inventory.totals["ghg_market"].gross_t == pytest.approx(0.0, abs=1e-9)
    assert inventory.totals["zero_carbon_park"].gross_t == pytest.approx(0.0, abs=1e-9)
    green = next(r for r in inventory.results if r.line.category == "green_electricity")
    assert green.co2e_t["ghg_market"] == pytest.approx(-80 * EF_MARKET)
    assert any("80" in w for w in green.warnings)


def test_certificates_within_purchase_are_unchanged() -> None:
    lines = [
        line("purchased_electricity", "electricity", 1000, "MWh"),
        line("green_electricity", "green_electricity", 400, "MWh"),
    ]
    inventory = account(lines, FACTORS, boundary="A")
    assert inventory.totals["ghg_market"].gross_t == pytest.approx(600 * EF_MARKET)
    assert inventory.totals["zero_carbon_park"].gross_t == pytest.approx(600 * EF_FOSSIL)
    assert not inventory.issues
