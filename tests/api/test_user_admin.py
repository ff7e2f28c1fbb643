"""Users and API keys over the API: who may is decided before what is asked; the account policy.

A caller whose role may not manage users or keys gets 403 (404 for a park it cannot see) whatever
the body, valid or not: the role is checked in a dependency, which FastAPI solves before it
validates the body (``fastapi.dependencies.utils.solve_dependencies``: sub-dependencies first,
then path, query, header and cookie parameters, then the body).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK, PASSWORD

INVALID_KEYS = [{}, {"name": ""}, {"name": "gw", "meter_ids": []}, {"name": 7, "meter_ids": "x"}]
INVALID_USERS = [
    {},
    {"email": "a@", "password": "password", "role": "tenant", "park_id": PARK},
    {"email": "x@p.test", "password": " " * 8, "role": "boss", "park_id": PARK},
]


@pytest.mark.parametrize("body", INVALID_KEYS)
@pytest.mark.parametrize("role", ["tenant_own", "regulator", "auditor"])
def test_an_invalid_key_from_a_role_that_may_not_create_keys_is_403(
    client: TestClient, tokens: dict[str, str | None], role: str, body: object
) -> None:
    response = client.post(f"/api/v1/parks/{PARK}/api-keys", json=body, headers=auth(tokens[role]))
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("body", INVALID_KEYS)
def test_an_invalid_key_for_a_park_the_caller_cannot_see_is_404(
    client: TestClient, tokens: dict[str, str | None], body: object
) -> None:
    headers = auth(tokens["other_admin"])
    response = client.post(f"/api/v1/parks/{PARK}/api-keys", json=body, headers=headers)
    assert response.status_code == 404, response.text


@pytest.mark.parametrize("body", INVALID_USERS)
@pytest.mark.parametrize("role", ["tenant_own", "regulator", "auditor"])
def test_an_invalid_user_from_a_role_that_may_not_manage_users_is_403(
    client: TestClient, tokens: dict[str, str | None], role: str, body: object
) -> None:
    headers = auth(tokens[role])
    assert client.post("/api/v1/users", json=body, headers=headers).status_code == 403
    assert client.patch("/api/v1/users/1", json=body, headers=headers).status_code == 403
    assert client.get("/api/v1/users", headers=headers).status_code == 403


def test_the_admin_gets_the_field_errors(client: TestClient, tokens: dict[str, str | None]) -> None:
    headers = auth(tokens["park_admin"])
    response = client.post("/api/v1/users", json=INVALID_USERS[1], headers=headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"body.email", "body.password"} <= fields


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        ("new@p.test", "password", "at least 12 characters"),
        ("new@p.test", " " * 8, "at least 12 characters"),
        ("new@p.test", " " * 12, "only whitespace"),
        ("new@p.test", "x" * 12, "one character repeated"),
        ("new@p.test", "password1234", "most common"),
        ("new@p.test", "Qwertyuiop123!", "most common"),
        ("long.name.here@p.test", "Long.Name.Here", "email address"),
        ("a@", "a-fine-password", "not an email address"),
        ("a@b", "a-fine-password", "not an email address"),
        ("a b@p.test", "a-fine-password", "not an email address"),
        ("a@p..test", "a-fine-password", "not an email address"),
        ("a@-p.test", "a-fine-password", "not an email address"),
        ("a@10.0.0.1", "a-fine-password", "not an email address"),
    ],
)
def test_weak_passwords_and_bad_emails_are_refused(
    client: TestClient, tokens: dict[str, str | None], email: str, password: str, reason: str
) -> None:
    body = {"email": email, "password": password, "role": "auditor", "park_id": PARK}
    response = client.post("/api/v1/users", json=body, headers=auth(tokens["park_admin"]))
    assert response.status_code == 422, response.text
    assert reason in response.text


def test_a_good_account_is_created_with_its_email_lowercase(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    body = {"email": " New.Auditor@P.Test ", "password": "a-fine-password", "role": "auditor",
            "park_id": PARK}  # fmt: skip
    response = client.post("/api/v1/users", json=body, headers=auth(tokens["park_admin"]))
    assert response.status_code == 201, response.text
    assert response.json()["email"] == "new.auditor@p.test"
    login = {"email": "new.auditor@p.test", "password": "a-fine-password"}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200


def test_an_admin_cannot_deactivate_itself(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    headers = auth(tokens["park_admin"])
    me = client.get("/api/v1/auth/me", headers=headers).json()
    users = client.get("/api/v1/users", headers=headers).json()["items"]
    my_id = next(u["id"] for u in users if u["email"] == me["email"])
    response = client.patch(f"/api/v1/users/{my_id}", json={"active": False}, headers=headers)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "Conflict"
    assert "cannot deactivate your own account" in response.json()["detail"]
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200


def test_a_second_admin_can_be_made_and_deactivated(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    headers = auth(tokens["park_admin"])
    body = {"email": "deputy@p.test", "password": PASSWORD, "role": "park_admin", "park_id": PARK}
    deputy = client.post("/api/v1/users", json=body, headers=headers)
    assert deputy.status_code == 201, deputy.text
    done = client.patch(f"/api/v1/users/{deputy.json()['id']}", json={"active": False},
                        headers=headers)  # fmt: skip
    assert done.status_code == 200 and done.json()["active"] is False
    # A park admin still manages only its own park.
    other = {"email": "x@o.test", "password": PASSWORD, "role": "auditor", "park_id": OTHER}
    assert client.post("/api/v1/users", json=other, headers=headers).status_code == 403
