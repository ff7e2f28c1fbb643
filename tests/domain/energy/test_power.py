"""Power ↔ energy: the one conversion, for scalars and arrays, and the unit power meters roll to."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zeropark.domain.energy.power import energy_unit, kw_to_kwh, kwh_per_unit, kwh_to_kw


def test_quarter_hour_of_2_mw_is_500_kwh() -> None:
    assert kw_to_kwh(2000.0, 900) == 500.0
    assert kwh_to_kw(500.0, 900) == 2000.0


def test_arrays_convert_element_wise_with_per_element_durations() -> None:
    power = np.array([0.0, 60.0, -30.0])
    durations = np.array([900, 3600, 1800], dtype=np.int64)
    assert kw_to_kwh(power, durations).tolist() == [0.0, 60.0, -15.0]
    assert kwh_to_kw(np.array([15.0, 60.0]), 900).tolist() == [60.0, 240.0]


@given(
    st.floats(-1e7, 1e7, allow_nan=False),
    st.sampled_from([60, 300, 900, 1800, 3600, 86400]),
)
def test_round_trip_is_exact_to_rounding(power_kw: float, duration_s: int) -> None:
    assert kwh_to_kw(kw_to_kwh(power_kw, duration_s), duration_s) == pytest.approx(
        power_kw, rel=1e-12, abs=1e-9
    )


def test_power_units_roll_up_to_their_energy_unit() -> None:
    assert energy_unit("kW") == "kWh"
    assert energy_unit("MW") == "MWh"
    assert energy_unit("kWh") == "kWh"
    assert energy_unit("m3") == "m3"
    assert kwh_per_unit("kW") == 1.0
    assert kwh_per_unit("MW") == pytest.approx(1000.0)
    assert kwh_per_unit("MWh") == pytest.approx(1000.0)
