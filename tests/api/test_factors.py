"""The factor library API (GET /factor-sets, GET /factors): every packaged factor with its value,
unit and source, filtered and paged; readable by every signed-in role, not by a gateway key.

Reference values: anthracite (无烟煤) NCV 26.7 GJ/t, carbon content 0.0274 tC/GJ, oxidation
0.94 — 《其他有色金属冶炼和压延加工业等企业温室气体排放核算方法与报告指南（试行）》 (NDRC 2015),
附录二 表2.1 常用化石燃料相关参数缺省值.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from zeropark.data.factors import load_datasets, load_factors


@pytest.mark.parametrize("role", ["park_admin", "tenant_own", "regulator", "auditor"])
def test_factor_sets_for_every_role(client: TestClient, tokens: dict, role: str) -> None:
    r = client.get("/api/v1/factor-sets", params={"park_id": "my_park"}, headers=auth(tokens[role]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["active"] == "packaged" and body["pinned_version"] is None
    assert [d["dataset"] for d in body["datasets"]] == [d["dataset"] for d in load_datasets()]
    assert sum(d["factors"] for d in body["datasets"]) == body["factors"]
    assert body["factors"] == len(load_factors().factors)


def test_gateway_and_anonymous_read_no_factors(client: TestClient, tokens: dict) -> None:
    assert client.get("/api/v1/factors", headers=auth(tokens["gateway"])).status_code == 403
    assert client.get("/api/v1/factor-sets", headers=auth(None)).status_code == 401


def test_factor_values_carry_their_source(client: TestClient, tokens: dict) -> None:
    r = client.get(
        "/api/v1/factors",
        params={"dataset": "cn_guideline_fuels", "q": "无烟煤"},
        headers=auth(tokens["auditor"]),
    )
    assert r.status_code == 200, r.text
    rows = {f["parameter"]: f for f in r.json()["items"]}
    assert r.json()["total"] == 3
    assert rows["ncv"]["value"] == 26.7 and rows["ncv"]["unit"] == "GJ/t"
    assert rows["carbon_content"]["value"] == 0.0274 and rows["carbon_content"]["unit"] == "tC/GJ"
    assert rows["oxidation_rate"]["value"] == 0.94
    assert "表2.1" in rows["ncv"]["clause"] and "指南" in rows["ncv"]["source"]


def test_factors_are_paged(client: TestClient, tokens: dict) -> None:
    total = len(load_factors().factors)
    first = client.get("/api/v1/factors", params={"limit": 10}, headers=auth(tokens["regulator"]))
    second = client.get(
        "/api/v1/factors", params={"limit": 10, "offset": 10}, headers=auth(tokens["regulator"])
    )
    assert first.json()["total"] == second.json()["total"] == total
    assert len(first.json()["items"]) == len(second.json()["items"]) == 10
    assert first.json()["items"][0] != second.json()["items"][0]
