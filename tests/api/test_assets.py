"""The park's assets as typed read views (GET /parks/{id}/asset-views, GET /asset-types).

The park is the mixed-use template (``data/templates/mixed.yaml``): ``pv_roofs`` gives
capacity, tilt, azimuth and losses; the rest of its parameters are the table's defaults
(``data/asset_types.csv``: gamma_pdc_per_c -0.0037 1/degC, albedo 0.2, eta_inv_nom 0.96). The
CHP belongs to tenant ``t_utility``: another tenant does not see it.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth


def _views(client: TestClient, token: str | None) -> dict[str, dict]:
    r = client.get("/api/v1/parks/my_park/asset-views", headers=auth(token))
    assert r.status_code == 200, r.text
    return {a["id"]: a for a in r.json()}


def test_assets_with_typed_parameters(client: TestClient, tokens: dict) -> None:
    views = _views(client, tokens["auditor"])
    assert {"chp", "pv_roofs", "bus_fleet", "electrolyser"} <= set(views)
    pv = {p["attribute"]: p for p in views["pv_roofs"]["params"]}
    assert pv["capacity_kwp"]["value"] == 15000 and pv["capacity_kwp"]["unit"] == "kWp"
    assert pv["capacity_kwp"]["source"] == "park_file" and pv["capacity_kwp"]["required"]
    assert (
        pv["gamma_pdc_per_c"]["value"] == -0.0037 and pv["gamma_pdc_per_c"]["source"] == "default"
    )
    assert pv["albedo"]["value"] == 0.2 and pv["albedo"]["range"] == "[0, 1]"
    assert pv["tilt_deg"]["name_zh"] == "倾角"
    chp = views["chp"]
    assert chp["tenant_id"] == "t_utility" and chp["meter_id"] == "chp_power"
    fuel = next(p for p in chp["params"] if p["attribute"] == "fuel")
    assert fuel["value"] == "natural_gas" and fuel["type"] == "text"


def test_a_tenant_sees_only_its_own_assets(client: TestClient, tokens: dict) -> None:
    assert "chp" not in _views(client, tokens["tenant_own"])


def test_asset_types_table(client: TestClient, tokens: dict) -> None:
    r = client.get("/api/v1/asset-types", headers=auth(tokens["park_admin"]))
    assert r.status_code == 200
    types = {t["asset_type"]: t for t in r.json()}
    assert {"pv", "battery", "ev_charger", "chp"} <= set(types)
    assert client.get("/api/v1/asset-types", headers=auth(tokens["gateway"])).status_code == 403
