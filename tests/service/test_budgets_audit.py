"""Budgets move reported numbers: every write is sealed in the audit chain, so ``zeropark
verify`` passes after legitimate writes and names a budget changed behind the system's back."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.parkdata import PARK, SYSTEM, build_world
from zeropark.service.audit_verify import verify_database
from zeropark.service.budgets import remove_budget, set_budget
from zeropark.service.database import Database


def test_budget_writes_verify_and_tampering_is_named(sqlite_db: Database) -> None:
    build_world(sqlite_db, users=False)
    row = set_budget(sqlite_db, SYSTEM, PARK, 2024, "carbon", 1200.0, tenant_id="t_chem")
    set_budget(sqlite_db, SYSTEM, PARK, 2024, "carbon", 1300.0, tenant_id="t_chem")  # replace
    other = set_budget(sqlite_db, SYSTEM, PARK, 2024, "energy", 500.0)
    remove_budget(sqlite_db, SYSTEM, PARK, other.id)
    report = verify_database(sqlite_db, SYSTEM)
    assert report.ok, report.as_dict()
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE budgets SET annual = 99999 WHERE id = :i"), {"i": row.id})
    first = verify_database(sqlite_db, SYSTEM).first_failure
    assert first is not None and first.table == "budgets" and first.key == str(row.id)
    assert first.field == "annual"
