"""Exchange-statement CSV import (validation, quarantine, idempotent) and the verifier's
ledger export (#14), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

from tests.api.parkdata import PARK, SYSTEM
from tests.service.test_carbon_assets import AUDITOR, ledger_db  # noqa: F401
from zeropark.service.carbon_assets.export import export_ledger_csv
from zeropark.service.carbon_assets.importer import import_statement
from zeropark.service.database import Database
from zeropark.store import ledger as store
from zeropark.store.quarantine import list_records

STATEMENT = """成交日期,买卖方向,品种,数量,成交价,交易对手,交易所,成交编号,账户
2025-06-12,买入,CEA:2024,800,92.30,挂牌协议,上海环境能源交易所,SEEE-1,t_chem
2025-06-13,sell,CEA:2024,300,95.00,挂牌协议,上海环境能源交易所,SEEE-2,t_chem
2025-06-14,sell,CEA:2024,900,95.00,挂牌协议,上海环境能源交易所,SEEE-3,t_chem
2025-13-01,buy,CEA:2024,10,90,x,y,SEEE-4,t_chem
2025-06-15,hold,CEA:2024,10,90,x,y,SEEE-5,t_chem
2025-06-16,buy,CEA:2024,abc,90,x,y,SEEE-6,t_chem
"""


def test_import_quarantines_bad_rows_and_is_idempotent(ledger_db: Database) -> None:  # noqa: F811
    db = ledger_db
    first = import_statement(
        db, SYSTEM, PARK, STATEMENT, source="seee.csv", market_account="market"
    )
    assert len(first.recorded) == 2  # the buy and the 300 t sale
    by_row = {i.location: i.code for i in first.issues}
    assert by_row == {
        "row 4": "ledger_insufficient",  # 900 t sale of the 500 t left
        "row 5": "ledger_bad_date",
        "row 6": "ledger_bad_side",
        "row 7": "bad_number",
    }
    with db.transaction() as conn:
        held = store.load_state(conn, SYSTEM, PARK, ["CEA:2024"]).balance("t_chem", "CEA:2024")
        stored, _ = list_records(conn, SYSTEM, PARK)
    assert held == D(500)
    quarantined = {(r["location"], r["code"]) for r in stored if r["source"] == "seee.csv"}
    assert quarantined == set(by_row.items())
    again = import_statement(
        db, SYSTEM, PARK, STATEMENT, source="seee.csv", market_account="market"
    )
    assert again.recorded == [] and again.quarantined == 0
    assert [i.location for i in again.duplicates] == ["row 2", "row 3"]


def test_verifier_export(ledger_db: Database) -> None:  # noqa: F811
    import_statement(ledger_db, SYSTEM, PARK, STATEMENT, source="seee.csv", market_account="market")
    text = export_ledger_csv(ledger_db, AUDITOR, PARK)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["reference"] for r in rows] == ["SEEE-1", "SEEE-2"]
    assert rows[0]["quantity"] == "800" and rows[0]["price_cny"] == "92.3"
    assert all(len(r["sha256"]) == 64 and r["audit_seq"] for r in rows)
