"""Use case: account a CSV of activity records and serialise the inventory.

The activities CSV (``docs/activities-csv.md``) has the columns ``entity, period, category,
item, quantity, unit`` and optionally ``ncv, ncv_unit, carbon_content, oxidation_rate,
emission_factor, ef_unit`` (measured or supplier values that override defaults), ``sector`` and
``origin`` (``record``, the default, or ``meter``). Items and categories are accepted as codes,
Chinese or English names. Every bad row is reported with file, row, field and reason.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from zeropark.data.factors import load_custom_factors, load_factors, load_items
from zeropark.domain.accounting import (
    METHOD_LABELS,
    AccountingOptions,
    ActivityLine,
    EnergyTotals,
    FactorSet,
    Inventory,
    ItemCatalogue,
    LineResult,
    MeasuredParameters,
    MethodTotals,
    account,
    parse_period,
)
from zeropark.domain.categories import CATEGORIES
from zeropark.errors import InputError, ValidationFailed
from zeropark.ingest.encoding import read_text

__all__ = [
    "INVENTORY_SCHEMA",
    "REQUIRED_COLUMNS",
    "account_activities",
    "account_lines",
    "activity_line",
    "factor_set",
    "inventory_to_dict",
    "inventory_to_json",
    "read_activities",
]

INVENTORY_SCHEMA = "zeropark.inventory/1"
REQUIRED_COLUMNS = ("entity", "period", "category", "item", "quantity", "unit")
_CATALOGUE_CATEGORIES = frozenset({"fuel_combustion", "mobile_combustion", "process", "fugitive"})
_CATEGORY_NAMES: dict[str, str] = {
    name.casefold(): code for code, c in CATEGORIES.items() for name in (code, c.name_zh, c.name_en)
}


def factor_set(custom_path: str | Path | None = None) -> FactorSet:
    """The packaged factors, with a user's custom factor CSV layered on top when given."""
    packaged = load_factors()
    return packaged.merged_with(load_custom_factors(custom_path)) if custom_path else packaged


def _number(text: str, field: str) -> float:
    raw = text.strip().replace(",", "").replace("，", "")
    scale = 1.0
    if raw.endswith("%"):
        raw, scale = raw[:-1], 0.01
    try:
        return float(raw) * scale
    except ValueError:
        raise InputError(f"not a number: {text!r}", field=field) from None


def _optional(row: Mapping[str, str | None], field: str) -> str | None:
    value = (row.get(field) or "").strip()
    return value or None


def _optional_number(row: Mapping[str, str | None], field: str) -> float | None:
    value = _optional(row, field)
    return None if value is None else _number(value, field)


def _item_code(text: str, category: str, catalogue: ItemCatalogue, factors: FactorSet) -> str:
    item = catalogue.find(text)
    if item is not None:
        return item.code
    if category in _CATALOGUE_CATEGORIES and not factors.has_code(text.strip()):
        catalogue.resolve(text)  # raises InputError naming the item
    return text.strip()


def _line(
    row: Mapping[str, str | None], ref: str, catalogue: ItemCatalogue, factors: FactorSet
) -> ActivityLine:
    for field in REQUIRED_COLUMNS:
        if not (row.get(field) or "").strip():
            raise InputError("missing value", field=field)
    category = _CATEGORY_NAMES.get((row["category"] or "").strip().casefold())
    if category is None:
        raise InputError(
            f"unknown category {row['category']!r}; one of {', '.join(CATEGORIES)}",
            field="category",
        )
    origin = (_optional(row, "origin") or "record").lower()
    if origin not in ("record", "meter"):
        raise InputError(f"origin must be record or meter, not {origin!r}", field="origin")
    measured = MeasuredParameters(
        ncv=_optional_number(row, "ncv"),
        ncv_unit=_optional(row, "ncv_unit"),
        carbon_content_tc_per_gj=_optional_number(row, "carbon_content"),
        oxidation_rate=_optional_number(row, "oxidation_rate"),
        emission_factor=_optional_number(row, "emission_factor"),
        ef_unit=_optional(row, "ef_unit"),
    )
    return ActivityLine(
        entity=(row["entity"] or "").strip(),
        period=parse_period(row["period"] or ""),
        category=category,
        item=_item_code(row["item"] or "", category, catalogue, factors),
        quantity=_number(row["quantity"] or "", "quantity"),
        unit=(row["unit"] or "").strip(),
        measured=measured,
        sector=_optional(row, "sector"),
        origin="meter" if origin == "meter" else "record",
        ref=ref,
    )


def activity_line(
    row: Mapping[str, str | None],
    ref: str,
    *,
    factors: FactorSet | None = None,
    catalogue: ItemCatalogue | None = None,
) -> ActivityLine:
    """One activities-CSV row of strings as a line (stored records go through this too)."""
    return _line(row, ref, catalogue or load_items(), factors or load_factors())


def read_activities(
    path: str | Path, factors: FactorSet | None = None, catalogue: ItemCatalogue | None = None
) -> list[ActivityLine]:
    """Read an activities CSV into lines; raises :class:`ValidationFailed` listing bad rows."""
    path = Path(path)
    factors = factors or load_factors()
    catalogue = catalogue or load_items()
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", source=str(path))
    lines: list[ActivityLine] = []
    issues: list[object] = []
    for number, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            lines.append(_line(row, f"{path.name} row {number}", catalogue, factors))
        except InputError as exc:
            issues.append(
                InputError(exc.reason, source=str(path), location=f"row {number}", field=exc.field)
            )
    if issues:
        raise ValidationFailed(issues, source=str(path))
    return lines


def account_activities(
    path: str | Path,
    options: AccountingOptions | None = None,
    *,
    custom_factors: str | Path | None = None,
) -> Inventory:
    """Account the activities CSV at ``path``; ``origin=meter`` rows count as metered data."""
    factors = factor_set(custom_factors)
    lines = read_activities(path, factors)
    metered = [line for line in lines if line.origin == "meter"]
    records = [line for line in lines if line.origin == "record"]
    return account(records, factors, options, metered=metered)


def account_lines(
    records: Sequence[ActivityLine],
    *,
    metered: Sequence[ActivityLine] = (),
    options: AccountingOptions | None = None,
    custom_factors: str | Path | None = None,
) -> Inventory:
    """Account activity records and metered lines (see :func:`metered_lines`) together.

    This is the entry point for stored data: build metered lines with
    :func:`zeropark.domain.accounting.metered_lines` from hourly rollups and meter mappings.
    """
    return account(records, factor_set(custom_factors), options, metered=metered)


def _totals_dict(totals: MethodTotals) -> dict[str, object]:
    zh, en = METHOD_LABELS[totals.method]
    return {
        "label_zh": zh,
        "label_en": en,
        "gross_tco2e": totals.gross_t,
        "removals_tco2e": totals.removals_t,
        "offsets_tco2e": totals.offsets_t,
        "net_tco2e": totals.net_t,
        "by_scope": totals.by_scope,
        "by_category": totals.by_category,
        "by_gas": totals.by_gas,
        "by_entity": totals.by_entity,
        "by_sector": totals.by_sector,
        "by_period": totals.by_period,
    }


def _line_dict(r: LineResult) -> dict[str, object]:
    line = r.line
    return {
        "ref": line.ref,
        "entity": line.entity,
        "period": line.period.label,
        "category": line.category,
        "item": line.item,
        "quantity": line.quantity,
        "unit": line.unit,
        "origin": line.origin,
        "scope": r.scope,
        "sector": r.sector,
        "measured": line.measured.canonical(),
        "activity": {
            "value": r.activity_value,
            "unit": r.activity_unit,
            "unit_conversion": r.unit_conversion,
        },
        "gas": r.gas,
        "gas_mass_t": r.gas_mass_t,
        "tco2e": dict(r.co2e_t),
        "removal_tco2e": r.removal_t,
        "offset_tco2e": r.offset_t,
        "energy_tce": r.energy_tce,
        "energy_class": r.energy_class,
        "formula": r.formula,
        "factors": [f.as_dict() for f in r.factors],
        "warnings": list(r.warnings),
    }


def _headline(inventory: Inventory) -> dict[str, object]:
    loc, mkt = inventory.totals["ghg_location"], inventory.totals["ghg_market"]
    by_scope = {
        "1": loc.by_scope.get("1", 0.0),
        "2_location_based": loc.by_scope.get("2", 0.0),
        "2_market_based": mkt.by_scope.get("2", 0.0),
        "3": loc.by_scope.get("3", 0.0),
    }
    return {
        "basis": "GHG Protocol; by_category, by_gas and by_entity are location-based",
        "gwp_set": inventory.options.gwp_set,
        "by_scope": by_scope,
        "by_category": loc.by_category,
        "by_gas": loc.by_gas,
        "by_entity": loc.by_entity,
        "gross_location_based_tco2e": loc.gross_t,
        "gross_market_based_tco2e": mkt.gross_t,
        "removals_tco2e": loc.removals_t,
        "offsets_tco2e": loc.offsets_t,
        "net_location_based_tco2e": loc.net_t,
        "net_market_based_tco2e": mkt.net_t,
    }


def energy_split_dict(e: EnergyTotals) -> dict[str, object]:
    """Comprehensive energy consumption (综合能耗) and its split, in tce, as plain data."""
    return {
        "total_tce": e.total_tce,
        "fossil_fuel_tce": e.fossil_fuel_tce,
        "grid_electricity_tce": e.grid_electricity_tce,
        "heat_tce": e.heat_tce,
        "onsite_renewable_tce": e.onsite_renewable_tce,
        "green_electricity_tce": e.green_electricity_tce,
        "non_fossil_electricity_tce": e.non_fossil_electricity_tce,
        "electricity_basis": e.electricity_basis,
    }


def inventory_to_dict(inventory: Inventory) -> dict[str, object]:
    """The inventory as plain data: headline totals, every method, energy and every line."""
    e, park = inventory.energy, inventory.park
    return {
        "schema": INVENTORY_SCHEMA,
        "input_hash": inventory.input_hash,
        "options": inventory.options.canonical(),
        "factor_versions": inventory.factor_versions,
        "units": {"emissions": "tCO2e", "energy": "tce"},
        "totals": _headline(inventory),
        "methods": {m: _totals_dict(t) for m, t in inventory.totals.items()},
        "energy": {
            **energy_split_dict(e),
            "by_entity": e.by_entity,
            "by_period": e.by_period,
        },
        "zero_carbon_park_indicator": {
            "co2_t": park.co2_t,
            "energy_tce": park.energy_tce,
            "intensity_tco2_per_tce": park.intensity_tco2_per_tce,
            "threshold_tco2_per_tce": park.threshold_tco2_per_tce,
            "gap_t": park.gap_t,
            "meets": park.meets,
            "electricity_basis": park.electricity_basis,
            "notes": list(park.notes),
            "notes_zh": list(park.notes_zh),
            "notes_en": list(park.notes),
        },
        "double_counting": [
            {
                "entity": d.entity,
                "category": d.category,
                "item": d.item,
                "record_period": d.record_period,
                "record_quantity": d.record_quantity,
                "record_unit": d.record_unit,
                "record_ref": d.record_ref,
                "meter_periods": list(d.meter_periods),
                "meter_refs": list(d.meter_refs),
                "coverage": d.coverage,
            }
            for d in inventory.double_counting
        ],
        "not_quantified": [
            {
                "ref": n.ref,
                "entity": n.entity,
                "period": n.period,
                "category": n.category,
                "item": n.item,
                "quantity": n.quantity,
                "unit": n.unit,
                "supply": n.supply,
            }
            for n in inventory.not_quantified
        ],
        "warnings": list(inventory.warnings),
        "lines": [_line_dict(r) for r in inventory.results],
    }


def inventory_to_json(inventory: Inventory, *, indent: int | None = 2) -> str:
    """The inventory as JSON text (UTF-8, Chinese kept readable)."""
    return json.dumps(inventory_to_dict(inventory), ensure_ascii=False, indent=indent)
