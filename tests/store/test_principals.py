"""Every store function that reads tenant data takes the caller's principal and scopes by it
(DESIGN.md §7, docs/architecture.md "Store functions and principals").

The AST check lists the public store functions that take a connection but no principal: each
must be one of the named write-path, bookkeeping or account functions below, with its reason.
The behaviour checks run the scoped reads as a tenant, a gateway, a regulator and a park admin
of another park on the small inventory park (SQLite and PostgreSQL).
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import zeropark.store
from tests.service import inventory_park as ip
from zeropark.domain.access import Principal
from zeropark.errors import NotFound, PermissionDenied
from zeropark.service.database import Database
from zeropark.store import audit, inventories, quarantine, readings, seal, verification
from zeropark.store import users as store_users

STORE = Path(zeropark.store.__file__).parent

#: Public store functions taking a connection and no principal, and why each may.
WITHOUT_PRINCIPAL = {
    # Write primitives and bookkeeping: called by a write whose permission was checked, they
    # return nothing of other tenants.
    "audit.append": "appends an entry to the chain (the writer's action)",
    "audit.reserve_seq": "the next sequence number of the chain",
    "audit.head": "chain metadata: the newest sequence number, hash and time, the count",
    "audit.hash_at": "chain metadata: the hash of one entry (anchors)",
    "bulk.bulk_write": "write primitive under a checked write",
    "bulk.write_columns": "write primitive under a checked write",
    "bulk.ensure_reading_partitions": "creates PostgreSQL partitions before a checked write",
    "engine.bind_clock": "the clock of a transaction",
    "engine.clock_of": "the clock of a transaction",
    "quarantine.add_records": "stores what the writer's batch refused (sent_by: the writer)",
    "quarantine.new_records": "filters the writer's own records; returns no stored row",
    "seal.seal_rows": "the seals of rows the caller's write just wrote",
    "seal.append_seal": "appends a sealing entry to the chain",
    "seal.seal_everything": "the explicit baseline of migration 0007 (no principal exists)",
    "versions.data_version": "the data version for answer caches: three maximum ids",
    # Accounts: authentication runs before there is a principal; service.auth decides who may
    # call these (a park admin manages its own park's users and keys).
    **{f"users.{name}": "accounts, checked by service.auth" for name in store_users.__all__},
}


def _without_principal() -> set[str]:
    found = set()
    for path in sorted(STORE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            names = [
                a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
            ]
            if "conn" in names and "principal" not in names:
                found.add(f"{path.stem}.{node.name}")
    return found


def test_public_store_functions_take_the_principal_or_are_named() -> None:
    missing = _without_principal() - set(WITHOUT_PRINCIPAL)
    assert missing == set(), "a store function reading tenant data takes the principal"
    assert set(WITHOUT_PRINCIPAL) - _without_principal() == set(), "the list is stale"


TENANT_A = Principal("a@ip", "tenant", frozenset({ip.PARK}), tenant_id="t_a")
REGULATOR = Principal("reg@ip", "regulator", frozenset({ip.PARK}))
OTHER_ADMIN = Principal("admin@elsewhere", "park_admin", frozenset({"elsewhere"}))
GATEWAY = Principal("gw", "gateway", frozenset({ip.PARK}), meter_ids=frozenset({"main"}))


@pytest.fixture
def park(db: Database) -> Database:
    ip.build(db)
    return db


def test_meter_refs_are_the_meters_one_may_read_or_write(park: Database) -> None:
    with park.transaction() as conn:
        assert set(readings.meter_refs(conn, ip.SYSTEM, ip.PARK)) == set(ip.TOTALS)
        assert set(readings.meter_refs(conn, TENANT_A, ip.PARK)) == {"a_main", "a_sub"}
        assert set(readings.meter_refs(conn, GATEWAY, ip.PARK)) == {"main"}
        assert readings.meter_refs(conn, REGULATOR, ip.PARK) == {}
        assert readings.meter_refs(conn, OTHER_ADMIN, ip.PARK) == {}


def test_reads_by_meter_key_keep_the_readable_meters(park: Database) -> None:
    with park.transaction() as conn:
        refs = readings.meter_refs(conn, ip.SYSTEM, ip.PARK)
        keys = sorted(r.key for r in refs.values())
        own = {refs["a_main"].key, refs["a_sub"].key}
        lo, hi = ip.hour_s(1, 0), ip.hour_s(3, 0)
        assert set(readings.read_rollups(conn, TENANT_A, keys).meter_key.tolist()) == own
        assert readings.read_rollups(conn, REGULATOR, keys).meter_key.size == 0
        assert set(readings.last_reading_times(conn, TENANT_A, keys)) == own
        assert readings.count_readings(conn, TENANT_A, keys) == 20
        assert readings.count_readings(conn, OTHER_ADMIN, keys) == 0
        assert readings.rollup_span(conn, GATEWAY, keys) is None
        assert {
            s.meter_key for s in inventories.range_sums(conn, TENANT_A, keys, [(lo, hi)])
        } == own
        assert inventories.period_sums(conn, OTHER_ADMIN, keys, [lo, hi]) == []
        newest = inventories.newest_hour(conn, ip.SYSTEM, keys)
        assert inventories.newest_hour(conn, TENANT_A, keys) == newest
        assert inventories.newest_hour(conn, REGULATOR, keys) is None


def test_one_meter_reads_and_writes_check_the_meter(park: Database) -> None:
    with park.transaction() as conn:
        refs = readings.meter_refs(conn, ip.SYSTEM, ip.PARK)
        ts, _, _ = readings.readings_between(conn, TENANT_A, refs["a_sub"], 0, 2**40)
        assert ts.size == 10
        with pytest.raises(NotFound):
            readings.readings_between(conn, TENANT_A, refs["b_main"], 0, 2**40)
        with pytest.raises(NotFound):
            readings.rollup_hours(conn, REGULATOR, refs["main"])
        # A gateway reads the readings of the meter it writes (the context its rollups are
        # derived with), and no other.
        assert readings.neighbour_times(conn, GATEWAY, refs["main"], 0, 1, 1)[1] > 1
        with pytest.raises(NotFound):
            readings.neighbour_times(conn, GATEWAY, refs["a_main"], 0, 1, 1)
        one = np.array([ip.hour_s(5, 1)], np.int64)
        # A tenant writes readings of its own meters (its uploads, #11), never another's.
        with pytest.raises(PermissionDenied):
            readings.insert_readings(
                conn, TENANT_A, refs["b_main"], one, np.ones(1), np.zeros(1, np.uint8)
            )
        assert (
            readings.insert_readings(
                conn, TENANT_A, refs["a_sub"], one, np.ones(1), np.zeros(1, np.uint8)
            )
            == 1
        )
        with pytest.raises(PermissionDenied):
            readings.write_rollups(
                conn, GATEWAY, refs["b_gas"], one, np.ones(1), np.zeros(1), np.full(1, 3600)
            )
        assert (
            readings.insert_readings(
                conn, GATEWAY, refs["main"], one, np.ones(1), np.zeros(1, np.uint8)
            )
            == 1
        )


def test_quarantine_audit_and_verification_reads_are_scoped(park: Database) -> None:
    records = [
        quarantine.QuarantineRecord(
            "f.csv", "bad", "bad", tenant_id="t_a", payload={"meter": "a_sub"}
        ),
        quarantine.QuarantineRecord(
            "f.csv", "bad", "bad", tenant_id="t_b", payload={"meter": "b_main"}
        ),
        quarantine.QuarantineRecord("f.csv", "bad", "bad", payload={"meter": "main"}),
    ]
    with park.transaction() as conn:
        quarantine.add_records(conn, ip.PARK, records, sent_by="test")
    with park.transaction() as conn:
        assert quarantine.count_open(conn, ip.SYSTEM, ip.PARK) == 3
        assert quarantine.count_open(conn, TENANT_A, ip.PARK) == 1
        assert quarantine.open_by_tenant(conn, TENANT_A, ip.PARK) == {"t_a": 1}
        assert [p["meter"] for p in quarantine.open_payloads(conn, TENANT_A, ip.PARK)] == ["a_sub"]
        assert quarantine.open_by_tenant(conn, REGULATOR, ip.PARK) == {}
        with pytest.raises(PermissionDenied):
            next(audit.entries(conn, TENANT_A))
        with pytest.raises(PermissionDenied):
            audit.list_entries(conn, REGULATOR, ip.PARK)
        assert audit.list_entries(conn, TENANT_A, ip.PARK) == ([], 0)
        assert len(list(audit.entries(conn, OTHER_ADMIN))) > 0  # the whole chain's links
        with pytest.raises(PermissionDenied):
            verification.park_timezones(conn, TENANT_A)
        assert verification.park_timezones(conn, OTHER_ADMIN) == []
        assert list(verification.readings_by_batch(conn, OTHER_ADMIN)) == []
        assert len(list(verification.readings_by_batch(conn, ip.SYSTEM))) == 60
        assert list(seal.current_seals(conn, OTHER_ADMIN, "meters")) == []
        with pytest.raises(PermissionDenied):
            list(seal.current_seals(conn, REGULATOR, "meters"))
