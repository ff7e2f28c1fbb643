"""Packaged factor datasets and their loader.

Every CSV here has the columns ``code, parameter, variant, name_zh, name_en, value, unit, year,
region, dataset, version, source, clause, verification, note`` (lines starting with ``#`` are
comments). :func:`load_factors` reads them with :mod:`importlib.resources`, checks every unit
with the one pint registry (and that it fits the parameter: an NCV is energy per amount, a grid
factor CO2 per energy…) and returns a :class:`~zeropark.domain.accounting.FactorSet`.
:func:`load_custom_factors` reads a user's CSV of the same columns (``variant`` … ``note``
optional); its rows win over packaged ones. :func:`load_items` reads the item catalogue.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import get_args

from zeropark.domain.accounting.factors import Factor, FactorSet
from zeropark.domain.accounting.items import Item, ItemCatalogue, ItemKind
from zeropark.errors import InputError, UnitError
from zeropark.units import conversion_factor

__all__ = [
    "FACTOR_FILES",
    "REQUIRED_COLUMNS",
    "load_custom_factors",
    "load_datasets",
    "load_factors",
    "load_items",
    "parse_factor_rows",
]

FACTOR_FILES: tuple[str, ...] = (
    "cn_fossil_fuels.csv",
    "ipcc2006_fuels.csv",
    "cn_grid_electricity.csv",
    "cn_electricity_other.csv",
    "cn_heat.csv",
    "gwp.csv",
    "process.csv",
    "standard_coal.csv",
    "fuel_densities.csv",
    "carbon_sinks.csv",
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "code", "parameter", "value", "unit", "year", "region", "dataset", "version", "source",
)  # fmt: skip

# The unit each parameter's value must convert to (any unit of the same dimension is accepted).
# ``None``: the unit is checked to parse; its dimension depends on the activity.
PARAMETER_UNITS: dict[str, str | None] = {
    "carbon_content": "tC/GJ",
    "oxidation_rate": "dimensionless",
    "ef_grid_average": "tCO2/MWh",
    "ef_grid_excl_market_non_fossil": "tCO2/MWh",
    "ef_grid_fossil": "tCO2/MWh",
    "ef_grid_enterprise_reporting": "tCO2/MWh",
    "ef_grid_lca": "tCO2/MWh",
    "ef_heat": "tCO2/GJ",
    "gwp_100": "dimensionless",
    "ef_process": "tCO2/t",
    "carbon_fraction": "tC/t",
    "density": "kg/m3",
    "ncv": None,
    "coal_equivalent": None,
    "sequestration_rate": None,
    "ef": None,
}


def _rows(text: str) -> Iterator[dict[str, str]]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    yield from csv.DictReader(io.StringIO(body))


def _check_unit(parameter: str, unit: str) -> None:
    target = PARAMETER_UNITS.get(parameter)
    if target is None:
        conversion_factor(unit, unit)  # parses, or raises UnitError
    else:
        conversion_factor(unit, target)


def parse_factor_rows(
    rows: Iterable[dict[str, str]], *, source: str, custom: bool = False
) -> list[Factor]:
    """Validate CSV rows into factors; errors name ``source``, the row and the field."""
    factors = []
    for number, row in enumerate(rows, start=2):
        where = f"row {number}"
        missing = [c for c in REQUIRED_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise InputError("missing value", source=source, location=where, field=missing[0])
        try:
            value = float(row["value"])
            year = int(row["year"])
        except ValueError as exc:
            raise InputError(f"not a number: {exc}", source=source, location=where) from None
        if not math.isfinite(value):
            raise InputError("value is not finite", source=source, location=where, field="value")
        try:
            _check_unit(row["parameter"].strip(), row["unit"].strip())
        except UnitError as exc:
            raise UnitError(exc.reason, source=source, location=where, field="unit") from None
        factors.append(
            Factor(
                code=row["code"].strip(),
                parameter=row["parameter"].strip(),
                value=value,
                unit=row["unit"].strip(),
                year=year,
                region=row["region"].strip(),
                dataset=row["dataset"].strip(),
                version=row["version"].strip(),
                source=row["source"].strip(),
                clause=(row.get("clause") or "").strip(),
                verification=(row.get("verification") or ("CUSTOM" if custom else "")).strip(),
                variant=(row.get("variant") or "default").strip(),
                name_zh=(row.get("name_zh") or "").strip(),
                name_en=(row.get("name_en") or "").strip(),
                note=(row.get("note") or "").strip(),
                custom=custom,
            )
        )
    return factors


def _read_packaged(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_factors() -> FactorSet:
    """Every packaged factor, validated (cached: the files do not change at run time)."""
    factors: list[Factor] = []
    for name in FACTOR_FILES:
        factors.extend(parse_factor_rows(_rows(_read_packaged(name)), source=name))
    return FactorSet.of(factors)


def load_custom_factors(path: str | Path) -> FactorSet:
    """A user's factor CSV (same columns); its rows win over packaged rows on lookup."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read factor file: {exc.strerror}", source=str(path)) from None
    return FactorSet.of(parse_factor_rows(_rows(text), source=str(path), custom=True))


@lru_cache(maxsize=1)
def load_items() -> ItemCatalogue:
    """The packaged item catalogue (codes, Chinese and English names, aliases)."""
    items = []
    for row in _rows(_read_packaged("items.csv")):
        kind = _KINDS.get(row["kind"].strip())
        if kind is None:
            raise InputError(f"unknown kind {row['kind']!r}", source="items.csv", field="kind")
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        items.append(Item(row["code"], kind, row["name_zh"], row["name_en"], aliases))
    return ItemCatalogue.of(items)


_KINDS: dict[str, ItemKind] = {kind: kind for kind in get_args(ItemKind)}


def load_datasets() -> list[dict[str, str]]:
    """The dataset metadata table (dataset, file, version, title, role)."""
    return list(_rows(_read_packaged("datasets.csv")))
