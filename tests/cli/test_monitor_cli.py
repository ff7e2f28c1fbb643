"""``zeropark monitor run --once`` and ``zeropark monitor backfill`` on a real database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.service.test_monitor import PARK, SYSTEM, _at, _build, _ingest
from zeropark.cli import app
from zeropark.service.database import Database
from zeropark.service.monitor import rules_api

runner = CliRunner()


def test_run_once_and_backfill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db = Database(url)
    _build(db, days=3)
    _ingest(db, {"e_main": [(_at(3, 0, 15 * k), 100.0) for k in (1, 2, 3, 4)]})  # 400 kW
    peak = {"id": "peak", "kind": "threshold", "target": {"meter": "e_main"}}
    rules_api.save_rule(db, SYSTEM, PARK, {**peak, "params": {"limit": 150}})
    db.dispose()
    once = runner.invoke(app, ["--lang", "en", "--db", url, "monitor", "run", "--once"])
    assert once.exit_code == 0, once.output
    # Built-in no-data rule: both meters silent at the wall clock; the peak rule: hour at 400 kW
    # is long past, so the latest hour is undetermined (no data) — nothing raised for it.
    assert f"{PARK}: 3 rules" in once.output and "raised" in once.output
    period = ["--from", "2024-09-02", "--to", "2024-09-06", "--rule", "peak"]
    back = runner.invoke(app, ["--lang", "en", "--db", url, "monitor", "backfill", *period])
    assert back.exit_code == 0, back.output
    assert "1 rules x 96 hours: 1 alert(s) would be raised" in back.output
    assert "2024-09-05T00:00" in back.output  # the hour of the planted peak, park time
