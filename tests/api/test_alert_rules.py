"""Alert rules, channels, bulk acknowledge and the monitor pass over the API; a tenant sees and
edits only its own."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK

BASE = f"/api/v1/parks/{PARK}"


def test_rule_crud_mute_and_tenant_isolation(client: TestClient, tokens: dict) -> None:
    admin, own, other = (auth(tokens[r]) for r in ("park_admin", "tenant_own", "tenant_other"))
    rule = {"kind": "threshold", "target": {"meter": "e_chem"}, "params": {"limit": 500}}
    created = client.put(f"{BASE}/alert-rules/chem_peak", json=rule, headers=own)
    assert created.status_code == 200, created.text
    assert created.json()["tenant"] == "t_chem" and created.json()["source"] == "api"
    # The other tenant neither sees nor edits it, nor watches the first tenant's meter.
    assert "chem_peak" not in {
        r["id"] for r in client.get(f"{BASE}/alert-rules", headers=other).json()
    }
    assert client.put(f"{BASE}/alert-rules/chem_peak", json=rule, headers=other).status_code in (
        403,
        404,
    )
    assert client.put(f"{BASE}/alert-rules/spy", json=rule, headers=other).status_code == 403
    bad = client.put(f"{BASE}/alert-rules/x", json={**rule, "params": {}}, headers=admin)
    assert bad.status_code == 422 and "limit" in bad.text
    muted = client.post(
        f"{BASE}/alert-rules/chem_peak/mute",
        json={"until": "2030-01-01T00:00:00+08:00"},
        headers=own,
    )
    assert muted.status_code == 200 and muted.json()["muted_until_s"] == 1893427200
    listed = {r["id"] for r in client.get(f"{BASE}/alert-rules", headers=admin).json()}
    assert {"chem_peak"} <= listed
    assert client.delete(f"{BASE}/alert-rules/chem_peak", headers=other).status_code == 404
    assert client.delete(f"{BASE}/alert-rules/chem_peak", headers=own).status_code == 204


def test_channels_hide_secrets(client: TestClient, tokens: dict) -> None:
    admin = auth(tokens["park_admin"])
    body = {
        "kind": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=t",
        "secret": "SECabc",
    }
    saved = client.put(f"{BASE}/alert-channels/ops_dd", json=body, headers=admin)
    assert saved.status_code == 200, saved.text
    assert saved.json()["config"]["secret"] == "***"
    listed = client.get(f"{BASE}/alert-channels", headers=admin).json()
    assert next(c for c in listed if c["id"] == "ops_dd")["config"]["secret"] == "***"
    assert (
        client.put(f"{BASE}/alert-channels/x", json={"kind": "wecom"}, headers=admin).status_code
        == 422
    )
    assert client.get(f"{BASE}/alert-channels", headers=auth(tokens["tenant_own"])).json() == []


def test_bulk_acknowledge_and_grouped_alerts(client: TestClient, tokens: dict) -> None:
    admin = auth(tokens["park_admin"])
    check = client.post(f"{BASE}/alerts/check?at=2024-03-20T00:00:00%2B08:00", headers=admin)
    assert check.status_code == 200, check.text
    query = {"status": "open", "rule_id": "builtin_no_data", "deliveries": True}
    listed = client.get(f"{BASE}/alerts", params=query, headers=admin).json()
    ids = [a["id"] for a in listed["items"]]
    assert len(ids) >= 2 and all(a["rule_id"] == "builtin_no_data" for a in listed["items"])
    assert all(a["raised_at_local"].endswith("+08:00") for a in listed["items"])
    denied = client.post(
        f"{BASE}/alerts/acknowledge", json={"ids": ids}, headers=auth(tokens["tenant_own"])
    )
    assert denied.status_code in (403, 404)
    done = client.post(
        f"{BASE}/alerts/acknowledge", json={"ids": ids, "note": "bulk"}, headers=admin
    )
    assert done.status_code == 200 and sorted(done.json()["changed"]) == sorted(ids)
    again = client.post(f"{BASE}/alerts/acknowledge", json={"ids": ids}, headers=admin)
    assert again.json()["changed"] == []
    after = client.get(
        f"{BASE}/alerts", params={"rule_id": "builtin_no_data"}, headers=admin
    ).json()
    assert {a["status"] for a in after["items"] if a["id"] in ids} == {"acknowledged"}


def test_monitor_pass_over_the_api(client: TestClient, tokens: dict) -> None:
    result = client.post(f"{BASE}/monitor/run", headers=auth(tokens["park_admin"]))
    assert result.status_code == 200, result.text
    assert result.json()["rules"] >= 2
    assert client.post(f"{BASE}/monitor/run", headers=auth(tokens["regulator"])).status_code in (
        403,
        404,
    )
