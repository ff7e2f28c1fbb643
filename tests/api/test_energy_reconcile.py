"""The pages agree: one figure for each headline, every carrier, and a reconciliation that closes.

The demo park's 2024 (``zeropark demo``) through the real API, as its demo accounts. Reproduces
issue #11's defects: the energy page knew electricity only (natural gas is 55 % of the park's
energy: 16,852 tce of 30,923); the by-tenant energy dropped the common and unmetered part
(88,018 MWh of tenants against 91,021 MWh of the park); the overview, energy, indicators and
inventory each computed their own electricity, renewable share and emissions.

Hand check of the natural-gas tce (GB/T 2589-2020 附录A 表A.1, natural gas 1.33 kgce/m3, as in
the factor library): the demo's 12,670,480 Nm3 × 1.33 kgce/Nm3 = 16,851.7 tce. The figures are
checked against the meters' SQL sums (``GET /energy``, another path than the inventory), so a
change of the demo data does not break them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import demo_copy
from zeropark.api import create_app
from zeropark.config import load_settings
from zeropark.service.auth import ensure_demo_accounts

YEAR = 2024
WINDOW = {"start": "2024-01-01T00:00:00+08:00", "end": "2025-01-01T00:00:00+08:00"}
ACCOUNTS = {
    "admin": ("admin@demo.zeropark.dev", "demo-admin-pass"),
    "regulator": ("regulator@demo.zeropark.dev", "demo-regulator-pass"),
    "auditor": ("auditor@demo.zeropark.dev", "demo-auditor-pass"),
    "tenant": ("tenant@demo.zeropark.dev", "demo-tenant-pass"),
}


@pytest.fixture(scope="module")
def demo(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, str]]:
    db = demo_copy(demo_template, tmp_path_factory.mktemp("energy"))  # the session's demo park
    park_id = "demo"
    ensure_demo_accounts(db, park_id)
    app = create_app(load_settings(db_url=db.url, lang="en"), db)
    with TestClient(app) as client:
        yield client, park_id
    db.dispose()


@pytest.fixture(scope="module")
def headers(demo: tuple[TestClient, str]) -> dict[str, dict[str, str]]:
    client, _ = demo
    out = {}
    for role, (email, password) in ACCOUNTS.items():
        answer = client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.text
        out[role] = {"Authorization": f"Bearer {answer.json()['token']}"}
    return out


def _get(demo: tuple[TestClient, str], headers: dict[str, str], path: str, **params: object):  # type: ignore[no-untyped-def]
    client, park = demo
    answer = client.get(f"/api/v1/parks/{park}{path}", headers=headers, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _totals(doc: dict) -> dict[tuple[str | None, str], float]:  # type: ignore[type-arg]
    out: dict[tuple[str | None, str], float] = defaultdict(float)
    for g in doc["groups"]:
        out[(g["group"], g["unit"])] += sum(r["quantity"] for r in g["rows"])
    return out


def test_tenants_plus_common_and_unmetered_make_the_park(demo, headers) -> None:  # type: ignore[no-untyped-def]
    by_carrier = _totals(
        _get(demo, headers["admin"], "/energy", interval="month", group_by="carrier", **WINDOW)
    )
    for group_by in ("tenant", "building"):
        doc = _get(demo, headers["admin"], "/energy", interval="month", group_by=group_by, **WINDOW)
        per_unit: dict[str, float] = defaultdict(float)
        for (_, unit), quantity in _totals(doc).items():
            per_unit[unit] += quantity
        park = {unit: q for (_, unit), q in by_carrier.items()}
        assert per_unit == pytest.approx(park, rel=1e-9), group_by
        common = {u: q for (g, u), q in _totals(doc).items() if g is None}
        assert common["kWh"] > 0 and common["Nm3"] > 0  # the common and unmetered part shows


def test_every_carrier_in_its_unit_and_in_tce_with_its_share(demo, headers) -> None:  # type: ignore[no-untyped-def]
    doc = _get(demo, headers["admin"], "/energy/summary", year=YEAR)
    by_carrier = _totals(
        _get(demo, headers["admin"], "/energy", interval="month", group_by="carrier", **WINDOW)
    )
    carriers = {c["carrier"]: c for c in doc["carriers"]}
    gas = carriers["natural_gas"]
    nm3 = by_carrier[("natural_gas", "Nm3")]  # the intake meter, summed in SQL
    assert gas["quantities"] == [{"unit": "Nm3", "quantity": pytest.approx(nm3, rel=1e-9)}]
    assert gas["tce"] == pytest.approx(nm3 * 1.33 / 1000, rel=1e-9)  # 1.33 kgce/m3
    assert gas["share"] == pytest.approx(gas["tce"] / doc["total_tce"], rel=1e-12)
    assert 0.5 < gas["share"] < 0.6  # the 55 %
    assert carriers["electricity"]["share"] < 0.5  # not 100 %
    assert sum(c["tce"] for c in doc["carriers"]) == pytest.approx(doc["total_tce"], rel=1e-9)
    assert doc["electricity_basis"] == "equivalent"
    assert sum(c["share"] or 0 for c in doc["carriers"]) == pytest.approx(1.0)
    indicators = _get(demo, headers["admin"], "/indicators", year=YEAR)
    assert doc["total_tce"] == pytest.approx(indicators["energy"]["total_tce"], rel=1e-9)
    # The tenant's gas (800,000 Nm3 in the issue) is on its own energy page.
    own = _get(demo, headers["tenant"], "/energy/summary", year=YEAR)
    own_meters = _totals(
        _get(demo, headers["tenant"], "/energy", interval="month", group_by="carrier", **WINDOW)
    )
    own_gas = {c["carrier"]: c for c in own["carriers"]}["natural_gas"]
    assert own_gas["quantities"][0]["quantity"] == pytest.approx(
        own_meters[("natural_gas", "Nm3")], rel=1e-9
    )
    assert own_gas["quantities"][0]["quantity"] >= 800_000
    assert own["scope"] == "tenant" and set(own["tenants"]) == {own["tenant_id"]}


def test_the_pages_agree_on_each_headline_figure(demo, headers) -> None:  # type: ignore[no-untyped-def]
    overview = _get(demo, headers["admin"], "/overview", year=YEAR)["headline_figures"]
    energy = _get(demo, headers["admin"], "/energy/summary", year=YEAR)["headline_figures"]
    indicators = _get(demo, headers["admin"], "/indicators", year=YEAR)["headline_figures"]
    inventory = _get(demo, headers["admin"], "/inventory", year=YEAR)["headline_figures"]
    keys = ("electricity_consumed_kwh", "renewable_share", "emissions_tco2e", "energy_tce")
    for key in keys:
        values = [doc[key] for doc in (overview, energy, indicators, inventory)]
        assert values == pytest.approx([values[0]] * 4, rel=1e-9), key
    assert {d["emissions_method"] for d in (overview, energy, indicators, inventory)} == {
        "zero_carbon_park"
    }
    # grid + PV − export, from the meters' SQL sums (the demo's 2024: 80,191.36 + 10,829.81
    # − 0.04 = 91,021.13 MWh; the pages showed 90,702.8, 91,021, 88,018 and 80,191)
    by_carrier = _totals(
        _get(demo, headers["admin"], "/energy", interval="month", group_by="carrier", **WINDOW)
    )
    kwh = by_carrier[("electricity", "kWh")]
    assert overview["electricity_consumed_kwh"] == pytest.approx(kwh, rel=1e-9)
    # (PV kept + certificates, at most the import) / consumed: the demo's (10,829.77 MWh +
    # 12,598 MWh) / 91,021.13 MWh = 25.7 %, where the overview said 11.9 % (certificates left
    # out, load as denominator) and the indicators 9.3 % (the clean-energy share of all energy)
    kept = overview["onsite_generation_kwh"] - overview["grid_export_kwh"]
    green = min(overview["green_kwh"], overview["grid_import_kwh"])
    assert overview["renewable_share"] == pytest.approx((kept + green) / kwh, rel=1e-9)
    assert overview["green_kwh"] > 0  # the certificates count
    # A tenant's pages agree on its own figures too.
    tenant = headers["tenant"]
    own = [
        _get(demo, tenant, "/overview", year=YEAR)["headline_figures"],
        _get(demo, tenant, "/energy/summary", year=YEAR)["headline_figures"],
        _get(demo, tenant, "/indicators", year=YEAR)["headline_figures"],
        _get(demo, tenant, "/inventory", year=YEAR, tenant_id="t_auto")["headline_figures"],
    ]
    for key in keys:
        values = [doc[key] for doc in own]
        assert values == pytest.approx([values[0]] * 4, rel=1e-9), ("tenant", key)
    assert 0 < own[0]["electricity_consumed_kwh"] < overview["electricity_consumed_kwh"]
    regulator = _get(demo, headers["regulator"], "/overview", year=YEAR)["headline_figures"]
    assert regulator["emissions_tco2e"] == pytest.approx(overview["emissions_tco2e"], rel=1e-12)
    # The carrier table's electricity is the headline electricity.
    summary = _get(demo, headers["admin"], "/energy/summary", year=YEAR)
    electricity = {c["carrier"]: c for c in summary["carriers"]}["electricity"]
    assert electricity["quantities"] == [
        {"unit": "kWh", "quantity": pytest.approx(energy["electricity_consumed_kwh"], rel=1e-9)}
    ]


def test_the_electricity_balance_and_the_groups_reconcile(demo, headers) -> None:  # type: ignore[no-untyped-def]
    rec = _get(demo, headers["admin"], "/energy/summary", year=YEAR)["reconciliation"]
    b = rec["balance"]
    load = (
        b["grid_import_kwh"] + b["pv_kwh"] + b["battery_discharge_kwh"]
        - b["grid_export_kwh"] - b["battery_charge_kwh"]
    )  # fmt: skip
    assert b["load_kwh"] == pytest.approx(load, rel=1e-12)
    assert b["consumed_kwh"] == pytest.approx(b["load_kwh"] + b["storage_loss_kwh"], rel=1e-12)
    assert b["closes"] is True
    for carrier in rec["groups"]:
        parts = (
            carrier["tenants"] + carrier["common_metered"] + carrier["storage_loss"]
            + carrier["unmetered"]
        )  # fmt: skip
        assert parts == pytest.approx(carrier["park"], rel=1e-9), carrier["carrier"]
    electricity = {c["carrier"]: c for c in rec["groups"]}["electricity"]
    by_tenant = _totals(
        _get(demo, headers["admin"], "/energy", interval="month", group_by="tenant", **WINDOW)
    )
    tenants = sum(q for (g, u), q in by_tenant.items() if g is not None and u == "kWh")
    assert electricity["tenants"] == pytest.approx(tenants, rel=1e-9)  # the demo: 88,017 MWh
    assert electricity["common_metered"] > 0 and electricity["unmetered"] > 0
    assert electricity["storage_loss"] == pytest.approx(b["storage_loss_kwh"], rel=1e-12)
    # The regulator reads the same aggregates and no tenant.
    reg = _get(demo, headers["regulator"], "/energy/summary", year=YEAR)
    assert (
        reg["scope"] == "aggregate" and reg["tenants"] == {} and reg["intensity"]["tenants"] == []
    )
    assert not any(n.startswith("tenant:") for n in reg["sankey"]["nodes"])
    assert (
        reg["reconciliation"]
        == _get(demo, headers["admin"], "/energy/summary", year=YEAR)["reconciliation"]
    )
