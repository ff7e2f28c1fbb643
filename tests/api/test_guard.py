"""The request guard in-process: authentication, gates, rate, NUL, ids and times (trust probe).

The server-level memory and disk bounds are in ``test_guard_server.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK, PASSWORD, USERS, World, build_world
from zeropark.api import create_app
from zeropark.config import load_settings
from zeropark.service.database import Database


def _batch(ts: str = "2024-03-10T00:00:00+08:00") -> dict:
    return {"readings": [{"meter": "e_chem", "ts": ts, "value": 9999.0}]}


def test_a_write_without_a_token_is_401_before_the_body_is_parsed(client: TestClient) -> None:
    # Not even valid JSON: an anonymous caller learns nothing about the body's checks.
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    forged = client.post(
        f"/api/v1/parks/{PARK}/readings", content=b"{not json", headers=auth("forged-token")
    )
    assert forged.status_code == 401


def test_a_gated_write_is_403_before_the_body_is_validated(
    client: TestClient, tokens: dict
) -> None:
    """The regulator sends an invalid body: the role decides first (403, not 422)."""
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        content=b"{not json",
        headers={**auth(tokens["regulator"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 403, response.text


@pytest.mark.parametrize(("method", "path"), [("POST", "/users"), ("PATCH", "/users/1")])
@pytest.mark.parametrize("role", ["regulator", "auditor", "tenant_own"])
def test_user_administration_is_403_before_the_body_is_validated(
    client: TestClient, tokens: dict, method: str, path: str, role: str
) -> None:
    """A role that manages no users sends malformed JSON to a park-less route: 403, not 422."""
    response = client.request(
        method,
        f"/api/v1{path}",
        content=b"{not json",
        headers={**auth(tokens[role]), "Content-Type": "application/json"},
    )
    assert response.status_code == 403, response.text


def test_a_content_length_past_the_limit_is_413_unread(client: TestClient, tokens: dict) -> None:
    body = b"x" * (9 << 20)
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        content=body,
        headers={**auth(tokens["park_admin"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "UploadTooLarge"


def test_a_streamed_body_past_the_limit_is_413(client: TestClient, tokens: dict) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b" " * (1 << 20)

    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        content=chunks(),
        headers={**auth(tokens["park_admin"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/parks/{PARK}/readings/e%00chem?start=2024-03-01T00:00:00%2B08:00"
        "&end=2024-03-02T00:00:00%2B08:00",
        f"/api/v1/parks/{PARK}/activities?entity=t%00chem",
    ],
)
def test_nul_in_the_url_is_422(client: TestClient, tokens: dict, path: str) -> None:
    response = client.get(path, headers=auth(tokens["park_admin"]))
    assert response.status_code == 422
    assert response.json()["code"] == "NulCharacter"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/api/v1/parks/{PARK}/readings",
         b'{"readings": [{"meter": "e_\\u0000chem", "ts": "2024-03-10T00:00:00+08:00",'
         b' "value": 1}]}'),
        (f"/api/v1/parks/{PARK}/activities",
         b'[{"entity": "t_chem", "period": "2024", "category": "fuel_combustion",'
         b' "item": "diesel\\u0000", "quantity": 1, "unit": "t"}]'),
    ],
)  # fmt: skip
def test_nul_in_a_json_body_is_422(
    client: TestClient, tokens: dict, path: str, body: bytes
) -> None:
    headers = {**auth(tokens["park_admin"]), "Content-Type": "application/json"}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "NulCharacter"


def test_nul_in_the_login_is_refused_without_a_5xx(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login",
        content=b'{"email": "admin@p.test\\u0000", "password": "x"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422


@pytest.mark.parametrize("big", [2**31, 2**63, 2**64])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", f"/api/v1/parks/{PARK}/alerts/{{id}}/acknowledge", {"note": "x"}),
        ("patch", "/api/v1/users/{id}", {"active": True}),
        ("delete", f"/api/v1/parks/{PARK}/api-keys/{{id}}", None),
    ],
)
def test_ids_beyond_the_database_integer_are_422(
    client: TestClient, tokens: dict, method: str, path: str, body: dict | None, big: int
) -> None:
    kwargs = {"json": body} if body is not None else {}
    response = client.request(
        method.upper(), path.format(id=big), headers=auth(tokens["park_admin"]), **kwargs
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("big", [2**31, 2**63])
def test_quarantine_ids_beyond_the_database_integer_are_422(
    client: TestClient, tokens: dict, big: int
) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/quarantine/dismiss",
        json={"ids": [big], "reason": "x"},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("at", ["0.5", "1700000000", "tomorrow"])
def test_times_are_iso_text_not_numbers(client: TestClient, tokens: dict, at: str) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/alerts/check?at={at}", headers=auth(tokens["park_admin"])
    )
    assert response.status_code == 422, response.text
    reading = {"meter": "e_chem", "ts": 1700000000, "value": 1.0}
    response = client.post(
        f"/api/v1/parks/{PARK}/readings",
        json={"readings": [reading]},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 422


@pytest.fixture
def strict_client(world: World) -> Iterator[TestClient]:
    """An app that allows 3 writes at once and 1 a minute after (the same database)."""
    settings = load_settings(db_url=world.db.url, lang="en", write_burst=3, write_rate_per_minute=1)
    with TestClient(create_app(settings, world.db)) as c:
        yield c


def test_writes_are_rate_limited_per_principal(strict_client: TestClient) -> None:
    def login(role: str) -> str:
        email = USERS[role][0]
        r = strict_client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return str(r.json()["token"])

    admin, other = login("park_admin"), login("auditor")
    statuses = []
    for _ in range(4):
        r = strict_client.post(f"/api/v1/parks/{PARK}/alerts/check", headers=auth(admin), json=None)
        statuses.append(r.status_code)
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["code"] == "RateLimited"
    # Another principal has its own bucket.
    r = strict_client.post("/api/v1/audit/verify", headers=auth(other))
    assert r.status_code == 200, r.text


def test_every_unsupported_method_is_405_with_the_right_allow(client: TestClient) -> None:
    """405 with ``Allow`` naming exactly the documented methods, for every path, anonymous too."""
    spec = client.get("/api/v1/openapi.json").json()
    patterns = {
        template: re.compile("^" + re.sub(r"\{[a-z_]+\}", "[^/]+", template) + "$")
        for template in spec["paths"]
    }
    wrong = []
    for template in spec["paths"]:
        path = template
        for name in ("park_id", "meter_id", "alert_id", "user_id", "key_id"):
            path = path.replace(f"{{{name}}}", PARK if name == "park_id" else "1")
        # Every route on this concrete path (GET …/readings/upload is meter "upload" too).
        documented = {
            m.upper() for other, regex in patterns.items() if regex.match(path)
            for m in spec["paths"][other]
        }  # fmt: skip
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if method in documented:
                continue
            response = client.request(method, path)
            allow = {m.strip() for m in response.headers.get("allow", "").split(",") if m.strip()}
            if response.status_code != 405 or allow - {"HEAD"} != documented:
                wrong.append(f"{method} {template}: {response.status_code} Allow={sorted(allow)}")
    assert not wrong, "\n".join(wrong)


def test_a_value_the_database_refuses_is_a_422_not_a_500(world: World) -> None:
    """The last line behind the checks: a DataError (PostgreSQL NUL, overflow) is the input's."""
    from sqlalchemy.exc import DataError

    app = create_app(load_settings(db_url=world.db.url, lang="en"), world.db, web=False)

    @app.get("/api/v1/test-data-error")
    def boom() -> None:
        raise DataError("INSERT …", {}, ValueError("A string literal cannot contain NUL"))

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/test-data-error")
    assert response.status_code == 422
    assert response.json()["code"] == "ValueNotStorable"


@pytest.mark.requires_postgres
def test_nul_anywhere_on_postgresql_is_a_4xx(pg_db: Database) -> None:
    """PostgreSQL stores no NUL in text: every way one can arrive is refused before it."""
    build_world(pg_db)
    settings = load_settings(db_url=pg_db.url, lang="en")
    with TestClient(create_app(settings, pg_db, web=False)) as c:
        login = c.post(
            "/api/v1/auth/login",
            content=b'{"email": "admin@p.test\\u0000", "password": "x"}',
            headers={"Content-Type": "application/json"},
        )
        assert login.status_code == 422
        token = c.post(
            "/api/v1/auth/login", json={"email": USERS["park_admin"][0], "password": PASSWORD}
        ).json()["token"]
        headers = auth(token)
        statuses = [
            c.get(f"/api/v1/parks/{PARK}/activities?entity=a%00b", headers=headers).status_code,
            c.post(
                f"/api/v1/parks/{PARK}/readings",
                content=b'{"source": "gw\\u0000", "readings": []}',
                headers={**headers, "Content-Type": "application/json"},
            ).status_code,
        ]
        upload = c.post(
            f"/api/v1/parks/{PARK}/readings/upload",
            files={"file": ("r\x00.csv", b"meter,ts,value\ne_chem,2024-03-11T00:00:00+08:00,1\n")},
            headers=headers,
        )
        cell = c.post(
            f"/api/v1/parks/{PARK}/readings/upload",
            files={"file": ("r.csv", b"meter,ts,value\ne_\x00chem,2024-03-11T00:00:00+08:00,1\n")},
            headers=headers,
        )
        activity = c.post(
            f"/api/v1/parks/{PARK}/activities/upload",
            files={"file": ("a.csv", b"entity,period,category,item,quantity,unit\n"
                    b"t_chem,2024,fuel_combustion,die\x00sel,1,t\n")},
            headers=headers,
        )  # fmt: skip
    assert all(400 <= s < 500 for s in statuses), statuses
    for response in (upload, cell, activity):
        assert response.status_code < 500, response.text


def test_more_activity_records_than_a_request_takes_is_413_and_nothing_stored(
    client: TestClient, tokens: dict
) -> None:
    row = {"entity": "t_chem", "period": "2023-01", "category": "fuel_combustion",
           "item": "diesel", "quantity": 1.0, "unit": "t"}  # fmt: skip
    rows = [
        {**row, "quantity": float(k + 1), "period": f"2023-{k % 12 + 1:02d}"} for k in range(10_001)
    ]
    admin = auth(tokens["park_admin"])
    response = client.post(f"/api/v1/parks/{PARK}/activities", json=rows, headers=admin)
    assert response.status_code == 413, response.text
    assert "10,001" in response.json()["detail"]
    seen = client.get(f"/api/v1/parks/{PARK}/activities?period=2023", headers=admin).json()
    assert seen["total"] == 0


def test_activity_records_carry_measured_parameters(client: TestClient, tokens: dict) -> None:
    """The JSON endpoint takes the optional measured columns of the activities contract."""
    row = {"entity": "t_chem", "period": "2022", "category": "fuel_combustion", "item": "diesel",
           "quantity": 2.0, "unit": "t", "ncv": 43.0, "ncv_unit": "GJ/t"}  # fmt: skip
    response = client.post(
        f"/api/v1/parks/{PARK}/activities", json=[row], headers=auth(tokens["park_admin"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
