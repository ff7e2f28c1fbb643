"""``GET /api/v1/audit/head``: the signed head of the chain, to keep as an anchor outside the
database; and ``POST /audit/verify`` counts only the caller's park (finding 9 of issue #9)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import PARK, SYSTEM
from zeropark.errors import InputError
from zeropark.service.audit_anchor import read_anchor
from zeropark.service.audit_verify import verify_database


def test_head_is_a_signed_anchor_for_auditors_and_admins(client: TestClient, tokens: dict) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    secret, db = state.settings.secret_key, state.db
    for role in ("auditor", "park_admin", "other_admin"):
        response = client.get("/api/v1/audit/head", headers=auth(tokens[role]))
        assert response.status_code == 200, response.text
        anchor = read_anchor(response.text, secret)
        assert anchor.seq == anchor.entries > 0
        assert verify_database(db, SYSTEM, anchor=anchor).ok
    forged = {**json.loads(response.text), "seq": 1}
    with pytest.raises(InputError, match="signature"):
        read_anchor(json.dumps(forged), secret)
    for role in ("tenant_own", "regulator", "gateway"):
        assert client.get("/api/v1/audit/head", headers=auth(tokens[role])).status_code == 403
    assert client.get("/api/v1/audit/head").status_code == 401


def test_verify_over_the_api_counts_the_callers_park(client: TestClient, tokens: dict) -> None:
    mine = client.post("/api/v1/audit/verify", headers=auth(tokens["park_admin"])).json()
    theirs = client.post("/api/v1/audit/verify", headers=auth(tokens["other_admin"])).json()
    assert mine["parks"] == [PARK] and theirs["parks"] == ["other_park"]
    assert mine["chain_entries"] == theirs["chain_entries"]
    assert mine["entries"] + theirs["entries"] == mine["chain_entries"]
    assert mine["readings"] > theirs["readings"] > 0
    assert theirs["activities"] == 0 and theirs["sealed_rows"] > 0
