"""Issues as data at the API (issue #10): problem+json ``errors`` and ingest reports carry
code, source, location, field, value, reason code and parameters, with ``reason`` rendered in
the request's language (``?lang=`` first, then ``Accept-Language``)."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK

BAD = "entity,period,category,item,quantity,unit\nt_chem,2024年3月,process,石灰石,50%,t\n"
KEYS = {"code", "source", "location", "line", "field", "value", "reason_code", "params", "reason"}


def _upload(
    client: TestClient, token: str | None, headers: dict[str, str], query: str = ""
) -> dict:
    response = client.post(
        f"/api/v1/parks/{PARK}/activities/upload{query}",
        files={"file": ("acts.csv", io.BytesIO(BAD.encode("utf-8")))},
        headers={**auth(token), **headers},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_report_issues_are_structured_and_in_the_accept_language(
    client: TestClient, tokens: dict
) -> None:
    zh = _upload(client, tokens["park_admin"], {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    (issue,) = zh["issues"]
    assert set(issue) == KEYS
    assert (issue["source"], issue["location"], issue["field"], issue["value"]) == (
        "acts.csv",
        "row 2",
        "quantity",
        "50%",
    )
    assert (issue["code"], issue["reason_code"]) == ("bad_number", "percent_not_quantity")
    assert issue["params"] == {"text": "50%"}
    assert issue["reason"] == "百分数“50%”不是数量：请按该行的单位填写数值"
    en = _upload(client, tokens["park_admin"], {"Accept-Language": "en-GB,en;q=0.9"})
    assert en["issues"][0]["reason"].startswith("a percentage (50%) is not a quantity")


def test_the_lang_query_wins_over_accept_language(client: TestClient, tokens: dict) -> None:
    report = _upload(client, tokens["park_admin"], {"Accept-Language": "en"}, "?lang=zh")
    assert report["issues"][0]["reason"].startswith("百分数")


def test_problem_json_errors_are_issues_in_the_request_language(
    client: TestClient, tokens: dict
) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/activities/upload",
        files={"file": ("acts.csv", io.BytesIO(b"entity,quantity\nt_chem,1\n"))},
        headers={**auth(tokens["park_admin"]), "Accept-Language": "zh"},
    )
    assert response.status_code == 422
    assert response.headers["content-language"] == "zh"
    (error,) = response.json()["errors"]
    assert set(error) == KEYS
    assert (error["source"], error["location"]) == ("acts.csv", "header")
    assert error["reason"].startswith("缺少列 period, category, item, unit")


def test_request_validation_errors_have_the_issue_shape(client: TestClient, tokens: dict) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/activities",
        json=[{"entity": "t_chem"}],
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert all(set(e) >= KEYS and e["source"] == "request" for e in errors)
    assert {e["field"] for e in errors} >= {"body.0.period", "body.0.quantity"}


def test_request_validation_errors_read_in_the_request_language(
    client: TestClient, tokens: dict
) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/activities?lang=zh",
        json=[{"entity": "t_chem"}],
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 422
    missing = [e for e in response.json()["errors"] if e["field"] == "body.0.period"]
    assert [(e["reason_code"], e["reason"]) for e in missing] == [
        ("park_schema_missing", "缺少必填项")
    ]
    english = client.post(
        f"/api/v1/parks/{PARK}/activities?lang=en",
        json=[{"entity": "t_chem"}],
        headers=auth(tokens["park_admin"]),
    ).json()["errors"]
    assert "Field required" in {e["reason"] for e in english}
