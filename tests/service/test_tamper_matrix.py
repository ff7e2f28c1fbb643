"""The tamper matrix: every change behind the system's back that moves a reported number or a
permission, made directly in the database by SQL, on SQLite and PostgreSQL — ``zeropark verify``
fails and names it (kind, table, key, field). Then: a cut-off tail is found against an anchor,
a forged anchor is refused, and park admins verify and export only their own park.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import text

from tests.api.parkdata import OTHER, PARK, PASSWORD, SYSTEM, USERS, build_world
from zeropark.domain.access import Principal
from zeropark.domain.activity import ActivityRecord
from zeropark.errors import InputError
from zeropark.service.audit_anchor import chain_head, read_anchor, sign_anchor
from zeropark.service.audit_export import export_chain
from zeropark.service.audit_verify import Mismatch, VerifyReport, verify_database, verify_export
from zeropark.service.auth import create_api_key, create_user
from zeropark.service.database import Database
from zeropark.service.inventory import publish_inventory
from zeropark.store import audit
from zeropark.store.activities import write_activities

SECRET = "tamper-matrix-secret"
ADMIN = Principal("admin@p.test", "park_admin", frozenset([PARK]))
OTHER_ADMIN = Principal("admin@o.test", "park_admin", frozenset([OTHER]))


@pytest.fixture
def world_db(db: Database) -> Database:
    build_world(db, users=False)
    publish_inventory(db, SYSTEM, PARK, 2024)
    return db


def _add_users(db: Database) -> None:
    """Three users (argon2 hashing is slow: only the tests that need users add them)."""
    for name in ("park_admin", "regulator", "tenant_own"):
        email, role, park, tenant = USERS[name]
        create_user(
            db, SYSTEM, email=email, password=PASSWORD, role=role, park_id=park, tenant_id=tenant
        )


def _sql(db: Database, *statements: str) -> None:
    with db.engine.begin() as conn:
        for statement in statements:
            assert conn.execute(text(statement)).rowcount >= 1, statement


def _scalar(db: Database, query: str) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text(query)).scalar_one())


def _meter(ident: str) -> str:
    return f"(SELECT key FROM meters WHERE park_id = '{PARK}' AND id = '{ident}')"


_INVENTORY = "SELECT id FROM published_inventories"
_REGULATOR = "SELECT id FROM users WHERE email = 'reg@p.test'"
_ADMIN = "SELECT id FROM users WHERE email = 'admin@p.test'"
_KEY = "SELECT id FROM api_keys"


@dataclass(frozen=True)
class Case:
    """A change by SQL and what verify must name: kind, table, key (or a query giving it)."""

    name: str
    statements: tuple[str, ...]
    kind: str
    table: str
    key: str | None = None
    key_query: str | None = None
    field: str | None = None


CASES = [
    # Hourly rollups are derived again from the readings.
    Case(
        "rollup quantity edited",
        ("UPDATE hourly_rollups SET quantity = quantity * 0.25 "
         f"WHERE meter_key = {_meter('grid_main')}",),
        "rollup", "hourly_rollups", f"{PARK}/grid_main", field="quantity",
    ),
    Case(
        "rollup hour deleted",
        (f"DELETE FROM hourly_rollups WHERE meter_key = {_meter('e_chem')} AND hour_s = "
         f"(SELECT MAX(hour_s) FROM hourly_rollups WHERE meter_key = {_meter('e_chem')})",),
        "rollup", "hourly_rollups", f"{PARK}/e_chem", field="hour_s",
    ),
    Case(
        "rollup hour inserted",
        ("INSERT INTO hourly_rollups (meter_key, hour_s, quantity, estimated, coverage_s, quality)"
         f" SELECT key, 1709251200, 500.0, 0.0, 3600, 0 FROM meters WHERE park_id = '{PARK}' "
         "AND id = 'gas_chp'",),
        "rollup", "hourly_rollups", f"{PARK}/gas_chp", field="hour_s",
    ),
    Case(
        "rollup estimated part edited",
        (f"UPDATE hourly_rollups SET estimated = quantity WHERE meter_key = {_meter('e_mall')}",),
        "rollup", "hourly_rollups", f"{PARK}/e_mall", field="estimated",
    ),
    # Activity records.
    Case(
        "activity record deleted",
        ("DELETE FROM activity_records WHERE entity = 't_chem'",),
        "activity", "activity_records", "t_chem|2024|fuel_combustion|diesel|t",
    ),
    # Published inventories: every column sealed.
    Case(
        "inventory deleted",
        ("DELETE FROM published_inventories",),
        "row", "published_inventories", key_query=_INVENTORY,
    ),
    Case(
        "inventory superseded flag edited",
        ("UPDATE published_inventories SET superseded = NOT superseded",),
        "row", "published_inventories", key_query=_INVENTORY, field="superseded",
    ),
    Case(
        "inventory published_by edited",
        ("UPDATE published_inventories SET published_by = 'mallory'",),
        "row", "published_inventories", key_query=_INVENTORY, field="published_by",
    ),
    Case(
        "inventory input_hash edited",
        (f"UPDATE published_inventories SET input_hash = '{'0' * 64}'",),
        "row", "published_inventories", key_query=_INVENTORY, field="input_hash",
    ),
    # Park configuration.
    Case(
        "meter multiplier edited",
        ("UPDATE meters SET multiplier = multiplier * 4 "
         f"WHERE park_id = '{PARK}' AND id = 'grid_main'",),
        "row", "meters", f"{PARK}/grid_main", field="multiplier",
    ),
    Case(
        "meter register_max edited",
        (f"UPDATE meters SET register_max = 999 WHERE park_id = '{PARK}' AND id = 'grid_main'",),
        "row", "meters", f"{PARK}/grid_main", field="register_max",
    ),
    Case(
        "meter parent edited",
        (f"UPDATE meters SET parent_id = NULL WHERE park_id = '{PARK}' AND id = 'e_chem'",),
        "row", "meters", f"{PARK}/e_chem", field="parent_id",
    ),
    Case(
        "meter kind edited",
        (f"UPDATE meters SET kind = 'interval' WHERE park_id = '{PARK}' AND id = 'e_mall'",),
        "row", "meters", f"{PARK}/e_mall", field="kind",
    ),
    Case(
        "meter deactivated",
        (f"UPDATE meters SET active = NOT active WHERE park_id = '{PARK}' AND id = 'gas_chp'",),
        "row", "meters", f"{PARK}/gas_chp", field="active",
    ),
    Case(
        "meter deleted",
        (f"DELETE FROM meters WHERE park_id = '{PARK}' AND id = 'gas_chp'",),
        "row", "meters", f"{PARK}/gas_chp",
    ),
    Case(
        "meter inserted",
        ("INSERT INTO meters (park_id, id, carrier, unit, kind, multiplier, active, spec) "
         f"VALUES ('{PARK}', 'ghost', 'electricity', 'kWh', 'interval', 1.0, TRUE, '{{}}')",),
        "row", "meters", f"{PARK}/ghost",
    ),
    Case(
        "park timezone edited",
        (f"UPDATE parks SET timezone = 'Europe/Berlin' WHERE id = '{PARK}'",),
        "row", "parks", PARK, field="timezone",
    ),
    Case(
        "tenant deleted",
        (f"DELETE FROM tenants WHERE park_id = '{PARK}' AND id = 't_utility'",),
        "row", "tenants", f"{PARK}/t_utility",
    ),
    Case(
        "sink area edited",
        (f"UPDATE sinks SET spec = '{{\"id\": \"forest\", \"type\": \"forest\", "
         f"\"area_m2\": 99000000}}' WHERE park_id = '{PARK}' AND id = 'forest'",),
        "row", "sinks", f"{PARK}/forest", field="spec",
    ),
    Case(
        "asset type edited",
        (f"UPDATE assets SET type = 'boiler' WHERE park_id = '{PARK}' AND id = 'chp'",),
        "row", "assets", f"{PARK}/chp", field="type",
    ),
    # Users: role, park, tenant, active, email, password hash.
    Case(
        "user role edited",
        ("UPDATE users SET role = 'park_admin' WHERE email = 'reg@p.test'",),
        "row", "users", key_query=_REGULATOR, field="role",
    ),
    Case(
        "user park edited",
        (f"UPDATE users SET park_id = '{OTHER}' WHERE email = 'admin@p.test'",),
        "row", "users", key_query=_ADMIN, field="park_id",
    ),
    Case(
        "user tenant edited",
        ("UPDATE users SET tenant_id = 't_mall' WHERE email = 'chem@p.test'",),
        "row", "users", key_query="SELECT id FROM users WHERE email = 'chem@p.test'",
        field="tenant_id",
    ),
    Case(
        "user email edited",
        ("UPDATE users SET email = 'mallory@p.test' WHERE email = 'admin@p.test'",),
        "row", "users", key_query=_ADMIN, field="email",
    ),
    Case(
        "user password hash replaced",
        ("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE "
         "email = 'chem@p.test') WHERE email = 'admin@p.test'",),
        "row", "users", key_query=_ADMIN, field="password_hash",
    ),
    Case(
        "user inserted",
        ("INSERT INTO users (email, password_hash, role, park_id, active, failed_logins, "
         f"created_at) VALUES ('mallory@p.test', 'x', 'park_admin', '{PARK}', TRUE, 0, "
         "CURRENT_TIMESTAMP)",),
        "row", "users",
    ),
    # Gateway keys.
    Case(
        "api key meter_ids edited",
        ("UPDATE api_keys SET meter_ids = '[\"e_chem\", \"grid_main\"]'",),
        "row", "api_keys", key_query=_KEY, field="meter_ids",
    ),
    Case(
        "api key hash replaced",
        (f"UPDATE api_keys SET key_sha256 = '{'a' * 64}'",),
        "row", "api_keys", key_query=_KEY, field="key_sha256",
    ),
    Case(
        "api key park edited",
        (f"UPDATE api_keys SET park_id = '{OTHER}'",),
        "row", "api_keys", key_query=_KEY, field="park_id",
    ),
]  # fmt: skip


def _names(report: VerifyReport, case: Case, key: str | None) -> list[Mismatch]:
    return [
        m
        for m in report.failures
        if m.kind == case.kind
        and m.table == case.table
        and (key is None or m.key == key)
        and (case.field is None or case.field in (m.field or "").split(","))
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_tampering_is_named(world_db: Database, case: Case) -> None:
    if case.table == "users":
        _add_users(world_db)
    key = case.key if case.key_query is None else _scalar(world_db, case.key_query)
    _sql(world_db, *case.statements)
    report = verify_database(world_db, SYSTEM)
    assert not report.ok, case.name
    assert _names(report, case, key), report.as_dict()["failures"]


def test_untouched_database_verifies_with_every_count(world_db: Database) -> None:
    _add_users(world_db)
    report = verify_database(world_db, SYSTEM)
    assert report.ok, report.as_dict()["failures"]
    assert report.parks is None and report.entries == report.chain_entries == report.head_seq
    assert report.rollup_meters > 6 and report.rollup_hours > 0
    # 2 parks with tenants, buildings, meters, assets and sinks; 3 users, 1 key, 1 inventory
    assert report.sealed_rows > 30 and report.inventories == 1


def test_login_bookkeeping_is_not_sealed(world_db: Database) -> None:
    """Failed logins and locks change at every login: they are outside the seal."""
    _add_users(world_db)
    _sql(
        world_db,
        "UPDATE users SET failed_logins = 3, locked_until = CURRENT_TIMESTAMP "
        "WHERE email = 'admin@p.test'",
    )
    assert verify_database(world_db, SYSTEM).ok


def test_legitimate_changes_verify(world_db: Database) -> None:
    """Every writer seals: a re-applied park with a new multiplier (its rollups derived again),
    a revoked key, a deactivated user and a second publication all verify."""
    from zeropark.service.auth import revoke_api_key, set_user_active
    from zeropark.service.park_file import park_template, parse_park_text
    from zeropark.service.parks import apply_park

    spec = parse_park_text(park_template("mixed"), "mixed.yaml")
    grid = next(m for m in spec.meters if m.id == "grid_main")
    meters = [replace(grid, multiplier=500.0) if m is grid else m for m in spec.meters]
    _add_users(world_db)
    report = apply_park(world_db, SYSTEM, replace(spec, meters=meters))
    assert report.renormalise == ["grid_main"]
    revoke_api_key(world_db, SYSTEM, PARK, int(_scalar(world_db, _KEY)))
    set_user_active(world_db, SYSTEM, int(_scalar(world_db, _REGULATOR)), False)
    publish_inventory(world_db, SYSTEM, PARK, 2024)  # new inputs: version 2 supersedes 1
    verified = verify_database(world_db, SYSTEM)
    assert verified.ok, verified.as_dict()["failures"]


# -- issued tenant bills (follow-up of #11) -----------------------------------------------------

_BILL = "SELECT id FROM issued_bills WHERE tenant_id = 't_chem'"


def _issue_bills(db: Database) -> None:
    """Price the park with the demo's tariffs and issue t_chem's and t_mall's March bills."""
    from zeropark.data.demo.storage import DEMO_TIME_OF_USE
    from zeropark.data.demo.tariffs import DEMO_TARIFFS
    from zeropark.service.billing.issued import issue_bills
    from zeropark.store.parks import ParkRepository

    with db.transaction() as conn:
        spec = ParkRepository(conn, SYSTEM).export(PARK)
        park = replace(spec.park, time_of_use=DEMO_TIME_OF_USE, tariffs=DEMO_TARIFFS)
        ParkRepository(conn, SYSTEM).apply(replace(spec, park=park))
    for tenant in ("t_chem", "t_mall"):
        issue_bills(db, ADMIN, PARK, "2024-03", tenant_id=tenant)


def _edit_document(db: Database, old: str, new: str) -> str:
    """An UPDATE replacing ``old`` by ``new`` in t_chem's stored bill document (as text)."""
    as_text = "CAST(document AS TEXT)" if db.engine.dialect.name == "postgresql" else "document"
    edited = f"REPLACE({as_text}, '{old}', '{new}')"
    if db.engine.dialect.name == "postgresql":
        edited = f"CAST({edited} AS JSON)"
    return f"UPDATE issued_bills SET document = {edited} WHERE tenant_id = 't_chem'"


BILL_CASES = {
    # the amount due inside the document (the bill a tenant would be shown)
    "document total edited": (
        lambda db: [_edit_document(db, "748868.06", "700000.00")],
        [("row", "document"), ("bill", "document")],
    ),
    # the document and its content hash rewritten to agree: the seal and the entry still differ
    "document and hash rewritten": (
        lambda db: [
            _edit_document(db, "748868.06", "700000.00"),
            f"UPDATE issued_bills SET content_sha256 = '{'0' * 64}' WHERE tenant_id = 't_chem'",
        ],
        [("row", "document"), ("row", "content_sha256"), ("bill", "document")],
    ),
    "total column edited": (
        lambda db: ["UPDATE issued_bills SET total_cny = '1.00' WHERE tenant_id = 't_chem'"],
        [("row", "total_cny")],
    ),
    "issued_by edited": (
        lambda db: ["UPDATE issued_bills SET issued_by = 'mallory' WHERE tenant_id = 't_chem'"],
        [("row", "issued_by")],
    ),
    "superseded flag set": (
        lambda db: ["UPDATE issued_bills SET superseded = TRUE WHERE tenant_id = 't_chem'"],
        [("row", "superseded")],
    ),
    "bill deleted": (
        lambda db: ["DELETE FROM issued_bills WHERE tenant_id = 't_chem'"],
        [("row", None)],
    ),
}


@pytest.mark.parametrize("name", sorted(BILL_CASES))
def test_tampering_with_an_issued_bill_is_named(world_db: Database, name: str) -> None:
    _issue_bills(world_db)
    assert verify_database(world_db, SYSTEM).ok
    key = _scalar(world_db, _BILL)
    statements, expected = BILL_CASES[name]
    _sql(world_db, *statements(world_db))
    report = verify_database(world_db, SYSTEM)
    assert not report.ok, name
    for kind, column in expected:
        case = Case(name, (), kind, "issued_bills", field=column)
        assert _names(report, case, key), (kind, column, report.as_dict()["failures"])
    first = report.first_failure
    assert first is not None and first.table == "issued_bills" and first.key == key
    assert first.action == "bills.issue" and first.entity == "bill:t_chem/2024-03/v1"


def test_an_issued_bill_inserted_behind_the_systems_back_is_named(world_db: Database) -> None:
    """A version 2 written by SQL (a copy of version 1 with another total) is in no entry."""
    _issue_bills(world_db)
    columns = (
        "park_id, tenant_id, month, document, content_sha256, inputs, inputs_sha256, "
        "issued_at, issued_by, reason, superseded"
    )
    _sql(
        world_db,
        f"INSERT INTO issued_bills (version, total_cny, {columns}) SELECT 2, '1.00', {columns} "
        "FROM issued_bills WHERE tenant_id = 't_chem'",
    )
    key = _scalar(world_db, "SELECT id FROM issued_bills WHERE version = 2")
    report = verify_database(world_db, SYSTEM)
    for kind in ("row", "bill"):
        found = _names(report, Case("inserted", (), kind, "issued_bills"), key)
        assert found and "in no audit entry" in found[0].reason, report.as_dict()["failures"]


# -- truncation and anchors ----------------------------------------------------------------------


def _late_writes(db: Database) -> None:
    """Entries after the anchor that a truncation removes together with their data."""
    create_api_key(db, SYSTEM, PARK, name="late gateway", meter_ids=["e_mall"])
    with db.transaction() as conn:
        record = ActivityRecord("t_mall", "2025", "fuel_combustion", "diesel", 7.0, "t")
        write_activities(conn, SYSTEM, PARK, [record], source="late")


def _cut_tail(db: Database, after: int) -> None:
    _sql(
        db,
        f"DELETE FROM audit_log WHERE seq > {after}",
        "DELETE FROM api_keys WHERE name = 'late gateway'",
        "DELETE FROM activity_records WHERE period = '2025'",
    )


def test_cut_tail_with_its_data_is_found_against_an_anchor(world_db: Database) -> None:
    with world_db.transaction() as conn:
        before = audit.head(conn)[0]
    _late_writes(world_db)
    anchor = read_anchor(json.dumps(sign_anchor(chain_head(world_db, SYSTEM), SECRET)), SECRET)
    assert verify_database(world_db, SYSTEM, anchor=anchor).ok
    _cut_tail(world_db, before)
    # Without an anchor, the shorter chain and its data are consistent: nothing to see.
    assert verify_database(world_db, SYSTEM).ok
    report = verify_database(world_db, SYSTEM, anchor=anchor)
    first = report.first_failure
    assert first is not None and first.kind == "anchor" and first.seq == anchor.seq
    assert "cut off" in first.reason and first.table == "audit_log"


def test_rewritten_tail_is_found_against_an_anchor(world_db: Database) -> None:
    with world_db.transaction() as conn:
        before = audit.head(conn)[0]
    _late_writes(world_db)
    anchor = chain_head(world_db, SYSTEM)
    _cut_tail(world_db, before)
    _late_writes(world_db)  # the same number of entries again, with other hashes
    report = verify_database(world_db, SYSTEM, anchor=anchor)
    assert report.first_failure is not None and report.first_failure.kind == "anchor"
    assert report.first_failure.field == "sha256"


def test_forged_anchor_is_refused(world_db: Database) -> None:
    head = chain_head(world_db, SYSTEM)
    signed = sign_anchor(head, SECRET)
    assert read_anchor(json.dumps(signed), SECRET) == head
    for forged in (
        {**signed, "seq": head.seq - 1},
        {**signed, "sha256": "0" * 64},
        sign_anchor(head, "another secret"),
        {k: v for k, v in signed.items() if k != "hmac"},
        {**signed, "extra": 1},
    ):
        with pytest.raises(InputError) as caught:
            read_anchor(json.dumps(forged), SECRET, source="anchor.json")
        assert caught.value.field in ("hmac", "anchor")


def test_cli_anchor_round_trip(world_db: Database, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from zeropark.cli import app

    runner = CliRunner()
    env = {"ZEROPARK_SECRET_KEY": SECRET}
    anchor = tmp_path / "anchor.json"
    args = ["--db", world_db.url, "--lang", "en", "verify"]
    with world_db.transaction() as conn:
        before = audit.head(conn)[0]
    _late_writes(world_db)
    wrote = runner.invoke(app, [*args, "--write-anchor", str(anchor)], env=env)
    assert wrote.exit_code == 0, wrote.output
    assert json.loads(anchor.read_text())["seq"] == before + 2
    good = runner.invoke(app, [*args, "--anchor", str(anchor)], env=env)
    assert good.exit_code == 0 and "is still in the chain" in " ".join(good.output.split())
    forged = tmp_path / "forged.json"
    forged.write_text(anchor.read_text().replace(f'"seq": {before + 2}', f'"seq": {before}'))
    refused = runner.invoke(app, [*args, "--anchor", str(forged)], env=env)
    assert refused.exit_code == 65 and "signature" in " ".join(refused.output.split())
    other_key = runner.invoke(
        app, [*args, "--anchor", str(anchor)], env={"ZEROPARK_SECRET_KEY": "other"}
    )
    assert other_key.exit_code == 65
    _cut_tail(world_db, before)
    cut = runner.invoke(
        app, [*args, "--anchor", str(anchor), "--write-anchor", str(anchor)], env=env
    )
    assert cut.exit_code == 70 and "cut off" in " ".join(cut.output.split()), cut.output
    assert json.loads(anchor.read_text())["seq"] == before + 2  # a failed check writes nothing


# -- a park admin's view (finding 9) -------------------------------------------------------------


def test_park_admin_verifies_and_counts_only_its_park(world_db: Database) -> None:
    whole = verify_database(world_db, SYSTEM)
    mine, theirs = verify_database(world_db, ADMIN), verify_database(world_db, OTHER_ADMIN)
    assert mine.ok and theirs.ok
    assert mine.parks == [PARK] and theirs.parks == [OTHER]
    assert mine.chain_entries == theirs.chain_entries == whole.chain_entries
    assert mine.head_sha256 == whole.head_sha256
    # Every entry and row of this world belongs to one of the two parks.
    for count in (
        "entries",
        "batches",
        "readings",
        "rollup_meters",
        "rollup_hours",
        "activities",
        "sealed_rows",
        "inventories",
    ):
        assert getattr(mine, count) + getattr(theirs, count) == getattr(whole, count), count
    assert mine.entries > theirs.entries > 0 and mine.readings > theirs.readings > 0
    assert theirs.activities == 0 and theirs.inventories == 0
    # A change in my park is mine to see, not theirs.
    _sql(world_db, "UPDATE activity_records SET quantity = 99 WHERE entity = 't_mall'")
    assert not verify_database(world_db, ADMIN).ok
    assert verify_database(world_db, OTHER_ADMIN).ok


def test_park_admin_export_withholds_other_entries_and_still_verifies(world_db: Database) -> None:
    out = io.StringIO()
    count = export_chain(world_db, OTHER_ADMIN, out)
    text_out = out.getvalue()
    lines = [json.loads(line) for line in text_out.splitlines()[1:]]
    assert len(lines) == count
    assert PARK not in text_out and "admin@p.test" not in text_out and "test:seed" not in text_out
    own = [doc for doc in lines if not doc.get("withheld")]
    assert own and all(doc["park_id"] == OTHER for doc in own)
    offline = verify_export(text_out.splitlines())
    assert offline.ok and offline.head_sha256 == verify_database(world_db, SYSTEM).head_sha256
    # A withheld entry moved out of its place still breaks the links.
    withheld = next(i for i, doc in enumerate(lines) if doc.get("withheld"))
    lines[withheld]["sha256"] = "f" * 64
    edited = [text_out.splitlines()[0], *(json.dumps(doc) for doc in lines)]
    assert not verify_export(edited).ok


# -- databases written before seals existed ------------------------------------------------------


def test_migration_seals_older_rows_in_one_baseline_entry(db: Database) -> None:
    """A database at revision 0006 holds rows no entry sealed; migrating appends one explicit
    ``state.seal`` entry for them, after which they verify and changes to them are named."""
    from zeropark.store.engine import migrate

    migrate(db.engine, "0006")
    _sql(
        db,
        "INSERT INTO parks (id, name, type, province, timezone, spec, created_at, updated_at) "
        "VALUES ('old', 'Old park', 'office', '江苏', 'Asia/Shanghai', '{\"id\": \"old\"}', "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "INSERT INTO users (email, password_hash, role, park_id, active, failed_logins, "
        "created_at) VALUES ('old@p.test', 'x', 'auditor', 'old', TRUE, 0, CURRENT_TIMESTAMP)",
    )
    db.ensure_schema()
    with db.engine.connect() as conn:
        entries = conn.execute(text("SELECT seq, actor, action FROM audit_log")).all()
    assert [(e.actor, e.action) for e in entries] == [("migration:0007", "state.seal")]
    report = verify_database(db, SYSTEM)
    assert report.ok and report.sealed_rows == 2, report.as_dict()["failures"]
    _sql(db, "UPDATE users SET role = 'park_admin' WHERE email = 'old@p.test'")
    first = verify_database(db, SYSTEM).first_failure
    assert first is not None and first.seq == entries[0].seq and first.field == "role"


def test_a_new_database_gets_no_baseline_entry(db: Database) -> None:
    db.ensure_schema()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one() == 0


def test_writes_during_verification_are_not_half_seen(
    world_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A live batch committed while verify runs (after it read the chain, before it reads the
    readings) is not seen half: verification works on one snapshot of the database."""
    from zeropark.service import audit_verify
    from zeropark.service.live_ingest import ingest_records

    check_readings = audit_verify._check_readings

    def with_a_batch_in_between(*args: object, **kwargs: object) -> None:
        late = [{"meter": "e_chem", "ts": "2024-03-05T00:00:00+08:00", "value": 2000.0}]
        ingest_records(world_db, SYSTEM, PARK, late, source="test:live")
        check_readings(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_verify, "_check_readings", with_a_batch_in_between)
    report = verify_database(world_db, SYSTEM)
    assert report.ok, report.as_dict()["failures"]
    monkeypatch.undo()
    assert verify_database(world_db, SYSTEM).ok


def test_rederive_repairs_rollups_and_is_audited(world_db: Database) -> None:
    """Rollups that differ from their readings (an older version's) are derived again on demand:
    verify names them before and passes after; the re-derivation is in the chain."""
    from zeropark.errors import PermissionDenied
    from zeropark.service.parks import rederive_rollups

    key = _scalar(world_db, f"SELECT key FROM meters WHERE park_id = '{PARK}' AND id = 'e_chem'")
    _sql(world_db, f"UPDATE hourly_rollups SET quantity = quantity + 1 WHERE meter_key = {key}")
    before = verify_database(world_db, SYSTEM)
    assert any(m.kind == "rollup" for m in before.failures)
    tenant = Principal("chem@p.test", "tenant", frozenset([PARK]), tenant_id="t_chem")
    with pytest.raises(PermissionDenied):
        rederive_rollups(world_db, tenant, PARK, ["e_chem"])
    done = rederive_rollups(world_db, ADMIN, PARK, ["e_chem"])
    assert done["meters"] == 1 and done["rollup_rows"] > 0
    after = verify_database(world_db, SYSTEM)
    assert after.ok, after.failures
    assert _scalar(world_db, "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1") == (
        "rollups.rederive"
    )
