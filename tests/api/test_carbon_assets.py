"""``/api/v1/parks/{id}/carbon-assets``: who sees what, recording, refusals as problem+json in
the request's language, statement and export downloads (#14)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK, SYSTEM, World
from zeropark.domain.ledger import Account, Movement
from zeropark.service.carbon_assets.movements import open_accounts, record_movements
from zeropark.store import ledger as store

BASE = f"/api/v1/parks/{PARK}/carbon-assets"
EV = {"occurred_on": "2025-01-20", "evidence": "配额分配通知", "reference": "A-1"}


@pytest.fixture(scope="module")
def ledger(world: World) -> World:
    db = world.db
    open_accounts(db, SYSTEM, PARK, [
        Account("park", "holding"), Account("t_chem", "holding", "t_chem"),
        Account("t_mall", "holding", "t_mall"), Account("registry", "issuer"),
        Account("market", "counterparty"), Account("surrendered", "surrender"),
    ])  # fmt: skip
    with db.transaction() as conn:
        store.put_obligation(
            conn, SYSTEM, PARK, tenant_id="t_chem", year=2024, sector="steel",
            verified_t=D(40_000), deadline="2025-12-31", evidence="核查报告",
        )  # fmt: skip
    record_movements(db, SYSTEM, PARK, [
        Movement("allocation", "CEA:2024", D(38_000), "registry", "t_chem", **EV),
        Movement("allocation", "CEA:2024", D(100), "registry", "t_mall", **EV),
    ])  # fmt: skip
    return world


def test_admin_records_and_everyone_sees_their_part(
    client: TestClient, tokens: dict[str, str | None], ledger: World
) -> None:
    body = [{"kind": "purchase", "instrument": "CEA:2024", "quantity": "500",
             "from_account": "market", "to_account": "t_chem", "occurred_on": "2025-06-12",
             "evidence": "成交单", "reference": "SEEE-9", "price_cny": "92.3",
             "counterparty": "挂牌", "exchange": "上海环境能源交易所"}]  # fmt: skip
    assert (
        client.post(f"{BASE}/movements", json=body, headers=auth(tokens["tenant_own"])).status_code
        == 403
    )
    created = client.post(f"{BASE}/movements", json=body, headers=auth(tokens["park_admin"]))
    assert created.status_code == 201, created.text
    own = client.get(f"{BASE}/holdings", headers=auth(tokens["tenant_own"])).json()
    assert [(h["account"], h["quantity"]) for h in own] == [("t_chem", "38500")]
    moves = client.get(f"{BASE}/movements", headers=auth(tokens["tenant_own"])).json()
    assert all("t_mall" not in (m["from_account"], m["to_account"]) for m in moves)
    assert client.get(f"{BASE}/holdings", headers=auth(tokens["regulator"])).json() == []
    positions = client.get(f"{BASE}/positions?year=2024", headers=auth(tokens["regulator"]))
    assert positions.status_code == 200 and positions.json()["gap_t"] == "1500"
    assert (
        client.get(f"{BASE}/compliance?year=2024", headers=auth(tokens["regulator"])).status_code
        == 403
    )
    (p,) = client.get(f"{BASE}/compliance?year=2024", headers=auth(tokens["auditor"])).json()
    assert (p["obligation_t"], p["cea_held_t"], p["gap_t"]) == ("40000", "38500", "1500")
    export = client.get(f"{BASE}/export", headers=auth(tokens["auditor"]))
    assert export.status_code == 200 and "SEEE-9" in export.text


def test_refusal_is_problem_json_in_the_request_language(
    client: TestClient, tokens: dict[str, str | None], ledger: World
) -> None:
    body = [{"kind": "transfer", "instrument": "CEA:2024", "quantity": "1000",
             "from_account": "t_mall", "to_account": "park", "occurred_on": "2025-06-12",
             "evidence": "划转单", "reference": "TR-1"}]  # fmt: skip
    headers = {**auth(tokens["park_admin"]), "Accept-Language": "zh"}
    refused = client.post(f"{BASE}/movements", json=body, headers=headers)
    assert refused.status_code == 422
    (issue,) = refused.json()["errors"]
    assert issue["code"] == "ledger_insufficient" and "余额不能为负" in issue["reason"]


def test_statement_download(
    client: TestClient, tokens: dict[str, str | None], ledger: World
) -> None:
    pdf = client.get(f"{BASE}/statement?year=2024&format=pdf", headers=auth(tokens["tenant_own"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "t_chem" in pdf.headers["content-disposition"]
