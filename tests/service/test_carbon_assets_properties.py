"""Random movement sequences through the stored ledger (hypothesis, #14): whatever is accepted,
``zeropark verify`` finds the chain and every movement intact, the stored balances equal the
replay, no holding is negative; then one accepted movement changed in the database is named by
``zeropark verify`` (its id, as a ``ledger_movements`` mismatch)."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.domain.ledger.test_ledger_properties import ACCOUNTS, movement
from zeropark.domain.access import Principal
from zeropark.domain.ledger import LedgerRefusal, LedgerState, Movement
from zeropark.service.audit_verify import verify_database
from zeropark.service.carbon_assets.movements import open_accounts, record_movements
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store import ledger as store
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("property")
_DIR = Path(tempfile.mkdtemp(prefix="zp-ledger-prop-"))


def _fresh() -> tuple[Database, str]:
    db = Database(f"sqlite:///{_DIR / (uuid.uuid4().hex + '.db')}")
    spec = parse_park_text(park_template("office"), "office.yaml")
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
    open_accounts(db, SYSTEM, spec.park.id, list(ACCOUNTS.values()))
    return db, spec.park.id


def _grid(*_: object) -> object:
    from decimal import Decimal

    return Decimal(10**9)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(movement(), min_size=2, max_size=25), st.data())
def test_stored_sequences_verify_and_a_tamper_is_named(
    movements: list[Movement], data: st.DataObject
) -> None:
    db, park = _fresh()
    try:
        accepted: list[int] = []
        model = LedgerState(dict(ACCOUNTS))
        for m in movements:
            try:
                accepted += record_movements(db, SYSTEM, park, [m], grid_mwh=_grid)  # type: ignore[arg-type]
            except LedgerRefusal:
                assert model.problems(m)  # the store refuses exactly what the rules refuse
                continue
            model.apply(m)
        report = verify_database(db, SYSTEM)
        assert report.ok, report.failures
        assert report.ledger_movements == len(accepted)
        with db.transaction() as conn:
            state = store.load_state(conn, SYSTEM, park, {m.instrument for m in movements})
        for key, q in model.balances.items():
            assert state.balances.get(key, 0) == q
            if ACCOUNTS[key[0]].kind == "holding":
                assert q >= 0
        if not accepted:
            return
        victim = data.draw(st.sampled_from(accepted))
        with db.engine.begin() as conn:
            conn.execute(
                text(f"UPDATE ledger_movements SET reference = 'forged' WHERE id = {victim}")
            )
        report = verify_database(db, SYSTEM)
        assert not report.ok
        assert report.first_failure is not None
        assert (report.first_failure.table, report.first_failure.key) == (
            "ledger_movements",
            str(victim),
        )
    finally:
        db.dispose()
