"""The ``zeropark account`` contract (DESIGN.md section 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zeropark.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "accounting"
runner = CliRunner()


def _json(*args: str) -> dict:
    result = runner.invoke(app, ["account", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract_totals_energy_and_lines() -> None:
    data = _json(str(FIXTURES / "park_2023.csv"), "--province", "上海")
    totals = data["totals"]
    assert set(totals["by_scope"]) == {"1", "2_location_based", "2_market_based", "3"}
    assert {"by_category", "by_gas", "by_entity"} <= set(totals)
    assert data["units"] == {"emissions": "tCO2e", "energy": "tce"}
    assert data["energy"]["total_tce"] > 0
    assert set(data["methods"]) == {"cn_national", "ghg_location", "ghg_market", "zero_carbon_park"}
    diesel = next(ln for ln in data["lines"] if ln["item"] == "diesel")
    assert diesel["tco2e"]["ghg_location"] == pytest.approx(30.959, abs=5e-4)
    assert all(f["source"] for f in diesel["factors"])
    assert len(data["input_hash"]) == 64


def test_json_is_reproducible_bit_for_bit() -> None:
    path = str(FIXTURES / "park_2023.csv")
    first = runner.invoke(app, ["account", path, "--format", "json"]).stdout
    second = runner.invoke(app, ["account", path, "--format", "json"]).stdout
    assert first == second


def test_gwp_and_year_options() -> None:
    path = str(FIXTURES / "park_2023.csv")
    ar5 = _json(path)["totals"]["by_gas"]["R-410A"]
    sar = _json(path, "--gwp", "SAR")["totals"]["by_gas"]["R-410A"]
    assert (ar5, sar) == (pytest.approx(19.235), pytest.approx(17.25))
    data = _json(path, "--year", "2024")
    electricity = next(ln for ln in data["lines"] if ln["category"] == "purchased_electricity")
    location = next(f for f in electricity["factors"] if f["role"] == "ef_location")
    assert location["year"] == 2023 and location["fallbacks"]


def test_custom_factor_file(tmp_path: Path) -> None:
    custom = tmp_path / "custom.csv"
    custom.write_text(
        "code,parameter,value,unit,year,region,dataset,version,source\n"
        "heat,ef_heat,0.05,tCO2/GJ,2023,全国,supplier,2023,heat supplier certificate\n",
        encoding="utf-8",
    )
    data = _json(str(FIXTURES / "park_2023.csv"), "--factors", str(custom))
    heat = next(
        ln for ln in data["lines"] if ln["category"] == "purchased_heat" and not ln["measured"]
    )
    assert heat["tco2e"]["cn_national"] == pytest.approx(50.0)


def test_double_counting_fixture() -> None:
    data = _json(str(FIXTURES / "double_counting.csv"))
    assert [d["coverage"] for d in data["double_counting"]] == ["full"]
    assert data["methods"]["ghg_location"]["by_category"]["purchased_electricity"] == pytest.approx(
        300 * 0.5306
    )


def test_table_output_has_bilingual_headers() -> None:
    result = runner.invoke(app, ["--lang", "zh", "account", str(FIXTURES / "park_2023.csv")])
    assert result.exit_code == 0, result.output
    assert "综合能耗" in result.stdout and "范围一" in result.stdout
    english = runner.invoke(app, ["--lang", "en", "account", str(FIXTURES / "park_2023.csv")])
    assert "scope 1" in english.stdout


def test_bad_rows_name_file_row_field_and_reason() -> None:
    path = FIXTURES / "bad_rows.csv"
    result = runner.invoke(app, ["account", str(path), "--format", "json"])
    assert result.exit_code == 65
    assert "bad_rows.csv" in result.stderr
    assert "row 2" in result.stderr and "'quantity'" in result.stderr
    assert "row 3" in result.stderr and "'item'" in result.stderr
    assert "row 4" in result.stderr and "'period'" in result.stderr


def test_unit_that_does_not_fit_is_an_input_error() -> None:
    result = runner.invoke(app, ["account", str(FIXTURES / "wrong_unit.csv"), "--format", "json"])
    assert result.exit_code == 65
    assert "row 2" in result.stderr and "'unit'" in result.stderr


def _demo_csv(tmp_path: Path) -> Path:
    from zeropark.data.demo import activities_csv_text, build_demo

    path = tmp_path / "demo_activities.csv"
    path.write_text(activities_csv_text(build_demo(2024)), encoding="utf-8")
    return path


def test_demo_activities_succeed_with_scope3_lines_set_aside(tmp_path: Path) -> None:
    # Waste and water have no verified official default factor: those lines are listed under
    # not_quantified (with what to supply) and counted in no total; the rest is accounted.
    data = _json(str(_demo_csv(tmp_path)))
    aside = data["not_quantified"]
    assert aside and {a["category"] for a in aside} <= {"waste", "water"}
    first = aside[0]
    assert set(first) == {
        "ref",
        "entity",
        "period",
        "category",
        "item",
        "quantity",
        "unit",
        "supply",
    }
    assert (
        first["ref"].startswith("demo_activities.csv row ") and "emission_factor" in first["supply"]
    )
    assert not {ln["category"] for ln in data["lines"]} & {"waste", "water"}
    assert "3" not in data["methods"]["ghg_location"]["by_scope"]
    assert data["methods"]["cn_national"]["gross_tco2e"] > 0
    assert any("not quantified" in w for w in data["warnings"])


def test_demo_table_shows_the_count_and_the_first_few(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "en", "account", str(_demo_csv(tmp_path))])
    assert result.exit_code == 0, result.output
    data = _json(str(_demo_csv(tmp_path)))
    count = len(data["not_quantified"])
    assert f"{count} scope-3 line(s) not quantified" in result.stdout
    assert f"... and {count - 5} more" in result.stdout
    assert result.stdout.count("  - demo_activities.csv row ") == 5


def test_gbk_csv_saved_by_chinese_excel_gives_the_same_inventory(tmp_path: Path) -> None:
    """The same activities saved as "CSV (逗号分隔)" by Excel on Chinese Windows (GBK)."""
    source = FIXTURES / "park_2023.csv"
    gbk = tmp_path / "park_2023_gbk.csv"
    gbk.write_bytes(source.read_text(encoding="utf-8").encode("gbk"))
    utf8, legacy = _json(str(source)), _json(str(gbk))
    assert legacy["totals"] == utf8["totals"]
    assert [ln["tco2e"] for ln in legacy["lines"]] == [ln["tco2e"] for ln in utf8["lines"]]


def test_a_file_in_neither_encoding_is_refused_with_its_byte(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes((FIXTURES / "park_2023.csv").read_text(encoding="utf-8").encode("utf-16"))
    result = runner.invoke(app, ["account", str(path), "--format", "json"])
    assert result.exit_code == 65
    assert "neither UTF-8 nor GB18030" in result.output and "byte 0" in result.output


def test_issues_print_in_the_chosen_language(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "entity,period,category,item,quantity,unit\nA,2024年3月,process,石灰石,50%,t\n",
        encoding="utf-8",
    )
    zh = runner.invoke(app, ["--lang", "zh", "account", str(path), "--format", "json"])
    assert zh.exit_code == 65
    said = " ".join(zh.stderr.split())
    # Where and which field in Chinese too (issue #11: "row 6" stayed English in zh).
    assert "第 2 行: 字段 'quantity' = '50%': 百分数“50%”不是数量" in said
    assert "[bad_number]" in said and "共 1 个问题" in said
    en = runner.invoke(app, ["--lang", "en", "account", str(path), "--format", "json"])
    assert "a percentage (50%) is not a quantity" in " ".join(en.stderr.split())
