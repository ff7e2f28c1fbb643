"""Guiding indicators of the zero-carbon park scorecard: thresholds, the clean-energy share, and
"no data" for what the park does not record.

Thresholds: 发改环资〔2025〕910号 附件3 《国家级零碳园区建设指标体系（试行）》, guiding indicators,
as read from public copies (reference/zero_carbon_park_standard.md §2 and §5 item 7).
"""

from __future__ import annotations

import pytest

from tests.service.inventory_park import PARK, build
from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.inventory import GUIDING_INDICATORS, park_indicators, park_indicators_to_dict

REGULATOR = Principal("reg@gov.example", "regulator", frozenset({PARK}))


def _green(mwh: float) -> ActivityRecord:
    return ActivityRecord("t_a", "2024", "green_electricity", "绿证", mwh, "MWh")


def test_thresholds_are_the_attachments() -> None:
    """Regression for mistakes seen in public implementations (reference §5): 80 % / 50 %,
    not 95 % / 80 %; the 90 % target is the clean-energy share, not a green-electricity share."""
    thresholds = {code: row[3] for code, row in GUIDING_INDICATORS.items()}
    assert thresholds == {
        "clean_energy_share": 0.90,
        "product_energy_intensity": None,
        "solid_waste_utilisation": 0.80,
        "waste_heat_utilisation": 0.50,
        "water_reuse": 0.80,
    }
    assert GUIDING_INDICATORS["clean_energy_share"][0] == "清洁能源消费占比"


def test_clean_energy_share_is_non_fossil_over_total_energy(sqlite_db: Database) -> None:
    build(sqlite_db, [_green(0.3)])
    view = park_indicators(sqlite_db, REGULATOR, PARK, 2024)
    clean = next(g for g in view.guiding if g.code == "clean_energy_share")
    expected = view.energy.green_electricity_tce / view.energy.total_tce
    assert clean.value == pytest.approx(expected)
    assert 0 < clean.value < 0.9 and clean.state == "not_met"
    assert clean.inputs["total_tce"] == pytest.approx(view.energy.total_tce)
    assert clean.definition.startswith("non_fossil:")


def test_natural_gas_counts_only_when_chosen(sqlite_db: Database) -> None:
    build(sqlite_db, [_green(0.3)])
    plain = park_indicators(sqlite_db, REGULATOR, PARK, 2024)
    gas = park_indicators(
        sqlite_db, REGULATOR, PARK, 2024, clean_energy="non_fossil_and_natural_gas"
    )
    a = next(g for g in plain.guiding if g.code == "clean_energy_share")
    b = next(g for g in gas.guiding if g.code == "clean_energy_share")
    assert b.inputs["natural_gas_tce"] > 0  # b_gas: 100 Nm3 of natural gas
    assert b.value == pytest.approx(a.value + b.inputs["natural_gas_tce"] / a.inputs["total_tce"])
    with pytest.raises(InputError):
        park_indicators(sqlite_db, REGULATOR, PARK, 2024, clean_energy="clean_coal")  # type: ignore[arg-type]


def test_green_certificates_beyond_the_intake_do_not_raise_the_share(sqlite_db: Database) -> None:
    build(sqlite_db, [_green(50.0)])  # far more than the 1 MWh intake
    view = park_indicators(sqlite_db, REGULATOR, PARK, 2024)
    clean = next(g for g in view.guiding if g.code == "clean_energy_share")
    assert clean.inputs["green_electricity_tce"] == pytest.approx(view.energy.grid_electricity_tce)
    assert clean.value is not None and clean.value <= 1.0


def test_unrecorded_indicators_are_no_data(sqlite_db: Database) -> None:
    build(sqlite_db)
    data = park_indicators_to_dict(park_indicators(sqlite_db, REGULATOR, PARK, 2024))
    states = {g["code"]: (g["state"], g["value"]) for g in data["guiding"]}
    assert states["clean_energy_share"] == ("not_met", 0.0)
    for code in ("product_energy_intensity", "solid_waste_utilisation", "waste_heat_utilisation"):
        assert states[code] == ("no_data", None)
    assert states["water_reuse"] == ("no_data", None)
    assert all(g["needs"] for g in data["guiding"] if g["state"] == "no_data")
    for g in data["guiding"]:  # every text in both languages; the plain key is the English one
        assert g["definition_zh"] and g["definition_en"] == g["definition"]
        assert g["requirement_zh"] and g["requirement_en"] == g["requirement"]
        if g["state"] == "no_data":
            assert g["needs_zh"] and g["needs_en"] == g["needs"]
            assert any("\u4e00" <= c <= "\u9fff" for c in g["needs_zh"])


def test_no_energy_means_no_share(sqlite_db: Database) -> None:
    build(sqlite_db)
    view = park_indicators(sqlite_db, REGULATOR, PARK, 2023)  # no data in 2023
    clean = next(g for g in view.guiding if g.code == "clean_energy_share")
    assert (clean.state, clean.value) == ("no_data", None)
