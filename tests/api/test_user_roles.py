"""Changing a user's role over the API (PATCH /users/{id} with ``role``): the admin screens'
"change role". The change revokes the user's sessions, is audited as ``user.role`` and keeps
the audit chain verifiable; the caller's own role and the park's last admin are refused.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK, PASSWORD


def _create(client: TestClient, headers: dict[str, str], email: str) -> dict:
    body = {"email": email, "password": PASSWORD, "role": "auditor", "park_id": PARK}
    response = client.post("/api/v1/users", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_admin_changes_a_role_and_the_old_session_ends(client: TestClient, tokens: dict) -> None:
    admin = auth(tokens["park_admin"])
    user = _create(client, admin, "role.change@p.test")
    login = client.post("/api/v1/auth/login", json={"email": user["email"], "password": PASSWORD})
    old = auth(login.json()["token"])
    assert client.get("/api/v1/auth/me", headers=old).json()["role"] == "auditor"

    changed = client.patch(
        f"/api/v1/users/{user['id']}", json={"role": "tenant", "tenant_id": "t_chem"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "tenant" and changed.json()["tenant_id"] == "t_chem"
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401

    audit = client.get(f"/api/v1/parks/{PARK}/audit", headers=admin).json()["items"]
    entry = next(e for e in audit if e["action"] == "user.role")
    assert entry["payload"]["from"]["role"] == "auditor"
    assert entry["payload"]["to"] == {"role": "tenant", "tenant_id": "t_chem"}
    assert client.post("/api/v1/audit/verify", headers=admin).json()["ok"] is True


def test_role_changes_that_are_refused(client: TestClient, tokens: dict) -> None:
    admin = auth(tokens["park_admin"])
    user = _create(client, admin, "role.refused@p.test")
    url = f"/api/v1/users/{user['id']}"
    no_company = client.patch(url, json={"role": "tenant"}, headers=admin)
    assert no_company.status_code == 422
    unknown = client.patch(url, json={"role": "tenant", "tenant_id": "nobody"}, headers=admin)
    assert unknown.status_code == 422
    assert client.patch(url, json={}, headers=admin).status_code == 422
    me = client.get("/api/v1/auth/me", headers=admin).json()
    own = client.patch(f"/api/v1/users/{me['id']}", json={"role": "auditor"}, headers=admin)
    assert own.status_code == 409
    assert (
        client.patch(url, json={"role": "park_admin"}, headers=auth(tokens["auditor"])).status_code
        == 403
    )
