"""What a grid connection costs over a schedule: energy, export revenue and demand charge.

The one settlement of imports and exports against per-interval prices, used to report what a
dispatch saved against its baseline, so that ``baseline − optimised = saving`` holds to the fen:
every part is rounded to the fen (0.01 CNY, half up) once, and totals are sums of the rounded
parts.

- energy charge = Σ import_kw × interval_h × price [CNY];
- export revenue = Σ export_kw × interval_h × export price [CNY];
- demand charge (需量电费) = Σ over month labels of the month's highest interval-mean import [kW] ×
  price [CNY/kW·month] (a month's peak counts once, however much of the month is settled).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.tariffs import money

__all__ = ["GridCost", "GridSettlement", "grid_cost", "settle_grid"]


@dataclass(frozen=True, slots=True)
class GridSettlement:
    """Money of a schedule at the grid connection [CNY, excl. VAT], each part to the fen."""

    energy_cny: Decimal
    export_revenue_cny: Decimal
    demand_charge_cny: Decimal
    import_kwh: float
    export_kwh: float
    peak_kw_by_month: dict[int, float]

    @property
    def total_cny(self) -> Decimal:
        """Energy + demand charge − export revenue."""
        return self.energy_cny + self.demand_charge_cny - self.export_revenue_cny


@dataclass(frozen=True, slots=True)
class GridCost:
    """The parts of a schedule's grid cost [CNY], unrounded, and the peak of each month [kW]."""

    energy_cny: float
    export_revenue_cny: float
    demand_charge_cny: float
    peak_kw_by_month: dict[int, float]


def grid_cost(
    import_kw: npt.ArrayLike,
    export_kw: npt.ArrayLike,
    interval_h: float,
    price_cny_per_kwh: npt.ArrayLike,
    export_price_cny_per_kwh: npt.ArrayLike | float,
    month_of_interval: npt.ArrayLike,
    demand_charge_cny_per_kw_month: float,
) -> GridCost:
    """The cost parts of ``import_kw`` / ``export_kw`` (interval means), unrounded: what the
    optimiser's objective counts (see the module doc for the formulas)."""
    imp = np.asarray(import_kw, np.float64)
    exp = np.asarray(export_kw, np.float64)
    price = np.broadcast_to(np.asarray(price_cny_per_kwh, np.float64), imp.shape)
    export_price = np.broadcast_to(np.asarray(export_price_cny_per_kwh, np.float64), imp.shape)
    months = np.broadcast_to(np.asarray(month_of_interval, np.int64), imp.shape)
    peaks = {int(m): float(imp[months == m].max(initial=0.0)) for m in np.unique(months).tolist()}
    return GridCost(
        energy_cny=float(np.sum(imp * price) * interval_h),
        export_revenue_cny=float(np.sum(exp * export_price) * interval_h),
        demand_charge_cny=sum(peaks.values()) * demand_charge_cny_per_kw_month,
        peak_kw_by_month=peaks,
    )


def settle_grid(
    import_kw: npt.ArrayLike,
    export_kw: npt.ArrayLike,
    interval_h: float,
    price_cny_per_kwh: npt.ArrayLike,
    export_price_cny_per_kwh: npt.ArrayLike | float,
    month_of_interval: npt.ArrayLike,
    demand_charge_cny_per_kw_month: float,
) -> GridSettlement:
    """Settle ``import_kw`` / ``export_kw`` at the given prices, each part to the fen."""
    cost = grid_cost(
        import_kw, export_kw, interval_h, price_cny_per_kwh, export_price_cny_per_kwh,
        month_of_interval, demand_charge_cny_per_kw_month,
    )  # fmt: skip
    return GridSettlement(
        energy_cny=money(cost.energy_cny),
        export_revenue_cny=money(cost.export_revenue_cny),
        demand_charge_cny=money(cost.demand_charge_cny),
        import_kwh=float(np.sum(np.asarray(import_kw, np.float64)) * interval_h),
        export_kwh=float(np.sum(np.asarray(export_kw, np.float64)) * interval_h),
        peak_kw_by_month=cost.peak_kw_by_month,
    )
