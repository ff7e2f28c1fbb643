"""Billing API on the API test world: without tariffs a clear refusal; with the demo's
(illustrative) tariffs, each role's answer is its schema and holds only what the role may see."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK, SYSTEM, World
from zeropark.api.billing_schemas import BillingMonthPublic, BillPublic, IssuedBillPublic
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


# -- issued bills ----------------------------------------------------------------------------


def _issue(client: TestClient, token: str | None, body: dict | None = None, **params: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/parks/{PARK}/billing/2024-03/issue", headers=auth(token), json=body,
        params=params,
    )  # fmt: skip


def test_only_park_admins_issue(
    client: TestClient, tokens: dict[str, str | None], priced: str
) -> None:
    """Refused before the body is read: a tenant, an auditor, a regulator and the park's gateway
    get 403, another park's admin 404, nobody 401 — and nothing is issued."""
    for role, status in (("anonymous", 401), ("tenant_own", 403), ("auditor", 403),
                         ("regulator", 403), ("gateway", 403), ("other_admin", 404)):  # fmt: skip
        answer = _issue(client, tokens[role], {"tenant_id": "t_chem"})
        assert answer.status_code == status, (role, answer.text)
    month = client.get(f"/api/v1/parks/{priced}/billing/2024-03",
                       headers=auth(tokens["park_admin"])).json()  # fmt: skip
    assert month["status"] == "draft"
    assert {t["status"] for t in month["tenants"]} == {"draft"}


def test_issue_refuse_reissue_and_read_as_issued(
    client: TestClient, tokens: dict[str, str | None], priced: str
) -> None:
    admin = auth(tokens["park_admin"])
    path = f"/api/v1/parks/{priced}/billing/2024-03"
    draft = client.get(f"{path}/bills/t_chem", headers=admin).json()
    assert draft["status"] == "draft" and draft["issue"] is None
    issued = _issue(client, tokens["park_admin"], {"tenant_id": "t_chem"})
    assert issued.status_code == 200, issued.text
    [row] = issued.json()
    assert (row["tenant_id"], row["version"], row["issued_by"]) == ("t_chem", 1, "admin@p.test")
    assert row["total_cny"] == draft["total_cny"]
    TypeAdapter(list[IssuedBillPublic]).validate_python(issued.json())
    # Every read answers the same bytes, the document as it was computed when issued.
    first = client.get(f"{path}/bills/t_chem", headers=admin)
    again = client.get(f"{path}/bills/t_chem", headers=admin)
    assert first.content == again.content
    _same(BillPublic, first.json())
    shown = first.json()
    assert shown["status"] == "issued" and shown["issue"]["version"] == 1
    assert {k: v for k, v in shown.items() if k not in ("status", "issue")} == {
        k: v for k, v in draft.items() if k not in ("status", "issue")
    }
    assert shown["issue"]["difference_cny"] == 0 and shown["issue"]["changed"] is False
    pdf = [client.get(f"{path}/bills/t_chem", params={"format": "pdf", "lang": lang},
                      headers=admin).content for lang in ("zh", "zh")]  # fmt: skip
    assert pdf[0] == pdf[1] and pdf[0][:4] == b"%PDF"
    # Again without a re-issue: refused in the caller's language; a re-issue needs a reason.
    refused = _issue(client, tokens["park_admin"], {"tenant_id": "t_chem"}, lang="zh")
    assert refused.status_code == 409 and "已出具" in refused.json()["detail"]
    no_reason = _issue(client, tokens["park_admin"], {"tenant_id": "t_chem", "reissue": True})
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    reissue = {"tenant_id": "t_chem", "reissue": True, "reason": "tariff corrected"}
    second = _issue(client, tokens["park_admin"], reissue)
    assert second.status_code == 200 and second.json()[0]["version"] == 2
    # The month: t_chem issued (version 2), the others drafts; the tenant reads its own.
    month = client.get(path, headers=admin).json()
    _same(BillingMonthPublic, month)
    assert month["status"] == "partial"
    rows = {t["tenant_id"]: t for t in month["tenants"]}
    assert rows["t_chem"]["status"] == "issued" and rows["t_chem"]["issue"]["version"] == 2
    assert rows["t_chem"]["issue"]["reason"] == "tariff corrected"
    assert rows["t_mall"]["status"] == "draft"
    own = client.get(path, headers=auth(tokens["tenant_own"])).json()
    _same(BillingMonthPublic, own)
    assert own["status"] == "issued" and own["bill"]["issue"]["version"] == 2
    other = client.get(path, headers=auth(tokens["tenant_other"])).json()
    assert other["status"] == "draft" and other["bill"]["tenant_id"] == "t_mall"
    assert (
        client.get(f"{path}/bills/t_chem", headers=auth(tokens["tenant_other"])).status_code == 404
    )
    regulator = client.get(path, headers=auth(tokens["regulator"])).json()
    _same(BillingMonthPublic, regulator)
    assert regulator["status"] == "partial" and regulator["tenants"] == []
    # The rest of the month; the whole month is then issued.
    rest = _issue(client, tokens["park_admin"], {"tenant_id": "t_mall"})
    assert rest.status_code == 200
    assert _issue(client, tokens["park_admin"], {"tenant_id": "t_utility"}).status_code == 200
    assert client.get(path, headers=admin).json()["status"] == "issued"
    assert _issue(client, tokens["park_admin"]).status_code == 409  # no body: every tenant
