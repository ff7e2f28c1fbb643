"""Use case: the park-level indicators a regulator reads (DESIGN.md §1): aggregates only.

:func:`park_indicators` computes the park's inventory from stored data and keeps only park-level
figures — the totals per method (gross, removals, offsets, net), 综合能耗 in tce with its
fossil / grid / heat / renewable split, the zero-carbon park core indicator and the guiding
indicators (:mod:`.guiding`: the clean-energy share computed, the others "no data"). No line,
entity, meter, record, warning or breakdown by entity leaves this function, so a regulator never
reads tenant-level data. The inventory is computed under the system principal (the totals need every
tenant's meters) after the caller's access to the park has been checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    METHOD_LABELS,
    METHODS,
    AccountingOptions,
    EnergyTotals,
    Method,
    MethodTotals,
    ParkIndicator,
)
from zeropark.domain.energy.headline import HeadlineFigures, headline_figures
from zeropark.service.accounting import energy_split_dict, factor_set
from zeropark.service.database import Database
from zeropark.service.inventory.compute import compute_stored
from zeropark.service.inventory.guiding import (
    CleanEnergyDefinition,
    GuidingIndicator,
    guiding_indicators,
)
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = ["ParkIndicators", "park_indicators", "park_indicators_to_dict"]

#: Roles that may read a park's aggregated indicators (tenants read their own inventory).
READERS = ("system", "park_admin", "auditor", "regulator")


@dataclass(frozen=True, slots=True)
class ParkIndicators:
    """A park's aggregated figures for one year: no lines, entities or meters."""

    park_id: str
    park_name: str
    year: int
    options: dict[str, object]
    input_hash: str
    totals: dict[Method, MethodTotals]
    energy: EnergyTotals
    indicator: ParkIndicator
    not_quantified_lines: int
    guiding: tuple[GuidingIndicator, ...] = ()
    headline: HeadlineFigures | None = None


def park_indicators(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    options: AccountingOptions | None = None,
    clean_energy: CleanEnergyDefinition = "non_fossil",
) -> ParkIndicators:
    """The park-level totals per method, energy [tce], core and guiding indicators for ``year``.

    ``clean_energy`` chooses the documented definition of the clean-energy share
    (:data:`~zeropark.service.inventory.guiding.CLEAN_ENERGY_DEFINITIONS`).

    Readable by the park's regulator, administrator and auditor (and the local operator).
    Raises :class:`NotFound` for a park outside the caller's scope, :class:`PermissionDenied`
    for other roles of the park (a tenant reads its own inventory instead).
    """
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)  # NotFound outside scope
        require(
            principal.role in READERS and principal.can_read_park(park_id),
            principal,
            f"read park {park_id}'s aggregated indicators",
        )
        stored = compute_stored(
            conn, Principal.system(), park_id, year, None, options, factor_set()
        )
    inv = stored.inventory
    return ParkIndicators(
        park_id=park.id,
        park_name=park.name,
        year=year,
        options=inv.options.canonical(),
        input_hash=inv.input_hash,
        totals=inv.totals,
        energy=inv.energy,
        indicator=inv.park,
        not_quantified_lines=len(inv.not_quantified),
        guiding=guiding_indicators(inv.energy, inv.results, clean_energy=clean_energy),
        headline=headline_figures(inv),
    )


def park_indicators_to_dict(view: ParkIndicators) -> dict[str, Any]:
    """The indicators as plain data (schema ``zeropark.park_indicators/1``)."""
    e, park = view.energy, view.indicator
    return {
        "schema": "zeropark.park_indicators/1",
        "park_id": view.park_id,
        "park_name": view.park_name,
        "year": view.year,
        "options": view.options,
        "input_hash": view.input_hash,
        "units": {"emissions": "tCO2e", "energy": "tce"},
        "methods": {
            m: {
                "label_zh": METHOD_LABELS[m][0],
                "label_en": METHOD_LABELS[m][1],
                "gross_tco2e": view.totals[m].gross_t,
                "removals_tco2e": view.totals[m].removals_t,
                "offsets_tco2e": view.totals[m].offsets_t,
                "net_tco2e": view.totals[m].net_t,
            }
            for m in METHODS
        },
        "energy": energy_split_dict(e),
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
        "not_quantified_lines": view.not_quantified_lines,
        "headline_figures": None if view.headline is None else view.headline.as_dict(),
        "guiding": [
            {
                "code": g.code,
                "label_zh": g.label_zh,
                "label_en": g.label_en,
                "requirement": g.requirement,
                "requirement_zh": g.requirement_zh,
                "requirement_en": g.requirement,
                "threshold": g.threshold,
                "value": g.value,
                "state": g.state,
                "definition": g.definition,
                "definition_zh": g.definition_zh,
                "definition_en": g.definition,
                "needs": g.needs,
                "needs_zh": g.needs_zh,
                "needs_en": g.needs,
                "inputs": g.inputs,
                "source": g.source,
            }
            for g in view.guiding
        ],
    }
