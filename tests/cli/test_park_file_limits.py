"""Park files are bounded before and while they are parsed (issue #9, finding 9): no YAML
aliases ("billion laughs" ended in MemoryError after 29 s), a size, node and depth limit, and
lengths on ids, names and free text, each refusal an issue with its path and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zeropark.cli import app
from zeropark.service.park_file import (
    MAX_PARK_FILE_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    check_park_text,
    park_template,
)

runner = CliRunner()

LAUGHS = "lol: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
)


def run(*args: str, db: Path | None = None) -> tuple[int, str]:
    prefix = ["--lang", "en"] + (["--db", f"sqlite:///{db}"] if db else [])
    result = runner.invoke(app, [*prefix, *args])
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def _park(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "park.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "apply"])
def test_billion_laughs_is_refused_at_its_first_alias(command: str, tmp_path: Path) -> None:
    text = park_template("mixed") + LAUGHS
    path = _park(tmp_path, text)
    line = text.splitlines().index(LAUGHS.splitlines()[1]) + 1
    code, out = run("park", command, str(path), db=tmp_path / "z.db")
    assert code == 65, out
    assert f"park.yaml:{line}: (document): YAML aliases (*a0) are not allowed" in out
    assert [(i.code, i.line) for i in check_park_text(text, "p")[1]] == [("yaml_alias", line)]


def test_a_merge_key_is_an_alias_too() -> None:
    text = "base: &b {carrier: electricity}\nother:\n  <<: *b\n"
    _, issues = check_park_text(text, "p.yaml")
    assert [(i.code, i.line) for i in issues] == [("yaml_alias", 3)]


def test_a_million_character_park_name_is_an_issue_with_its_path_and_line(tmp_path: Path) -> None:
    text = park_template("mixed")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("name:"))
    lines[number] = lines[number].split("name:")[0] + "name: " + "园" * 1_000_000
    path = _park(tmp_path, "\n".join(lines) + "\n")
    code, out = run("park", "validate", str(path))
    assert code == 65
    assert f"park.yaml:{number + 1}: park.name: String should have at most 200 characters" in out
    assert "园园园" not in out  # the value is not echoed
    code, out = run("park", "apply", str(path), db=tmp_path / "z.db")
    assert code == 65 and "park.name: String should have at most 200 characters" in out


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("id: t_chem", "id: t_" + "c" * 70, "tenants[0].id", "at most 64 characters"),
        ("name: 示例新材料公司", "name: " + "x" * 201, "tenants[0].name", "at most 200 characters"),
        ("carrier: electricity", "carrier: " + "e" * 33, "meters[0].carrier", "at most 32"),
        ("fuel: natural_gas", "fuel: " + "g" * 81, "assets[0].params.fuel", "at most 80"),
        ("province: 浙江", "province: " + "江" * 40, "park.province", "at most 32 characters"),
    ],
)
def test_ids_names_codes_and_parameters_have_lengths(
    old: str, new: str, path: str, message: str
) -> None:
    text = park_template("mixed")
    assert old in text, old
    _, issues = check_park_text(text.replace(old, new, 1), "p.yaml")
    found = [(i.path, i.code, i.line) for i in issues if message in i.message]
    assert len(found) == 1, issues
    assert found[0][0] == path
    assert found[0][1] in ("schema_string_too_long", "schema_value_error")
    assert found[0][2] == next(n for n, line in enumerate(text.splitlines(), 1) if old in line)


def test_a_file_over_the_size_limit_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = _park(tmp_path, park_template("mixed") + "#" * MAX_PARK_FILE_BYTES)
    code, out = run("park", "validate", str(path))
    assert code == 65
    assert f"the park file is larger than {MAX_PARK_FILE_BYTES:,} bytes" in out
    _, issues = check_park_text("#" * (MAX_PARK_FILE_BYTES + 1), "p.yaml")
    assert [i.code for i in issues] == ["file_too_large"]


def test_nesting_and_node_count_are_bounded() -> None:
    deep = "x: " + "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1) + "\n"
    assert [i.code for i in check_park_text(deep, "p.yaml")[1]] == ["yaml_too_deep"]
    many = "x: [" + "1," * MAX_YAML_NODES + "1]\n"
    assert [i.code for i in check_park_text(many, "p.yaml")[1]] == ["yaml_too_large"]


def test_templates_with_anchors_but_no_alias_still_load() -> None:
    spec, issues = check_park_text(park_template("office").replace("park:", "park: &p", 1), "p")
    assert issues == [] and spec is not None
