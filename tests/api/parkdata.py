"""A small two-park world for API, access and tampering tests: parks, data and users."""

from __future__ import annotations

from dataclasses import dataclass, replace

from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.service.auth import create_api_key, create_user
from zeropark.service.database import Database
from zeropark.service.live_ingest import ingest_records
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.activities import write_activities
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test-setup")
PARK, OTHER = "my_park", "other_park"
PASSWORD = "correct-horse-battery"

#: role name in the matrix → (email, role, park, tenant)
USERS = {
    "park_admin": ("admin@p.test", "park_admin", PARK, None),
    "tenant_own": ("chem@p.test", "tenant", PARK, "t_chem"),
    "tenant_other": ("mall@p.test", "tenant", PARK, "t_mall"),
    "regulator": ("reg@p.test", "regulator", PARK, None),
    "auditor": ("aud@p.test", "auditor", PARK, None),
    "other_admin": ("admin@o.test", "park_admin", OTHER, None),
}


@dataclass
class World:
    db: Database
    gateway_key: str


def _readings(meter: str, start_value: float, hours: int = 48) -> list[dict[str, object]]:
    return [
        {"meter": meter, "ts": f"2024-03-0{1 + h // 24}T{h % 24:02d}:00:00+08:00",
         "value": start_value + 10.0 * h}
        for h in range(hours)
    ]  # fmt: skip


def build_world(db: Database, *, users: bool = True) -> World:
    """Two parks (mixed template as ``my_park``, office template as ``other_park``) with data."""
    spec = parse_park_text(park_template("mixed"), "mixed.yaml")
    other = parse_park_text(park_template("office"), "office.yaml")
    other = replace(other, park=replace(other.park, id=OTHER))
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
        ParkRepository(conn, SYSTEM).apply(other)
    rows = _readings("grid_main", 1000.0) + _readings("e_chem", 500.0) + _readings("e_mall", 200.0)
    ingest_records(db, SYSTEM, PARK, rows, source="test:seed")
    other_meter = other.meters[0].id
    ingest_records(db, SYSTEM, OTHER, _readings(other_meter, 50.0), source="test:other")
    records = [
        ActivityRecord("t_chem", "2024", "fuel_combustion", "diesel", 12.5, "t"),
        ActivityRecord("t_mall", "2024", "fuel_combustion", "diesel", 3.0, "t"),
    ]
    with db.transaction() as conn:
        write_activities(conn, SYSTEM, PARK, records, source="test:activities")
    if users:
        for email, role, park, tenant in USERS.values():
            create_user(
                db, SYSTEM, email=email, password=PASSWORD, role=role, park_id=park,
                tenant_id=tenant,
            )  # fmt: skip
    key = create_api_key(db, SYSTEM, PARK, name="chem gateway", meter_ids=["e_chem"]).key
    return World(db, key)
