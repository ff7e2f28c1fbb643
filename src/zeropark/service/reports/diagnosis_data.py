"""The figures of the park diagnosis (全局诊断), gathered from stored data by the use cases that
own them: the scorecard (one accounting, one set of flows), the tenants' scorecards, waste
detection, and the opportunities sized from the park's own data (:mod:`.diagnosis_measures`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from zeropark.domain.access import Principal
from zeropark.domain.park import Asset, Building, Tenant
from zeropark.service.database import Database
from zeropark.service.reports.diagnosis_measures import Costs, Measure, size_measures
from zeropark.service.scorecard import Scorecard, scorecard
from zeropark.service.waste import WasteReport, detect_park_waste
from zeropark.store.parks import ParkRepository

__all__ = ["DiagnosisData", "TenantRow", "gather"]


@dataclass(frozen=True, slots=True)
class TenantRow:
    """A tenant's year: energy [tce], CO2 (zero-carbon-park method) [t], output [万元], floor
    area [m²] and its intensities."""

    id: str
    name: str
    name_en: str
    industry: str
    energy_tce: float
    carbon_t: float
    output_wan: float | None
    floor_m2: float | None

    def per_output(self, amount: float) -> float | None:
        """``amount`` per 万元 of output."""
        return amount / self.output_wan if self.output_wan else None


@dataclass(frozen=True, slots=True)
class DiagnosisData:
    """Everything the diagnosis report shows, for one park and year."""

    card: Scorecard
    extra: Scorecard | None
    tenants: list[TenantRow]
    waste: WasteReport
    measures: list[Measure]
    sources: list[tuple[str, str, float, float]] = field(default_factory=list)


def _sources(card: Scorecard) -> list[tuple[str, str, float, float]]:
    """(category, item, tCO2 zero-carbon-park method, tCO2e national method), largest first."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in card.figures.stored.inventory.results:
        zcp, nat = r.result("zero_carbon_park"), r.result("cn_national")
        if zcp or nat:
            acc = sums[r.line.category, r.line.item]
            acc[0] += zcp
            acc[1] += nat
    rows = [(c, i, v[0], v[1]) for (c, i), v in sums.items()]
    return sorted(rows, key=lambda row: -max(row[2], row[3]))


def gather(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    system: str | None = None,
    costs: Costs | None = None,
    roof_area_m2: float | None = None,
) -> DiagnosisData:
    """The park's diagnosis figures for ``year`` (see the module's description)."""
    card = scorecard(db, principal, park_id, str(year))
    extra = scorecard(db, principal, park_id, str(year), system=system) if system else None
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        tenants = [Tenant(**t) for t in repo.section(park_id, "tenants", park_read=True)]
        buildings = [Building(**b) for b in repo.section(park_id, "buildings", park_read=True)]
        assets = [Asset(**a) for a in repo.section(park_id, "assets", park_read=True)]
    rows = []
    for t in tenants:
        tc = scorecard(db, principal, park_id, str(year), tenant_id=t.id)
        inp = tc.figures.inputs
        rows.append(
            TenantRow(
                t.id,
                t.name,
                t.name_en or t.name,
                t.industry or t.industry_code or "",
                inp.energy.total_tce,
                inp.carbon_t,
                inp.output_wan_cny,
                inp.floor_area_m2,
            )
        )
    waste = detect_park_waste(db, principal, park_id, year)
    measures = size_measures(card, buildings, assets, waste, costs or Costs(), roof_area_m2)
    return DiagnosisData(card, extra, rows, waste, measures, _sources(card))
