"""A park's year at a glance: energy by carrier and source, PV yield, data coverage.

Totals are taken from the topmost mapped meters
(:func:`~zeropark.service.park_views.counted_meters`), grouped by carrier and by the accounting
category of what they measure, so sub-meters are never counted twice and meters kept for the
energy balance only (battery discharge) are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.park import Asset
from zeropark.errors import UnitError
from zeropark.service.database import Database
from zeropark.service.park_views import counted_meters
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import count_open
from zeropark.store.readings import count_readings, meter_refs, read_rollups
from zeropark.units import conversion_factor

__all__ = ["CarrierTotal", "ParkSummary", "summarise_park", "year_bounds_s"]

DISPLAY_UNITS = {"electricity": "MWh", "heat": "GJ", "natural_gas": "Nm3", "water": "m3"}


@dataclass(frozen=True, slots=True)
class CarrierTotal:
    """Annual total of one carrier and accounting category over top-level meters."""

    carrier: str
    category: str
    quantity: float
    unit: str
    meters: int


@dataclass
class ParkSummary:
    """Summary figures of one park and year."""

    park_id: str
    park_name: str
    year: int
    tenants: int
    meters: int
    virtual_meters: int
    readings: int
    totals: list[CarrierTotal] = field(default_factory=list)
    pv_kwh: float = 0.0
    pv_capacity_kwp: float = 0.0
    coverage: float = 0.0
    estimated_share: float = 0.0
    open_quarantine: int = 0

    @property
    def pv_yield_kwh_per_kwp(self) -> float | None:
        """Annual PV generation per kWp of installed DC capacity."""
        return self.pv_kwh / self.pv_capacity_kwp if self.pv_capacity_kwp else None


def year_bounds_s(year: int, timezone: str) -> tuple[int, int]:
    """UTC epoch seconds of the park-local start of ``year`` and of the next year."""
    zone = ZoneInfo(timezone)
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    return int(start.timestamp()), int(end.timestamp())


def summarise_park(db: Database, principal: Principal, park_id: str, year: int) -> ParkSummary:
    """Summarise what the caller may see of a park in ``year``."""
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        refs = meter_refs(conn, principal, park_id)
        specs = {m["id"]: m for m in repo.section(park_id, "meters")}
        lo, hi = year_bounds_s(year, park.timezone)
        keys = [r.key for r in refs.values()]
        rollups = read_rollups(conn, principal, keys, lo, hi)
        summary = ParkSummary(
            park_id=park_id,
            park_name=park.name,
            year=year,
            tenants=len(repo.section(park_id, "tenants")),
            meters=len(refs),
            virtual_meters=len(repo.section(park_id, "virtual_meters")),
            readings=count_readings(conn, principal, keys) if keys else 0,
        )
        assets = [Asset(**a) for a in repo.section(park_id, "assets")]
        summary.open_quarantine = count_open(conn, principal, park_id)
    by_key = {r.key: r for r in refs.values()}
    pv_meters = {a.meter for a in assets if a.type == "pv" and a.meter}
    per_meter = (
        np.bincount(
            np.searchsorted(np.array(sorted(by_key)), rollups.meter_key),
            weights=rollups.quantity,
            minlength=len(by_key),
        )
        if rollups.meter_key.size
        else np.zeros(len(by_key))
    )
    totals: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    counted = {m["id"] for m, _, _ in counted_meters(specs, "carrier")}
    for index, key in enumerate(sorted(by_key)):
        ref = by_key[key]
        spec = specs.get(ref.id, {})
        if ref.id in pv_meters:
            summary.pv_kwh += float(per_meter[index]) * conversion_factor(ref.unit, "kWh")
        if ref.id not in counted:
            continue
        category = spec["accounting"]["category"]
        unit = DISPLAY_UNITS.get(ref.carrier, ref.unit)
        try:
            factor = conversion_factor(ref.unit, unit)
        except UnitError:
            unit, factor = ref.unit, 1.0
        bucket = totals[(ref.carrier, category, unit)]
        bucket[0] += float(per_meter[index]) * factor
        bucket[1] += 1
    summary.totals = [
        CarrierTotal(carrier, category, quantity, unit, int(count))
        for (carrier, category, unit), (quantity, count) in sorted(totals.items())
    ]
    summary.pv_capacity_kwp = sum(
        float(a.params.get("capacity_kwp", 0.0)) for a in assets if a.type == "pv"
    )
    if refs:
        summary.coverage = float(rollups.coverage_s.sum()) / ((hi - lo) * len(refs))
    total = float(np.abs(rollups.quantity).sum())
    summary.estimated_share = float(np.abs(rollups.estimated).sum()) / total if total else 0.0
    return summary
