"""Who reads what of ``GET /parks/{id}/energy/summary``: every role, own park and another.

A tenant reads its own meters and records only; a regulator the park's aggregates (no tenant
named, no per-tenant intensity); park admins and auditors the park; gateways and other parks
nothing. The markers are the test park's meter and tenant ids (``tests/api/parkdata.py``).
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK

NOT_FOR = {
    "tenant_own": ("t_mall", "e_mall", "t_utility", "gas_chp", "grid_main"),
    "tenant_other": ("t_chem", "e_chem", "t_utility", "gas_chp", "grid_main"),
    "regulator": ("e_chem", "e_mall", "gas_chp", "t_chem", "t_mall", "grid_main"),
}
ROLES = ["park_admin", "auditor", "tenant_own", "tenant_other", "regulator", "gateway", "anonymous"]


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_energy_summary_access(
    client: TestClient, tokens: dict[str, str | None], role: str, which: str
) -> None:
    park = PARK if which == "own" else OTHER
    response = client.get(
        f"/api/v1/parks/{park}/energy/summary?year=2024", headers=auth(tokens[role])
    )
    assert response.status_code < 500, response.text
    if role == "anonymous":
        assert response.status_code == 401
        return
    if which == "other" or role == "gateway":
        assert response.status_code in (403, 404), response.text
        for marker in ("e_chem", "t_chem", "grid_main", "e_tech", "t_tech"):
            assert marker not in json.dumps(response.json().get("detail", ""))
        return
    assert response.status_code == 200, response.text
    doc = response.json()
    body = response.text
    for marker in NOT_FOR.get(role, ()):
        assert marker not in body, (role, marker)
    if role == "regulator":
        assert doc["scope"] == "aggregate" and doc["tenants"] == {}
        assert doc["intensity"]["tenants"] == []
    elif role.startswith("tenant"):
        assert doc["scope"] == "tenant" and set(doc["tenants"]) == {doc["tenant_id"]}
    else:
        assert doc["scope"] == "park" and doc["total_tce"] > 0


def test_a_tenant_figures_are_its_own_and_the_cache_keeps_scopes_apart(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    url = f"/api/v1/parks/{PARK}/energy/summary?year=2024"
    park = client.get(url, headers=auth(tokens["park_admin"])).json()
    own = client.get(url, headers=auth(tokens["tenant_own"])).json()
    other = client.get(url, headers=auth(tokens["tenant_other"])).json()
    assert own["tenant_id"] != other["tenant_id"]
    assert 0 < own["total_tce"] < park["total_tce"]
    assert own["headline_figures"] != other["headline_figures"]
    again = client.get(url, headers=auth(tokens["tenant_own"])).json()  # from the cache
    assert again == own
