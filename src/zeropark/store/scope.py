"""Turn the access rules of :class:`~zeropark.domain.access.Principal` into SQL filters.

Every repository query goes through :func:`row_filter` (tables with ``park_id`` and
``tenant_id``) or :func:`meter_filter` (data keyed by meter), so a query cannot return rows its
caller may not read.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, false, true

from zeropark.domain.access import Principal
from zeropark.errors import NotFound, PermissionDenied
from zeropark.store.schema import meters

__all__ = ["meter_filter", "require", "row_filter"]


def row_filter(principal: Principal, table: Table) -> ColumnElement[bool]:
    """A WHERE clause limiting ``table`` (with park_id, and tenant_id if owned) to readable rows."""
    role = principal.role
    if role == "system":
        return true()
    if role == "gateway":
        return false()
    park_column = table.c.id if table.name == "parks" else table.c.park_id
    in_parks = park_column.in_(sorted(principal.park_ids))
    if role in ("park_admin", "auditor") or table.name == "parks":
        # Every role of a park may read the park's own row (its name, type, areas).
        return in_parks
    # The column naming a row's owning tenant: the tenants table owns itself.
    owner = table.c.id if table.name == "tenants" else table.c.get("tenant_id")
    if role == "tenant" and owner is not None:
        return and_(in_parks, owner == principal.tenant_id)
    # Regulators read park-level aggregates only, never tenant-level rows; tenants never read
    # rows that have no owner column (park-wide sinks, audit entries).
    return false()


def meter_filter(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause on :data:`meters` limiting meter-keyed data to what may be read."""
    return row_filter(principal, meters)


def require(allowed: bool, principal: Principal, what: str, *, hide: bool = False) -> None:
    """Raise unless ``allowed``: :class:`NotFound` when ``hide`` (do not reveal existence)."""
    if allowed:
        return
    if hide:
        raise NotFound(f"{what} not found")
    raise PermissionDenied(f"{principal.subject} ({principal.role}) may not {what}")
