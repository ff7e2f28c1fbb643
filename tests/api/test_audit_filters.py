"""The audit-log viewer's filters (GET /parks/{id}/audit?action=&since=&until=): an action
prefix and a time window, applied by the server before paging (the totals count the filtered
entries)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK


def _page(client: TestClient, token: str | None, **params: str) -> dict:
    response = client.get(f"/api/v1/parks/{PARK}/audit", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_action_prefix_and_time_window(client: TestClient, tokens: dict) -> None:
    everything = _page(client, tokens["auditor"], limit="500")
    actions = [e["action"] for e in everything["items"]]
    users = _page(client, tokens["auditor"], action="user.", limit="500")
    assert users["total"] == sum(a.startswith("user.") for a in actions) > 0
    assert {e["action"][:5] for e in users["items"]} == {"user."}
    assert _page(client, tokens["auditor"], action="user%")["total"] == 0  # no LIKE wildcard

    newest = everything["items"][0]["at"]
    upto = _page(client, tokens["auditor"], until=newest, limit="500")
    assert upto["total"] == everything["total"] - sum(
        e["at"] == newest for e in everything["items"]
    )
    since = _page(client, tokens["auditor"], since=newest, limit="500")
    assert since["total"] + upto["total"] == everything["total"]
    assert _page(client, tokens["auditor"], until="2000-01-01T00:00:00+08:00")["total"] == 0


def test_a_time_without_offset_is_refused(client: TestClient, tokens: dict) -> None:
    response = client.get(
        f"/api/v1/parks/{PARK}/audit",
        params={"since": "2024-01-01T00:00:00"},
        headers=auth(tokens["auditor"]),
    )
    assert response.status_code == 422
