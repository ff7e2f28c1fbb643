"""The CLI on a database with two parks, and in the language it is asked for (issue #11).

Reproductions from the issue: once ``park apply`` had created a second park, ten README
commands failed with "name the park (--park)"; ``ingest modbus`` with no Modbus maps exited 0
saying nothing; ``data quality`` printed 858 rows and no summary; ``--lang zh`` left category
keys and errors in English. The world is the API tests' two parks (``my_park`` with readings of
three meters and two diesel records, ``other_park``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.api.parkdata import OTHER, PARK, build_world
from zeropark.cli import app
from zeropark.service.database import Database

runner = CliRunner()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli") / "zeropark.db"
    db = Database(f"sqlite:///{path}")
    build_world(db, users=False)
    db.dispose()
    yield path


def run(db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit code and stdout + stderr (spaces collapsed) of ``zeropark --db DB ARGS``."""
    clean = {"ZEROPARK_PARK": None, "ZEROPARK_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None}
    result = runner.invoke(app, ["--db", f"sqlite:///{db}", *args], env={**clean, **(env or {})})
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


@pytest.mark.parametrize(
    "command",
    [
        ("data", "quality"),
        ("quarantine", "list"),
        ("inventory", "compute", "--year", "2024"),
        ("readings", "export", "--meter", "e_chem", "--from", "2024-03-01", "--to", "2024-03-02"),
    ],
)
def test_a_default_park_from_the_environment(db_path: Path, command: tuple[str, ...]) -> None:
    code, out = run(db_path, "--lang", "en", *command)
    assert code == 65 and "name the park (--park or ZEROPARK_PARK)" in out, out
    assert f"{PARK}, {OTHER}" in out or f"{OTHER}, {PARK}" in out
    code, out = run(db_path, "--lang", "zh", *command)
    assert "请指定园区" in out and "field" not in out, out
    code, out = run(db_path, *command, env={"ZEROPARK_PARK": PARK})
    assert code == 0, out


def test_modbus_with_no_map_says_why(db_path: Path) -> None:
    code, out = run(db_path, "--lang", "en", "ingest", "modbus", "--park", PARK)
    assert code == 78
    assert "has no Modbus meter to poll" in out and "Nothing to do" in out
    code, out = run(db_path, "--lang", "zh", "ingest", "modbus", env={"ZEROPARK_PARK": PARK})
    assert code == 78 and "没有可轮询的 Modbus 表计" in out


def test_quality_prints_a_summary_first(db_path: Path) -> None:
    window = ("--park", PARK, "--period", "day", "--from", "2024-03-01", "--to", "2024-03-04")
    code, out = run(db_path, "--lang", "en", "data", "quality", *window)
    assert code == 0, out
    # The world's meters (grid_main, e_chem, e_mall) read hourly on 1-2 March only.
    summary = out[: out.index("Meters and periods to check")]
    assert re.search(r"meters × periods: \d+ × 3 = \d+", summary), summary
    assert "mean coverage" in summary and "open quarantine records" in summary
    code, listed = run(db_path, "--lang", "en", "data", "quality", *window, "--limit", "1")
    assert "more to check" in listed


def test_lang_zh_names_categories_and_errors(db_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "acts.csv"
    csv.write_text(
        "entity,period,category,item,quantity,unit\n"
        "t_x,2024,fuel_combustion,natural_gas,1000,Nm3\n"
        "t_x,2024,waste,一般工业固废,5,t\n",
        encoding="utf-8",
    )
    code, out = run(db_path, "--lang", "zh", "account", str(csv))
    assert code == 0, out
    assert "化石燃料燃烧" in out and "fuel_combustion" not in out
    assert "缺少排放因子" in out and "no emission factor" not in out
    code, out = run(db_path, "--lang", "zh", "account", str(tmp_path / "missing.csv"))
    assert code in (65, 66) and "No such file" not in out and "文件不存在" in out


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"ZEROPARK_LANG": "zh"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),  # the system locale, when nothing else is said
        ({"LANG": "en_GB.UTF-8"}, "en"),
    ],
)
def test_template_follows_the_language(
    db_path: Path, tmp_path: Path, env: dict[str, str], lang: str
) -> None:
    from openpyxl import load_workbook

    out_file = tmp_path / "template.xlsx"
    code, out = run(
        db_path, "template", "activities", "--park", PARK, "--out", str(out_file), env=env
    )
    assert code == 0, out
    book = load_workbook(out_file)
    text = " ".join(
        [*book.sheetnames]
        + [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    )
    english = "Bad rows are quarantined"
    assert (english in text) == (lang == "en"), text[:400]
