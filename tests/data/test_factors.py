"""The packaged factor data: complete, sourced, unit-valid, and consistent with the references."""

from __future__ import annotations

from pathlib import Path

import pytest

from zeropark.data.factors import load_custom_factors, load_factors, load_items
from zeropark.domain.accounting import GRID_REGIONS, PROVINCE_GRID
from zeropark.errors import InputError, UnitError
from zeropark.units import conversion_factor

FACTORS = load_factors()


def _value(
    code: str,
    parameter: str,
    *,
    region: str = "全国",
    year: int | None = None,
    variant: str = "default",
) -> float:
    rows = [
        f
        for f in FACTORS.factors
        if (f.code, f.parameter, f.region, f.variant) == (code, parameter, region, variant)
        and (year is None or f.year == year)
    ]
    assert len(rows) == 1, (code, parameter, region, year, variant, rows)
    return rows[0].value


def test_every_row_is_sourced_and_has_a_unit_pint_reads() -> None:
    for factor in FACTORS.factors:
        assert factor.source and factor.verification and factor.dataset and factor.version
        conversion_factor(factor.unit, factor.unit)


def test_grid_factors_cover_30_provinces_7_grids_3_years() -> None:
    for year in (2021, 2022, 2023):
        provinces = {
            f.region
            for f in FACTORS.factors
            if f.parameter == "ef_grid_average" and f.year == year and f.region in PROVINCE_GRID
        }
        assert len(provinces) == 30 and "西藏" not in provinces
        for grid in GRID_REGIONS:
            assert _value("electricity", "ef_grid_average", region=grid, year=year) > 0


@pytest.mark.parametrize(
    ("year", "average", "excl_market", "fossil"),
    [
        (2021, 0.5568, 0.5942, 0.8426),
        (2022, 0.5366, 0.5856, 0.8325),
        (2023, 0.5306, 0.6096, 0.8273),
    ],
)
def test_national_grid_factors(
    year: int, average: float, excl_market: float, fossil: float
) -> None:
    # MEE/NBS notices 公告2024年第12号, 公告2024年第33号, 公告2025年第47号 (national rows).
    assert _value("electricity", "ef_grid_average", year=year) == average
    assert _value("electricity", "ef_grid_excl_market_non_fossil", year=year) == excl_market
    assert _value("electricity", "ef_grid_fossil", year=year) == fossil


def test_enterprise_reporting_factors() -> None:
    assert _value("electricity", "ef_grid_enterprise_reporting", year=2021) == 0.5810
    assert _value("electricity", "ef_grid_enterprise_reporting", year=2023) == 0.5703


@pytest.mark.parametrize(
    ("code", "ef_per_unit"),
    # derived EF column of reference/factors/fossil_fuels_cn.csv (tCO2 per t or per 1e4 Nm3).
    [
        ("gasoline", 2.925056),
        ("diesel", 3.095910),
        ("natural_gas", 21.621888),
        ("bituminous_coal", 1.741750),
        ("coke", 2.860419),
        ("lpg", 3.101330),
        ("coke_oven_gas", 8.863806),
        ("lng", 2.831257),
    ],
)
def test_fuel_parameters_reproduce_published_emission_factors(
    code: str, ef_per_unit: float
) -> None:
    ncv = _value(code, "ncv")
    cc = _value(code, "carbon_content")
    of = _value(code, "oxidation_rate")
    assert ncv * cc * of * 44 / 12 == pytest.approx(ef_per_unit, abs=1e-6)


def test_lng_conflict_kept_as_alternative() -> None:
    assert _value("lng", "ncv") == 51.498
    assert _value("lng", "ncv", variant="guideline_2015") == 44.2
    assert FACTORS.lookup("lng", "ncv", year=2030).factor.value == 51.498


def test_gwp_sets() -> None:
    assert [
        _value("CH4", "gwp_100", region="全球", variant=s) for s in ("SAR", "AR4", "AR5", "AR6")
    ] == [21, 25, 28, 27.9]
    assert _value("SF6", "gwp_100", region="全球", variant="SAR") == 23900


def test_standard_coal_and_heat() -> None:
    assert _value("electricity", "coal_equivalent") == 0.1229
    assert _value("heat", "coal_equivalent") == 0.03412
    assert _value("heat", "ef_heat") == 0.11


def test_item_catalogue_reads_chinese_names() -> None:
    items = load_items()
    for name, code in [
        ("原煤", "raw_coal"),
        ("天然气", "natural_gas"),
        ("柴油", "diesel"),
        ("汽油", "gasoline"),
        ("液化石油气", "lpg"),
        ("外购电力", "electricity"),
        ("热力", "heat"),
        ("R410A", "R-410A"),
    ]:
        assert items.resolve(name).code == code
    for item in items.items:
        if item.kind == "fuel":
            assert FACTORS.has(item.code, "ncv"), item.code


def test_custom_factors_override_and_validate(tmp_path: Path) -> None:
    good = tmp_path / "custom.csv"
    good.write_text(
        "code,parameter,value,unit,year,region,dataset,version,source\n"
        "electricity,ef_grid_average,0.4,kgCO2/kWh,2023,上海,utility,1,utility disclosure\n",
        encoding="utf-8",
    )
    merged = FACTORS.merged_with(load_custom_factors(good))
    choice = merged.lookup("electricity", "ef_grid_average", year=2023, region="上海")
    assert choice.factor.value == 0.4 and choice.factor.custom and choice.fallbacks
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,parameter,value,unit,year,region,dataset,version,source\n"
        "diesel,carbon_content,0.02,kWh/t,2023,全国,x,1,x\n",
        encoding="utf-8",
    )
    with pytest.raises(UnitError) as excinfo:
        load_custom_factors(bad)
    assert excinfo.value.location == "row 2" and excinfo.value.field == "unit"
    with pytest.raises(InputError):
        load_custom_factors(tmp_path / "missing.csv")


def test_methodology_factor_tables_are_up_to_date() -> None:
    import importlib.util

    script = Path(__file__).parents[2] / "scripts" / "gen_factor_docs.py"
    spec = importlib.util.spec_from_file_location("gen_factor_docs", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = module.DOC.read_text(encoding="utf-8")
    assert module.updated(current) == current, "run: python scripts/gen_factor_docs.py"
