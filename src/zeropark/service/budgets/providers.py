"""The ``budget`` projection provider of the alert-rule engine ("budget projected to overrun",
预算预计超支; ``docs/monitoring.md``, "Projected exceedance").

Keys: a budget's id (``"12"``) or ``<scope>_<kind>_<year>`` with scope ``park`` or a tenant id
(``park_carbon_2024``, ``t_glass_energy_2024``). The projection is the budget's year-end
projection (:func:`~zeropark.service.budgets.compute.budget_views`, as of the data end or the
monitor's time, whichever is earlier), the limit the annual budget. Registered on import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from zeropark.domain.access import Principal
from zeropark.domain.monitoring.rules import Projection
from zeropark.service.budgets.compute import budget_to_dict, budget_views
from zeropark.service.database import Database
from zeropark.service.monitor.providers import register_provider

__all__ = ["project_budgets"]


def _keys(view_id: int, tenant_id: str | None, kind: str, year: int) -> set[str]:
    return {str(view_id), f"{tenant_id or 'park'}_{kind}_{year}"}


def project_budgets(
    db: Database, principal: Principal, park_id: str, keys: Sequence[str], now_s: int
) -> Mapping[str, Projection]:
    """Year-end projections of the budgets ``keys`` name (unknown keys left out)."""
    now = dt.datetime.fromtimestamp(now_s, dt.UTC).date()
    years = {int(k.rsplit("_", 1)[1]) for k in keys if "_" in k and k.rsplit("_", 1)[1].isdigit()}
    years.add(now.year)
    out: dict[str, Projection] = {}
    for year in sorted(years):
        for view in budget_views(db, principal, park_id, year, as_of=now):
            r = view.row
            data = budget_to_dict(view)
            for key in _keys(r.id, r.tenant_id, r.kind, r.year) & set(keys):
                out[key] = Projection(
                    key=key,
                    projected_value=view.status.year_end,
                    limit=r.annual,
                    unit=r.unit,
                    explanation_zh=data["summary_zh"],
                    explanation_en=data["summary_en"],
                    direction="above",
                    tenant_id=r.tenant_id,
                    details={"run_out": data["run_out"], "as_of": data["as_of"]},
                )
    return out


register_provider("budget", project_budgets)
