"""Reference cases computed by hand from the official factor tables.

Each test names document, table and row. Abbreviations:
- "24-guideline table 2.1": 《其他有色金属冶炼和压延加工业等企业温室气体排放核算方法与报告指南
  （试行）》(NDRC 2015) 附录二 表2.1 常用化石燃料相关参数缺省值 (same as GB/T 32151.22-2024 表C.1).
- "MEE/NBS 2022" / "2023": 生态环境部 国家统计局 电力二氧化碳排放因子公告 (公告2024年第33号,
  公告2025年第47号).
- "GB/T 2589-2020 A.1": 《综合能耗计算通则》附录A 表A.1 各种能源折标准煤参考系数.
"""

from __future__ import annotations

import pytest

from zeropark.domain.accounting import MeasuredParameters
from zeropark.errors import UnitError

from .helpers import factor_roles, line, run

C = 44 / 12


def test_diesel_mass_default_parameters() -> None:
    # 24-guideline table 2.1, row 柴油: NCV 42.652 GJ/t, CC 0.0202 tC/GJ, OF 98 %.
    result = run(line("mobile_combustion", "diesel", 10, "t"))
    assert result.result("ghg_location") == pytest.approx(10 * 42.652 * 0.0202 * 0.98 * C)
    assert result.result("ghg_location") == pytest.approx(30.959, abs=5e-4)
    assert factor_roles(result)["ncv"] == 42.652


def test_diesel_in_litres_uses_the_density_row() -> None:
    # GB 19147-2016 车用柴油 density (20 °C) 810–845 kg/m3: midpoint 827.5 kg/m3 (PROXY);
    # then 24-guideline table 2.1, row 柴油. 1000 L = 0.8275 t.
    result = run(line("mobile_combustion", "diesel", 1000, "L"))
    tonnes = 0.8275
    assert result.result("ghg_location") == pytest.approx(tonnes * 42.652 * 0.0202 * 0.98 * C)
    density = next(f for f in result.factors if f.role == "density")
    assert (density.value, density.unit, density.dataset) == (827.5, "kg/m3", "cn_fuel_density")
    assert "GB 19147-2016" in density.source and "810~845" in density.clause
    assert density.verification.startswith("PROXY")
    assert any("density" in w and "PROXY" in w for w in result.warnings)
    assert "1000 L × 827.5 kg/m3 = 0.8275 t" in result.formula
    # 综合能耗 from the mass: GB/T 2589-2020 柴油 1.4571 kgce/kg.
    assert result.energy_tce == pytest.approx(tonnes * 1.4571)


def test_fuel_by_volume_without_a_density_names_the_fix() -> None:
    with pytest.raises(UnitError, match="no density"):
        run(line("fuel_combustion", "fuel_oil", 1000, "L"))


def test_natural_gas_volume_in_wan_nm3() -> None:
    # 24-guideline table 2.1, row 天然气: NCV 389.31 GJ/10^4Nm3, CC 0.0153 tC/GJ, OF 99 %.
    result = run(line("fuel_combustion", "natural_gas", 10, "万Nm3"))
    assert result.result("cn_national") == pytest.approx(10 * 389.31 * 0.0153 * 0.99 * C)
    assert result.result("cn_national") == pytest.approx(216.21888, abs=1e-4)


def test_natural_gas_in_energy_units_skips_ncv() -> None:
    # 24-guideline table 2.1, row 天然气: CC 0.0153 tC/GJ, OF 99 %; AD already in GJ.
    result = run(line("fuel_combustion", "natural_gas", 3893.1, "GJ"))
    assert result.result("ghg_location") == pytest.approx(3893.1 * 0.0153 * 0.99 * C)
    assert "ncv" not in factor_roles(result)


def test_gasoline_in_kilograms() -> None:
    # 24-guideline table 2.1, row 汽油: NCV 43.070 GJ/t, CC 0.0189 tC/GJ, OF 98 %; 5000 kg = 5 t.
    result = run(line("mobile_combustion", "gasoline", 5000, "kg"))
    assert result.result("ghg_location") == pytest.approx(5 * 43.070 * 0.0189 * 0.98 * C)
    assert result.result("ghg_location") == pytest.approx(14.6253, abs=1e-4)


def test_measured_parameters_on_raw_coal() -> None:
    # Measured NCV 21.5 GJ/t, CC 0.0262 tC/GJ, OF 0.95 replace every default (GB/T 32150 §7).
    measured = MeasuredParameters(
        ncv=21.5, ncv_unit="GJ/t", carbon_content_tc_per_gj=0.0262, oxidation_rate=0.95
    )
    result = run(line("fuel_combustion", "raw_coal", 100, "t", measured=measured))
    assert result.result("ghg_location") == pytest.approx(100 * 21.5 * 0.0262 * 0.95 * C)
    assert all(f.measured for f in result.factors if f.role in ("ncv", "carbon_content"))


def test_raw_coal_default_uses_documented_proxy() -> None:
    # GB/T 2589-2020 A.1 原煤 20908 kJ/kg; CC/OF of 24-guideline table 2.1 row 烟煤 as a proxy.
    result = run(line("fuel_combustion", "raw_coal", 1, "t"))
    assert result.result("ghg_location") == pytest.approx(20.908 * 0.0261 * 0.93 * C)
    assert any("PROXY" in w for w in result.warnings)


def test_lng_default_is_newer_standard() -> None:
    # GB/T 32151.22-2024 表C.1 row 液化天然气: 51.498 GJ/t, 0.0153 tC/GJ, OF 98 % (default),
    # not the 2015 table's 44.2 GJ/t / 0.0172 (kept as variant guideline_2015).
    result = run(line("fuel_combustion", "lng", 1, "t"), reporting_year=2024)
    assert result.result("ghg_location") == pytest.approx(51.498 * 0.0153 * 0.98 * C)
    assert result.result("ghg_location") == pytest.approx(2.8313, abs=1e-4)


def test_ipcc_dataset_as_alternative() -> None:
    # IPCC 2006 Vol.2 Ch.1 Table 1.2 gas/diesel oil NCV 43.0 GJ/t; Table 1.3 CC 20.2 kgC/GJ; OF 1.
    result = run(line("fuel_combustion", "diesel", 1, "t"), fuel_dataset="ipcc_2006_fuels")
    assert result.result("ghg_location") == pytest.approx(43.0 * 0.0202 * 1.0 * C)


def test_purchased_electricity_national_2023_all_methods() -> None:
    # MEE/NBS 2023: national average 0.5306, excl. market non-fossil 0.6096, fossil 0.8273
    # kgCO2/kWh; national enterprise-reporting factor 0.5703 tCO2/MWh (2023-2025 reporting).
    result = run(line("purchased_electricity", "electricity", 1000, "MWh"))
    assert result.result("ghg_location") == pytest.approx(530.6)
    assert result.result("ghg_market") == pytest.approx(609.6)
    assert result.result("zero_carbon_park") == pytest.approx(827.3)
    assert result.result("cn_national") == pytest.approx(570.3)


def test_purchased_electricity_by_province_and_year() -> None:
    # MEE/NBS 2022 provincial table, row 广东 0.4403; 100 万kWh = 1000 MWh.
    result = run(
        line("purchased_electricity", "外购电力", 100, "万kWh", period="2022"), region="广东省"
    )
    assert result.result("ghg_location") == pytest.approx(440.3)
    # 2021 enterprise-reporting factor 0.5810 applies to reporting year 2022.
    assert result.result("cn_national") == pytest.approx(581.0)


def test_electricity_year_fallback_is_recorded() -> None:
    # No 2024 factor is published: the MEE/NBS 2023 provincial row 江苏 is used and the trace
    # must say the data year fell back from 2024 to 2023.
    result = run(
        line("purchased_electricity", "electricity", 1, "MWh", period="2024"), region="江苏"
    )
    location = next(f for f in result.factors if f.role == "ef_location")
    assert location.year == 2023 and location.region == "江苏"
    assert any("2023" in note for note in location.fallbacks)


def test_electricity_region_fallback_tibet_to_southwest_grid() -> None:
    # MEE/NBS 2021 regional table, row 西南 0.2113 (no provincial factor for 西藏).
    result = run(
        line("purchased_electricity", "electricity", 1000, "MWh", period="2021"), region="西藏"
    )
    assert result.result("ghg_location") == pytest.approx(211.3)
    location = next(f for f in result.factors if f.role == "ef_location")
    assert location.region == "西南" and location.fallbacks


def test_purchased_heat_default_and_supplier_factor() -> None:
    # GB/T 32150—2025 §7.5.6-7.5.7: 0.11 tCO2/GJ when no supplier-measured value exists.
    default = run(line("purchased_heat", "heat", 1000, "GJ"))
    assert default.result("cn_national") == pytest.approx(110.0)
    supplier = MeasuredParameters(emission_factor=90, ef_unit="kgCO2/GJ")
    measured = run(line("purchased_heat", "heat", 1000, "GJ", measured=supplier))
    assert measured.result("ghg_location") == pytest.approx(90.0)


def test_process_limestone_and_dolomite() -> None:
    # 中国发电企业指南 脱硫碳酸盐表 row CaCO3 0.440;
    # IPCC 2006 V3 Ch2 Table 2.1 row dolomite 0.47732.
    assert run(line("process", "calcium_carbonate", 50, "t")).result(
        "cn_national"
    ) == pytest.approx(22.0)
    assert run(line("process", "dolomite", 10, "t")).result("cn_national") == pytest.approx(4.7732)


@pytest.mark.parametrize(
    ("gwp_set", "r410a", "sf6"),
    [
        # IPCC 100-yr GWP; R-410A = 50 % HFC-32 + 50 % HFC-125 (ASHRAE 34).
        ("SAR", (650 + 2800) / 2, 23900),
        ("AR4", (675 + 3500) / 2, 22800),
        ("AR5", (677 + 3170) / 2, 23500),
        ("AR6", (771 + 3740) / 2, 25200),
    ],
)
def test_fugitive_under_each_gwp_set(gwp_set: str, r410a: float, sf6: float) -> None:
    # gwp.csv rows R-410A and SF6 (SAR/AR4/AR5 GHG Protocol table 2016; AR6 WGI Table 7.SM.7).
    leak = run(line("fugitive", "R-410A", 10, "kg"), gwp_set=gwp_set)
    assert leak.result("ghg_location") == pytest.approx(0.010 * r410a)
    assert "cn_national" not in leak.co2e_t  # CO2-only method
    breaker = run(line("fugitive", "SF6", 1, "kg"), gwp_set=gwp_set)
    assert breaker.result("ghg_market") == pytest.approx(0.001 * sf6)


def test_exported_electricity() -> None:
    # 0.5703 tCO2/MWh (national method) and MEE/NBS 2023 fossil 0.8273 (zero-carbon park).
    fossil = run(line("exported_electricity", "electricity", 100, "MWh"))
    assert fossil.result("cn_national") == pytest.approx(-57.03)
    assert fossil.result("zero_carbon_park") == pytest.approx(-82.73)
    assert "ghg_location" not in fossil.co2e_t
    assert fossil.energy_tce == pytest.approx(-100 * 0.1229)
    renewable = run(line("exported_electricity", "renewable_electricity", 100, "MWh"))
    assert renewable.result("zero_carbon_park") == 0.0


def test_green_electricity_market_based() -> None:
    # 1000 MWh bought, 400 MWh covered by green certificates; MEE/NBS 2023 excl. market 0.6096.
    bought = run(line("purchased_electricity", "electricity", 1000, "MWh"))
    green = run(line("green_electricity", "green_electricity", 400, "MWh"))
    market = bought.result("ghg_market") + green.result("ghg_market")
    assert market == pytest.approx(600 * 0.6096)
    location = bought.result("ghg_location") + green.result("ghg_location")
    assert location == pytest.approx(1000 * 0.5306)
    park = bought.result("zero_carbon_park") + green.result("zero_carbon_park")
    assert park == pytest.approx(600 * 0.8273)


def test_energy_in_tce() -> None:
    # GB/T 2589-2020 A.1: electricity 0.1229 kgce/kWh; 柴油 1.4571 kgce/kg; 油田天然气 1.3300
    # kgce/m3; heat 0.03412 kgce/MJ.
    assert run(
        line("purchased_electricity", "electricity", 1000, "MWh")
    ).energy_tce == pytest.approx(122.9)
    assert run(line("mobile_combustion", "diesel", 10, "t")).energy_tce == pytest.approx(14.571)
    assert run(line("fuel_combustion", "natural_gas", 10, "万Nm3")).energy_tce == pytest.approx(
        133.0
    )
    assert run(line("purchased_heat", "heat", 1000, "GJ")).energy_tce == pytest.approx(34.12)


def test_energy_equal_value_option() -> None:
    # GB/T 2589-2020 等价值: the year's coal consumption rate, here 0.300 kgce/kWh (user given).
    result = run(
        line("purchased_electricity", "electricity", 1000, "MWh"),
        electricity_basis="equal_value",
        equal_value_kgce_per_kwh=0.300,
    )
    assert result.energy_tce == pytest.approx(300.0)


def test_energy_from_ncv_when_no_coefficient() -> None:
    # Anthracite has no GB/T 2589 coefficient: 1 t × 26.7 GJ/t ÷ 29.307 GJ/tce (GB/T 2589 §3).
    result = run(line("fuel_combustion", "anthracite", 1, "t"))
    assert result.energy_tce == pytest.approx(26.7 / 29.307)


def test_sink_area_times_rate_for_a_month() -> None:
    # IPCC 2006 V4 Ch8 CRW 2.9 tC/ha/yr (UNVERIFIED, warned) × 44/12, one month = 1/12 year.
    result = run(line("sink", "tree_crown_cover", 12, "ha", period="2023-05"))
    assert result.removal_t == pytest.approx(12 * 2.9 * C / 12)
    assert any("UNVERIFIED" in w for w in result.warnings)


def test_wrong_unit_for_electricity_names_the_field() -> None:
    with pytest.raises(UnitError) as excinfo:
        run(line("purchased_electricity", "electricity", 10, "t", ref="x.csv row 3"))
    assert excinfo.value.field == "unit" and excinfo.value.location == "x.csv row 3"
