"""Schemathesis against the app's own OpenAPI: no 5xx, responses conform to their schemas.

Bounded: a few examples per operation (``MAX_EXAMPLES``), derandomised, as the park admin and as
a tenant (whose writes are refused or scoped), on a module-scoped SQLite park. Reads (GET) go to
the park that has data, so their answers — overview, energy, quality, inventory, indicators… —
are checked against their real response schemas; writes go to generated park ids. A 405 must carry
the ``Allow`` header the schema implies. Failures of every operation are collected and reported
together.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    allow_header_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import auth
from tests.api.parkdata import PARK

MAX_EXAMPLES = 12
SKIP = {
    # would end the shared admin session
    "/api/v1/auth/logout",
}


@pytest.mark.parametrize("role", ["park_admin", "tenant_own"])
def test_api_conforms_to_its_openapi(client: TestClient, tokens: dict, role: str) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app)
    headers = auth(tokens[role])
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in SKIP:
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            if case.method.upper() == "GET" and "park_id" in (case.path_parameters or {}):
                # Reads of the real park: answers with data, checked against their schemas.
                case.path_parameters["park_id"] = PARK
            case.call_and_validate(
                headers=headers,
                checks=[
                    not_a_server_error,
                    response_schema_conformance,
                    status_code_conformance,
                    allow_header_conformance,
                ],
            )

        try:
            run()
        except Exception as exc:  # collect, then fail once with every operation's reason
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    assert operations > 30
    assert not failures, "\n\n".join(failures)
