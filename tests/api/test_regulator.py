"""The regulator can work (issue #11): its carbon page, trend and reports answer, aggregated.

Reproduction from the issue: as the regulator, the carbon page showed six "not allowed" panels
(403 from ``/inventory`` and ``/inventory/monthly``) and both report buttons answered 403. A
regulator reads the park's aggregates (DESIGN.md §1): the inventory merged to park level, equal
in every total to the park's own, with no tenant, meter or record in the answer.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth
from tests.api.parkdata import OTHER, PARK

#: Markers of tenant-level data a regulator must never receive (tenants, tenant meters).
TENANT_MARKERS = ("t_chem", "t_mall", "e_chem", "e_mall", "gas_chp", "test:activities")


def _get(client: TestClient, token: str | None, path: str):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/parks/{PARK}{path}", headers=auth(token))


def test_regulator_reads_the_aggregated_inventory(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    answer = _get(client, tokens["regulator"], "/inventory?year=2024")
    assert answer.status_code == 200, answer.text
    for marker in TENANT_MARKERS:
        assert marker not in answer.text, marker
    mine = answer.json()
    park = _get(client, tokens["park_admin"], "/inventory?year=2024").json()

    # Every total is the park's own: the aggregation drops detail, never a tonne; the split
    # by entity is the park's one entry.
    def without_entities(doc: dict) -> dict:  # type: ignore[type-arg]
        if isinstance(doc, dict):
            return {k: without_entities(v) for k, v in doc.items() if k != "by_entity"}
        return doc

    for key in ("totals", "methods", "energy", "zero_carbon_park_indicator"):
        assert without_entities(mine[key]) == without_entities(park[key]), key
    assert mine["totals"]["by_entity"] == {
        PARK: pytest.approx(park["totals"]["gross_location_based_tco2e"])
    }
    assert mine["boundary"] == []
    assert {line["entity"] for line in mine["lines"]} <= {PARK}
    # The two tenants' diesel (12.5 t + 3.0 t) is one park line of 15.5 t.
    diesel = [ln for ln in mine["lines"] if ln["item"] == "diesel"]
    assert len(diesel) == 1 and diesel[0]["quantity"] == pytest.approx(15.5)
    assert sum(ln["tco2e"]["ghg_location"] for ln in mine["lines"]) == pytest.approx(
        sum(ln["tco2e"]["ghg_location"] for ln in park["lines"])
    )


def test_regulator_reads_the_monthly_trend(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    answer = _get(client, tokens["regulator"], "/inventory/monthly?year=2024")
    assert answer.status_code == 200, answer.text
    park = _get(client, tokens["park_admin"], "/inventory/monthly?year=2024").json()
    assert answer.json()["methods"] == park["methods"]
    for marker in TENANT_MARKERS:
        assert marker not in answer.text, marker


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_regulator_downloads_the_aggregated_report(
    client: TestClient, tokens: dict[str, str | None], fmt: str
) -> None:
    answer = _get(client, tokens["regulator"], f"/reports/inventory?year=2024&format={fmt}")
    assert answer.status_code == 200, answer.text
    assert len(answer.content) > 1000
    if fmt == "xlsx":
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(answer.content))
        cells = " ".join(
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
        )
        for marker in ("t_chem", "t_mall", "e_chem", "e_mall"):
            assert marker not in cells, marker


def test_regulator_still_cannot_read_a_tenant_or_another_park(
    client: TestClient, tokens: dict[str, str | None]
) -> None:
    tenant = _get(client, tokens["regulator"], "/inventory?year=2024&tenant_id=t_chem")
    assert tenant.status_code in (403, 404)
    other = client.get(
        f"/api/v1/parks/{OTHER}/inventory?year=2024", headers=auth(tokens["regulator"])
    )
    assert other.status_code in (403, 404)
    report = client.get(
        f"/api/v1/parks/{OTHER}/reports/inventory?year=2024", headers=auth(tokens["regulator"])
    )
    assert report.status_code in (403, 404)
