"""Use case: find waste (跑冒滴漏) on every electricity and water meter the caller may read.

For the year (or up to the newest data), each meter's hourly rollups in park-local hours go to
the pure detector :func:`zeropark.domain.monitoring.waste.detect_waste`; the two signals' anomalies
of one meter that overlap are one finding. A finding's yearly cost is in the meter's energy unit
(kWh for electricity, m³ for water) and, for electricity, in tCO2 at the grid factor of the
inventory's national method (the factor is found by accounting 1 MWh of purchased electricity for
the park's region and year: the one rule, no second table). Heating fuels (gas, steam) follow the
weather and are left out: they need a degree-day model (``docs/waste-detection.md``).

A tenant sees its own meters' findings, the park's administrator and auditor all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.accounting import (
    AccountingOptions,
    MeterMapping,
    gross_by_method,
    metered_lines,
)
from zeropark.domain.energy.power import energy_unit, kwh_per_unit
from zeropark.domain.monitoring.waste import (
    WasteAnomaly,
    WasteSettings,
    daily_base,
    detect_waste,
)
from zeropark.service.accounting import factor_set
from zeropark.service.database import Database
from zeropark.store import inventories as inv_store
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import read_rollups
from zeropark.store.scope import require

__all__ = ["CARRIERS", "WasteFinding", "WasteReport", "detect_park_waste", "waste_to_dict"]

#: Carriers whose closed-site load is judged.
CARRIERS = ("electricity", "water")


@dataclass(frozen=True, slots=True)
class WasteFinding:
    """The anomalies of one meter that overlap, with the cost per year if it continues."""

    meter_id: str
    meter_name: str | None
    tenant_id: str | None
    carrier: str
    unit: str
    anomalies: tuple[WasteAnomaly, ...]
    waste_per_year: float
    tco2_per_year: float | None

    @property
    def start(self) -> dt.date:
        """When the first of its anomalies began."""
        return min(a.start for a in self.anomalies)


@dataclass(frozen=True, slots=True)
class WasteReport:
    """Findings of a park's year, and how many meters were judged."""

    park_id: str
    year: int
    meters_checked: int
    findings: tuple[WasteFinding, ...]
    ef_t_per_mwh: float | None


def _grid_ef(park_id: str, province: str, year: int) -> float | None:
    """tCO2 per MWh of purchased electricity under the national method (region, year)."""
    options = AccountingOptions(reporting_year=year, region=province)
    mapping = {"m": MeterMapping("m", park_id, "purchased_electricity", "electricity", "MWh", None)}
    try:
        lines = metered_lines(mapping, [("m", dt.datetime(year, 1, 1), 1.0)], "year")
        return gross_by_method(lines, factor_set(), options)["cn_national"]
    except Exception:  # no factor for the region and year: no tCO2, the kWh still stand
        return None


def _group(anomalies: list[WasteAnomaly]) -> list[list[WasteAnomaly]]:
    groups: list[list[WasteAnomaly]] = []
    for a in sorted(anomalies, key=lambda x: x.start):
        if groups and a.start <= max(g.end for g in groups[-1]):
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def detect_park_waste(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    settings: WasteSettings | None = None,
) -> WasteReport:
    """Waste findings of ``year`` on the park's electricity and water meters the caller reads."""
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)
        require(principal.role != "regulator", principal, "read meter-level waste findings")
        meters = [
            m
            for m in inv_store.accounting_meters(conn, principal, park.id).values()
            if m.carrier in CARRIERS
        ]
        zone = ZoneInfo(park.timezone)
        lo = int(dt.datetime(year, 1, 1, tzinfo=zone).timestamp())
        hi = int(dt.datetime(year + 1, 1, 1, tzinfo=zone).timestamp())
        rows = read_rollups(conn, principal, [m.key for m in meters], lo, hi)
    ef = _grid_ef(park.id, park.province, year)
    hours = np.unique(rows.hour_s)
    local = [dt.datetime.fromtimestamp(int(h), zone) for h in hours]
    ordinal = np.array([d.toordinal() for d in local], dtype=np.int64)
    hour = np.array([d.hour for d in local], dtype=np.int64)
    findings, checked = [], 0
    for m in sorted(meters, key=lambda x: x.id):
        mask = rows.meter_key == m.key
        if not mask.any():
            continue
        checked += 1
        at = np.searchsorted(hours, rows.hour_s[mask])
        unit = energy_unit(m.unit) if m.carrier == "electricity" else m.unit
        scale = kwh_per_unit(m.unit) if m.carrier == "electricity" else 1.0
        base = daily_base(ordinal[at], hour[at], rows.quantity[mask] * scale, settings)
        for group in _group(detect_waste(base, settings)):
            per_year = max(a.waste_kwh_per_year for a in group)
            tco2 = per_year / 1000.0 * ef if (m.carrier == "electricity" and ef) else None
            findings.append(
                WasteFinding(
                    m.id,
                    m.name,
                    m.tenant_id,
                    m.carrier,
                    "kWh" if m.carrier == "electricity" else unit,
                    tuple(group),
                    per_year,
                    tco2,
                )
            )
    return WasteReport(park.id, year, checked, tuple(findings), ef)


def _anomaly(a: WasteAnomaly) -> dict[str, Any]:
    return {
        "signal": a.signal,
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "observations": a.observations,
        "baseline": a.baseline_kw,
        "observed": a.observed_kw,
        "excess": a.excess_kw,
        "rise": a.rise,
        "waste_per_year": a.waste_kwh_per_year,
        "ongoing": a.ongoing,
    }


def _explain(f: WasteFinding) -> tuple[str, str]:
    a = max(f.anomalies, key=lambda x: x.excess_kw)
    power = "kW" if f.carrier == "electricity" else f"{f.unit}/h"
    co2_zh = f"，约 {f.tco2_per_year:,.1f} tCO2" if f.tco2_per_year is not None else ""
    co2_en = f", about {f.tco2_per_year:,.1f} tCO2" if f.tco2_per_year is not None else ""
    when_zh = {"night_base": "夜间基础负荷", "closed_day": "非工作日负荷"}[a.signal]
    when_en = {"night_base": "night base load", "closed_day": "non-working-day load"}[a.signal]
    state_zh = "仍在持续" if a.ongoing else f"持续至 {a.end.isoformat()}"
    state_en = "still going on" if a.ongoing else f"until {a.end.isoformat()}"
    zh = (
        f"{f.meter_name or f.meter_id}：自 {f.start.isoformat()} 起{when_zh}比正常高 "
        f"{a.excess_kw:,.1f} {power}（{a.rise:.0%}，正常 {a.baseline_kw:,.1f} {power}），"
        f"{state_zh}；"
        f"若持续，每年约浪费 {f.waste_per_year:,.0f} {f.unit}{co2_zh}。"
    )
    en = (
        f"{f.meter_id}: since {f.start.isoformat()} the {when_en} is {a.excess_kw:,.1f} {power} "
        f"above normal ({a.rise:.0%} over {a.baseline_kw:,.1f} {power}), {state_en}; if it "
        f"continues, about {f.waste_per_year:,.0f} {f.unit} a year are wasted{co2_en}."
    )
    return zh, en


def waste_to_dict(report: WasteReport) -> dict[str, Any]:
    """The report as plain data (schema ``zeropark.waste/1``)."""
    items = []
    for f in report.findings:
        zh, en = _explain(f)
        items.append(
            {
                "meter_id": f.meter_id,
                "meter_name": f.meter_name,
                "tenant_id": f.tenant_id,
                "carrier": f.carrier,
                "unit": f.unit,
                "start": f.start.isoformat(),
                "ongoing": any(a.ongoing for a in f.anomalies),
                "waste_per_year": f.waste_per_year,
                "tco2_per_year": f.tco2_per_year,
                "explanation_zh": zh,
                "explanation_en": en,
                "anomalies": [_anomaly(a) for a in f.anomalies],
            }
        )
    return {
        "schema": "zeropark.waste/1",
        "park_id": report.park_id,
        "year": report.year,
        "meters_checked": report.meters_checked,
        "ef_tco2_per_mwh": report.ef_t_per_mwh,
        "findings": items,
    }
