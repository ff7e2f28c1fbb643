"""Turn the access rules of :class:`~zeropark.domain.access.Principal` into SQL filters.

Every repository query goes through :func:`row_filter` (tables with ``park_id`` and
``tenant_id``), :func:`meter_filter` (the meters table) or :func:`readable_meter_keys` (data
keyed by meter: readings, rollups), so a query cannot return rows its caller may not read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, and_, false, select, true

from zeropark.domain.access import Principal
from zeropark.errors import NotFound, PermissionDenied
from zeropark.store.schema import meters

__all__ = ["meter_filter", "readable_meter_keys", "require", "row_filter", "verifier_parks"]


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


def readable_meter_keys(principal: Principal, column: ColumnElement[Any]) -> ColumnElement[bool]:
    """A WHERE clause keeping rows whose meter key ``column`` names a meter the caller may read.

    One uncorrelated sub-select of the meters table (none for the local operator), so it adds
    no statement to the query it filters.
    """
    if principal.role == "system":
        return true()
    return column.in_(select(meters.c.key).where(meter_filter(principal)))


def verifier_parks(principal: Principal) -> frozenset[str] | None:
    """The parks whose rows a verifier checks (None: all, for the local operator).

    Raises unless the principal may verify (:meth:`Principal.can_verify`).
    """
    require(principal.can_verify(), principal, "verify the audit chain")
    return None if principal.role == "system" else frozenset(principal.park_ids)


def require(allowed: bool, principal: Principal, what: str, *, hide: bool = False) -> None:
    """Raise unless ``allowed``: :class:`NotFound` when ``hide`` (do not reveal existence)."""
    if allowed:
        return
    if hide:
        raise NotFound(f"{what} not found")
    raise PermissionDenied(f"{principal.subject} ({principal.role}) may not {what}")
