"""Writes through the API: gateway key scope, uploads (limits, malformed files), problem+json."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK


def _batch(meter: str, ts: str = "2024-03-05T00:00:00+08:00", value: float = 9_999.0) -> dict:
    return {"source": "gw", "readings": [{"meter": meter, "ts": ts, "value": value}]}


def _series(client: TestClient, token: str | None, meter: str) -> list[dict]:
    url = (
        f"/api/v1/parks/{PARK}/readings/{meter}?interval=15min"
        "&start=2024-03-04T00:00:00%2B08:00&end=2024-03-06T00:00:00%2B08:00"
    )
    return client.get(url, headers=auth(token)).json()["rows"]


def test_gateway_writes_its_bound_meter(client: TestClient, tokens: dict) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/readings", json=_batch("e_chem"), headers=auth(tokens["gateway"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1


@pytest.mark.parametrize("meter", ["e_mall", "grid_main", "no_such_meter"])
def test_gateway_cannot_write_other_meters(client: TestClient, tokens: dict, meter: str) -> None:
    """A gateway's batch naming a meter it is not bound to is refused whole; nothing is queued."""
    before = client.get(
        f"/api/v1/parks/{PARK}/quarantine?limit=1000", headers=auth(tokens["park_admin"])
    ).json()["total"]
    batch = _batch(meter, ts="2024-03-07T00:00:00+08:00", value=float(len(meter) * 1000 + 7))
    batch["readings"] += _batch("e_chem", ts="2024-03-07T01:00:00+08:00")["readings"]
    response = client.post(
        f"/api/v1/parks/{PARK}/readings", json=batch, headers=auth(tokens["gateway"])
    )
    assert response.status_code == 403, response.text
    assert meter in response.json()["detail"]
    after = client.get(
        f"/api/v1/parks/{PARK}/quarantine?limit=1000", headers=auth(tokens["park_admin"])
    ).json()["total"]
    assert after == before
    kept = client.get(
        f"/api/v1/parks/{PARK}/readings/e_chem?start=2024-03-07T01:00:00%2B08:00"
        "&end=2024-03-07T02:00:00%2B08:00&interval=15min",
        headers=auth(tokens["park_admin"]),
    ).json()["rows"]
    assert kept == []  # the bound meter's reading of the refused batch was not stored either


def test_gateway_cannot_write_another_park(client: TestClient, tokens: dict) -> None:
    response = client.post(
        f"/api/v1/parks/{OTHER}/readings", json=_batch("e_tech"), headers=auth(tokens["gateway"])
    )
    assert response.status_code == 404


# A tenant writes its own meters' readings (issue #11): tests/api/test_tenant_upload.py.
@pytest.mark.parametrize("role", ["regulator", "auditor"])
@pytest.mark.parametrize("kind", ["readings", "readings/upload"])
def test_readers_cannot_write_readings(
    client: TestClient, tokens: dict, role: str, kind: str
) -> None:
    """Refused with 403 before the body is read: no quarantine row, no audit entry."""
    admin = auth(tokens["park_admin"])
    quarantined = client.get(f"/api/v1/parks/{PARK}/quarantine", headers=admin).json()["total"]
    entries = client.get(f"/api/v1/parks/{PARK}/audit", headers=admin).json()["total"]
    if kind == "readings":
        response = client.post(
            f"/api/v1/parks/{PARK}/readings",
            json={**_batch("e_chem", ts="2024-03-08T00:00:00+08:00"), "source": "forged"},
            headers=auth(tokens[role]),
        )
    else:
        response = client.post(
            f"/api/v1/parks/{PARK}/readings/upload",
            files={"file": ("r.csv", b"meter,ts,value\nnope,2024-03-08T00:00:00+08:00,1\n")},
            headers=auth(tokens[role]),
        )
    assert response.status_code == 403, response.text
    assert client.get(f"/api/v1/parks/{PARK}/quarantine", headers=admin).json()["total"] == (
        quarantined
    )
    assert client.get(f"/api/v1/parks/{PARK}/audit", headers=admin).json()["total"] == entries


@pytest.mark.parametrize("role", ["regulator", "auditor", "gateway"])
def test_readers_cannot_write_activities(client: TestClient, tokens: dict, role: str) -> None:
    admin = auth(tokens["park_admin"])
    quarantined = client.get(f"/api/v1/parks/{PARK}/quarantine", headers=admin).json()["total"]
    rows = [{"entity": "t_chem", "period": "2024-06", "category": "fuel_combustion",
             "item": "no-such-item", "quantity": 1.0, "unit": "t"}]  # fmt: skip
    response = client.post(
        f"/api/v1/parks/{PARK}/activities", json=rows, headers=auth(tokens[role])
    )
    assert response.status_code in (403, 404), response.text
    assert client.get(f"/api/v1/parks/{PARK}/quarantine", headers=admin).json()["total"] == (
        quarantined
    )


def test_quarantine_records_its_sender(client: TestClient, tokens: dict) -> None:
    """An admin's unknown meter is queued for review, with its sender beside its source."""
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        json={**_batch("meter_of_nobody", ts="2024-03-09T00:00:00+08:00"), "source": "gw-17"},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 200, response.text
    items = client.get(
        f"/api/v1/parks/{PARK}/quarantine?limit=5", headers=auth(tokens["park_admin"])
    ).json()["items"]
    mine = [r for r in items if r["source"] == "gw-17"]
    assert mine and mine[0]["sent_by"] == "admin@p.test"


def test_gateway_key_reads_nothing(client: TestClient, tokens: dict) -> None:
    assert client.get("/api/v1/parks", headers=auth(tokens["gateway"])).json()["items"] == []
    me = client.get("/api/v1/auth/me", headers=auth(tokens["gateway"])).json()
    assert me["role"] == "gateway" and me["meter_ids"] == ["e_chem"]


def test_naive_time_is_refused(client: TestClient, tokens: dict) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        json=_batch("e_chem", ts="2024-03-05T00:00:00"),
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {"type", "title", "status", "detail", "code", "errors"} <= problem.keys()
    assert problem["status"] == 422 and "ts" in problem["errors"][0]["field"]


def test_unknown_park_is_a_404_problem(client: TestClient, tokens: dict) -> None:
    response = client.get("/api/v1/parks/nope", headers=auth(tokens["park_admin"]))
    assert response.status_code == 404
    assert response.json()["detail"] == "park 'nope' not found"


def test_bad_token_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/parks", headers=auth("zps_forged"))
    assert response.status_code == 401
    assert response.json()["code"] == "AuthenticationFailed"


UPLOADS = [
    ("bad.csv", b"meter;ts;value\nx;y;z\n", 422),
    ("header_only.csv", b"time,reading\n", 422),
    ("binary.xlsx", b"PK\x03\x04 not really a zip", 422),
    # Every row rejected: accepted as a batch (200) whose report quarantines both rows.
    (
        "rows.csv",
        b"meter,ts,value\ne_chem,not-a-time,1\ne_chem,2024-03-09T00:00:00+08:00,abc\n",
        200,
    ),
    ("readings.exe", b"MZ", 422),
    ("empty.csv", b"", 422),
]


@pytest.mark.parametrize(("name", "content", "status"), UPLOADS)
def test_malformed_readings_uploads(
    client: TestClient, tokens: dict, name: str, content: bytes, status: int
) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/readings/upload",
        files={"file": (name, io.BytesIO(content))},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == status, response.text
    if status == 200:
        report = response.json()
        assert report["accepted"] == 0 and report["rejected"] == 2
        assert all(issue["location"].startswith("row ") for issue in report["issues"])
    else:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.csv", b"entity,period\nt_chem,2024\n"),
        ("broken.xlsx", b"PK\x03\x04garbage"),
    ],
)
def test_malformed_activity_uploads(
    client: TestClient, tokens: dict, name: str, content: bytes
) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/activities/upload",
        files={"file": (name, io.BytesIO(content))},
        headers=auth(tokens["park_admin"]),
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]


def test_upload_size_limit(client: TestClient, tokens: dict) -> None:
    big = b"meter,ts,value\n" + b"e_chem,2024-03-01T00:00:00+08:00,1\n" * 4000
    response = client.post(
        f"/api/v1/parks/{PARK}/readings/upload",
        files={"file": ("big.csv", io.BytesIO(big))},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "body",
    [b"{", b"[]", b'{"readings": "x"}', b'{"readings": [{"meter": 1}]}', b"\xff\xfe"],
)
def test_malformed_json_is_422(client: TestClient, tokens: dict, body: bytes) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        content=body,
        headers={**auth(tokens["park_admin"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"]


def test_tenant_enters_only_its_own_activities(client: TestClient, tokens: dict) -> None:
    rows = [
        {"entity": "t_chem", "period": "2024-05", "category": "fuel_combustion",
         "item": "diesel", "quantity": 1.5, "unit": "t"},
        {"entity": "t_mall", "period": "2024-05", "category": "fuel_combustion",
         "item": "diesel", "quantity": 2.5, "unit": "t"},
    ]  # fmt: skip
    response = client.post(
        f"/api/v1/parks/{PARK}/activities", json=rows, headers=auth(tokens["tenant_own"])
    )
    assert response.status_code == 403, response.text
    assert "t_mall" in response.json()["detail"]
    seen = client.get(
        f"/api/v1/parks/{PARK}/activities?period=2024-05", headers=auth(tokens["park_admin"])
    ).json()["items"]
    assert seen == []  # refused whole: not even the tenant's own row of that batch
    response = client.post(
        f"/api/v1/parks/{PARK}/activities", json=rows[:1], headers=auth(tokens["tenant_own"])
    )
    assert response.status_code == 200 and response.json()["accepted"] == 1


def test_alert_lifecycle(client: TestClient, tokens: dict) -> None:
    admin = auth(tokens["park_admin"])
    check = client.post(
        f"/api/v1/parks/{PARK}/alerts/check?at=2024-03-10T00:00:00%2B08:00", headers=admin
    )
    assert check.status_code == 200, check.text
    assert check.json()["raised"]
    listed = client.get(f"/api/v1/parks/{PARK}/alerts?status=open", headers=admin).json()
    silent = {a["meter_id"] for a in listed["items"] if a["kind"] == "silent_meter"}
    assert {"grid_main", "e_chem", "e_mall"} <= silent
    mall = next(a for a in listed["items"] if a["meter_id"] == "e_mall")
    assert mall["message"] == mall["message_en"] and mall["message_en"].startswith("meter e_mall")
    assert mall["message_zh"].startswith("表计 e_mall")
    if mall["details"]["last_reading_s"] is not None:  # park-local time with its offset
        assert "+08:00" in mall["message_en"] and "+08:00" in mall["message_zh"]
    own = client.get(f"/api/v1/parks/{PARK}/alerts", headers=auth(tokens["tenant_own"])).json()
    assert {a["tenant_id"] for a in own["items"]} == {"t_chem"}
    alert_id = next(a["id"] for a in listed["items"] if a["meter_id"] == "e_mall")
    for role in ("tenant_other", "regulator", "auditor"):
        denied = client.post(
            f"/api/v1/parks/{PARK}/alerts/{alert_id}/acknowledge",
            json={},
            headers=auth(tokens[role]),
        )
        assert denied.status_code in (403, 404)
    ack = client.post(
        f"/api/v1/parks/{PARK}/alerts/{alert_id}/acknowledge", json={"note": "on it"}, headers=admin
    )
    assert (
        ack.json()["status"] == "acknowledged" and ack.json()["acknowledged_by"] == "admin@p.test"
    )
    done = client.post(f"/api/v1/parks/{PARK}/alerts/{alert_id}/resolve", json={}, headers=admin)
    assert done.json()["status"] == "resolved"
    again = client.post(f"/api/v1/parks/{PARK}/alerts/{alert_id}/resolve", json={}, headers=admin)
    assert again.status_code == 422


def test_audit_verify_and_export_over_the_api(client: TestClient, tokens: dict) -> None:
    report = client.post("/api/v1/audit/verify", headers=auth(tokens["auditor"]))
    assert report.status_code == 200, report.text
    # activities_io does not seal the records it writes yet (reported): those are the only
    # records verification may find uncovered here.
    for failure in report.json()["failures"]:
        assert failure["kind"] == "activity" and "in no audit entry" in failure["reason"]
    assert (
        client.post("/api/v1/audit/verify", headers=auth(tokens["tenant_own"])).status_code == 403
    )
    export = client.get("/api/v1/audit/export", headers=auth(tokens["auditor"]))
    lines = export.text.splitlines()
    assert len(lines) == report.json()["chain_entries"] + 1
    # Entries of the other park are withheld: sequence number and hashes only.
    assert "other_park" not in export.text
    withheld = [json.loads(line) for line in lines[1:] if '"withheld":true' in line]
    assert withheld and all(
        set(doc) == {"seq", "withheld", "prev_sha256", "sha256"} for doc in withheld
    )


def test_quality_counts_quarantine_with_an_unreadable_time_apart(
    client: TestClient, tokens: dict
) -> None:
    admin = auth(tokens["park_admin"])
    upload = client.post(
        f"/api/v1/parks/{PARK}/readings/upload",
        files={"file": ("odd.csv", io.BytesIO(b"meter,ts,value\ne_chem,31/12/2024 25:00,1\n"))},
        headers=admin,
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["rejected"] == 1
    response = client.get(f"/api/v1/parks/{PARK}/quality", headers=admin)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["unplaced_quarantine"].get("e_chem", 0) >= 1
    assert doc["rows"]
