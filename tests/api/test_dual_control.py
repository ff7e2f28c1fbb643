"""Dual-control endpoints (#12): scorecard, budgets, waste and the diagnosis download — each
answer in its schema, and a tenant sees and edits only its own."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK

API = f"/api/v1/parks/{PARK}"


def test_scorecard_for_each_role(client: TestClient, tokens: dict) -> None:
    admin = client.get(
        f"{API}/scorecard", params={"period": "2024"}, headers=auth(tokens["park_admin"])
    )
    assert admin.status_code == 200, admin.text
    data = admin.json()
    assert data["level"] == "park" and data["system"]["code"] == "national"
    codes = [e["code"] for e in data["entries"]]
    assert codes[:6] == [
        "core_carbon_per_energy",
        "clean_energy_share",
        "product_energy_intensity",
        "solid_waste_utilisation",
        "waste_heat_utilisation",
        "water_reuse",
    ]
    own = client.get(
        f"{API}/scorecard", params={"period": "month"}, headers=auth(tokens["tenant_own"])
    )
    assert own.status_code == 200 and own.json()["entity_id"] == "t_chem"
    other = client.get(
        f"{API}/scorecard", params={"tenant_id": "t_mall"}, headers=auth(tokens["tenant_own"])
    )
    assert other.status_code == 404
    regulator = client.get(
        f"{API}/scorecard", params={"system": "hunan_2030"}, headers=auth(tokens["regulator"])
    )
    assert regulator.status_code == 200 and regulator.json()["level"] == "park"
    bad = client.get(
        f"{API}/scorecard", params={"period": "2024-13"}, headers=auth(tokens["park_admin"])
    )
    assert bad.status_code in (400, 422)


def test_budgets_are_scoped_to_the_tenant(client: TestClient, tokens: dict) -> None:
    admin, tenant = auth(tokens["park_admin"]), auth(tokens["tenant_own"])
    body = {"year": 2024, "kind": "carbon", "annual": 100.0, "tenant_id": "t_mall"}
    made = client.post(f"{API}/budgets", json=body, headers=admin)
    assert made.status_code == 200, made.text
    assert made.json()["tenant_id"] == "t_mall" and len(made.json()["months"]) == 12
    refused = client.post(f"{API}/budgets", json=body, headers=tenant)
    assert refused.status_code == 403
    own = client.post(f"{API}/budgets", json={**body, "tenant_id": None}, headers=tenant)
    assert own.status_code == 200 and own.json()["tenant_id"] == "t_chem"
    seen = client.get(f"{API}/budgets", params={"year": 2024}, headers=tenant).json()
    assert [b["tenant_id"] for b in seen] == ["t_chem"]
    everyone = client.get(f"{API}/budgets", params={"year": 2024}, headers=admin).json()
    assert {b["tenant_id"] for b in everyone} == {"t_chem", "t_mall"}
    gone = client.delete(f"{API}/budgets/{made.json()['id']}", headers=tenant)
    assert gone.status_code == 404  # another tenant's budget is not even there for it


def test_waste_and_diagnosis(client: TestClient, tokens: dict) -> None:
    admin = auth(tokens["park_admin"])
    waste = client.get(f"{API}/waste", params={"year": 2024}, headers=admin)
    assert waste.status_code == 200 and waste.json()["findings"] == []  # two days of data
    pdf = client.get(f"{API}/reports/diagnosis", params={"year": 2024}, headers=admin)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    tenant = client.get(
        f"{API}/reports/diagnosis", params={"year": 2024}, headers=auth(tokens["tenant_own"])
    )
    assert tenant.status_code == 403
