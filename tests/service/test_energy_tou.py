"""Electricity by time-of-use period: the park's intake, a tenant's topmost meters, no guessing."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.service.inventory_park import PARK, SYSTEM, hour_s, ingest, spec
from zeropark.domain.access import Principal
from zeropark.domain.park import ParkSpec, TimeOfUse, TouSeason
from zeropark.errors import InputError, NotFound
from zeropark.service.database import Database
from zeropark.service.energy_tou import energy_by_tou, tou_breakdown_to_dict
from zeropark.service.inventory import compute_inventory
from zeropark.store.parks import ParkRepository

#: valley 00-08, peak 08-11 and 17-22, flat otherwise (January and February only).
SCHEDULE = TimeOfUse(
    periods=[TouSeason(months=[1, 2], peak=[[8, 11], [17, 22]], valley=[[0, 8]])], note="test"
)
#: kWh per hour of 2 January 2024 by period, chosen so every period's sum is distinct.
PER_HOUR = {"valley": 1.0, "peak": 10.0, "flat": 100.0}
ADMIN = Principal("admin@ip", "park_admin", park_ids=(PARK,))
TENANT_A = Principal("a@ip", "tenant", park_ids=(PARK,), tenant_id="t_a")


def _period(hour: int) -> str:
    if hour < 8:
        return "valley"
    if 8 <= hour < 11 or 17 <= hour < 22:
        return "peak"
    return "flat"


def _apply(db: Database, schedule: TimeOfUse | None) -> None:
    base = spec()
    park = dataclasses.replace(base.park, time_of_use=schedule)
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(ParkSpec(**{**_spec_fields(base), "park": park}))


def _spec_fields(s: ParkSpec) -> dict[str, object]:
    return {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}


def _load(db: Database, schedule: TimeOfUse | None = SCHEDULE) -> None:
    """A day of hourly readings: each interval reading covers the hour before its time (the
    first reading of a meter only anchors the series, so a zero one leads)."""
    _apply(db, schedule)
    day = [(hour_s(2, 0), 0.0)] + [(hour_s(2, h) + 3600, PER_HOUR[_period(h)]) for h in range(24)]
    march = [(hour_s(4, 9, month=3) + 3600, 7.0)]  # a month the schedule does not cover
    ingest(
        db,
        {
            "main": day + march,
            "a_main": [(t, v / 2) for t, v in day],
            "a_sub": [(t, v / 4) for t, v in day],  # a sub-meter of a_main: never added
            "b_gas": [(t, 5.0) for t, _ in day],  # gas: not electricity
            "bess_out": [(t, 3.0) for t, _ in day],  # unmapped
        },
    )


def test_park_intake_is_split_by_period(sqlite_db: Database) -> None:
    _load(sqlite_db)
    view = energy_by_tou(sqlite_db, ADMIN, PARK, date(2024, 1, 1), date(2024, 4, 1))
    assert view.configured and view.meters == ("main",)
    assert view.periods == pytest.approx({"peak": 80.0, "flat": 800.0, "valley": 8.0})
    assert view.uncovered_kwh == pytest.approx(7.0)
    assert view.total_kwh == pytest.approx(895.0)


def test_total_agrees_with_the_inventory_boundary(sqlite_db: Database) -> None:
    _load(sqlite_db)
    view = energy_by_tou(sqlite_db, SYSTEM, PARK, date(2024, 1, 1), date(2025, 1, 1))
    stored = compute_inventory(sqlite_db, SYSTEM, PARK, 2024)
    main = next(m for m in stored.meters if m.id == "main")
    assert view.total_kwh == pytest.approx(main.quantity)


def test_tenant_gets_its_own_topmost_meters(sqlite_db: Database) -> None:
    _load(sqlite_db)
    view = energy_by_tou(sqlite_db, TENANT_A, PARK, date(2024, 1, 2), date(2024, 1, 3))
    assert view.tenant_id == "t_a" and view.meters == ("a_main",)
    assert view.periods == pytest.approx({"peak": 40.0, "flat": 400.0, "valley": 4.0})


def test_daily_rows_sum_to_the_total(sqlite_db: Database) -> None:
    _load(sqlite_db)
    view = energy_by_tou(sqlite_db, ADMIN, PARK, date(2024, 1, 1), date(2024, 4, 1), bucket="month")
    assert [r["period"] for r in view.rows] == ["2024-01", "2024-03"]
    assert view.rows[0]["peak"] == pytest.approx(80.0)
    assert view.rows[1] == {
        "period": "2024-03",
        "peak": 0.0,
        "flat": 0.0,
        "valley": 0.0,
        "uncovered": 7.0,
    }
    data = tou_breakdown_to_dict(view)
    assert [p["code"] for p in data["periods"]] == ["peak", "flat", "valley"]
    assert data["periods"][0]["label_zh"] == "峰"


def test_no_schedule_means_not_configured(sqlite_db: Database) -> None:
    _load(sqlite_db, schedule=None)
    view = energy_by_tou(sqlite_db, ADMIN, PARK, date(2024, 1, 1), date(2024, 2, 1))
    assert not view.configured and view.periods == {}
    data = tou_breakdown_to_dict(view)
    assert data["configured"] is False and data["total_kwh"] is None


def test_bad_ranges_and_other_parks(sqlite_db: Database) -> None:
    _load(sqlite_db)
    with pytest.raises(InputError):
        energy_by_tou(sqlite_db, ADMIN, PARK, date(2024, 2, 1), date(2024, 1, 1))
    with pytest.raises(InputError):
        energy_by_tou(sqlite_db, ADMIN, PARK, date(2024, 1, 1), date(2026, 1, 1))
    other = Principal("x@other", "park_admin", park_ids=("other",))
    with pytest.raises(NotFound):
        energy_by_tou(sqlite_db, other, PARK, date(2024, 1, 1), date(2024, 2, 1))


def test_schedule_round_trips_through_apply_and_export(sqlite_db: Database) -> None:
    _apply(sqlite_db, SCHEDULE)
    with sqlite_db.transaction() as conn:
        repo = ParkRepository(conn, SYSTEM)
        assert repo.get_park(PARK).time_of_use == SCHEDULE
        again = repo.apply(repo.export(PARK))
    assert not (again.created or again.changed or again.removed)
