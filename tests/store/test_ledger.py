"""The ledger's tables equal their migration (0009), and the store's reads are scoped by the
caller's principal (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests.api.parkdata import PARK, SYSTEM, build_world
from zeropark.domain.access import Principal
from zeropark.domain.ledger import Account, Movement
from zeropark.errors import NotFound, PermissionDenied
from zeropark.service.carbon_assets.movements import open_accounts, record_movements
from zeropark.service.database import Database
from zeropark.store import ledger as store

EV = {"occurred_on": "2025-01-20", "evidence": "doc", "reference": "R-1"}


def test_ledger_tables_match_their_migration(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from zeropark.store.schema import metadata

    db.ensure_schema()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "ledger" in str(d)] == []


def test_reads_are_scoped(db: Database) -> None:
    build_world(db, users=False)
    open_accounts(db, SYSTEM, PARK, [
        Account("t_chem", "holding", "t_chem"), Account("t_mall", "holding", "t_mall"),
        Account("registry", "issuer"),
    ])  # fmt: skip
    record_movements(db, SYSTEM, PARK, [
        Movement("allocation", "CEA:2024", D(10), "registry", "t_chem", **EV),
        Movement("allocation", "CEA:2024", D(20), "registry", "t_mall", **EV),
    ])  # fmt: skip
    chem = Principal("c@p", "tenant", frozenset([PARK]), tenant_id="t_chem")
    regulator = Principal("r@p", "regulator", frozenset([PARK]))
    other = Principal("a@o", "park_admin", frozenset(["other_park"]))
    with db.transaction() as conn:
        assert set(store.accounts(conn, chem, PARK)) == {"t_chem", "registry"}
        assert [s.movement.to_account for s in store.list_movements(conn, chem, PARK)] == ["t_chem"]
        assert "t_chem" not in store.accounts(conn, regulator, PARK)
        with pytest.raises(PermissionDenied):
            store.list_movements(conn, regulator, PARK)
        with pytest.raises(PermissionDenied):
            store.load_state(conn, chem, PARK, ["CEA:2024"])
        with pytest.raises(PermissionDenied):
            store.surrendered(conn, chem, PARK, "t_mall", 2024)
        with pytest.raises(PermissionDenied):
            store.append_movements(conn, chem, PARK, [])
    with db.transaction() as conn, pytest.raises(NotFound):  # another park's: not revealed
        store.list_movements(conn, other, PARK)
