"""Who may see and change what: the principal of a call and the access rules (DESIGN.md §1, §7).

These rules are the single source of truth; the store turns them into SQL filters so every query
is scoped to what its caller may see, and no router or command can forget to check.

- ``park_admin``: everything of its park(s), read and write.
- ``tenant``: only rows of its own tenant in its park; may write its own activity records and
  the readings of its own meters (a file of manual or sub-meter readings).
- ``regulator``: park-level aggregates of its parks, read-only (totals, carbon by scope,
  category and sector, the monthly trend, indicators, time-of-use totals, the aggregated
  report); never tenant-level rows, meters or lines.
- ``auditor``: read-only access to all data of its parks (inventories, readings, audit chain).
- ``gateway``: writes readings of the meters it is bound to; reads nothing.
- ``system``: the local operator (CLI on the server itself, which holds the database anyway).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["ROLES", "Principal", "Role"]

Role = Literal["park_admin", "tenant", "regulator", "auditor", "gateway", "system"]
ROLES: tuple[Role, ...] = ("park_admin", "tenant", "regulator", "auditor", "gateway", "system")


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: who (``subject``), in what role, over which parks, tenant and meters."""

    subject: str
    role: Role
    park_ids: frozenset[str] = field(default_factory=frozenset)
    tenant_id: str | None = None
    meter_ids: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.role == "tenant" and not self.tenant_id:
            raise ValueError("a tenant principal needs its tenant_id")
        if self.role != "system" and not self.park_ids:
            raise ValueError(f"a {self.role} principal needs at least one park")

    @classmethod
    def system(cls, subject: str = "local-operator") -> Principal:
        """The local operator: full access (the CLI on the server)."""
        return cls(subject=subject, role="system")

    def in_park(self, park_id: str) -> bool:
        """Whether the principal's scope includes ``park_id``."""
        return self.role == "system" or park_id in self.park_ids

    def can_read_park(self, park_id: str) -> bool:
        """Whether the principal may know the park exists and read its park-level figures."""
        return self.role != "gateway" and self.in_park(park_id)

    def can_read_row(self, park_id: str, tenant_id: str | None) -> bool:
        """Whether the principal may read a row owned by ``tenant_id`` (None: park-level)."""
        if not self.in_park(park_id):
            return False
        if self.role in ("system", "park_admin", "auditor"):
            return True
        if self.role == "tenant":
            return tenant_id is not None and tenant_id == self.tenant_id
        return False

    def can_read_aggregates(self, park_id: str) -> bool:
        """Whether the principal may read the park's aggregated figures over every tenant.

        Totals of the whole park (carbon by scope, category and sector, energy by carrier and
        time-of-use band, indicators, the monthly trend, the aggregated report). A service
        computing them for a caller that may read no tenant row (a regulator) computes them
        as :meth:`aggregator` after this check and returns no tenant-level row.
        """
        return self.role in ("system", "park_admin", "auditor", "regulator") and self.in_park(
            park_id
        )

    def reads_aggregates_only(self, park_id: str) -> bool:
        """Whether the principal reads the park's aggregates but none of its detail rows
        (a regulator): answers for it are aggregated, never refused."""
        return self.can_read_aggregates(park_id) and not self.can_read_row(park_id, None)

    def aggregator(self) -> Principal:
        """The principal that computes park-wide aggregates for this caller (checked first
        with :meth:`can_read_aggregates`): the local operator, named after the caller."""
        return Principal(subject=f"{self.subject} (aggregate)", role="system")

    def can_configure(self, park_id: str) -> bool:
        """Whether the principal may change the park's configuration (park file, meters)."""
        return self.role in ("system", "park_admin") and self.in_park(park_id)

    def can_write_reading(self, park_id: str, meter_id: str, owner: str | None = None) -> bool:
        """Whether the principal may write readings of ``meter_id`` (owned by tenant ``owner``,
        None: park-level). A tenant writes its own meters' readings."""
        if self.role == "gateway":
            return self.in_park(park_id) and meter_id in self.meter_ids
        if self.role == "tenant":
            return self.in_park(park_id) and owner is not None and owner == self.tenant_id
        return self.can_configure(park_id)

    def can_write_readings_in(self, park_id: str) -> bool:
        """Whether the principal's role may write readings in ``park_id`` at all.

        Checked before a batch is read; each meter is then checked by :meth:`can_write_reading`.
        """
        return (self.role in ("gateway", "tenant") and self.in_park(park_id)) or self.can_configure(
            park_id
        )

    def can_access_meter(self, park_id: str, tenant_id: str | None, meter_id: str) -> bool:
        """Whether the principal may read a meter's readings and rollups: it may read the
        meter's rows, or it writes the meter (a writer derives its rollups from them)."""
        return self.can_read_row(park_id, tenant_id) or self.can_write_reading(
            park_id, meter_id, tenant_id
        )

    def can_verify(self) -> bool:
        """Whether the principal may verify and export the audit chain (of its own parks)."""
        return self.role in ("system", "auditor", "park_admin")

    def can_publish_inventory(self, park_id: str, tenant_id: str | None) -> bool:
        """Whether the principal may publish the inventory of ``tenant_id`` (None: the park)."""
        if self.role == "tenant":
            return self.in_park(park_id) and tenant_id is not None and tenant_id == self.tenant_id
        return self.can_configure(park_id)

    def can_write_activities_in(self, park_id: str) -> bool:
        """Whether the principal's role may enter activity data in ``park_id`` at all."""
        return (self.role == "tenant" and self.in_park(park_id)) or self.can_configure(park_id)

    def can_write_activity(self, park_id: str, tenant_id: str | None) -> bool:
        """Whether the principal may enter activity data for ``tenant_id`` (None: park-level)."""
        if self.role == "tenant":
            return self.in_park(park_id) and tenant_id == self.tenant_id
        return self.can_configure(park_id)
