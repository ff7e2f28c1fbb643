"""One API app per module on its own SQLite database, and a token for every role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.parkdata import PASSWORD, USERS, World, build_world
from zeropark.api import create_app
from zeropark.config import load_settings
from zeropark.service.database import Database


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("api") / "zeropark.db"
    db = Database(f"sqlite:///{path}")
    yield build_world(db)
    db.dispose()


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    # The fuzzing sends hundreds of writes as one principal: the write rate is tested apart.
    settings = load_settings(db_url=world.db.url, lang="en", write_burst=100_000)
    app = create_app(settings, world.db, max_upload_bytes=64 * 1024)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(client: TestClient, world: World) -> dict[str, str | None]:
    out: dict[str, str | None] = {"anonymous": None, "gateway": world.gateway_key}
    for name, (email, *_rest) in USERS.items():
        response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        out[name] = response.json()["token"]
    return out


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture(scope="module")
def api_schema(client: TestClient):  # type: ignore[no-untyped-def]
    import schemathesis

    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app)
