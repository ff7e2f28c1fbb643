"""Trend operations: electricity by time-of-use period and the inventory per month."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK, SYSTEM, World
from zeropark.domain.park import TimeOfUse, TouSeason
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store.parks import ParkRepository

API = "/api/v1"
DAYS = "start=2024-03-01T00:00:00%2B08:00&end=2024-03-03T00:00:00%2B08:00"
SCHEDULE = TimeOfUse(
    periods=[TouSeason(peak=[[8, 11], [17, 22]], valley=[[0, 8]], critical_peak=[[11, 12]])],
    note="test schedule",
)


@pytest.fixture(scope="module")
def scheduled(world: World) -> None:
    """``my_park`` with a time-of-use schedule (``other_park`` keeps none)."""
    spec = parse_park_text(park_template("mixed"), "mixed.yaml")
    with world.db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(
            replace(spec, park=replace(spec.park, time_of_use=SCHEDULE))
        )


def _tou(client: TestClient, token: str | None, park: str = PARK, extra: str = "") -> dict:  # type: ignore[type-arg]
    response = client.get(f"{API}/parks/{park}/energy/tou?{DAYS}{extra}", headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_admin_gets_the_time_of_use_split(
    client: TestClient, tokens: dict[str, str | None], scheduled: None
) -> None:
    doc = _tou(client, tokens["park_admin"], extra="&bucket=day")
    assert doc["schema"] == "zeropark.energy_tou/1"
    assert doc["configured"] is True and doc["note"] == "test schedule"
    assert doc["start"] == "2024-03-01T00:00:00+08:00" and doc["end"] == "2024-03-03T00:00:00+08:00"
    assert doc["meters"] == ["grid_main"]
    kwh = {p["code"]: p["kwh"] for p in doc["periods"]}
    assert list(kwh) == ["critical_peak", "peak", "flat", "valley"]
    assert all(v > 0 for v in kwh.values())
    assert sum(kwh.values()) + doc["uncovered_kwh"] == pytest.approx(doc["total_kwh"])
    assert doc["uncovered_kwh"] == 0
    assert [r["period"] for r in doc["rows"]] == ["2024-03-01", "2024-03-02"]
    per_day = sum(float(v) for r in doc["rows"] for k, v in r.items() if k != "period")
    assert per_day == pytest.approx(doc["total_kwh"])
    # Peak hours 08-11 and 17-22: 8 of them a day, valley 8, critical peak 1.
    assert kwh["peak"] == pytest.approx(8 * kwh["critical_peak"], rel=0.2)


def test_a_tenant_gets_its_own_meters(
    client: TestClient, tokens: dict[str, str | None], scheduled: None
) -> None:
    admin = _tou(client, tokens["park_admin"])
    own = _tou(client, tokens["tenant_own"])
    assert own["tenant_id"] == "t_chem" and own["meters"] == ["e_chem"]
    assert 0 < own["total_kwh"] < admin["total_kwh"]
    assert "e_mall" not in str(own) and "grid_main" not in str(own)
    other = _tou(client, tokens["tenant_other"])
    assert other["meters"] == ["e_mall"] and "e_chem" not in str(other)


@pytest.mark.parametrize(
    "path",
    [f"/parks/{OTHER}/energy/tou?{DAYS}", f"/parks/{OTHER}/inventory/monthly?year=2024"],
)
@pytest.mark.parametrize("role", ["park_admin", "tenant_own", "regulator", "auditor"])
def test_another_park_is_not_found(
    client: TestClient, tokens: dict[str, str | None], path: str, role: str
) -> None:
    response = client.get(API + path, headers=auth(tokens[role]))
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "NotFound"
    assert "e_tech" not in response.text and "t_tech" not in response.text


def test_anonymous_is_refused(client: TestClient) -> None:
    for path in (f"/parks/{PARK}/energy/tou?{DAYS}", f"/parks/{PARK}/inventory/monthly?year=2024"):
        response = client.get(API + path)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


def test_a_park_without_schedule_is_not_configured(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    doc = _tou(client, tokens["other_admin"], park=OTHER, extra="&bucket=month")
    assert doc["configured"] is False
    assert doc["periods"] == [] and doc["rows"] == []
    assert doc["total_kwh"] is None and doc["uncovered_kwh"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2024-03-01T00:00:00&end=2024-03-03T00:00:00%2B08:00", "start"),  # no offset
        ("start=2024-03-01T06:00:00%2B08:00&end=2024-03-03T00:00:00%2B08:00", "start"),
        ("start=2024-03-03T00:00:00%2B08:00&end=2024-03-01T00:00:00%2B08:00", "end"),
        ("start=2024-01-01T00:00:00%2B08:00&end=2025-03-01T00:00:00%2B08:00", "end"),
        (DAYS + "&bucket=hour", "bucket"),
    ],
)
def test_bad_windows_are_422(
    client: TestClient, tokens: dict[str, str | None], query: str, field: str
) -> None:
    response = client.get(
        f"{API}/parks/{PARK}/energy/tou?{query}", headers=auth(tokens["park_admin"])
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text


def test_utc_midnight_of_the_park_day_is_accepted(
    client: TestClient, tokens: dict[str, str | None], scheduled: None
) -> None:
    response = client.get(
        f"{API}/parks/{PARK}/energy/tou?start=2024-02-29T16:00:00Z&end=2024-03-02T16:00:00Z",
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 200, response.text
    assert response.json()["start"] == "2024-03-01T00:00:00+08:00"


def test_admin_gets_the_monthly_inventory(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    response = client.get(
        f"{API}/parks/{PARK}/inventory/monthly?year=2024", headers=auth(tokens["park_admin"])
    )
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["schema"] == "zeropark.inventory_monthly/1"
    assert doc["months"] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert len(doc["energy_tce"]) == 12 and doc["energy_tce"][2] > 0
    yearly = client.get(
        f"{API}/parks/{PARK}/inventory?year=2024", headers=auth(tokens["park_admin"])
    ).json()
    for code, method in doc["methods"].items():
        assert len(method["gross_tco2e"]) == len(method["by_scope"]) == 12
        # The year's diesel records are not split into months: they are listed apart.
        assert set(method["other_periods_tco2e"]) == {"2024"}
        total = sum(method["gross_tco2e"]) + sum(method["other_periods_tco2e"].values())
        assert total == pytest.approx(method["year_gross_tco2e"])
        assert method["gross_tco2e"][2] == pytest.approx(sum(method["by_scope"][2].values()))
        if code in yearly["methods"]:
            assert method["year_gross_tco2e"] == pytest.approx(
                yearly["methods"][code]["gross_tco2e"]
            )


def test_a_tenant_gets_its_own_monthly_inventory(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    own = client.get(
        f"{API}/parks/{PARK}/inventory/monthly?year=2024&tenant_id=t_chem",
        headers=auth(tokens["tenant_own"]),
    )
    assert own.status_code == 200, own.text
    assert own.json()["tenant_id"] == "t_chem"
    refused = client.get(
        f"{API}/parks/{PARK}/inventory/monthly?year=2024&tenant_id=t_mall",
        headers=auth(tokens["tenant_own"]),
    )
    assert refused.status_code == 404  # as get_inventory: another tenant is not visible
    assert "e_mall" not in refused.text


def test_indicators_carry_the_guiding_indicators(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    for role in ("park_admin", "regulator", "auditor"):
        response = client.get(
            f"{API}/parks/{PARK}/indicators?year=2024", headers=auth(tokens[role])
        )
        assert response.status_code == 200, response.text
        guiding = response.json()["guiding"]
        assert len(guiding) == 5
        assert {g["state"] for g in guiding} <= {"met", "not_met", "no_data"}
        for g in guiding:
            assert {
                "code",
                "label_zh",
                "label_en",
                "threshold",
                "value",
                "definition",
                "needs",
            } <= set(g)


def test_the_operations_are_in_the_openapi_document(client: TestClient) -> None:
    ops = {
        op["operationId"]
        for item in client.get(f"{API}/openapi.json").json()["paths"].values()
        for op in item.values()
    }
    assert {"get_energy_tou", "get_inventory_monthly"} <= ops
