"""The park commands end to end through the real CLI, on a SQLite file in a temp directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zeropark.cli import app
from zeropark.domain.park import PARK_TYPES

FIXTURES = Path(__file__).parent.parent / "fixtures" / "parks"
runner = CliRunner()


def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
    prefix = ["--lang", "en"] + (["--db", f"sqlite:///{db}"] if db else [])
    result = runner.invoke(app, [*prefix, *args])
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


@pytest.mark.parametrize("park_type", sorted(PARK_TYPES))
def test_new_then_validate(park_type: str, tmp_path: Path) -> None:
    code, out, _ = run("park", "new", "--type", park_type)
    assert code == 0
    path = tmp_path / "park.yaml"
    path.write_text(out, encoding="utf-8")
    code, out, err = run("park", "validate", str(path))
    assert code == 0, err
    assert "park file is valid" in " ".join(out.split())


def test_validate_names_every_error_and_fails() -> None:
    path = FIXTURES / "every_error.yaml"
    code, _, err = run("park", "validate", str(path))
    assert code == 65
    for expected in (
        "tenants[2].id: id 't_a' is used more than once",
        "meters[1].carrier: unknown carrier 'plasma'",
        "meters[2].unit: unit 'kWh' (energy) does not fit carrier 'natural_gas'",
        "meters[3].parent: parent meters form a cycle",
        "meters[6].tenant: sub-meter of 'a_main'",
        "virtual_meters[0].expression: names no meter 'pv_export'",
        "6 issue(s)",
    ):
        assert expected in err, expected


def test_apply_is_idempotent_and_export_round_trips(tmp_path: Path) -> None:
    db = tmp_path / "z.db"
    park = tmp_path / "park.yaml"
    park.write_text(run("park", "new", "--type", "logistics")[1], encoding="utf-8")
    code, out, _ = run("park", "apply", str(park), db=db)
    assert code == 0 and "created" in out
    code, out, _ = run("park", "apply", str(park), db=db)
    assert code == 0 and "no changes" in out
    code, exported, _ = run("park", "export", db=db)
    assert code == 0
    again = tmp_path / "exported.yaml"
    again.write_text(exported, encoding="utf-8")
    code, out, _ = run("park", "apply", str(again), db=db)
    assert code == 0 and "no changes" in out


def test_apply_refuses_an_invalid_file(tmp_path: Path) -> None:
    code, _, err = run("park", "apply", str(FIXTURES / "every_error.yaml"), db=tmp_path / "z.db")
    assert code == 65
    assert "6 issue(s)" in err


def test_chinese_messages(tmp_path: Path) -> None:
    park = tmp_path / "park.yaml"
    park.write_text(run("park", "new", "--type", "office")[1], encoding="utf-8")
    result = runner.invoke(app, ["--lang", "zh", "park", "validate", str(park)])
    assert "园区文件有效" in "".join(result.stdout.split())


def test_doctor_reports_the_database(tmp_path: Path) -> None:
    _code, out, _ = run("doctor", db=tmp_path / "z.db")
    assert "database" in out
    assert "sqlite" in out
