"""Billing API on the API test world: without tariffs a clear refusal; with the demo's
(illustrative) tariffs, each role's answer is its schema and holds only what the role may see."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK, SYSTEM, World
from zeropark.api.billing_schemas import BillingMonthPublic, BillPublic
from zeropark.data.demo.storage import DEMO_TIME_OF_USE
from zeropark.data.demo.tariffs import DEMO_TARIFFS
from zeropark.store.parks import ParkRepository


def test_a_park_without_tariffs_says_so_in_the_callers_language(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    answer = client.get(
        f"/api/v1/parks/{PARK}/billing/2024-03", headers=auth(tokens["park_admin"]),
        params={"lang": "zh"},
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert "园区未配置电价" in answer.text


def test_billing_is_scoped(client: TestClient, tokens: dict[str, str | None]) -> None:
    assert client.get(f"/api/v1/parks/{PARK}/billing/2024-03").status_code == 401
    other = client.get(f"/api/v1/parks/{OTHER}/billing/2024-03", headers=auth(tokens["park_admin"]))
    assert other.status_code == 404
    bad = client.get(f"/api/v1/parks/{PARK}/billing/2024-3", headers=auth(tokens["park_admin"]))
    assert bad.status_code == 422


@pytest.fixture(scope="module")
def priced(world: World) -> str:
    """The world's park with the demo's (illustrative) tariffs and time-of-use hours."""
    with world.db.transaction() as conn:
        spec = ParkRepository(conn, SYSTEM).export(PARK)
        park = replace(spec.park, time_of_use=DEMO_TIME_OF_USE, tariffs=DEMO_TARIFFS)
        ParkRepository(conn, SYSTEM).apply(replace(spec, park=park))
    return PARK


def _same(model: type[BaseModel], body: dict) -> None:
    """The answer is its schema, field for field."""
    assert model.model_validate(body).model_dump(mode="json", by_alias=True) == body


def test_the_month_for_each_role(
    client: TestClient, tokens: dict[str, str | None], priced: str
) -> None:
    path = f"/api/v1/parks/{priced}/billing/2024-03"
    admin = client.get(path, headers=auth(tokens["park_admin"])).json()
    _same(BillingMonthPublic, admin)
    assert admin["scope"] == "park" and admin["has_data"]
    assert {t["tenant_id"] for t in admin["tenants"]} == {"t_chem", "t_mall", "t_utility"}
    assert admin["reconciliation"]["difference_cny"] == 0
    assert admin["reconciliation"]["supplier_total_cny"] > 0
    tenant = client.get(path, headers=auth(tokens["tenant_own"])).json()
    _same(BillingMonthPublic, tenant)
    assert tenant["scope"] == "tenant" and tenant["bill"]["tenant_id"] == "t_chem"
    assert tenant["tenants"] == [] and tenant["reconciliation"] is None
    regulator = client.get(path, headers=auth(tokens["regulator"])).json()
    assert regulator["scope"] == "aggregate" and regulator["tenants"] == []
    assert regulator["bill"] is None and regulator["reconciliation"] == admin["reconciliation"]


def test_bills_as_json_pdf_and_xlsx(
    client: TestClient, tokens: dict[str, str | None], priced: str
) -> None:
    path = f"/api/v1/parks/{priced}/billing/2024-03/bills"
    own = client.get(f"{path}/t_chem", headers=auth(tokens["tenant_own"]))
    assert own.status_code == 200, own.text
    _same(BillPublic, own.json())
    assert own.json()["tenant_name"] and own.json()["total_cny"] > 0
    pdf = client.get(f"{path}/t_chem", params={"format": "pdf", "lang": "zh"},
                     headers=auth(tokens["tenant_own"]))  # fmt: skip
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    xlsx = client.get(f"{path}/t_mall", params={"format": "xlsx"},
                      headers=auth(tokens["auditor"]))  # fmt: skip
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    other = client.get(f"{path}/t_mall", headers=auth(tokens["tenant_own"]))
    assert other.status_code == 404
    regulator = client.get(
        f"{path}/t_chem", headers=auth(tokens["regulator"]), params={"lang": "zh"}
    )
    assert regulator.status_code == 403 and "监管部门" in regulator.text
