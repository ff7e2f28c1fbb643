"""Evaluate alert rules as readings arrive: the hook every ingest path calls after a committed
batch (file import, HTTP batch, MQTT batch, Modbus poll).

Cheap by construction: one query for the park's enabled rules; nothing more unless a
user-defined rule watches a meter of the batch (its meter, a virtual meter, its tenant or the
park). Then one pass of only those rules at the clock's time, as the monitor (the system
principal: a gateway that sends readings may not change alerts itself). Built-in data-quality
rules are left to the scheduled pass (``zeropark monitor run``). Notifications queued by the
pass are sent on a background thread; anything it leaves is sent by the next scheduled pass.
The hook never fails an ingest: an error is logged and the batch stays stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.monitor.deliveries import deliver_due
from zeropark.service.monitor.engine import PassResult, run_pass
from zeropark.store import monitoring as store

__all__ = ["MONITOR", "after_batch"]

log = logging.getLogger(__name__)

#: The principal the monitor acts as.
MONITOR = Principal.system("monitor")


def _relevant(
    rows: list[dict[str, object]], meters: dict[str, str | None], ids: set[str] | None
) -> list[str]:
    out = []
    tenants = {meters.get(m) for m in ids} if ids is not None else None
    for r in rows:
        if r["source"] == "builtin" or r["kind"] in ("open_quarantine", "projected_exceedance"):
            continue
        target, ident = r["target_kind"], r["target_id"]
        if (
            ids is None
            or target in ("park", "virtual_meter")
            or (target == "meter" and ident in ids)
            or (target == "tenant" and tenants is not None and ident in tenants)
        ):
            out.append(str(r["id"]))
    return out


def after_batch(
    db: Database, park_id: str, meter_ids: Iterable[str] | None = None
) -> PassResult | None:
    """Evaluate the rules watching ``meter_ids`` (None: any meter) after a committed batch;
    None when no rule needed it (or on an error, logged)."""
    try:
        with db.transaction() as conn:
            rows = store.list_rules(conn, MONITOR, park_id, enabled_only=True)
            if not any(r["source"] != "builtin" for r in rows):
                return None
            meters = {m["id"]: m["tenant_id"] for m in store.meter_rows(conn, MONITOR, park_id)}
        ids = None if meter_ids is None else set(meter_ids)
        wanted = _relevant(rows, meters, ids)
        if not wanted:
            return None
        result = run_pass(db, MONITOR, park_id, rule_ids=wanted)
        if result.queued:
            threading.Thread(
                target=_deliver, args=(db, park_id), name="zeropark-notify", daemon=True
            ).start()
        return result
    except Exception:
        log.exception("alert rules after a batch of park %s failed", park_id)
        return None


def _deliver(db: Database, park_id: str) -> None:
    try:
        deliver_due(db, MONITOR, park_id)
    except Exception:
        log.exception("notifications of park %s failed", park_id)
