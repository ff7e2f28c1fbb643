"""Use case: the monthly carbon trend of a year (park or one tenant) from stored data.

The same inventory as :func:`~zeropark.service.inventory.compute_inventory`, accounted at the
engine's ``month`` granularity: metered lines are summed per park-local month; activity records
keep their own period. A record for a whole year or quarter (``2024``, ``2024-Q1``) cannot be
split into months without inventing a profile, so it is reported under its own label in
``other_periods`` — the months plus those add up to the yearly gross, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeropark.domain.access import Principal
from zeropark.domain.accounting import METHOD_LABELS, METHODS, AccountingOptions, Method, pivot
from zeropark.service.accounting import factor_set
from zeropark.service.database import Database
from zeropark.service.inventory.compute import compute_stored
from zeropark.store.parks import ParkRepository

__all__ = ["MonthlyTrend", "monthly_inventory", "monthly_trend_to_dict"]


@dataclass(frozen=True, slots=True)
class MonthlyTrend:
    """Gross emissions [tCO2e] per park-local month of ``year``, per method.

    ``months`` holds the twelve labels ``YYYY-MM``; ``gross_t[method][label]`` the month's gross
    (0 for a month without lines); ``by_scope[method][label][scope]`` its split by scope;
    ``other_periods[method][label]`` records of a year or quarter, not split into months;
    ``energy_tce[label]`` 综合能耗 per month (records of a year or quarter likewise apart).
    """

    park_id: str
    tenant_id: str | None
    year: int
    months: tuple[str, ...]
    gross_t: dict[Method, dict[str, float]]
    by_scope: dict[Method, dict[str, dict[str, float]]]
    other_periods: dict[Method, dict[str, float]]
    year_gross_t: dict[Method, float]
    energy_tce: dict[str, float]
    other_energy_tce: dict[str, float]
    input_hash: str


def monthly_inventory(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    *,
    tenant_id: str | None = None,
) -> MonthlyTrend:
    """Per-month gross emissions of the park (or ``tenant_id``) for ``year``, per method.

    Access as :func:`~zeropark.service.inventory.compute_inventory`: a tenant principal reads
    only its own; the park needs administrator, auditor or the local operator; a regulator
    reads the park's monthly totals (:meth:`Principal.reads_aggregates_only`).
    """
    factors = factor_set()
    with db.transaction() as conn:
        park = ParkRepository(conn, principal).get_park(park_id)
        options = AccountingOptions(reporting_year=year, region=park.province, granularity="month")
        # A regulator reads the park's monthly totals (aggregates, no tenant row): computed by
        # the aggregator after its access to them was checked.
        reader = (
            principal.aggregator()
            if tenant_id is None and principal.reads_aggregates_only(park_id)
            else principal
        )
        stored = compute_stored(conn, reader, park_id, year, tenant_id, options, factors)
    inv = stored.inventory
    months = tuple(f"{year:04d}-{m:02d}" for m in range(1, 13))
    gross: dict[Method, dict[str, float]] = {}
    scopes: dict[Method, dict[str, dict[str, float]]] = {}
    other: dict[Method, dict[str, float]] = {}
    for method in METHODS:
        by_period = inv.totals[method].by_period
        gross[method] = {m: by_period.get(m, 0.0) for m in months}
        other[method] = {k: v for k, v in by_period.items() if k not in gross[method]}
        split: dict[str, dict[str, float]] = {m: {} for m in months}
        for (period, scope), value in pivot(
            inv.results, method, ("period", "scope"), "month"
        ).items():
            if period in split:
                split[period][scope] = value
        scopes[method] = split
    energy = inv.energy.by_period
    return MonthlyTrend(
        park_id=park_id,
        tenant_id=tenant_id,
        year=year,
        months=months,
        gross_t=gross,
        by_scope=scopes,
        other_periods=other,
        year_gross_t={m: inv.totals[m].gross_t for m in METHODS},
        energy_tce={m: energy.get(m, 0.0) for m in months},
        other_energy_tce={k: v for k, v in energy.items() if k not in months},
        input_hash=inv.input_hash,
    )


def monthly_trend_to_dict(trend: MonthlyTrend) -> dict[str, Any]:
    """The trend as plain data (schema ``zeropark.inventory_monthly/1``)."""
    return {
        "schema": "zeropark.inventory_monthly/1",
        "park_id": trend.park_id,
        "tenant_id": trend.tenant_id,
        "year": trend.year,
        "units": {"emissions": "tCO2e", "energy": "tce"},
        "months": list(trend.months),
        "methods": {
            m: {
                "label_zh": METHOD_LABELS[m][0],
                "label_en": METHOD_LABELS[m][1],
                "gross_tco2e": [trend.gross_t[m][k] for k in trend.months],
                "by_scope": [trend.by_scope[m][k] for k in trend.months],
                "other_periods_tco2e": trend.other_periods[m],
                "year_gross_tco2e": trend.year_gross_t[m],
            }
            for m in METHODS
        },
        "energy_tce": [trend.energy_tce[k] for k in trend.months],
        "other_periods_energy_tce": trend.other_energy_tce,
        "input_hash": trend.input_hash,
    }
