"""docs/asset-types.md is generated from the shipped asset-type table and kept up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_asset_types_doc_is_the_generated_one() -> None:
    script = Path(__file__).parents[2] / "scripts" / "gen_asset_docs.py"
    spec = importlib.util.spec_from_file_location("gen_asset_docs", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = module.DOC.read_text(encoding="utf-8")
    assert module.render() == current, "run: python scripts/gen_asset_docs.py"
    assert "`soc_min`" in current and "`capacity_kwp`" in current
