"""Every JSON answer is described by its schema, field for field (nothing undeclared).

For each read route with a typed response (overview, energy, quality, inventory, indicators,
published versions, quarantine), as each role that may read it: the answer validates against
the route's response model, and the model, dumped again, gives back exactly the JSON the route
sent — so no field is dropped by the model or missing from it, and the pre-serialised answers
(overview, inventory, versions: served from a cache without validation) hold to their schema.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter

from tests.api.conftest import auth
from tests.api.parkdata import PARK
from zeropark.api.data_schemas import QualityPublic, QuarantineRecordPublic
from zeropark.api.energy_schemas import EnergyPublic
from zeropark.api.inventory_schemas import (
    InventoryPublic,
    InventoryVersionPublic,
    ParkIndicatorsPublic,
    PublishedVersionPublic,
    TenantIndicatorsPublic,
)
from zeropark.api.overview_schemas import OverviewPublic
from zeropark.api.schemas import Page
from zeropark.store.schema import quarantine

BASE = f"/api/v1/parks/{PARK}"
YEAR = "start=2024-01-01T00:00:00%2B08:00&end=2025-01-01T00:00:00%2B08:00"
ROUTES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("/overview", OverviewPublic, ("park_admin", "tenant_own", "regulator", "auditor")),
    ("/overview?year=2023", OverviewPublic, ("park_admin", "tenant_own", "regulator")),
    (f"/energy?{YEAR}&interval=month&group_by=tenant", EnergyPublic, ("park_admin", "regulator")),
    (f"/energy?{YEAR}&interval=day&group_by=carrier", EnergyPublic, ("park_admin", "tenant_own")),
    (
        "/energy?start=2024-03-01T00:00:00%2B08:00&end=2024-03-03T00:00:00%2B08:00"
        "&interval=hour&group_by=building",
        EnergyPublic,
        ("park_admin",),
    ),
    ("/quality", QualityPublic, ("park_admin", "tenant_own")),
    ("/quality?period=day", QualityPublic, ("park_admin",)),
    ("/inventory?year=2024", InventoryPublic, ("park_admin", "auditor")),
    ("/inventory?year=2024&tenant_id=t_chem", InventoryPublic, ("park_admin", "tenant_own")),
    ("/inventory?year=2023", InventoryPublic, ("park_admin",)),
    ("/indicators?year=2024", ParkIndicatorsPublic, ("park_admin", "regulator", "auditor")),
    ("/indicators?year=2024", TenantIndicatorsPublic, ("tenant_own",)),
    ("/inventories", list[InventoryVersionPublic], ("park_admin", "tenant_own")),
    ("/quarantine", Page[QuarantineRecordPublic], ("park_admin", "tenant_own")),
]


def _roundtrip(model: Any, body: bytes) -> Any:
    adapter = TypeAdapter(model)
    value = adapter.validate_json(body)
    return adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


@pytest.fixture(scope="module")
def with_data(client: TestClient, tokens: dict[str, str | None]) -> None:
    """A published version and quarantined records, so the lists are not empty."""
    admin = auth(tokens["park_admin"])
    published = client.post(f"{BASE}/inventories?year=2024", headers=admin)
    assert published.status_code == 200, published.text
    assert _roundtrip(PublishedVersionPublic, published.content) == published.json()
    bad = {
        "readings": [
            {"meter": "no_such_meter", "ts": "2024-03-01T00:00:00+08:00", "value": 1.0},
        ]
    }
    sent = client.post(f"{BASE}/readings", headers=admin, json=bad)
    assert sent.status_code == 200 and sent.json()["rejected"] == 1, sent.text


@pytest.mark.parametrize(
    ("path", "model", "role"),
    [(path, model, role) for path, model, roles in ROUTES for role in roles],
)
def test_answer_is_its_schema_field_for_field(
    client: TestClient,
    tokens: dict[str, str | None],
    with_data: None,
    path: str,
    model: Any,
    role: str,
) -> None:
    response = client.get(BASE + path, headers=auth(tokens[role]))
    assert response.status_code == 200, response.text
    assert response.json() == _roundtrip(model, response.content)
    if path in ("/inventories", "/quarantine") and role == "park_admin":
        assert response.json()  # the fixture's data are listed


def test_the_quarantine_schema_declares_every_stored_column() -> None:
    declared = set(QuarantineRecordPublic.model_fields)
    assert declared == set(quarantine.c.keys())


def test_json_routes_declare_a_response_schema(client: TestClient) -> None:
    """No JSON answer of the OpenAPI document is a free-form object (``dict[str, Any]``)."""
    doc = client.get("/api/v1/openapi.json").json()
    components = doc["components"]["schemas"]
    untyped = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for code, answer in operation["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if not code.startswith("2") or schema is None:
                    continue
                if "$ref" in schema:
                    schema = components[schema["$ref"].rsplit("/", 1)[-1]]
                items = schema.get("items", {})
                if "$ref" in items:
                    items = components[items["$ref"].rsplit("/", 1)[-1]]
                for part in (schema, items):
                    free = part.get("type") == "object" and not part.get("properties")
                    if free and part.get("additionalProperties", True) in (True, {}):
                        untyped.append(f"{method.upper()} {path} {code}")
    assert not untyped
    for name in ("OverviewPublic", "EnergyPublic", "QualityPublic", "InventoryPublic"):
        assert issubclass(_model(name), BaseModel) and name in components


def _model(name: str) -> type[BaseModel]:
    from zeropark.api import data_schemas, energy_schemas, inventory_schemas, overview_schemas

    for module in (data_schemas, energy_schemas, inventory_schemas, overview_schemas):
        if hasattr(module, name):
            return getattr(module, name)  # type: ignore[no-any-return]
    raise LookupError(name)
