"""Energy by tenant, building or carrier counts each quantity once (meter hierarchy rule)."""

from __future__ import annotations

from typing import Any

from zeropark.service.park_file import park_template, parse_park_text, spec_to_document
from zeropark.service.park_views import counted_meters


def _specs() -> dict[str, dict[str, Any]]:
    doc = spec_to_document(parse_park_text(park_template("manufacturing"), "m.yaml"))
    return {m["id"]: m for m in doc["meters"]}


def test_tenant_view_never_adds_the_intake_on_top_of_its_tenants() -> None:
    counted = {(m["id"], group) for m, group, _ in counted_meters(_specs(), "tenant")}
    # grid_main feeds e_metal and e_glass: it is not counted; PV generation is no consumption.
    assert counted == {
        ("e_metal", "t_metal"),
        ("e_glass", "t_glass"),
        ("gas_glass", "t_glass"),
        ("steam_metal", "t_metal"),
        ("water_main", None),
    }


def test_carrier_view_is_consumption_by_carrier() -> None:
    counted = {m["id"]: (group, sign) for m, group, sign in counted_meters(_specs(), "carrier")}
    # Top-level meters only: the intake and PV (electricity), gas, steam, water; sub-meters of
    # the intake are inside it.
    assert counted == {
        "grid_main": ("electricity", 1.0),
        "pv_gen": ("electricity", 1.0),
        "gas_glass": ("natural_gas", 1.0),
        "steam_metal": ("heat", 1.0),
        "water_main": ("water", 1.0),
    }


def test_exports_are_subtracted() -> None:
    specs = _specs()
    specs["grid_export"] = {
        "id": "grid_export",
        "carrier": "electricity",
        "accounting": {"category": "exported_electricity", "sector": "energy"},
    }
    signs = {m["id"]: sign for m, _, sign in counted_meters(specs, "carrier")}
    assert signs["grid_export"] == -1.0
