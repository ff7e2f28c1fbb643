"""Issued tenant bills (follow-up of #11): frozen as issued, versioned, sealed — the difference to
the bill recomputed now is shown, never applied. SQLite and PostgreSQL, on the API test world
priced with the demo's (illustrative) tariffs and time-of-use hours.

The world's park (``tests/api/parkdata.py``): t_chem and t_mall are metered below the intake
``grid_main``; floor areas t_mall 200,000 m², t_chem 150,000 m², none of the park's own, so the
common costs are shared 4/7 and 3/7. Readings cover 1-2 March 2024, hourly.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.api.parkdata import OTHER, PARK, SYSTEM, build_world
from zeropark.clock import FixedClock
from zeropark.data.demo.storage import DEMO_TIME_OF_USE
from zeropark.data.demo.tariffs import DEMO_TARIFFS
from zeropark.domain.access import Principal
from zeropark.errors import Conflict, InputError, NotFound, PermissionDenied
from zeropark.service.audit_verify import verify_database
from zeropark.service.billing.compute import month_bills
from zeropark.service.billing.issued import bill_versions, issue_bills, month_billing, tenant_bill
from zeropark.service.billing.views import bill_to_dict
from zeropark.service.database import Database
from zeropark.service.live_ingest import ingest_records
from zeropark.store import audit
from zeropark.store.parks import ParkRepository
from zeropark.store.schema import metadata

ADMIN = Principal("admin@p.test", "park_admin", frozenset([PARK]))
TENANT = Principal("chem@p.test", "tenant", frozenset([PARK]), tenant_id="t_chem")
REGULATOR = Principal("reg@p.test", "regulator", frozenset([PARK]))
AUDITOR = Principal("aud@p.test", "auditor", frozenset([PARK]))
MONTH = "2024-03"


@pytest.fixture
def priced(db: Database) -> Database:
    build_world(db, users=False)
    with db.transaction() as conn:
        spec = ParkRepository(conn, SYSTEM).export(PARK)
        park = replace(spec.park, time_of_use=DEMO_TIME_OF_USE, tariffs=DEMO_TARIFFS)
        ParkRepository(conn, SYSTEM).apply(replace(spec, park=park))
    return db


def test_schema_matches_migration_0014(db: Database) -> None:
    db.ensure_schema()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "issued_bills" in str(d)] == []


def _document(doc: dict[str, Any]) -> str:
    """The bill as canonical JSON, without what a read adds (status, issue)."""
    return audit.canonical_json({k: v for k, v in doc.items() if k not in ("status", "issue")})


def test_issue_stores_the_bill_as_computed(priced: Database) -> None:
    priced.clock = FixedClock(datetime(2024, 4, 2, 1, 30, tzinfo=UTC))
    issued = issue_bills(priced, ADMIN, PARK, MONTH)
    assert [b.tenant_id for b in issued] == ["t_chem", "t_mall", "t_utility"]
    view = month_bills(priced, SYSTEM, PARK, MONTH)
    for b in issued:
        bill = view.billing.bills[b.tenant_id]
        assert (b.version, b.issued_by, b.reason, b.superseded) == (1, ADMIN.subject, None, False)
        assert b.issued_at == datetime(2024, 4, 2, 1, 30, tzinfo=UTC)  # the database's clock
        assert b.document == bill_to_dict(view, bill)
        assert b.total_cny == bill.total_cny and b.document["total_cny"] == float(bill.total_cny)
        assert b.content_sha256 == audit.sha256_hex(audit.canonical_json(b.document))
        assert b.inputs_sha256 == audit.sha256_hex(audit.canonical_json(b.inputs))
        assert b.inputs["readings_sha256"] == view.readings_sha256
        assert b.inputs["tariffs"]["electricity"]["demand"]["price_cny_per_kw_month"] == 40.0
        assert b.inputs["floor_area_m2"] == {"t_chem": 150000.0, "t_mall": 200000.0,
                                             "t_utility": 0.0}  # fmt: skip
    assert issued[0].total_cny == Decimal("748868.06")
    shown = tenant_bill(priced, ADMIN, PARK, MONTH, "t_chem")
    assert shown["status"] == "issued" and _document(shown) == audit.canonical_json(
        issued[0].document
    )
    assert shown["issue"] == {
        "version": 1,
        "issued_at": "2024-04-02T09:30:00+08:00",  # park-local
        "issued_by": ADMIN.subject,
        "reason": None,
        "content_sha256": issued[0].content_sha256,
        "total_cny": 748868.06,
        "recomputed_total_cny": 748868.06,
        "difference_cny": 0.0,
        "changed": False,
    }
    report = verify_database(priced, SYSTEM)
    assert report.ok and report.issued_bills == 3, report.as_dict()["failures"]


def test_a_late_reading_leaves_the_issued_bill_and_shows_the_difference(
    priced: Database,
) -> None:
    """100 kWh of t_chem arrive late for 23:00-24:00 on 2 March (flat band, 0.63 CNY/kWh): its
    energy charge +63.00; the common pool (intake minus tenants' charges) −63.00, of which
    t_chem's floor-area share 3/7 is −27.00; subtotal +36.00, VAT 13 % +4.68 → the bill
    recomputed now is 40.68 CNY above the issued 748,868.06."""
    issue_bills(priced, ADMIN, PARK, MONTH, tenant_id="t_chem")
    before = tenant_bill(priced, ADMIN, PARK, MONTH, "t_chem")
    late = [{"meter": "e_chem", "ts": "2024-03-03T00:00:00+08:00", "value": 1070.0}]
    assert ingest_records(priced, SYSTEM, PARK, late, source="test:late").accepted == 1
    after = tenant_bill(priced, ADMIN, PARK, MONTH, "t_chem")
    assert _document(after) == _document(before)  # byte for byte
    assert after["total_cny"] == 748868.06
    flat = next(x for x in after["lines"] if x["kind"] == "energy" and x["band"] == "flat")
    assert flat["quantity"] == 150.0  # as issued, not the 250 kWh measured now
    issue = after["issue"]
    assert (issue["recomputed_total_cny"], issue["difference_cny"]) == (748908.74, 40.68)
    assert issue["changed"] is True
    now = month_bills(priced, SYSTEM, PARK, MONTH).billing.bills["t_chem"]
    assert now.total_cny == Decimal("748908.74") and now.kwh_by_band["flat"] == 250.0
    month = month_billing(priced, ADMIN, PARK, MONTH)
    rows = {r["tenant_id"]: r for r in month["tenants"]}
    assert month["status"] == "partial"
    assert rows["t_chem"]["status"] == "issued" and rows["t_chem"]["total_cny"] == 748868.06
    assert rows["t_chem"]["issue"]["difference_cny"] == 40.68
    assert rows["t_mall"]["status"] == "draft" and rows["t_mall"]["issue"] is None
    report = verify_database(priced, SYSTEM)
    assert report.ok, report.as_dict()["failures"]


def test_issuing_again_needs_a_reissue_with_a_reason(priced: Database) -> None:
    first = issue_bills(priced, ADMIN, PARK, MONTH, tenant_id="t_chem")[0]
    with pytest.raises(Conflict) as refused:
        issue_bills(priced, ADMIN, PARK, MONTH, tenant_id="t_chem")
    assert "t_chem (version 1)" in str(refused.value) and "--reissue" in str(refused.value)
    with pytest.raises(Conflict):  # the whole month: t_chem is issued, nothing is stored
        issue_bills(priced, ADMIN, PARK, MONTH)
    for reason in (None, "   "):
        with pytest.raises(InputError) as no_reason:
            issue_bills(priced, ADMIN, PARK, MONTH, tenant_id="t_chem", reissue=True,
                        reason=reason)  # fmt: skip
        assert no_reason.value.field == "reason"
    assert [b.version for b in bill_versions(priced, ADMIN, PARK, MONTH)] == [1]
    second = issue_bills(priced, ADMIN, PARK, MONTH, tenant_id="t_chem", reissue=True,
                         reason="late readings of e_chem")[0]  # fmt: skip
    assert (second.version, second.reason) == (2, "late readings of e_chem")
    versions = bill_versions(priced, ADMIN, PARK, MONTH, "t_chem")
    assert [(b.version, b.superseded) for b in versions] == [(1, True), (2, False)]
    assert versions[0].document == first.document and versions[0].issued_at == first.issued_at
    assert tenant_bill(priced, ADMIN, PARK, MONTH, "t_chem")["issue"]["version"] == 2
    # The rest of the month with --reissue: t_chem's version 3, the others' version 1.
    again = issue_bills(priced, ADMIN, PARK, MONTH, reissue=True, reason="month closed")
    assert {b.tenant_id: b.version for b in again} == {"t_chem": 3, "t_mall": 1, "t_utility": 1}
    assert month_billing(priced, ADMIN, PARK, MONTH)["status"] == "issued"
    report = verify_database(priced, SYSTEM)
    assert report.ok and report.issued_bills == 5, report.as_dict()["failures"]


def test_who_issues_and_who_reads_which_issued_bill(priced: Database) -> None:
    for caller in (TENANT, AUDITOR, REGULATOR):
        with pytest.raises(PermissionDenied):
            issue_bills(priced, caller, PARK, MONTH)
    with pytest.raises(NotFound):
        issue_bills(priced, Principal("o", "park_admin", frozenset([OTHER])), PARK, MONTH)
    issue_bills(priced, ADMIN, PARK, MONTH)
    own = month_billing(priced, TENANT, PARK, MONTH)
    assert own["scope"] == "tenant" and own["status"] == "issued" and own["tenants"] == []
    assert own["bill"]["tenant_id"] == "t_chem" and own["bill"]["issue"]["version"] == 1
    assert tenant_bill(priced, TENANT, PARK, MONTH, "t_chem")["status"] == "issued"
    with pytest.raises(NotFound):
        tenant_bill(priced, TENANT, PARK, MONTH, "t_mall")
    assert [b.tenant_id for b in bill_versions(priced, TENANT, PARK, MONTH)] == ["t_chem"]
    agg = month_billing(priced, REGULATOR, PARK, MONTH)
    assert agg["status"] == "issued" and agg["tenants"] == [] and agg["bill"] is None
    with pytest.raises(PermissionDenied):
        tenant_bill(priced, REGULATOR, PARK, MONTH, "t_chem")
    assert bill_versions(priced, REGULATOR, PARK, MONTH) == []
    assert tenant_bill(priced, AUDITOR, PARK, MONTH, "t_mall")["status"] == "issued"


def test_a_month_not_over_or_without_readings_is_not_issued(priced: Database) -> None:
    priced.clock = FixedClock(datetime(2024, 3, 31, 15, 59, tzinfo=UTC))  # 23:59 park-local
    with pytest.raises(InputError) as early:
        issue_bills(priced, ADMIN, PARK, MONTH)
    assert "not over" in str(early.value) and "2024-04-01T00:00:00+08:00" in str(early.value)
    priced.clock = FixedClock(datetime(2024, 3, 31, 16, 0, tzinfo=UTC))  # April has begun
    assert len(issue_bills(priced, ADMIN, PARK, MONTH)) == 3
    with pytest.raises(InputError, match="no readings"):
        issue_bills(priced, ADMIN, PARK, "2024-02")
    with pytest.raises(NotFound):
        issue_bills(priced, ADMIN, PARK, MONTH, tenant_id="t_nobody")
