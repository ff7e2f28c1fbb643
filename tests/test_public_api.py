"""The curated public API: every name in ``__all__`` resolves, ``__all__`` is sorted and unique,
and every layer package of DESIGN.md §2 exists."""

from __future__ import annotations

import importlib

import zeropark


def test_every_public_name_resolves() -> None:
    for name in zeropark.__all__:
        assert getattr(zeropark, name) is not None, name


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff keeps ``__all__`` in (RUF022): constants, then classes, then the rest."""
    if name.isupper():
        return 0, name
    return (1 if name[0].isupper() else 2), name


def test_all_is_sorted_and_unique() -> None:
    assert len(set(zeropark.__all__)) == len(zeropark.__all__)
    assert list(zeropark.__all__) == sorted(zeropark.__all__, key=_isort_key)


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
