"""``zeropark bills issue|list`` and ``zeropark bill`` on the demo park, in both languages.

The hand-checked figure: t_auto's March 2024 bill is 1,497,068.67 CNY
(``tests/service/test_billing.py`` derives it line by line); issuing it stores exactly that,
as the document's total and as the exact amount beside it. Time comes from ``ZEROPARK_CLOCK``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import demo_copy
from zeropark.cli import app
from zeropark.domain.access import Principal
from zeropark.service.billing.compute import month_bills
from zeropark.service.billing.issued import bill_versions
from zeropark.service.billing.views import bill_to_dict
from zeropark.service.database import Database

runner = CliRunner()
CLOCK = "2024-04-02T09:00:00+08:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Database]:
    db = demo_copy(demo_template, tmp_path_factory.mktemp("bills-cli"))
    yield db
    db.dispose()


def run(db: Database, *args: str) -> tuple[int, str]:
    """Exit code and output (spaces collapsed) of ``zeropark --db DB ARGS`` at :data:`CLOCK`."""
    env = {"ZEROPARK_CLOCK": CLOCK, "ZEROPARK_PARK": "demo", "ZEROPARK_LANG": None}
    result = runner.invoke(app, ["--db", db.url, *args], env=env)
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def test_issue_t_auto_march_2024_stores_the_hand_checked_bill(demo: Database) -> None:
    code, out = run(demo, "--lang", "en", "bills", "issue", "--month", "2024-03",
                    "--tenant", "t_auto")  # fmt: skip
    assert code == 0, out
    assert "issued t_auto 2024-03 version 1: 1,497,068.67 CNY" in out
    assert "1 bill(s) issued and sealed in the audit chain" in out
    [stored] = bill_versions(demo, Principal.system(), "demo", "2024-03", "t_auto")
    assert stored.total_cny == Decimal("1497068.67")
    assert stored.document["total_cny"] == 1497068.67
    assert stored.issued_at == datetime(2024, 4, 2, 1, 0, tzinfo=UTC)
    assert stored.issued_by == "local-operator"
    view = month_bills(demo, Principal.system(), "demo", "2024-03")
    assert stored.document == bill_to_dict(view, view.billing.bills["t_auto"])
    code, out = run(demo, "--lang", "zh", "bill", "--tenant", "t_auto", "--month", "2024-03")
    assert code == 0 and "1,497,068.67" in out
    assert "状态：已出具，第 1 版，2024-04-02 09:00" in out
    assert "按当前数据重算结果相同" in out


def test_issuing_again_is_refused_unless_reissued_with_a_reason(demo: Database) -> None:
    issue = ("bills", "issue", "--month", "2024-03", "--tenant", "t_auto")
    code, out = run(demo, "--lang", "zh", *issue)
    assert code == 65 and "2024-03 的账单已出具：t_auto（第 1 版）" in out and "--reissue" in out
    code, out = run(demo, "--lang", "en", *issue)
    assert code == 65 and "are issued already: t_auto (version 1)" in out
    code, out = run(demo, "--lang", "en", *issue, "--reissue")
    assert code == 65 and "a re-issue needs a reason" in out
    code, out = run(demo, "--lang", "zh", *issue, "--reissue", "--reason", "电价通知更正")
    assert code == 0 and "已出具 t_auto 2024-03 第 2 版：1,497,068.67 元" in out, out
    versions = bill_versions(demo, Principal.system(), "demo", "2024-03", "t_auto")
    assert [(b.version, b.superseded, b.reason) for b in versions] == [
        (1, True, None), (2, False, "电价通知更正"),
    ]  # fmt: skip
    assert versions[0].document == versions[1].document
    code, out = run(demo, "--lang", "en", "bill", "--tenant", "t_auto", "--month", "2024-03")
    assert "status: issued, version 2" in out and "reason for re-issue: 电价通知更正" in out


def test_list_shows_issued_and_draft_and_verify_covers_the_bills(demo: Database) -> None:
    code, out = run(demo, "--lang", "en", "bills", "list", "--month", "2024-03")
    assert code == 0, out
    assert "Bills 2024-03 (partly issued)" in out
    assert "t_auto │ issued v2 │ 2024-04-02 │ 1,497,068.67 │ │" in out
    assert "t_elec │ draft" in out
    code, out = run(demo, "--lang", "zh", "bills", "list", "--month", "2024-02")
    assert code == 0 and "2024-02 账单（草稿）" in out
    code, out = run(demo, "--lang", "en", "verify")
    assert code == 0 and "2 issued bills" in out, out


def test_a_changed_tariff_shows_beside_the_issued_bill(demo: Database) -> None:
    """Natural gas at 4.00 instead of 3.45 CNY/Nm³ (applied after issuing): the bill shown stays
    the issued 1,497,068.67 and says what recomputing now gives (runs last: it changes the
    demo park)."""
    from dataclasses import replace

    from zeropark.service.parks import apply_park
    from zeropark.store.parks import ParkRepository

    system = Principal.system()
    with demo.transaction() as conn:
        spec = ParkRepository(conn, system).export("demo")
    tariffs = spec.park.tariffs
    assert tariffs is not None
    gas = replace(tariffs.others[0], price_cny_per_unit=4.00)
    park = replace(spec.park, tariffs=replace(tariffs, others=[gas, *tariffs.others[1:]]))
    apply_park(demo, system, replace(spec, park=park))
    now = month_bills(demo, system, "demo", "2024-03").billing.bills["t_auto"].total_cny
    diff = now - Decimal("1497068.67")
    assert diff > 40_000  # 69,446.92 Nm³ × 0.55 plus its common share, VAT 9 %
    code, out = run(demo, "--lang", "en", "bill", "--tenant", "t_auto", "--month", "2024-03")
    assert code == 0 and "Total incl. VAT │ │ │ │ 1,497,068.67" in out, out
    assert (
        f"data changed since: recomputed now {now:,.2f} CNY, differs by {diff:+,.2f} CNY from "
        "the issued 1,497,068.67 CNY (the issued bill is unchanged)"
    ) in out
    code, out = run(demo, "--lang", "zh", "bills", "list", "--month", "2024-03")
    assert f"│ 1,497,068.67 │ {diff:+,.2f} │" in out
    assert f"t_auto: 数据已变化：按当前数据重算为 {now:,.2f} 元" in out
