"""A tenant uploads readings of its own meters (issue #11: every row used to be refused).

Reproduction from the issue: the demo tenant uploaded ``meter,ts,value`` rows for its own meter
and every row was refused ("no meter … that this caller may write"), and the refused rows never
reached the tenant's quarantine list though the page said they had. A tenant may write the
readings of its own meters (``Principal.can_write_reading``); rows it may not write, and rows
the parser refuses, are quarantined under its own tenant so it can review them.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK

UPLOAD = (
    "meter,ts,value\n"
    "e_chem,2024-03-03T00:00:00+08:00,990\n"
    "e_chem,2024-03-03T01:00:00+08:00,1000\n"
    "e_mall,2024-03-03T00:00:00+08:00,700\n"
    "e_chem,not-a-time,5\n"
)


def _upload(client: TestClient, token: str | None, text: str) -> dict:  # type: ignore[type-arg]
    response = client.post(
        f"/api/v1/parks/{PARK}/readings/upload",
        headers=auth(token),
        files={"file": ("chem-readings.csv", text, "text/csv")},
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_tenant_upload_of_its_own_meter_is_accepted(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    report = _upload(client, tokens["tenant_own"], UPLOAD)
    assert report["accepted"] == 2, report
    assert report["rejected"] == 2, report
    reasons = {i["location"]: i for i in report["issues"]}
    # The other tenant's meter is refused as unknown to this caller (its existence not revealed).
    assert reasons["row 4"]["code"] == "unknown_meter"
    series = client.get(
        f"/api/v1/parks/{PARK}/readings/e_chem?interval=hour"
        "&start=2024-03-02T23:00:00%2B08:00&end=2024-03-03T02:00:00%2B08:00",
        headers=auth(tokens["tenant_own"]),
    ).json()
    # The hour 00:00-01:00 holds the delta 1000 - 990 = 10 (cumulative register).
    by_start = {r["start"][:16]: r["quantity"] for r in series["rows"]}
    assert by_start["2024-03-03T00:00"] == 10.0


def test_tenant_sees_its_rejected_rows_in_quarantine(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    _upload(client, tokens["tenant_own"], UPLOAD.replace("990", "991").replace("1000", "1001"))
    rows = client.get(
        f"/api/v1/parks/{PARK}/quarantine", headers=auth(tokens["tenant_own"])
    ).json()["items"]
    mine = [r for r in rows if r["source"] == "chem-readings.csv"]
    assert {r["location"] for r in mine} >= {"row 4", "row 5"}, rows
    assert all(r["tenant_id"] == "t_chem" for r in mine)
    # The other tenant does not see them.
    other = client.get(
        f"/api/v1/parks/{PARK}/quarantine", headers=auth(tokens["tenant_other"])
    ).json()["items"]
    assert not [r for r in other if r["source"] == "chem-readings.csv"]


def test_tenant_cannot_write_another_tenants_meter(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    report = _upload(
        client, tokens["tenant_other"], "meter,ts,value\ne_chem,2024-03-03T02:00:00+08:00,2000\n"
    )
    assert report["accepted"] == 0 and report["rejected"] == 1


def test_a_reading_set_aside_by_normalisation_names_its_file_row(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    # Row 3 holds a register value past e_chem's register_max (10 000 000): it parses, so the
    # parser does not refuse it; normalisation sets it aside, and it came from row 3 all the same.
    text = (
        "meter,ts,value\n"
        "e_chem,2024-03-04T00:00:00+08:00,1100\n"
        "e_chem,2024-03-04T01:00:00+08:00,20000000\n"
        "e_chem,2024-03-04T02:00:00+08:00,1120\n"
    )
    report = _upload(client, tokens["tenant_own"], text)
    assert (report["accepted"], report["rejected"]) == (2, 1), report
    (issue,) = report["issues"]
    assert (issue["code"], issue["reason_code"]) == ("out_of_range", "reading_excluded_because")
    assert issue["location"] == "row 3"
    assert issue["source"] == "chem-readings.csv"
    rows = client.get(
        f"/api/v1/parks/{PARK}/quarantine", headers=auth(tokens["tenant_own"])
    ).json()["items"]
    (stored,) = [r for r in rows if r["code"] == "out_of_range"]
    assert (stored["source"], stored["location"]) == ("chem-readings.csv", "row 3")
    assert stored["reason_code"] == "reading_excluded_because"
    assert stored["params"]["meter"] == "e_chem" and stored["value"] == "20000000.0"
