"""Hostile readings and activities through the API (issue #9): 4xx or per-row reports, no 500s,
no stored values told to a gateway, no server paths in issue texts."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK


def _post_readings(client: TestClient, token: str | None, rows: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/parks/{PARK}/readings",
        json={"source": "probe", "readings": rows},
        headers=auth(token),
    )


def test_times_out_of_range_are_rejected_per_reading(client: TestClient, tokens: dict) -> None:
    response = _post_readings(
        client,
        tokens["gateway"],
        [
            {"meter": "e_chem", "ts": "9999-12-31T00:00:00Z", "value": 1.0},
            {"meter": "e_chem", "ts": "1800-01-01T00:00:00Z", "value": 1.0},
            {"meter": "e_chem", "ts": "2100-01-01T00:00:00Z", "value": 1.0},
        ],
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["accepted"] == 0 and report["rejected_by_code"] == {"implausible_time": 3}


def test_a_gateway_is_not_told_the_stored_value(client: TestClient, tokens: dict) -> None:
    # the world stores e_chem = 500.0 at 2024-03-01T00:00+08:00
    response = _post_readings(
        client,
        tokens["gateway"],
        [{"meter": "e_chem", "ts": "2024-03-01T00:00:00+08:00", "value": 1.0}],
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rejected_by_code"] == {"conflict": 1}
    text = response.text
    assert "500.0" not in text and "np.float64" not in text and "stored as" not in text


def test_readings_upload_issues_name_the_upload(client: TestClient, tokens: dict) -> None:
    content = b"meter,ts,value\ne_chem,not-a-time,1\ne_chem,9999-12-31T00:00:00Z,2\n"
    response = client.post(
        f"/api/v1/parks/{PARK}/readings/upload",
        files={"file": ("march.csv", io.BytesIO(content))},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["source"] == "march.csv" and report["rejected"] == 2
    assert all(i["source"] == "march.csv" for i in report["issues"])
    assert all(i["location"].startswith("row ") for i in report["issues"])
    assert "/tmp" not in response.text and "zeropark-upload" not in response.text


def test_activities_upload_with_hostile_units_is_a_report(client: TestClient, tokens: dict) -> None:
    rows = ["entity,period,category,item,quantity,unit"] + [
        f"t_chem,2024-0{k},fuel_combustion,diesel,1,{unit}"
        for k, unit in enumerate(["(", "kWh)", "**", "1/", "[", "kg*"], start=1)
    ]
    response = client.post(
        f"/api/v1/parks/{PARK}/activities/upload",
        files={"file": ("fuel.csv", io.BytesIO("\n".join(rows).encode()))},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rejected_by_code"] == {"bad_unit": 6} and report["source"] == "fuel.csv"
    assert "/tmp" not in response.text and "zeropark-upload" not in response.text
