"""The carbon-asset ledger on SQLite and PostgreSQL (#14): recording, refusals, compliance,
green electricity in the inventory, who sees what, and ``zeropark verify`` naming a tampered
movement.

Hand figures: market-based scope 2 with 1,000 MWh bought and 400 certificates retired =
600 MWh × 0.6096 tCO2/MWh = 365.76 tCO2 (MEE/NBS 公告2025年第47号, 2023 national average
excluding market-traded non-fossil power, the latest factor for a 2024 inventory).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import text

from tests.api.parkdata import PARK, SYSTEM, build_world
from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.domain.ledger import Account, LedgerRefusal, Movement
from zeropark.errors import PermissionDenied
from zeropark.service.audit_verify import verify_database
from zeropark.service.carbon_assets.movements import open_accounts, record_movements
from zeropark.service.carbon_assets.positions import (
    aggregated_positions,
    compliance_positions,
    holdings,
)
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory
from zeropark.store import ledger as store
from zeropark.store.activities import write_activities

PROJECT = "32010000000000017"
GEC = f"GEC:{PROJECT}:2024-03"
TENANT = Principal("chem@p.test", "tenant", frozenset([PARK]), tenant_id="t_chem")
REGULATOR = Principal("reg@p.test", "regulator", frozenset([PARK]))
AUDITOR = Principal("aud@p.test", "auditor", frozenset([PARK]))
EV = {"occurred_on": "2024-04-02", "evidence": "凭证.pdf", "reference": "NO-1"}


def _gec(n: int) -> str:
    return f"{PROJECT}{n:015d}"


@pytest.fixture
def ledger_db(db: Database) -> Database:
    build_world(db, users=False)
    open_accounts(
        db,
        SYSTEM,
        PARK,
        [
            Account("park", "holding", None, "园区"),
            Account("t_chem", "holding", "t_chem"),
            Account("t_utility", "holding", "t_utility"),
            Account("registry", "issuer"),
            Account("market", "counterparty"),
            Account("surrendered", "surrender"),
            Account("retired", "retirement"),
        ],
    )
    with db.transaction() as conn:
        write_activities(
            conn,
            SYSTEM,
            PARK,
            [
                ActivityRecord(
                    "t_utility", "2024-03", "purchased_electricity", "electricity", 1000, "MWh"
                )
            ],
            source="test",
        )
    return db


def _issue(db: Database, to: str, start: int, size: int) -> list[int]:
    return record_movements(
        db,
        SYSTEM,
        PARK,
        [
            Movement(
                "issuance",
                GEC,
                D(size),
                "registry",
                to,
                serial_start=_gec(start),
                serial_end=_gec(start + size - 1),
                **EV,
            )
        ],
    )


def _retire(db: Database, source: str, who: str, start: int, size: int) -> list[int]:
    return record_movements(
        db,
        SYSTEM,
        PARK,
        [
            Movement(
                "retirement",
                GEC,
                D(size),
                source,
                "retired",
                serial_start=_gec(start),
                serial_end=_gec(start + size - 1),
                beneficiary=who,
                period="2024-03",
                **EV,
            )
        ],
    )


def test_scope2_from_retirements_and_no_double_claim(ledger_db: Database) -> None:
    db = ledger_db
    _issue(db, "park", 0, 2000)
    (retirement,) = _retire(db, "park", "t_utility", 0, 400)
    stored = compute_inventory(db, SYSTEM, PARK, 2024, tenant_id="t_utility")
    market = stored.inventory.totals["ghg_market"]
    assert market.by_scope.get("2", 0.0) == pytest.approx(600 * 0.6096)
    green = [r for r in stored.inventory.results if r.line.category == "green_electricity"]
    assert [r.line.ref for r in green] == [
        f"ledger:GEC {_gec(0)}-{_gec(399)} (movement {retirement})"
    ]
    # The same certificates cannot reduce a second tenant's inventory: they are retired.
    with pytest.raises(LedgerRefusal) as refused:
        _retire(db, "park", "t_chem", 0, 400)
    assert refused.value.ledger_issues[0].code == "ledger_serials_not_held"
    # More certificates than the period's grid electricity (1,000 MWh) are refused.
    with pytest.raises(LedgerRefusal) as too_many:
        _retire(db, "park", "t_utility", 400, 601)
    issue = too_many.value.ledger_issues[0]
    assert issue.code == "ledger_green_exceeds_grid" and issue.params["grid"] == "1000.000"
    assert "超过该期外购电网电量" in issue.reason("zh")
    assert store_claimed(db) == D(400)


def store_claimed(db: Database) -> D:
    with db.transaction() as conn:
        return store.claimed_mwh(conn, SYSTEM, PARK, "t_utility", "2024")


def test_compliance_and_ccer_cap(ledger_db: Database) -> None:
    db = ledger_db
    with db.transaction() as conn:
        store.put_obligation(
            conn, SYSTEM, PARK, tenant_id="t_chem", year=2024, sector="cement",
            verified_t=D(30_000), deadline="2025-12-31", evidence="核查报告 2025-017",
        )  # fmt: skip
        store.put_prices(
            conn, SYSTEM, PARK, [("CEA", "2025-03-31", D("90.00"), "上海环境能源交易所")]
        )
    ccer = "CCER:CCER-14-2024-0001:2024"
    record_movements(db, SYSTEM, PARK, [
        Movement("allocation", "CEA:2024", D(27_000), "registry", "t_chem", **EV),
        Movement("purchase", ccer, D(2_000), "market", "t_chem", price_cny=D("60"),
                 counterparty="某林业碳汇项目业主", exchange="北京绿色交易所", **EV),
    ])  # fmt: skip
    # Cap: 5 % of 30,000 t = 1,500 t of CCER; 1,600 is refused with the figures.
    with pytest.raises(LedgerRefusal) as refused:
        record_movements(db, SYSTEM, PARK, [
            Movement("surrender", ccer, D(1_600), "t_chem", "surrendered",
                     compliance_year=2024, **EV)
        ])  # fmt: skip
    assert refused.value.ledger_issues[0].params["cap"] == "1500.000"
    record_movements(db, SYSTEM, PARK, [
        Movement("surrender", ccer, D(1_500), "t_chem", "surrendered", compliance_year=2024, **EV),
        Movement("surrender", "CEA:2024", D(20_000), "t_chem", "surrendered",
                 compliance_year=2024, **EV),
    ])  # fmt: skip
    (p,) = compliance_positions(db, SYSTEM, PARK, 2024)
    # Remaining 30,000 − 21,500 = 8,500; held 7,000 CEA, CCER room 0 (500 CCER unusable):
    # gap 1,500 t × 90 = 135,000.00 CNY.
    assert (p.remaining_t, p.cea_held_t, p.ccer_usable_t, p.ccer_unusable_t) == (
        D(8500),
        D(7000),
        0,
        D(500),
    )
    assert (p.gap_t, p.gap_value_cny, p.allocated_t) == (D(1500), D("135000.00"), D(27000))
    agg = aggregated_positions(db, REGULATOR, PARK, 2024)
    assert D(agg["gap_t"]) == 1500 and agg["covered_entities"] == 1
    with pytest.raises(PermissionDenied):
        compliance_positions(db, REGULATOR, PARK, 2024)
    # The tenant sees its own accounts only.
    own = holdings(db, TENANT, PARK)
    assert {h.account for h in own} == {"t_chem"}
    with db.transaction() as conn:
        moves = store.list_movements(conn, TENANT, PARK)
    assert moves and all(
        "t_chem" in (s.movement.from_account, s.movement.to_account) for s in moves
    )
    assert holdings(db, REGULATOR, PARK) == []


def test_negative_balance_refused(ledger_db: Database) -> None:
    with pytest.raises(LedgerRefusal) as refused:
        record_movements(ledger_db, SYSTEM, PARK, [
            Movement("transfer", "CEA:2024", D(1), "t_chem", "park", **EV)
        ])  # fmt: skip
    assert refused.value.ledger_issues[0].code == "ledger_insufficient"


def test_verify_names_a_tampered_movement(ledger_db: Database) -> None:
    db = ledger_db
    _issue(db, "park", 0, 100)
    ids = record_movements(db, SYSTEM, PARK, [
        Movement("allocation", "CEA:2024", D(500), "registry", "t_chem", **EV),
        Movement("transfer", "CEA:2024", D(200), "t_chem", "park", **EV),
    ])  # fmt: skip
    report = verify_database(db, AUDITOR)
    assert report.ok, report.failures
    assert report.ledger_movements == 3
    with db.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE ledger_movements SET quantity_milli = 700000 WHERE id = {ids[1]}")
        )
    report = verify_database(db, SYSTEM)
    assert not report.ok
    first = report.first_failure
    assert first is not None
    assert (first.table, first.key, first.kind) == ("ledger_movements", str(ids[1]), "ledger")
    kinds = {(m.kind, m.key) for m in report.failures}
    assert ("ledger_rule", str(ids[1])) in kinds  # 700 moved out of a 500 balance


def test_verify_names_a_deleted_and_an_inserted_movement(ledger_db: Database) -> None:
    db = ledger_db
    (one,) = _issue(db, "park", 0, 10)
    with db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM ledger_movements WHERE id = {one}"))
    failures = verify_database(db, SYSTEM).failures
    assert any(f.key == str(one) and "deleted" in f.reason for f in failures)


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_statements_pdf_and_xlsx(ledger_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    from pathlib import Path

    from openpyxl import load_workbook

    from zeropark.service.carbon_assets.statements import write_statement

    test_compliance_and_ccer_cap(ledger_db)
    _issue(ledger_db, "park", 0, 2000)
    _retire(ledger_db, "park", "t_utility", 0, 400)
    out = Path(os.environ.get("ZEROPARK_STATEMENT_DIR", str(tmp_path)))
    for lang in ("zh", "en"):
        pdf = write_statement(
            ledger_db, SYSTEM, PARK, 2024, out / f"statement-{lang}.pdf", "pdf", lang=lang
        )
        assert pdf.read_bytes().startswith(b"%PDF")
    book = load_workbook(
        write_statement(ledger_db, SYSTEM, PARK, 2024, out / "s.xlsx", "xlsx", lang="zh")
    )
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert 1500.0 in cells  # the gap of t_chem, in tonnes
    assert any(isinstance(c, str) and c.startswith("ledger:GEC") for c in cells)


def test_the_green_electricity_statement_balances_grid_pv_certificates(
    ledger_db: Database,
) -> None:
    """t_utility bought 1,000 MWh and retired 400 certificates: the statement shows the
    purchase, the 400 MWh from this ledger, no other green electricity and no on-site PV, and
    the renewable share by its one definition (400 / 1,000 = 40 %)."""
    from zeropark.service.carbon_assets.statements import build_statement

    _issue(ledger_db, "park", 0, 2000)
    _retire(ledger_db, "park", "t_utility", 0, 400)
    report = build_statement(ledger_db, SYSTEM, PARK, 2024, tenant_id="t_utility")
    (table,) = [tb for s in report.sections for tb in s.tables if "2024" in tb.title]
    values = [row[1] for row in table.rows]
    assert values[:4] == [pytest.approx(1000.0), 0.0, pytest.approx(400.0), pytest.approx(0.0)]
    assert values[5] == pytest.approx(40.0)
