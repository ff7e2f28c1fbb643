"""Indicator rules against hand-computed values.

Sources: 发改环资〔2025〕910号 附件3 (national thresholds) and 附件4 (accounting boundary), as kept
in ``reference/zero_carbon_park_standard.md`` §2 and §5 items 3-7; 《湖南省零碳园区建设指标体系》
(§4); MEE/NBS 2023 national fossil-power factor 0.8273 tCO2/MWh (公告2025年第47号); GB/T 2589-2020
表A.1 (electricity 0.1229 kgce/kWh); GB 21340-2019 表4 (photovoltaic rolled glass ≤ 300 t/d:
grades 300 / 300 / 400 kgce/t).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.domain.accounting.helpers import FACTORS, line
from zeropark.domain.accounting import AccountingOptions, account
from zeropark.domain.indicators import SYSTEMS, Gap, gap_text, judge, park_indicator
from zeropark.domain.indicators import operating as op
from zeropark.domain.indicators.guiding import guiding_indicators
from zeropark.domain.indicators.products import find_limit, grade_of
from zeropark.domain.indicators.scorecard import ScorecardInputs, build_scorecard


def _inventory(*lines):  # type: ignore[no-untyped-def]
    return account(list(lines), FACTORS, AccountingOptions(reporting_year=2023))


# --- core indicator: each side of each threshold, the bands, the undetermined cases ----------


@pytest.mark.parametrize(
    ("co2_t", "energy_tce", "threshold", "meets", "gap_t"),
    [
        (99_000.0, 500_000.0, 0.20, True, 0.0),  # 0.198 ≤ 0.20
        (101_000.0, 500_000.0, 0.20, False, 1_000.0),  # 0.202 > 0.20: 101,000 − 0.2 × 500,000
        (40_000.0, 200_000.0, 0.20, True, 0.0),  # 20万 tce is in the lower band (inclusive)
        (299_000.0, 1_000_000.0, 0.30, True, 0.0),  # 100万 tce is in the upper band
        (301_000.0, 1_000_000.0, 0.30, False, 1_000.0),
        (10_000.0, 199_999.0, None, None, None),  # below 20万 tce: no national threshold
    ],
)
def test_core_indicator_national_bands(
    co2_t: float, energy_tce: float, threshold: float | None, meets: bool | None, gap_t: float
) -> None:
    result = park_indicator(co2_t, energy_tce, "equal_value")
    assert result.threshold_tco2_per_tce == threshold
    assert result.meets is meets
    assert result.gap_t == (None if gap_t is None else pytest.approx(gap_t))
    assert result.intensity_tco2_per_tce == pytest.approx(co2_t / energy_tce)


@pytest.mark.parametrize(
    ("system", "energy_tce", "threshold"),
    [
        ("hunan_2027", 50_000.0, 1.0),
        ("hunan_2030", 50_000.0, 0.7),
        ("hunan_2035", 50_000.0, 0.3),
        ("hunan_2035", 2_000_000.0, 0.5),
        ("hunan_2030", 19_999.0, None),  # Hunan's bands start at 2万 tce
    ],
)
def test_core_indicator_hunan_staged_bands(
    system: str, energy_tce: float, threshold: float | None
) -> None:
    result = park_indicator(0.1 * energy_tce, energy_tce, "equal_value", SYSTEMS[system].core_bands)
    assert result.threshold_tco2_per_tce == threshold


def test_deduction_rules_of_the_core_indicator() -> None:
    # 附件4: electricity on net receipt at the fossil-power factor (2023: 0.8273 tCO2/MWh),
    # green certificates/green power at 0, exported non-fossil power earns no deduction, offsets
    # (CCER) and sinks are never subtracted.
    inv = _inventory(
        line("purchased_electricity", "electricity", 1000, "MWh"),
        line("green_electricity", "green_electricity", 400, "MWh"),
        line("exported_electricity", "renewable_electricity", 50, "MWh"),
        line("offset", "CCER", 100, "tCO2e"),
    )
    assert inv.park.co2_t == pytest.approx((1000 - 400) * 0.8273)  # 496.38 t, no export credit
    # 综合能耗: (1000 − 50) MWh × 0.1229 tce/MWh; green power is a subset, not added again.
    assert inv.park.energy_tce == pytest.approx(950 * 0.1229)


# --- the one pass / fail / undetermined rule, and the undetermined band ----------------------


def test_judge_each_side_and_the_undetermined_band() -> None:
    assert judge(0.199, 0.20, higher_is_better=False) == ("pass", None)
    assert judge(0.201, 0.20, higher_is_better=False) == ("fail", None)
    assert judge(0.81, 0.80, higher_is_better=True) == ("pass", None)
    assert judge(0.79, 0.80, higher_is_better=True) == ("fail", None)
    # within the margin on either side: incomplete data could move it across
    assert judge(0.205, 0.20, higher_is_better=False, margin=0.01) == (
        "undetermined",
        "near_threshold",
    )
    assert judge(0.195, 0.20, higher_is_better=False, margin=0.01)[0] == "undetermined"
    assert judge(0.215, 0.20, higher_is_better=False, margin=0.01) == ("fail", None)
    assert judge(None, 0.20, higher_is_better=False) == ("undetermined", "no_data")
    assert judge(0.1, None, higher_is_better=False) == ("undetermined", "no_threshold")


# --- the four newly fed guiding indicators ---------------------------------------------------


def _guiding(*lines, system: str = "national", params=None):  # type: ignore[no-untyped-def]
    inv = _inventory(line("purchased_electricity", "electricity", 1000, "MWh"), *lines)
    return {
        g.code: g
        for g in guiding_indicators(
            inv.energy, inv.results, system=system, product_params=params or {}
        )
    }


def test_solid_waste_utilisation_each_side_of_80_percent() -> None:
    low = _guiding(
        line("industrial_solid_waste", "generated", 800, "t"),
        line("industrial_solid_waste", "utilised", 639, "t"),
    )["solid_waste_utilisation"]
    assert low.value == pytest.approx(639 / 800)  # 0.79875
    assert low.state == "not_met"
    expected = Gap("solid waste utilised", "固废综合利用量", pytest.approx(1.0), "t", True)
    assert low.gaps == (expected,)
    high = _guiding(
        line("industrial_solid_waste", "generated", 800, "t"),
        line("industrial_solid_waste", "utilised", 641000, "kg"),
    )["solid_waste_utilisation"]
    assert (high.value, high.state, high.gaps) == (pytest.approx(0.80125), "met", ())
    # Hunan 2035 asks 95 %: the same park misses it by 0.95 × 800 − 641 = 119 t
    hunan = _guiding(
        line("industrial_solid_waste", "generated", 800, "t"),
        line("industrial_solid_waste", "utilised", 641, "t"),
        system="hunan_2035",
    )["solid_waste_utilisation"]
    assert hunan.state == "not_met" and hunan.gaps[0].quantity == pytest.approx(119.0)


def test_waste_heat_is_weighted_over_heat_cold_and_pressure() -> None:
    g = _guiding(
        line("waste_energy", "heat_available", 100, "GJ"),
        line("waste_energy", "heat_recovered", 30, "GJ"),
        line("waste_energy", "cold_available", 100, "GJ"),
        line("waste_energy", "cold_recovered", 69, "GJ"),
    )["waste_heat_utilisation"]
    assert g.value == pytest.approx(99 / 200) and g.state == "not_met"  # 49.5 % < 50 %
    assert g.gaps[0].quantity == pytest.approx(1.0)
    ok = _guiding(
        line("waste_energy", "heat_available", 100, "GJ"),
        line("waste_energy", "heat_recovered", 30, "GJ"),
        line("waste_energy", "cold_available", 100, "GJ"),
        line("waste_energy", "cold_recovered", 71, "GJ"),
    )["waste_heat_utilisation"]
    assert ok.value == pytest.approx(0.505) and ok.state == "met"


def test_water_reuse_counts_reuse_over_total_use() -> None:
    # reused / (reused + intake): 799 / 999 = 0.7998 < 0.80; needed 0.8/0.2 × 200 − 799 = 1 m3
    g = _guiding(
        line("industrial_water", "intake", 200, "m3"),
        line("industrial_water", "reused", 799, "m3"),
    )["water_reuse"]
    assert g.value == pytest.approx(799 / 999) and g.state == "not_met"
    assert g.gaps[0].quantity == pytest.approx(1.0) and g.gaps[0].unit == "m3"
    ok = _guiding(
        line("industrial_water", "intake", 200, "m3"),
        line("industrial_water", "reused", 801, "m3"),
    )["water_reuse"]
    assert ok.state == "met"


def test_product_unit_energy_against_grade_2_of_gb_21340() -> None:
    product = "光伏压延玻璃（生产线设计生产能力≤300 t/d）"
    limit = find_limit(product)
    assert limit is not None and (limit.grade1, limit.grade2, limit.grade3) == (300, 300, 400)
    assert (limit.standard, limit.table) == ("GB 21340-2019", "表4")
    # 15,000 tce / 52,000 t = 288.5 kgce/t ≤ 300: grade 1, meets grade 2
    good = _guiding(
        line("product_output", product, 52000, "t"),
        params={("A", product): {"product_energy": 15000.0, "product_energy_unit": "tce"}},
    )["product_energy_intensity"]
    assert good.state == "met" and good.value == 1.0
    assert good.products[0].unit_energy == pytest.approx(15e6 / 52000)
    assert good.products[0].grade == 1
    # 16,000 tce → 307.7 kgce/t: grade 3; excess (307.69 − 300) × 52,000 kg = 400 tce
    bad = _guiding(
        line("product_output", product, 52000, "t"),
        params={("A", product): {"product_energy": 16000.0, "product_energy_unit": "tce"}},
    )["product_energy_intensity"]
    assert bad.state == "not_met" and bad.products[0].grade == 3
    assert bad.gaps[0].quantity == pytest.approx(400.0) and bad.gaps[0].unit == "tce"
    assert grade_of(401.0, limit) is None  # worse than grade 3


def test_a_user_entered_limit_and_the_entitys_energy() -> None:
    # one product and no product energy: the entity's whole 综合能耗 is charged to it:
    # 1000 MWh × 0.1229 = 122.9 tce = 122,900 kgce over 1,000 件 = 122.9 kgce/件 ≤ grade 2 130
    params = {
        ("A", "齿轮"): {
            "limit_standard": "GB 0000-2099",
            "limit_grade1": 110.0,
            "limit_grade2": 130.0,
            "limit_grade3": 150.0,
            "limit_unit": "kgce/件",
        }
    }
    g = _guiding(line("product_output", "齿轮", 1000, "件"), params=params)
    product = g["product_energy_intensity"].products[0]
    assert product.unit_energy == pytest.approx(122.9) and product.grade == 2
    assert g["product_energy_intensity"].state == "met"


def test_without_records_the_four_are_no_data() -> None:
    g = _guiding()
    for code in (
        "product_energy_intensity",
        "solid_waste_utilisation",
        "waste_heat_utilisation",
        "water_reuse",
    ):
        assert g[code].state == "no_data" and g[code].value is None and g[code].needs


# --- scorecard: gaps in physical terms, operating indicators ----------------------------------


def _inputs(inv, **kw):  # type: ignore[no-untyped-def]
    defaults = dict(
        co2_t=inv.park.co2_t,
        carbon_t=inv.totals["zero_carbon_park"].gross_t,
        energy=inv.energy,
        results=inv.results,
        year_fraction=1.0,
        flows_kwh={"pv": 0.0, "green": 0.0, "grid_export": 0.0, "load": 0.0},
        hourly_load_kwh=np.zeros(0),
        coverage=1.0,
        grid_mwh=1_000_000.0,
        ef_fossil_t_per_mwh=0.8273,
        tce_per_mwh=0.1229,
    )
    defaults.update(kw)
    return ScorecardInputs(**defaults)  # type: ignore[arg-type]


def test_core_gap_in_green_electricity_and_tonnes() -> None:
    # 2,000 GWh of grid power: 2e6 MWh × 0.8273 = 1,654,600 tCO2 over 245,800 tce (6.73 t/tce);
    # threshold 0.20 (20–100万 tce): 1,654,600 − 0.2 × 245,800 = 1,605,440 t less, or
    # 1,605,440 / 0.8273 = 1,940,578 MWh more green electricity.
    inv = _inventory(line("purchased_electricity", "electricity", 2_000_000, "MWh"))
    card = {e.code: e for e in build_scorecard(_inputs(inv, grid_mwh=2_000_000.0))}
    core = card["core_carbon_per_energy"]
    assert core.threshold == 0.20 and core.state == "fail"
    green, tonnes = core.gaps
    assert tonnes.quantity == pytest.approx(2e6 * 0.8273 - 0.2 * 2e6 * 0.1229)
    assert green.quantity == pytest.approx(tonnes.quantity / 0.8273)
    assert gap_text(core.gaps, "en").startswith("needs 1,941 GWh more green electricity, or ")
    assert gap_text(core.gaps, "zh").startswith("还需增加绿色电力 1,941 GWh，或减少二氧化碳排放")


def test_core_band_uses_the_annualised_energy_of_a_month() -> None:
    # A month of 20,000 tce is 240,000 tce a year: the 0.20 band applies (not "undetermined").
    inv = _inventory(line("purchased_electricity", "electricity", 162_733, "MWh", period="2023-03"))
    card = {e.code: e for e in build_scorecard(_inputs(inv, year_fraction=1 / 12))}
    assert card["core_carbon_per_energy"].threshold == 0.20


def test_incomplete_data_near_the_threshold_is_undetermined() -> None:
    inv = _inventory(
        line("purchased_electricity", "electricity", 1000, "MWh"),
        line("industrial_solid_waste", "generated", 800, "t"),
        line("industrial_solid_waste", "utilised", 650, "t"),  # 81.25 %
    )
    full = {e.code: e for e in build_scorecard(_inputs(inv, coverage=1.0))}
    assert full["solid_waste_utilisation"].state == "pass"
    # 5 % of meter-time missing: margin 0.8125 × 0.05 = 0.041 > 0.0125 above the threshold
    part = {e.code: e for e in build_scorecard(_inputs(inv, coverage=0.95))}
    assert part["solid_waste_utilisation"].state == "undetermined"
    assert part["solid_waste_utilisation"].reason == "near_threshold"


def test_operating_indicators_by_hand() -> None:
    assert op.pv_self_consumption(1000.0, 100.0) == pytest.approx(0.9)
    assert op.pv_self_sufficiency(1000.0, 100.0, 9000.0) == pytest.approx(0.1)
    assert op.pv_self_consumption(0.0, 0.0) is None
    assert op.peak_demand_kw([1.0, 2.0, 3.0, 2.0]) == 3.0
    assert op.load_factor([1.0, 2.0, 3.0, 2.0]) == pytest.approx(2.0 / 3.0)
    assert op.per_unit(120.0, 400.0) == pytest.approx(0.3)  # tce per 万元
    assert op.per_unit(120.0, 40_000.0, 1000.0) == pytest.approx(3.0)  # kgce/m²
    assert op.per_unit(1.0, 0.0) is None
    assert op.non_fossil_share(10.0, 20.0, 100.0) == pytest.approx(0.3)
    assert op.green_electricity_share(300.0, 1000.0) == pytest.approx(0.3)
    inv = _inventory(line("purchased_electricity", "electricity", 1000, "MWh"))
    flows = {"pv": 100.0, "green": 300.0, "grid_export": 10.0, "load": 1000.0}
    card = {
        e.code: e
        for e in build_scorecard(
            _inputs(inv, flows_kwh=flows, output_wan_cny=1000.0, floor_area_m2=10_000.0)
        )
    }
    assert card["renewable_share"].value == pytest.approx(0.4)  # (100 + 300) / 1000
    assert card["energy_per_output"].value == pytest.approx(122.9 / 1000)
    assert card["energy_per_floor_area"].value == pytest.approx(122.9 * 1000 / 10_000)
    assert card["carbon_per_output"].value == pytest.approx(827.3 / 1000)
