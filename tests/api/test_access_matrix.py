"""The access-control matrix: every read endpoint × every role × own park / other park.

Allowed calls return data; forbidden ones are 401/403/404 and their body holds no data of what
was refused; filtered ones (a tenant, a regulator) never contain another owner's rows.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK

WINDOW = "start=2024-03-01T00:00:00%2B08:00&end=2024-03-03T00:00:00%2B08:00"

#: GET endpoints, with {park} for the park asked about.
ENDPOINTS = [
    "/parks/{park}",
    "/parks/{park}/tenants",
    "/parks/{park}/buildings",
    "/parks/{park}/meters",
    "/parks/{park}/virtual-meters",
    "/parks/{park}/assets",
    "/parks/{park}/overview?year=2024",
    "/parks/{park}/quality",
    "/parks/{park}/readings/e_chem?interval=day&" + WINDOW,
    "/parks/{park}/energy?group_by=tenant&" + WINDOW,
    "/parks/{park}/activities",
    "/parks/{park}/quarantine",
    "/parks/{park}/alerts",
    "/parks/{park}/audit",
    "/parks/{park}/inventories",
    "/parks/{park}/api-keys",
    "/parks/{park}/inventory?year=2024",
    "/parks/{park}/indicators?year=2024",
]
ROLES = [
    "park_admin",
    "tenant_own",
    "tenant_other",
    "regulator",
    "auditor",
    "gateway",
    "anonymous",
]

# Markers of data a caller must never receive.
OTHER_PARK_DATA = ("e_tech", "e_bank", "t_tech", "t_bank", "gas_kitchen")
NOT_FOR_TENANT_OWN = ("t_mall", "e_mall", "t_utility", "gas_chp")
NOT_FOR_TENANT_OTHER = ("t_chem", "e_chem", "t_utility", "gas_chp")
NOT_FOR_REGULATOR = ("e_chem", "e_mall", "gas_chp", "t_chem", "t_mall")
FORBIDDEN_MARKERS = {
    "tenant_own": NOT_FOR_TENANT_OWN,
    "tenant_other": NOT_FOR_TENANT_OTHER,
    "regulator": NOT_FOR_REGULATOR,
    "gateway": ("e_chem", "t_chem", "grid_main"),
}
#: (role, endpoint) pairs that must succeed with data in the caller's own park.
MUST_ALLOW = {"park_admin", "auditor"}
ADMIN_ONLY = ("/api-keys",)


def _body_of(response) -> str:  # type: ignore[no-untyped-def]
    """The body, without a problem's ``instance`` (the URL the caller itself asked for)."""
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        doc = response.json()
        doc.pop("instance", None)
        return json.dumps(doc)
    return response.text


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_access_matrix(
    client: TestClient, tokens: dict[str, str | None], endpoint: str, role: str, which: str
) -> None:
    park = PARK if which == "own" else OTHER
    url = "/api/v1" + endpoint.format(park=park)
    response = client.get(url, headers=auth(tokens[role]))
    body = _body_of(response)
    assert response.status_code < 500, body
    if role == "anonymous":
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers.get("www-authenticate") == "Bearer"
        return
    if which == "other" or role == "gateway":
        assert response.status_code in (403, 404), body
        assert response.headers["content-type"].startswith("application/problem+json")
        for marker in (*OTHER_PARK_DATA, "e_chem", "t_chem", "grid_main"):
            assert marker not in body, (marker, body)
        return
    if role in MUST_ALLOW and not (role == "auditor" and endpoint.endswith(ADMIN_ONLY)):
        assert response.status_code == 200, body
    if response.status_code != 200:
        assert response.status_code in (403, 404), body
        return
    for marker in FORBIDDEN_MARKERS.get(role, ()):
        assert marker not in body, (marker, body)


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("park_admin", {"grid_main", "e_chem", "e_mall"}, set()),
        ("auditor", {"grid_main", "e_chem", "e_mall"}, set()),
        ("tenant_own", {"e_chem"}, {"grid_main", "e_mall", "gas_chp"}),
        ("tenant_other", {"e_mall"}, {"grid_main", "e_chem", "gas_chp"}),
        ("regulator", set(), {"grid_main", "e_chem", "e_mall"}),
    ],
)
def test_meter_lists_are_scoped(
    client: TestClient,
    tokens: dict[str, str | None],
    role: str,
    visible: set[str],
    hidden: set[str],
) -> None:
    response = client.get(f"/api/v1/parks/{PARK}/meters", headers=auth(tokens[role]))
    assert response.status_code == 200
    ids = {m["id"] for m in response.json()["items"]}
    assert visible <= ids
    assert not hidden & ids
    assert response.json()["total"] == len(ids)


@pytest.mark.parametrize(
    "query",
    ["", "?entity=t_mall", "?entity=t_chem", "?period=2024", "?limit=1&offset=1"],
)
def test_tenant_never_sees_another_tenants_activities(
    client: TestClient, tokens: dict[str, str | None], query: str
) -> None:
    response = client.get(
        f"/api/v1/parks/{PARK}/activities{query}", headers=auth(tokens["tenant_own"])
    )
    assert response.status_code == 200
    assert {r["entity"] for r in response.json()["items"]} <= {"t_chem"}
    assert "t_mall" not in response.text


@pytest.mark.parametrize("meter", ["e_mall", "grid_main", "gas_chp", "e_mall+e_chem"])
def test_tenant_cannot_read_other_meters_readings(
    client: TestClient, tokens: dict[str, str | None], meter: str
) -> None:
    url = f"/api/v1/parks/{PARK}/readings/{meter}?interval=hour&{WINDOW}"
    response = client.get(url, headers=auth(tokens["tenant_own"]))
    assert response.status_code in (403, 404)
    assert '"rows"' not in response.text


@pytest.mark.parametrize("group_by", ["tenant", "building", "carrier"])
def test_tenant_energy_aggregates_hold_only_its_meters(
    client: TestClient, tokens: dict[str, str | None], group_by: str
) -> None:
    url = f"/api/v1/parks/{PARK}/energy?group_by={group_by}&interval=day&{WINDOW}"
    own = client.get(url, headers=auth(tokens["tenant_own"])).json()
    admin = client.get(url, headers=auth(tokens["park_admin"])).json()
    own_total = sum(r["quantity"] for g in own["groups"] for r in g["rows"])
    chem = client.get(
        f"/api/v1/parks/{PARK}/readings/e_chem?interval=day&{WINDOW}",
        headers=auth(tokens["park_admin"]),
    ).json()
    assert own_total == pytest.approx(sum(r["quantity"] or 0 for r in chem["rows"]))
    admin_total = sum(r["quantity"] for g in admin["groups"] for r in g["rows"])
    assert admin_total > own_total
