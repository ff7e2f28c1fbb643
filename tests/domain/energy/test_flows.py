"""The park balance: grid exchange from demand and supply, the load back from the flows."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from zeropark.domain.energy.flows import (
    FLOW_OF_CATEGORY,
    FLOWS,
    grid_exchange_kwh,
    load_kwh,
    meter_flows,
    renewable_share,
)

_energies = arrays(np.float64, 24, elements=st.floats(0.0, 1e5, allow_nan=False))


@given(_energies, _energies, _energies, _energies)
def test_exchange_and_load_close_the_balance(
    load: np.ndarray, pv: np.ndarray, charge: np.ndarray, discharge: np.ndarray
) -> None:
    grid_import, grid_export = grid_exchange_kwh(load + charge, pv, discharge)
    assert (grid_import >= 0).all() and (grid_export >= 0).all()
    assert not ((grid_import > 0) & (grid_export > 0)).any()  # never both in one interval
    back = load_kwh(grid_import, pv, discharge, grid_export, charge)
    np.testing.assert_allclose(back, load, rtol=1e-9, atol=1e-6)


def test_load_works_on_scalars_too() -> None:
    assert load_kwh(100.0, 30.0, 5.0, 10.0, 20.0) == 105.0


def test_renewable_share_is_capped_and_undefined_without_load() -> None:
    assert renewable_share(30.0, 20.0, 100.0) == 0.5
    assert renewable_share(300.0, 0.0, 100.0) == 1.0
    assert renewable_share(5.0, 0.0, 0.0) is None


def test_meter_flows_follow_the_mapping() -> None:
    for category, flow in FLOW_OF_CATEGORY.items():
        assert meter_flows("electricity", category, None, counted=True, battery_meter=False) == (
            flow,
        )
        # a sub-meter of a counted meter carries no flow of its own
        assert meter_flows("electricity", category, None, counted=False, battery_meter=False) == ()
    charge = meter_flows(
        "electricity", "purchased_electricity", "storage_charge", counted=False, battery_meter=False
    )
    assert charge == ("battery_charge",)
    assert meter_flows("electricity", None, None, counted=False, battery_meter=True) == (
        "battery_discharge",
    )
    gas = meter_flows("natural_gas", "fuel_combustion", None, counted=True, battery_meter=False)
    assert gas == ()
    assert set(FLOW_OF_CATEGORY.values()) < set(FLOWS)
