"""The packaged asset-type table (``asset_types.csv``) and its loader.

One row per parameter of an asset type (columns and rules in :mod:`zeropark.domain.asset_types`);
``docs/asset-types.md`` is generated from it by ``scripts/gen_asset_docs.py``.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from zeropark.domain.asset_types import AssetTypeAttributes, parse_asset_types

__all__ = ["ASSET_TYPES_FILE", "load_asset_types"]

ASSET_TYPES_FILE = "asset_types.csv"


@lru_cache(maxsize=1)
def load_asset_types() -> dict[str, AssetTypeAttributes]:
    """Asset type → its parameters, from the packaged table (read once)."""
    text = resources.files("zeropark.data").joinpath(ASSET_TYPES_FILE).read_text(encoding="utf-8")
    return parse_asset_types(csv.DictReader(io.StringIO(text)))
