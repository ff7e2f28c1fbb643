"""The main job end to end: ``zeropark demo --no-serve`` on the embedded default (SQLite)."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from zeropark.cli import app


def test_demo_builds_and_prints_its_summary(tmp_path: Path) -> None:
    db = tmp_path / "zeropark.db"
    runner = CliRunner()
    args = ["--lang", "en", "--db", f"sqlite:///{db}", "demo", "--no-serve"]
    result = runner.invoke(app, [*args, "--files", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "8 tenants, 66 meters" in out
    # The demo's PV: 8,000 kWp on the Greensboro TMY3 year (docs/demo-park.md): 1,354 kWh/kWp.
    match = re.search(r"from 8,000 kWp: ([\d,]+) kWh/kWp", out)
    assert match and 1300 <= int(match.group(1).replace(",", "")) <= 1400
    assert "data coverage 100.00%" in out
    assert (tmp_path / "demo" / "park.yaml").exists()
    # Running it again adds nothing: every reading is a duplicate.
    again = runner.invoke(app, [*args, "--files", str(tmp_path / "demo")])
    assert again.exit_code == 0
    assert "new 0, duplicate 2,319,018" in " ".join(again.stdout.split())
