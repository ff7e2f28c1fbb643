"""Use case: the park's physical assets (PV arrays, batteries, chargers, meters' devices …) as
read views, each parameter typed by the asset-type table (:mod:`zeropark.domain.asset_types`,
``data/asset_types.csv``): value, unit, Chinese name, description, allowed range, and whether
the value comes from the park file or is the table's default.

Visibility is the park file's: a tenant sees its own assets (the store filters the rows).
"""

from __future__ import annotations

from typing import Any

from zeropark.data.asset_types import load_asset_types
from zeropark.domain.access import Principal
from zeropark.domain.asset_types import AssetAttribute
from zeropark.service.database import Database
from zeropark.store.parks import ParkRepository

__all__ = ["asset_types", "asset_views"]


def _attribute(a: AssetAttribute) -> dict[str, Any]:
    return {
        "attribute": a.attribute,
        "type": a.type,
        "unit": a.unit,
        "default": a.default,
        "range": a.range_text(unit=False) if a.type in ("float", "int") else None,
        "required": a.required,
        "name_zh": a.name_zh,
        "description": a.description,
    }


def asset_types() -> list[dict[str, Any]]:
    """Every asset type and its parameters (the packaged table, in its order)."""
    return [
        {"asset_type": name, "attributes": [_attribute(a) for a in attrs.attributes]}
        for name, attrs in load_asset_types().items()
    ]


def asset_views(db: Database, principal: Principal, park_id: str) -> list[dict[str, Any]]:
    """The assets of the park the caller may see, each with its typed parameters."""
    with db.transaction() as conn:
        rows = ParkRepository(conn, principal).section(park_id, "assets")
    types = load_asset_types()
    views = []
    for row in rows:
        spec = types.get(str(row.get("type")))
        given: dict[str, Any] = dict(row.get("params") or {})
        params = []
        if spec is not None:
            for a in spec.attributes:
                source = "park_file" if a.attribute in given else "default"
                value = given.get(a.attribute, a.default)
                if value is None:
                    continue
                params.append({**_attribute(a), "value": value, "source": source})
        for name, value in given.items():  # parameters the table does not know
            if spec is None or spec.get(name) is None:
                params.append(
                    {
                        "attribute": name,
                        "type": "str" if isinstance(value, str) else "float",
                        "unit": "",
                        "default": None,
                        "range": None,
                        "required": False,
                        "name_zh": "",
                        "description": "",
                        "value": value,
                        "source": "park_file",
                    }
                )
        views.append(
            {
                "id": row["id"],
                "type": row.get("type"),
                "name": row.get("name"),
                "tenant_id": row.get("tenant"),
                "building_id": row.get("building"),
                "meter_id": row.get("meter"),
                "params": params,
            }
        )
    return views
