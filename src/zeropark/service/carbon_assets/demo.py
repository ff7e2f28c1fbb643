"""Load the demo park's ledger (:mod:`zeropark.data.demo.ledger`) through the same use cases a
park admin uses; idempotent (a park whose ledger has movements is left as it is)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from zeropark.data.demo.ledger import demo_ledger
from zeropark.domain.access import Principal
from zeropark.service.carbon_assets.movements import record_in
from zeropark.service.database import Database
from zeropark.service.inventory import compute_inventory
from zeropark.store import ledger as store

__all__ = ["load_demo_ledger"]


def load_demo_ledger(
    db: Database, principal: Principal, park_id: str, year: int, rows: Iterable[Mapping[str, str]]
) -> int:
    """Record the demo ledger; returns the number of movements recorded (0: already there)."""
    with db.transaction() as conn:
        if store.list_movements(conn, principal, park_id):
            return 0
    glass = compute_inventory(db, principal, park_id, year, tenant_id="t_glass")
    verified = Decimal(round(glass.inventory.totals["cn_national"].by_scope.get("1", 0.0)))
    plan = demo_ledger(year, verified, rows)
    with db.transaction() as conn:
        store.put_accounts(conn, principal, park_id, plan.accounts)
        store.put_prices(conn, principal, park_id, plan.prices)
        o: dict[str, Any] = dict(plan.obligation)
        store.put_obligation(conn, principal, park_id, **o)
        store.put_setting(conn, principal, park_id, "cost_method", "fifo")
        ids = record_in(conn, principal, park_id, plan.movements, source="demo ledger")
    return len(ids)
