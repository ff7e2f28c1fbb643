"""Use case: publishing a stored-data inventory as an immutable version, and listing versions.

A publication stores the full result JSON, the input hash, the factor dataset versions, who and
when. Unchanged inputs return the existing version; changed inputs give version n+1 and mark n
superseded (``docs/inventory.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zeropark.domain.access import Principal
from zeropark.domain.accounting import AccountingOptions, canonical_json
from zeropark.service.accounting import factor_set
from zeropark.service.database import Database
from zeropark.service.inventory.compute import compute_stored, stored_inventory_to_dict
from zeropark.store import inventories as store
from zeropark.store.audit import sha256_hex
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = ["Publication", "inventory_versions", "publish_inventory"]


@dataclass(frozen=True, slots=True)
class Publication:
    """The outcome of a publish: the stored version, and whether this call created it."""

    record: store.PublishedInventory
    created: bool


def publish_inventory(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
    options: AccountingOptions | None = None,
    custom_factors: str | Path | None = None,
    now: datetime | None = None,
) -> Publication:
    """Publish the inventory: the newest version if its inputs are unchanged, else version n+1.

    Park inventories are published by the park's administrators; a tenant may publish its own.
    """
    require(
        principal.can_publish_inventory(park_id, tenant_id),
        principal,
        f"publish inventories of park {park_id!r}",
    )
    factors = factor_set(custom_factors)
    with db.transaction() as conn:
        stored = compute_stored(conn, principal, park_id, year, tenant_id, options, factors)
        inv = stored.inventory
        period = str(year)
        options_doc = inv.options.canonical()
        options_sha = sha256_hex(canonical_json(options_doc))
        latest = store.latest_version(conn, principal, park_id, stored.entity, period, options_sha)
        if latest is not None and latest.input_hash == inv.input_hash:
            return Publication(latest, created=False)
        record = store.insert_version(
            conn,
            principal,
            park_id=park_id,
            tenant_id=tenant_id,
            entity=stored.entity,
            period=period,
            options=options_doc,
            options_sha256=options_sha,
            input_hash=inv.input_hash,
            factor_versions=inv.factor_versions,
            result=stored_inventory_to_dict(stored),
            published_at=now or db.clock.now(),
        )
        return Publication(record, created=True)


def inventory_versions(
    db: Database, principal: Principal, park_id: str, *, tenant_id: str | None = None
) -> list[store.PublishedInventory]:
    """Published versions the caller may read (of one tenant when ``tenant_id`` is given)."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return store.list_versions(conn, principal, park_id, tenant_id)
