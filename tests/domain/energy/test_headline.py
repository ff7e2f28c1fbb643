"""The one definition of the headline electricity figures (docs/energy.md), by hand.

Example: 100 MWh imported, 20 MWh on-site PV, 5 MWh exported, 30 MWh of green certificates:
consumed = 100 + 20 − 5 = 115 MWh; renewable = (20 − 5) + min(30, 100) = 45 MWh; share =
45 / 115 = 0.391304…
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zeropark.domain.energy.headline import (
    HEADLINE_METHOD,
    ElectricityAccount,
    renewable_share,
)
from zeropark.domain.energy.reconcile import carrier_parts, electricity_balance


def test_consumed_and_renewable_share_by_hand() -> None:
    account = ElectricityAccount(100_000.0, 20_000.0, 5_000.0, 30_000.0)
    assert account.consumed_kwh == 115_000.0
    assert account.renewable_kwh == 45_000.0
    assert renewable_share(account) == pytest.approx(45 / 115, rel=1e-12)
    # certificates beyond the import cover nothing more; no consumption, no share
    assert ElectricityAccount(10.0, 0.0, 0.0, 50.0).renewable_kwh == 10.0
    assert renewable_share(ElectricityAccount()) is None
    assert HEADLINE_METHOD == "zero_carbon_park"


_kwh = st.floats(0.0, 1e9, allow_nan=False)


@given(_kwh, _kwh, _kwh, _kwh)
def test_the_share_is_a_fraction(grid: float, pv: float, export: float, green: float) -> None:
    share = renewable_share(ElectricityAccount(grid, pv, min(export, grid + pv), green))
    assert share is None or 0.0 <= share <= 1.0


def test_the_balance_closes_on_the_headline_and_names_a_difference() -> None:
    # 80,000 + 10,000 + 2,000 − 40 − 2,500 = 89,460 kWh load; consumed 89,960 = load + 500 loss
    b = electricity_balance(80_000.0, 10_000.0, 2_000.0, 40.0, 2_500.0, 89_960.0)
    assert b.load_kwh == 89_460.0 and b.storage_loss_kwh == 500.0
    assert b.consumed_kwh == 89_960.0 == b.load_kwh + b.storage_loss_kwh and b.closes
    off = electricity_balance(80_000.0, 10_000.0, 2_000.0, 40.0, 2_500.0, 90_960.0)
    assert not off.closes and off.records_kwh == 1_000.0
    parts = carrier_parts("electricity", "kWh", 89_960.0, 85_000.0, 1_500.0, 500.0)
    assert parts.unmetered == 2_960.0
