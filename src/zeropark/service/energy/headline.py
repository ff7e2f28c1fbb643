"""Use case: the headline figures of a park (or a tenant) for a year, for every page and report.

The figures are :func:`zeropark.domain.energy.headline.headline_figures` of the stored-data
inventory (:func:`zeropark.service.inventory.compute_stored`), so they are the inventory's own
numbers. Access: a tenant reads its own boundary only; park admins, auditors and regulators read
the park (an aggregate: the inventory is computed under the system principal after the access
check, and only the headline figures leave).
"""

from __future__ import annotations

from zeropark.domain.access import Principal
from zeropark.domain.accounting import AccountingOptions
from zeropark.domain.energy.headline import HeadlineFigures, headline_figures
from zeropark.service.accounting import factor_set
from zeropark.service.database import Database
from zeropark.service.inventory.compute import compute_stored
from zeropark.service.inventory.indicators import READERS
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = ["park_headline"]


def park_headline(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
    options: AccountingOptions | None = None,
) -> HeadlineFigures:
    """Electricity consumed, renewable share, headline emissions and 综合能耗 of ``year``.

    ``tenant_id`` None: the park (park roles and regulators); a tenant always gets its own
    boundary. Raises ``NotFound`` outside the caller's scope, ``PermissionDenied`` for a role
    that may not read the boundary.
    """
    if principal.role == "tenant":
        tenant_id = tenant_id or principal.tenant_id
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)  # NotFound outside the scope
        reader = principal
        if tenant_id is None:
            require(
                principal.role in READERS and principal.can_read_park(park_id),
                principal,
                f"read park {park_id}'s headline figures",
            )
            reader = Principal.system()
        stored = compute_stored(conn, reader, park_id, year, tenant_id, options, factor_set())
    return headline_figures(stored.inventory)
