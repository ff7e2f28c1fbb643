"""Energy by group and period, summed in SQL, equals summing each meter's derived quantities.

The reference is the former path of ``GET /energy``: every counted meter's quantities through
:func:`~zeropark.service.readings_query.export_readings` (its hourly rollups bucketed into
park-local periods), added up per group. The park is in Europe/Berlin (months, days and hours
across the change to summer time), with a sub-metering tree, an export (subtracted), meters of
no tenant, a gas meter, estimated readings and meters without data in some periods. Readings are
multiples of 1/4, so every sum is exact in binary and the comparison is ``==`` on any database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from zeropark.domain.access import Principal
from zeropark.domain.park import AccountingMapping, Building, Meter, Park, ParkSpec, Tenant
from zeropark.errors import InputError
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service.database import Database
from zeropark.service.energy_groups import aggregate_energy
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.service.park_views import counted_meters
from zeropark.service.readings_query import export_readings
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test")
PARK, TZ = "eg", "Europe/Berlin"


def _meter(ident: str, category: str | None, **extra: Any) -> Meter:
    gas = category == "fuel_combustion"
    carrier, unit = ("natural_gas", "Nm3") if gas else ("electricity", "kWh")
    mapping = AccountingMapping(category=category, sector="industry") if category else None
    return Meter(
        id=ident, carrier=carrier, unit=unit, kind="interval", interval_s=3600,
        accounting=mapping, **extra,
    )  # fmt: skip


def _spec() -> ParkSpec:
    return ParkSpec(
        park=Park(id=PARK, name="能源园区", type="mixed", province="江苏", timezone=TZ),
        tenants=[Tenant(id="t_a", name="甲"), Tenant(id="t_b", name="乙")],
        buildings=[Building(id="b1", name="一号楼"), Building(id="b2", name="二号楼")],
        meters=[
            _meter("main", "purchased_electricity"),
            _meter("a_main", "purchased_electricity", parent="main", tenant="t_a", building="b1"),
            _meter("a_sub", "purchased_electricity", parent="a_main", tenant="t_a", building="b1"),
            _meter("b_main", "purchased_electricity", parent="main", tenant="t_b", building="b2"),
            _meter("common", "purchased_electricity", parent="main"),
            _meter("pv", "onsite_renewable"),
            _meter("export", "exported_electricity"),
            _meter("b_gas", "fuel_combustion", tenant="t_b", building="b2"),
            _meter("late", "purchased_electricity", tenant="t_a"),
            _meter("bess", None),
        ],
    )


def _at(month: int, day: int, hour: int) -> int:
    return int(datetime(2024, month, day, hour, tzinfo=ZoneInfo(TZ)).timestamp())


def _ingest(db: Database, rows: list[tuple[str, int, float]], quality: int) -> None:
    parsed = ParsedReadings(
        meter=np.array([m for m, _, _ in rows], dtype=object),
        ts_s=np.array([t for _, t, _ in rows], np.int64),
        value=np.array([v for _, _, v in rows], np.float64),
        quality=np.full(len(rows), quality, np.uint8),
        row=np.full(len(rows), -1, np.int64),
    )
    with db.transaction() as conn:
        ingest_parsed(conn, SYSTEM, PARK, TZ, parsed, IngestReport("test"))


def _build(db: Database) -> None:
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(_spec())
    start = _at(3, 29, 0)  # Friday before the change to summer time (31 March)
    hours = [start + 3600 * h for h in range(24 * 6)]
    rows = []
    for i, meter in enumerate(["main", "a_main", "a_sub", "b_main", "common", "pv", "export"]):
        rows += [(meter, ts, 0.25 * ((h * (i + 3)) % 17 + 1)) for h, ts in enumerate(hours)]
    rows += [("b_gas", ts, 0.5 * (h % 5)) for h, ts in enumerate(hours[::3])]
    rows += [("bess", ts, 1.25) for ts in hours[:10]]
    rows += [("late", ts, 2.0) for ts in hours[-30:]]  # no data in March
    _ingest(db, rows, 0)
    # Estimated readings: another day (April 5) for two meters, and hours around the change to
    # summer time (31 March, 02:00 does not exist) for the meter of late data.
    more = [(m, _at(4, 5, h)) for m in ("a_main", "b_gas") for h in range(1, 9)]
    more += [("late", _at(3, 31, h)) for h in (0, 1, 3, 4)]
    _ingest(db, [(m, ts, 0.75) for m, ts in more], 1)


def _reference(
    db: Database, principal: Principal, lo_s: int, hi_s: int, interval: str, group_by: Any
) -> list[tuple[Any, ...]]:
    """The former aggregation: each counted meter's export, added up per group and period."""
    with db.transaction() as conn:
        specs = {m["id"]: m for m in ParkRepository(conn, principal).section(PARK, "meters")}
    sums: dict[tuple[str | None, str], dict[int, list[float]]] = defaultdict(dict)
    ends: dict[int, int] = {}

    def iso(ts: int) -> str:
        return datetime.fromtimestamp(ts, UTC).isoformat()

    members = [(spec, name, sign, True) for spec, name, sign in counted_meters(specs, group_by)]
    if group_by != "carrier" and principal.role != "tenant":
        # The group None: the park's consumption of each carrier less every named group
        # (common, unmetered, losses); its missing meters are the park-level ones.
        named = [m for m in members if m[1] is not None]
        park = [(spec, None, sign, True) for spec, _, sign in counted_meters(specs, "carrier")]
        members = named + park + [(spec, None, -sign, False) for spec, _, sign, _ in named]
    for spec, name, sign, counts in sorted(members, key=lambda c: c[0]["id"]):
        export = export_readings(db, principal, PARK, spec["id"], iso(lo_s), iso(hi_s), interval)
        bucket = sums[(name, export.unit)]
        for row in export.rows:
            ends[row.start_s] = row.end_s
            acc = bucket.setdefault(row.start_s, [0.0, 0.0, 0.0])
            acc[0] += sign * (row.quantity or 0.0)
            acc[1] += sign * row.estimated
            acc[2] += 1.0 if row.quantity is None and counts else 0.0
    return [
        (name, unit, [(s, ends[s], q, e, int(m)) for s, (q, e, m) in sorted(periods.items())])
        for (name, unit), periods in sorted(sums.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    ]


WINDOWS = {
    "month": (_at(3, 1, 0), _at(6, 1, 0)),  # May has no data
    "day": (_at(3, 28, 12), _at(4, 6, 0)),  # from mid-day: periods start at its midnight
    "hour": (_at(3, 30, 20), _at(4, 1, 3)),  # over the lost hour of 31 March
}


@pytest.mark.parametrize("interval", list(WINDOWS))
@pytest.mark.parametrize("group_by", ["tenant", "building", "carrier"])
def test_sql_sums_equal_the_sum_of_each_meters_derived_quantities(
    db: Database, interval: str, group_by: str
) -> None:
    _build(db)
    lo, hi = WINDOWS[interval]
    got = aggregate_energy(db, SYSTEM, PARK, lo, hi, interval=interval, group_by=group_by)
    as_rows = [
        (g.group, g.unit, [(r.start_s, r.end_s, r.quantity, r.estimated, r.missing_meters)
                           for r in g.rows])
        for g in got.groups
    ]  # fmt: skip
    assert as_rows == _reference(db, SYSTEM, lo, hi, interval, group_by)
    assert (got.interval, got.group_by, got.timezone) == (interval, group_by, TZ)
    assert any(r.estimated for g in got.groups for r in g.rows)
    if group_by == "tenant":
        assert any(r.missing_meters for g in got.groups for r in g.rows)


def test_a_tenant_sees_its_own_groups_only(db: Database) -> None:
    _build(db)
    tenant = Principal("a@test", "tenant", frozenset({PARK}), tenant_id="t_a")
    lo, hi = WINDOWS["month"]
    got = aggregate_energy(db, tenant, PARK, lo, hi, interval="month", group_by="tenant")
    assert [g.group for g in got.groups] == ["t_a"]
    assert [(g.group, g.unit, [(r.start_s, r.end_s, r.quantity, r.estimated, r.missing_meters)
                               for r in g.rows]) for g in got.groups] == _reference(
        db, tenant, lo, hi, "month", "tenant"
    )  # fmt: skip


def test_more_ranges_than_one_statement_holds_are_summed_alike(db: Database) -> None:
    from zeropark.store import inventories

    _build(db)
    lo, hi = _at(3, 29, 0), _at(4, 6, 0)
    whole = aggregate_energy(db, SYSTEM, PARK, lo, hi, interval="day", group_by="carrier")
    before = inventories.RANGES_PER_STATEMENT
    inventories.RANGES_PER_STATEMENT = 3  # 8 days: three statements
    try:
        split = aggregate_energy(db, SYSTEM, PARK, lo, hi, interval="day", group_by="carrier")
    finally:
        inventories.RANGES_PER_STATEMENT = before
    assert split == whole


def test_a_window_must_end_after_it_starts(db: Database) -> None:
    _build(db)
    with pytest.raises(InputError):
        aggregate_energy(db, SYSTEM, PARK, _at(4, 1, 0), _at(4, 1, 0), interval="day")
