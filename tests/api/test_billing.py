"""Billing API on the API test world (a park without tariffs): refusals are clear and scoped."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK


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
