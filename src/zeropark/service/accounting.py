"""Use case: account a file of activity records and serialise the inventory.

The activities file (``docs/activities-csv.md``; CSV, or the ``.xlsx`` template) is read by
:func:`~zeropark.service.activities_io.read_activity_rows`, each row checked by the one parser of
the contract (:func:`~zeropark.ingest.activities_format.parse_activity_row`) and turned into an
accounting line by the domain's one mapping (:func:`~zeropark.domain.activity.record_line`) —
the same parser and mapping ``zeropark import activities``, the API and the web upload use.
Every bad row is reported with file, row, field and reason (:class:`ValidationFailed`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
    MethodTotals,
    account,
)
from zeropark.domain.activity import ActivityRecord, record_line
from zeropark.domain.issues import Issue
from zeropark.errors import ValidationFailed
from zeropark.ingest.activities_format import parse_activity_row
from zeropark.service.activities_io import read_activity_rows

__all__ = [
    "INVENTORY_SCHEMA",
    "REQUIRED_COLUMNS",
    "account_activities",
    "account_lines",
    "factor_set",
    "inventory_to_dict",
    "inventory_to_json",
    "read_activities",
    "stored_record_line",
]

INVENTORY_SCHEMA = "zeropark.inventory/1"
REQUIRED_COLUMNS = ("entity", "period", "category", "item", "quantity", "unit")


def factor_set(custom_path: str | Path | None = None) -> FactorSet:
    """The packaged factors, with a user's custom factor CSV layered on top when given."""
    packaged = load_factors()
    return packaged.merged_with(load_custom_factors(custom_path)) if custom_path else packaged


def stored_record_line(
    record: ActivityRecord, ref: str, catalogue: ItemCatalogue | None = None
) -> ActivityLine:
    """The line of a stored record (items stored as names, such as 柴油, become codes)."""
    items = catalogue or load_items()

    def code(text: str) -> str:
        found = items.find(text)
        return found.code if found is not None else text.strip()

    return record_line(record, ref, code)


def read_activities(
    path: str | Path,
    factors: FactorSet | None = None,
    catalogue: ItemCatalogue | None = None,
    *,
    source: str | None = None,
) -> list[ActivityLine]:
    """Read an activities file into lines; raises :class:`ValidationFailed` with every issue
    (each naming file, row, field and value)."""
    path = Path(path)
    factors = factors or load_factors()
    catalogue = catalogue or load_items()
    name = source if source is not None else str(path)
    lines: list[ActivityLine] = []
    issues: list[Issue] = []
    for number, row in read_activity_rows(path, name):
        record, found = parse_activity_row(row, catalogue=catalogue, extra_item=factors.has_code)
        if record is None:
            issues += [i.at(source=name, location=f"row {number}") for i in found]
        else:
            lines.append(record_line(record, f"{path.name} row {number}"))
    if issues:
        raise ValidationFailed(issues, source=name)
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
