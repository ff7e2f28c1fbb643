"""Park use cases: validate, apply and export park files; list parks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.park import ParkSpec
from zeropark.domain.park_rules import ValidationIssue
from zeropark.errors import InputError, NotFound
from zeropark.i18n import t
from zeropark.ingest.normalise import meter_hours
from zeropark.service.database import Database
from zeropark.service.monitor.rules_io import park_file_entries, sync_park_file
from zeropark.service.park_file import (
    check_park_text,
    dump_park,
    load_park_file,
    read_park_text,
)
from zeropark.store import audit
from zeropark.store.parks import ApplyReport, ParkRepository
from zeropark.store.readings import (
    MeterRef,
    delete_rollups,
    meter_refs,
    readings_between,
    write_rollups,
)
from zeropark.store.scope import require

__all__ = [
    "apply_park",
    "apply_park_file",
    "export_park",
    "rederive_rollups",
    "resolve_park",
    "validate_park_file",
]


def validate_park_file(path: Path) -> list[ValidationIssue]:
    """Every issue of a park file (empty when it is valid)."""
    return check_park_text(read_park_text(path), str(path))[1]


_ALL_TIME = (-(2**62), 2**62)


def apply_park(db: Database, principal: Principal, spec: ParkSpec) -> ApplyReport:
    """Make the stored park equal to ``spec`` (idempotent) in one transaction.

    Meters whose normalisation changed (:attr:`ApplyReport.renormalise`: multiplier, register
    maximum, kind, interval, maximum power, or the park's timezone) get their hourly rollups
    derived again from all their readings, so stored rollups always equal what the current
    configuration derives (what ``zeropark verify`` checks). Readings the new parameters reject
    stay stored and are left out of the rollups, as at ingest.
    """
    with db.transaction() as conn:
        report = ParkRepository(conn, principal).apply(spec)
        sync_park_file(
            conn, principal, spec.park.id, spec.alert_rules, spec.notification_channels,
            int(db.clock.now_s()),
        )  # fmt: skip
        renormalise = report.renormalise
        refs = meter_refs(conn, principal, spec.park.id, renormalise) if renormalise else {}
        _derive_rollups(conn, principal, refs.values(), spec.park.timezone)
        return report


def _derive_rollups(
    conn: Connection, principal: Principal, refs: Iterable[MeterRef], timezone: str
) -> int:
    """Derive the hourly rollups of ``refs`` again from all their readings; rollup rows written."""
    written = 0
    for ref in refs:
        ts, value, quality = readings_between(conn, principal, ref, *_ALL_TIME)
        delete_rollups(conn, principal, ref, *_ALL_TIME)
        if ts.size:
            hours = meter_hours(ref, ts, value, quality, timezone).hours
            write_rollups(
                conn,
                principal,
                ref,
                hours.hour_start_s,
                hours.quantity,
                hours.estimated_quantity,
                hours.coverage_s,
            )
            written += int(hours.hour_start_s.size)
    return written


def rederive_rollups(
    db: Database, principal: Principal, park_id: str, meter_ids: Sequence[str] | None = None
) -> dict[str, int]:
    """Derive the hourly rollups of a park's meters (all, or ``meter_ids``) again from readings.

    For a database whose rollups ``zeropark verify`` names as differing from what the readings
    derive (e.g. written by an older version, which dropped the first interval of an interval
    meter): the readings stay as they are, only the derived hours are rewritten, in one
    transaction, with an audit entry naming the meters. Park admins only.
    """
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        require(principal.can_configure(park_id), principal, f"park {park_id!r}")
        wanted = {m["id"] for m in repo.section(park_id, "meters")}
        if meter_ids:
            unknown = sorted(set(meter_ids) - wanted)
            if unknown:
                raise NotFound(f"no meter {unknown[0]!r} in park {park_id!r}")
            wanted = set(meter_ids)
        refs = meter_refs(conn, principal, park_id, wanted)
        rows = _derive_rollups(conn, principal, refs.values(), park.timezone)
        audit.append(
            conn,
            actor=principal.subject,
            action="rollups.rederive",
            park_id=park_id,
            entity=f"park:{park_id}",
            payload={"meters": sorted(refs), "rollup_rows": rows},
        )
        return {"meters": len(refs), "rollup_rows": rows}


def apply_park_file(db: Database, principal: Principal, path: Path) -> ApplyReport:
    """Validate a park file and apply it; raises ValidationFailed with every issue."""
    return apply_park(db, principal, load_park_file(path))


def resolve_park(db: Database, principal: Principal, park_id: str | None) -> str:
    """``park_id``, or the only park the caller can see when it is None.

    Raises :class:`NotFound` for a park the caller cannot see, and :class:`InputError` asking
    for ``--park`` when the caller sees several (or none).
    """
    with db.transaction() as conn:
        return _resolve(conn, principal, park_id)


def _resolve(conn: Connection, principal: Principal, park_id: str | None) -> str:
    parks = [p["id"] for p in ParkRepository(conn, principal).list_parks()]
    if park_id is not None:
        if park_id not in parks:
            raise NotFound(f"park {park_id!r} not found")
        return park_id
    if len(parks) != 1:
        held = ", ".join(parks) or "—"
        raise InputError(
            t(
                "请指定园区（--park 或环境变量 ZEROPARK_PARK）；"
                f"数据库中有 {len(parks)} 个园区：{held}",
                f"name the park (--park or ZEROPARK_PARK); the database holds {len(parks)}: {held}",
            ),
            field="park",
        )
    return str(parks[0])


def export_park(db: Database, principal: Principal, park_id: str | None) -> str:
    """The stored park as park-file YAML; ``park_id`` may be omitted when there is one park."""
    with db.transaction() as conn:
        park = _resolve(conn, principal, park_id)
        spec = ParkRepository(conn, principal).export(park)
        rules, channels = park_file_entries(conn, principal, park)
        spec = dataclasses.replace(spec, alert_rules=rules, notification_channels=channels)
        return dump_park(spec)
