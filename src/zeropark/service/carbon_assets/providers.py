"""The ``compliance`` projection provider of the alert-rule engine: a surrender gap as the
deadline approaches (履约缺口临近清缴截止; ``docs/monitoring.md``, "Projected exceedance").

Keys: ``<tenant>_<year>_<days>d`` — the covered tenant, the compliance year and how many days
before the deadline the warning starts (``t_glass_2024_30d``). Within that window, the projected
value is the tenant's gap [tCO2e] (what it must still surrender beyond what it holds, CCER within
the 5 % cap: :func:`~zeropark.service.carbon_assets.positions.compliance_positions`) against a
limit of 0; outside it, or after the deadline has passed with nothing left, 0. A rule
``projected_exceedance`` with ``provider: compliance`` and this key warns once while the gap
lasts, and recovers when it is closed. Registered on import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from zeropark.domain.access import Principal
from zeropark.domain.ledger.compliance import CompliancePosition
from zeropark.domain.monitoring.rules import Projection
from zeropark.service.carbon_assets.positions import compliance_positions
from zeropark.service.database import Database
from zeropark.service.monitor.providers import register_provider

__all__ = ["parse_key", "project_compliance"]


def parse_key(key: str) -> tuple[str, int, int] | None:
    """(tenant, year, days) of ``<tenant>_<year>_<days>d``; None when it is not one."""
    head, _, days = key.rpartition("_")
    tenant, _, year = head.rpartition("_")
    if not (tenant and year.isdigit() and days.endswith("d") and days[:-1].isdigit()):
        return None
    return tenant, int(year), int(days[:-1])


def project_compliance(
    db: Database, principal: Principal, park_id: str, keys: Sequence[str], now_s: int
) -> Mapping[str, Projection]:
    """The surrender gaps the ``keys`` name, as of ``now_s`` (unknown keys left out)."""
    today = dt.datetime.fromtimestamp(now_s, dt.UTC).date()
    wanted = {k: parsed for k in keys if (parsed := parse_key(k)) is not None}
    positions: dict[tuple[str, int], CompliancePosition] = {}
    for year in {y for _t, y, _d in wanted.values()}:
        for position in compliance_positions(db, principal, park_id, year):
            positions[(position.tenant_id, year)] = position
    out: dict[str, Projection] = {}
    for key, (tenant, year, days) in wanted.items():
        p = positions.get((tenant, year))
        due_on = p.deadline if p is not None and p.covered else None
        if p is None or due_on is None:
            continue
        deadline = dt.date.fromisoformat(due_on)
        left = (deadline - today).days
        due = left <= days
        gap = float(p.gap_t) if due else 0.0
        value = f"{p.gap_value_cny:,}" if p.gap_value_cny is not None else "—"
        out[key] = Projection(
            key=key,
            projected_value=gap,
            limit=0.0,
            unit="tCO2e",
            explanation_zh=(
                f"{tenant} {year} 年度履约：距清缴截止（{p.deadline}）还有 {left} 天，"
                f"缺口 {p.gap_t} tCO2e（按最新价约 {value} 元）"
            ),
            explanation_en=(
                f"{tenant} compliance year {year}: {left} days to the surrender deadline "
                f"({p.deadline}), gap {p.gap_t} tCO2e (about {value} CNY at the latest price)"
            ),
            direction="above",
            tenant_id=tenant,
        )
    return out


register_provider("compliance", project_compliance)
