"""The demo park's 2024 inventory: ``zeropark account`` on its activities CSV plus its metered
data exported as activity lines agrees with the stored-data path (ingest → rollups → inventory).

The metered totals are computed here independently, from the generated readings (register
deltas with rollover × multiplier; interval quantities), not from the database.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import demo_copy
from zeropark.cli import app
from zeropark.data.demo import activities_csv_text, build_demo
from zeropark.domain.access import Principal
from zeropark.domain.accounting import METHODS
from zeropark.service.inventory import DEFAULT_ITEMS, compute_inventory, stored_inventory_to_dict
from zeropark.service.summary import year_bounds_s
from zeropark.store import audit

CUSTOM = (
    "code,parameter,value,unit,year,region,dataset,version,source\n"
    "一般工业固废,ef,0.1,tCO2e/t,2024,全国,test,1,test value\n"
    "危险废物,ef,0.5,tCO2e/t,2024,全国,test,1,test value\n"
    "water,ef,0.0003,tCO2e/m3,2024,全国,test,1,test value\n"
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, demo_template: Path):
    path = tmp_path_factory.mktemp("demo")
    db = demo_copy(demo_template, path)
    (path / "custom.csv").write_text(CUSTOM, encoding="utf-8")
    yield db, path
    db.dispose()


def _metered_rows(year: int) -> list[dict[str, str]]:
    demo = build_demo(year)
    lo, hi = year_bounds_s(year, demo.spec.park.timezone)
    rows = []
    for meter in demo.spec.meters:
        if meter.parent is not None or meter.accounting is None:
            continue
        s = demo.meter_series(meter.id)
        if meter.kind == "cumulative":
            v = s.value[(s.ts_s >= lo) & (s.ts_s <= hi)]
            d = np.diff(v)
            d[d < 0] += meter.register_max
            total = float(d.sum()) * meter.multiplier
        else:
            total = float(s.value[(s.ts_s > lo) & (s.ts_s <= hi)].sum()) * meter.multiplier
        unit = meter.unit
        item = meter.accounting.item or DEFAULT_ITEMS.get(meter.accounting.category, meter.carrier)
        rows.append(
            {
                "entity": meter.tenant or demo.spec.park.id,
                "period": str(year),
                "category": meter.accounting.category,
                "item": item,
                "quantity": repr(total),
                "unit": unit,
                "sector": meter.accounting.sector,
                "origin": "meter",
            }
        )
    return rows


def test_account_cli_and_stored_path_agree(demo_db, tmp_path: Path) -> None:
    db, path = demo_db
    demo = build_demo(2024)
    activities = list(csv.DictReader(io.StringIO(activities_csv_text(demo))))
    columns = ["entity", "period", "category", "item", "quantity", "unit", "sector", "origin"]
    combined = tmp_path / "combined.csv"
    with combined.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows([{**r, "origin": "record"} for r in activities])
        writer.writerows(_metered_rows(2024))
    result = CliRunner().invoke(
        app,
        [
            "account",
            str(combined),
            "--format",
            "json",
            "--year",
            "2024",
            "--province",
            "江苏",
            "--factors",
            str(path / "custom.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    via_csv = json.loads(result.stdout)
    stored = compute_inventory(
        db, Principal.system(), demo.spec.park.id, 2024, custom_factors=path / "custom.csv"
    )
    assert stored.not_quantified == ()
    via_db = stored_inventory_to_dict(stored)
    for method in METHODS:
        a, b = via_csv["methods"][method], via_db["methods"][method]
        for key in ("gross_tco2e", "removals_tco2e", "offsets_tco2e", "net_tco2e"):
            assert b[key] == pytest.approx(a[key], rel=1e-9), (method, key)
        assert b["by_category"] == pytest.approx(a["by_category"], rel=1e-9)
        assert b["by_scope"] == pytest.approx(a["by_scope"], rel=1e-9)
    assert via_db["energy"]["total_tce"] == pytest.approx(via_csv["energy"]["total_tce"], rel=1e-9)
    assert via_db["double_counting"] == via_csv["double_counting"]
    assert via_db["methods"]["cn_national"]["gross_tco2e"] > 50_000


#: The published 2024 park inventory of the demo (``zeropark demo`` then ``zeropark inventory
#: publish --year 2024``): its input hash and the SHA-256 of its result document. Refactoring
#: must leave both unchanged; update them only for a change meant to move the demo's figures.
#: Last moved by the demo ledger (#14): certificate retirements replace the free-typed green
#: electricity records (same MWh; the pharmaceutical tenant's quarterly claims now labelled by
#: quarter, and lines trace the certificate ranges), after the demo's indicator data had moved
#: the input hash to 02691bb0… without updating it. The result hash moved again (input unchanged)
#: when the English texts of the guiding and core indicators stopped carrying bare Chinese terms
#: ("total energy (综合能耗)", "Annex 4 (附件4)"): the English dashboard showed them untranslated.
DEMO_INPUT_SHA256 = "ea34a42ea55a3791300598586bbf72a65fc68b75627ddf77dfe4455ceb18ab57"
DEMO_RESULT_SHA256 = "0c2ec925a45e9e89dd86fd90f96658a12c0691f55f53757b8d400d7cd5466f7f"


def test_demo_inventory_is_pinned(demo_db) -> None:
    db, _ = demo_db
    stored = compute_inventory(db, Principal.system(), "demo", 2024)
    assert stored.inventory.input_hash == DEMO_INPUT_SHA256
    result = audit.sha256_hex(audit.canonical_json(stored_inventory_to_dict(stored)))
    assert result == DEMO_RESULT_SHA256
