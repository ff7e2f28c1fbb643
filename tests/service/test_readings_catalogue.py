"""The meter catalogue behind ``export_readings`` is shared per caller scope and data version.

A park-file change (an audited write) makes the next query see the new meter at once; a tenant's
catalogue never holds another tenant's meters, whichever scope asked first.
"""

from __future__ import annotations

import pytest

from zeropark.domain.access import Principal
from zeropark.domain.park import Meter, Park, ParkSpec, Tenant
from zeropark.errors import NotFound
from zeropark.service.database import Database
from zeropark.service.readings_query import export_readings
from zeropark.store.parks import ParkRepository

PARK = "rc"
ADMIN = Principal(subject="admin", role="park_admin", park_ids=frozenset({PARK}))
TENANT_A = Principal(subject="a", role="tenant", park_ids=frozenset({PARK}), tenant_id="t_a")


def _meter(ident: str, tenant: str | None = None) -> Meter:
    return Meter(
        id=ident, carrier="electricity", unit="kWh", kind="interval", interval_s=3600, tenant=tenant
    )


def _spec(*extra: Meter) -> ParkSpec:
    return ParkSpec(
        park=Park(id=PARK, name="园区", type="mixed", province="江苏", timezone="Asia/Shanghai"),
        tenants=[Tenant(id="t_a", name="甲"), Tenant(id="t_b", name="乙")],
        meters=[
            _meter("a_main", "t_a"),
            _meter("b_main", "t_b"),
            *extra,
        ],
    )


def _apply(db: Database, spec: ParkSpec) -> None:
    with db.transaction() as conn:
        ParkRepository(conn, Principal.system("test")).apply(spec)


def _export(db: Database, who: Principal, meter: str) -> str:
    return export_readings(db, who, PARK, meter, "2024-03-01", "2024-03-02", "hour").meter_id


def test_a_meter_added_to_the_park_file_is_found_by_the_next_query(db: Database) -> None:
    _apply(db, _spec())
    assert _export(db, ADMIN, "a_main") == "a_main"  # fills the admin scope's catalogue
    with pytest.raises(NotFound):
        _export(db, ADMIN, "c_new")
    _apply(db, _spec(_meter("c_new")))
    assert _export(db, ADMIN, "c_new") == "c_new"


def test_a_tenant_never_reads_from_a_park_wide_catalogue(db: Database) -> None:
    _apply(db, _spec())
    assert _export(db, ADMIN, "b_main") == "b_main"  # the park scope's catalogue holds b_main
    assert _export(db, TENANT_A, "a_main") == "a_main"
    with pytest.raises(NotFound):
        _export(db, TENANT_A, "b_main")
