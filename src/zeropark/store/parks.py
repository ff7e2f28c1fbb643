"""Park configuration in the database: apply a park spec idempotently, read it back, export it.

:meth:`ParkRepository.apply` compares each entry of the spec with what is stored, by id, and
creates, changes or removes only what differs, so applying the same file twice changes nothing.
A removed meter that has readings is deactivated, never deleted: no meter data is ever lost by a
configuration change. The ``park.apply`` audit entry seals every row the apply created, changed or
removed (:mod:`zeropark.store.seal`), and the report lists the meters whose hourly rollups must be
derived again (:attr:`ApplyReport.renormalise`: a parameter of their normalisation changed, or the
park's timezone).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, Table, and_, delete, exists, select, update

from zeropark.domain.access import Principal
from zeropark.domain.park import (
    Asset,
    Building,
    Meter,
    Park,
    ParkSpec,
    Sink,
    Tenant,
    VirtualMeter,
)
from zeropark.store import audit, seal
from zeropark.store.engine import clock_of
from zeropark.store.schema import (
    assets,
    buildings,
    meters,
    parks,
    readings,
    sinks,
    tenants,
    virtual_meters,
)
from zeropark.store.scope import require, row_filter

__all__ = ["ApplyReport", "ParkRepository"]


def _doc(obj: object) -> dict[str, Any]:
    """A spec entry as a plain dict without unset (None) fields, for storage and comparison."""
    raw: dict[str, Any] = dataclasses.asdict(obj)  # type: ignore[call-overload]
    return {k: v for k, v in raw.items() if v is not None}


@dataclass(frozen=True, slots=True)
class _Section:
    """How one section of the park file maps onto a table."""

    name: str
    table: Table
    model: type
    columns: Callable[[Any], dict[str, Any]]


def _normalisation(doc: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a meter's derived quantities depend on (zeropark.ingest.normalise)."""
    return tuple(
        doc.get(k) for k in ("kind", "interval_s", "multiplier", "register_max", "max_power")
    )


def _meter_columns(m: Meter) -> dict[str, Any]:
    return {
        "tenant_id": m.tenant,
        "building_id": m.building,
        "parent_id": m.parent,
        "carrier": m.carrier,
        "unit": m.unit,
        "kind": m.kind,
        "interval_s": m.interval_s,
        "multiplier": m.multiplier,
        "register_max": m.register_max,
        "category": m.accounting.category if m.accounting else None,
        "sector": m.accounting.sector if m.accounting else None,
        "active": True,
    }


_SECTIONS: tuple[_Section, ...] = (
    _Section(
        "tenants",
        tenants,
        Tenant,
        lambda t: {"name": t.name, "industry_code": t.industry_code},
    ),
    _Section("buildings", buildings, Building, lambda b: {"name": b.name, "tenant_id": b.tenant}),
    _Section("meters", meters, Meter, _meter_columns),
    _Section(
        "virtual_meters",
        virtual_meters,
        VirtualMeter,
        lambda v: {
            "tenant_id": v.tenant,
            "expression": v.expression,
            "carrier": v.carrier,
            "unit": v.unit,
        },
    ),
    _Section("assets", assets, Asset, lambda a: {"type": a.type, "tenant_id": a.tenant}),
    _Section("sinks", sinks, Sink, lambda s: {"type": s.type}),
)


@dataclass
class ApplyReport:
    """What an apply did, by section: ids created, changed, removed (and meters deactivated)."""

    park_id: str
    created: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    deactivated: list[str] = field(default_factory=list)
    #: Meters whose derived quantities changed with the configuration (their hourly rollups must
    #: be derived again from their readings): kind, interval, multiplier, register maximum or
    #: maximum power changed, or every meter when the park's timezone changed.
    renormalise: list[str] = field(default_factory=list)

    @property
    def is_noop(self) -> bool:
        """True when nothing was created, changed or removed."""
        return not (
            any(self.created.values()) or any(self.changed.values()) or any(self.removed.values())
        )


class ParkRepository:
    """Park configuration, scoped to the caller's principal."""

    def __init__(self, conn: Connection, principal: Principal) -> None:
        self.conn = conn
        self.principal = principal

    def list_parks(self) -> list[dict[str, Any]]:
        """Parks the principal may see: id, name, type, province, timezone."""
        rows = self.conn.execute(
            select(parks.c.id, parks.c.name, parks.c.type, parks.c.province, parks.c.timezone)
            .where(row_filter(self.principal, parks))
            .order_by(parks.c.id)
        )
        return [dict(r._mapping) for r in rows]

    def timezone(self, park_id: str) -> str:
        """The park's timezone, for any principal of the park (gateways included: they write
        readings in park-local time); :class:`NotFound` for others."""
        zone = self.conn.execute(select(parks.c.timezone).where(parks.c.id == park_id)).scalar()
        require(
            zone is not None and self.principal.in_park(park_id),
            self.principal,
            f"park {park_id!r}",
            hide=True,
        )
        return str(zone)

    def get_park(self, park_id: str) -> Park:
        """The park's own entry; :class:`NotFound` if absent or not visible to the caller."""
        row = self.conn.execute(
            select(parks.c.spec).where(parks.c.id == park_id, row_filter(self.principal, parks))
        ).first()
        require(row is not None, self.principal, f"park {park_id!r}", hide=True)
        assert row is not None
        return TypeAdapter(Park).validate_python(row.spec)

    def section(self, park_id: str, name: str, *, park_read: bool = False) -> list[dict[str, Any]]:
        """The visible entries of one section (``meters``, ``tenants``...) as park-file dicts.

        ``park_read``: the caller has read the park with :meth:`get_park` in this transaction
        (and it was visible), so it is not read again.
        """
        sec = next(s for s in _SECTIONS if s.name == name)
        if not park_read:
            self.get_park(park_id)
        rows = self.conn.execute(
            select(sec.table.c.spec)
            .where(sec.table.c.park_id == park_id, row_filter(self.principal, sec.table))
            .order_by(sec.table.c.id)
        )
        return [dict(r.spec) for r in rows]

    def meter_keys(self, park_id: str) -> dict[str, int]:
        """Active and inactive meters the caller may read: id → surrogate key."""
        rows = self.conn.execute(
            select(meters.c.id, meters.c.key).where(
                meters.c.park_id == park_id, row_filter(self.principal, meters)
            )
        )
        return {r.id: r.key for r in rows}

    def export(self, park_id: str) -> ParkSpec:
        """The stored configuration of a park as a spec (admins and the local operator)."""
        require(self.principal.can_configure(park_id), self.principal, f"export park {park_id!r}")
        doc: dict[str, Any] = {"version": 1, "park": _doc(self.get_park(park_id))}
        for sec in _SECTIONS:
            query = select(sec.table.c.spec).where(sec.table.c.park_id == park_id)
            if sec.table is meters:
                query = query.where(meters.c.active.is_(True))
            # Keep the order of the applied file: specs carry no order, so sort by id.
            doc[sec.name] = [dict(r.spec) for r in self.conn.execute(query.order_by("id"))]
        return TypeAdapter(ParkSpec).validate_python(doc)

    def apply(self, spec: ParkSpec) -> ApplyReport:
        """Make the stored park equal to ``spec``; idempotent; audited when anything changes."""
        park_id = spec.park.id
        require(self.principal.can_configure(park_id), self.principal, f"configure {park_id!r}")
        report = ApplyReport(park_id)
        now = clock_of(self.conn).now()
        park_doc = _doc(spec.park)
        row = self.conn.execute(
            select(parks.c.spec, parks.c.timezone).where(parks.c.id == park_id)
        ).first()
        park_columns = {
            "name": spec.park.name,
            "type": spec.park.type,
            "province": spec.park.province,
            "timezone": spec.park.timezone,
            "spec": park_doc,
            "updated_at": now,
        }
        if row is None:
            self.conn.execute(parks.insert().values(id=park_id, created_at=now, **park_columns))
            report.created["park"] = [park_id]
        elif row.spec != park_doc:
            self.conn.execute(update(parks).where(parks.c.id == park_id).values(**park_columns))
            report.changed["park"] = [park_id]
        for sec in _SECTIONS:
            self._apply_section(sec, park_id, getattr(spec, sec.name), report)
        if row is not None and row.timezone != spec.park.timezone:
            report.renormalise = sorted(
                self.conn.execute(select(meters.c.id).where(meters.c.park_id == park_id)).scalars()
            )
        if not report.is_noop:
            audit.append(
                self.conn,
                actor=self.principal.subject,
                action="park.apply",
                park_id=park_id,
                entity=f"park:{park_id}",
                payload={
                    "created": report.created,
                    "changed": report.changed,
                    "removed": report.removed,
                    "deactivated": report.deactivated,
                    "sealed": self._seal(park_id, report),
                    "spec": {
                        "park": park_doc,
                        **{s.name: [_doc(e) for e in getattr(spec, s.name)] for s in _SECTIONS},
                    },
                },
            )
        return report

    def _seal(self, park_id: str, report: ApplyReport) -> dict[str, Any]:
        """Seals of every row the apply wrote or removed (None for a deleted row)."""
        out: dict[str, Any] = {}
        if report.created.get("park") or report.changed.get("park"):
            out["parks"] = seal.seal_rows(self.conn, "parks", [park_id])
        for sec in _SECTIONS:
            idents = {
                ident
                for done in (report.created, report.changed, report.removed)
                for ident in done.get(sec.name, [])
            }
            if idents:
                keys = [seal.row_key(sec.name, park_id, i) for i in idents]
                out[sec.name] = seal.seal_rows(self.conn, sec.name, keys)
        return out

    def _apply_section(
        self, sec: _Section, park_id: str, entries: list[Any], report: ApplyReport
    ) -> None:
        table = sec.table
        stored: Mapping[str, Any] = {
            r.id: r for r in self.conn.execute(select(table).where(table.c.park_id == park_id))
        }
        wanted = {e.id: e for e in entries}
        for ident, entry in wanted.items():
            doc = _doc(entry)
            values = {"spec": doc, **sec.columns(entry)}
            current = stored.get(ident)
            if current is None:
                self.conn.execute(table.insert().values(park_id=park_id, id=ident, **values))
                report.created.setdefault(sec.name, []).append(ident)
            elif current.spec != doc or (table is meters and not current.active):
                self.conn.execute(
                    update(table)
                    .where(table.c.park_id == park_id, table.c.id == ident)
                    .values(**values)
                )
                report.changed.setdefault(sec.name, []).append(ident)
                if table is meters and _normalisation(current.spec) != _normalisation(doc):
                    report.renormalise.append(ident)
        for ident in sorted(set(stored) - set(wanted)):
            key = and_(table.c.park_id == park_id, table.c.id == ident)
            if table is meters:
                if not stored[ident].active:
                    continue
                has_data = self.conn.execute(
                    select(exists().where(readings.c.meter_key == stored[ident].key))
                ).scalar()
                if has_data:
                    self.conn.execute(update(meters).where(key).values(active=False))
                    report.deactivated.append(ident)
                    report.removed.setdefault(sec.name, []).append(ident)
                    continue
            self.conn.execute(delete(table).where(key))
            report.removed.setdefault(sec.name, []).append(ident)
