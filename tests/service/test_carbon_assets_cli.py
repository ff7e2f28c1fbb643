"""``zeropark ledger``: the same service answers on the command line, in --lang (#14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.service.test_carbon_assets import ledger_db  # noqa: F401
from tests.service.test_carbon_assets import test_compliance_and_ccer_cap as _with_compliance
from zeropark.cli import app
from zeropark.service.database import Database


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_ledger_commands(ledger_db: Database, tmp_path: Path) -> None:  # noqa: F811
    _with_compliance(ledger_db)
    runner = CliRunner()
    base = ["--db", ledger_db.url, "--lang", "zh", "ledger"]
    out = runner.invoke(app, [*base, "compliance", "--year", "2024", "--park", "my_park"])
    assert out.exit_code == 0, out.output
    assert "存在缺口" in out.output and "缺口: 1,500 t" in out.output
    assert "135,000" in out.output
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,side,instrument,quantity,price_cny,counterparty,exchange,reference,account\n"
        "2025-06-12,sell,CEA:2024,99999,90,x,y,S-1,t_chem\n",
        encoding="utf-8",
    )
    out = runner.invoke(app, [*base, "import", str(bad), "--market", "market", "--park", "my_park"])
    assert out.exit_code == 1
    assert "余额不能为负" in out.output and "bad.csv" in out.output
    pdf = tmp_path / "s.pdf"
    out = runner.invoke(
        app, [*base, "statement", "--year", "2024", "--out", str(pdf), "--park", "my_park"]
    )
    assert out.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
