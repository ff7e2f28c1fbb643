"""The overview (power flow, energy, carbon, renewable share, alerts), its cache, and tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK, PASSWORD, USERS

OVERVIEW = f"/api/v1/parks/{PARK}/overview"


def _overview(client: TestClient, token: str | None, query: str = "") -> dict:  # type: ignore[type-arg]
    response = client.get(OVERVIEW + query, headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()  # type: ignore[no-any-return]


def test_overview_names_the_latest_day_of_historical_data(client: TestClient, tokens: dict) -> None:
    doc = _overview(client, tokens["park_admin"])
    # The seed readings run over 2024-03-01 and 03-02 (+08:00): "today" is the latest day.
    assert doc["year"] == 2024 and doc["day"] == "2024-03-02" and doc["live"] is False
    assert doc["scope"] == {"level": "park", "tenant_id": None}
    flow = doc["power_flow"]
    assert flow["unit"] == "kW" and flow["start"] == "2024-03-02T22:00:00+08:00"
    assert flow["grid_import_kw"] > 0 and flow["load_kw"] > 0
    energy = doc["energy"]
    assert energy["unit"] == "kWh"
    assert 0 < energy["today"]["grid_import"] <= energy["month"]["grid_import"]
    assert energy["month"]["grid_import"] <= energy["year"]["grid_import"]
    carbon = doc["carbon"]["methods"][doc["carbon"]["default_method"]]
    assert carbon["today"] > 0 and carbon["today"] <= carbon["month"] <= carbon["year"]
    assert set(doc["renewable_share"]) >= {"definition", "today", "month", "year"}
    assert len(doc["profile"]) == 23 and doc["profile"][0]["start"].endswith("+08:00")
    assert doc["open_alerts"] == 0


def test_tenant_overview_holds_its_own_figures(client: TestClient, tokens: dict) -> None:
    park = _overview(client, tokens["park_admin"])
    own = _overview(client, tokens["tenant_own"])
    other = _overview(client, tokens["tenant_other"])
    assert own["scope"] == {"level": "tenant", "tenant_id": "t_chem"}
    assert other["scope"]["tenant_id"] == "t_mall"
    assert 0 < own["energy"]["year"]["load"] < park["energy"]["year"]["load"]
    method = park["carbon"]["default_method"]
    assert own["carbon"]["methods"][method]["year"] < park["carbon"]["methods"][method]["year"]


def test_regulator_overview_and_indicators_are_park_aggregates(
    client: TestClient, tokens: dict
) -> None:
    park = _overview(client, tokens["park_admin"])
    reg = _overview(client, tokens["regulator"])
    method = park["carbon"]["default_method"]
    assert reg["carbon"]["methods"][method]["year"] > 0
    assert reg["carbon"]["methods"] == park["carbon"]["methods"]
    assert reg["energy"] == park["energy"] and reg["data_quality"] is None
    indicators = client.get(
        f"/api/v1/parks/{PARK}/indicators?year=2024", headers=auth(tokens["regulator"])
    )
    assert indicators.status_code == 200, indicators.text
    doc = indicators.json()
    assert doc["schema"] == "zeropark.park_indicators/1"
    assert doc["methods"]["cn_national"]["gross_tco2e"] > 0
    for marker in ("t_chem", "t_mall", "e_chem", "e_mall", "grid_main"):
        assert marker not in indicators.text and marker not in json_text(reg)


def test_overview_without_data_in_the_year_invents_nothing(
    client: TestClient, tokens: dict
) -> None:
    doc = _overview(client, tokens["park_admin"], "?year=2023")
    assert doc["day"] is None and doc["power_flow"] is None and doc["profile"] == []
    assert doc["energy"]["year"]["grid_import"] == 0.0
    assert doc["carbon"]["methods"]["cn_national"]["today"] is None


def test_overview_follows_new_data(client: TestClient, tokens: dict) -> None:
    before = _overview(client, tokens["park_admin"])
    reading = {"meter": "grid_main", "ts": "2024-03-03T05:00:00+08:00", "value": 1480.0}
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        json={"source": "test:overview", "readings": [reading]},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 200, response.text
    after = _overview(client, tokens["park_admin"])
    assert before["day"] == "2024-03-02" and after["day"] == "2024-03-03"


def test_logout_and_deactivation_revoke_at_once(client: TestClient) -> None:
    email = USERS["auditor"][0]
    token = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    token = token.json()["token"]
    assert client.get("/api/v1/parks", headers=auth(token)).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=auth(token)).status_code in (200, 204)
    assert client.get("/api/v1/parks", headers=auth(token)).status_code == 401


def json_text(doc: object) -> str:
    import json

    return json.dumps(doc, ensure_ascii=False)
