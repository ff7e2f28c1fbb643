"""The curated public API: every name in ``__all__`` resolves, and the core has units in names."""

from __future__ import annotations

import importlib

import zeropark


def test_every_public_name_resolves() -> None:
    for name in zeropark.__all__:
        assert getattr(zeropark, name) is not None, name


def test_all_is_sorted_and_unique() -> None:
    assert len(set(zeropark.__all__)) == len(zeropark.__all__)


def test_layer_packages_exist() -> None:
    for layer in (
        "domain",
        "data",
        "store",
        "ingest",
        "monitor",
        "forecast",
        "optimize",
        "market",
        "service",
        "api",
        "web",
        "cli",
    ):
        importlib.import_module(f"zeropark.{layer}")
