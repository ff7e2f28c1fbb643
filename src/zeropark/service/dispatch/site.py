"""The park as a dispatch site: its hourly energy balance, batteries, PV and grid prices.

Which meters play which part (park file):

- **grid import**: electricity meters mapped to ``purchased_electricity`` with no parent (the
  intakes);
- **grid export**: meters mapped to ``exported_electricity``;
- **PV**: the meters of ``pv`` assets;
- **battery discharge**: the meters of ``battery`` assets; **battery charge**: meters mapped to
  ``purchased_electricity`` with the item ``storage_charge`` (behind an intake).

The site's own demand (what the dispatch must serve, the battery excluded) is, per hour,
``demand = import − charge + pv + discharge − export`` [kWh/h = kW mean] — the same balance the
reconciliation view states (grid + PV + discharge − export − charge = load). Grid prices come from
the park's tariff (``park.tariffs``: band prices by season on the time-of-use schedule, demand
charge); the grid's carbon intensity from the accounting engine's factor for a MWh of purchased
electricity in the park's province under the headline (zero-carbon-park) method, so dispatch and
inventory cannot disagree on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.accounting import AccountingOptions, ActivityLine, parse_period
from zeropark.domain.park import ParkSpec
from zeropark.errors import InputError
from zeropark.i18n import t
from zeropark.optimize.dispatch import Battery, Grid, PvPlant, battery_from_params
from zeropark.optimize.dispatch.tariff import tou_price_series
from zeropark.service.accounting import account_lines
from zeropark.service.readings_query import hourly_series
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import meter_refs

__all__ = [
    "SiteHistory",
    "SiteParts",
    "day_hours",
    "grid_carbon_kg_per_kwh",
    "grid_model",
    "grid_prices",
    "month_labels",
    "pv_plants",
    "site_batteries",
    "site_history",
    "site_parts",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
HOUR_S = 3600


@dataclass(frozen=True, slots=True)
class SiteParts:
    """The meters that play each part of the site balance (see the module doc)."""

    imports: tuple[str, ...]
    exports: tuple[str, ...]
    pv: tuple[str, ...]
    charge: tuple[str, ...]
    discharge: tuple[str, ...]

    def demand_expression(self) -> str:
        """The site demand as a virtual-meter expression over the part meters."""
        terms = [*(f"+ {m}" for m in self.imports), *(f"- {m}" for m in self.charge)]
        terms += [*(f"+ {m}" for m in self.pv), *(f"+ {m}" for m in self.discharge)]
        terms += [f"- {m}" for m in self.exports]
        return " ".join(terms).lstrip("+ ")


def site_parts(spec: ParkSpec) -> SiteParts:
    """The part meters of a park (raises :class:`InputError` when it has no grid intake)."""
    category = {m.id: (m.accounting.category if m.accounting else None) for m in spec.meters}
    item = {m.id: (m.accounting.item if m.accounting else None) for m in spec.meters}
    parent = {m.id: m.parent for m in spec.meters}
    imports = tuple(
        m for m, c in category.items() if c == "purchased_electricity" and parent[m] is None
    )
    if not imports:
        raise InputError(
            t(
                "园区没有电网进线表（无上级的外购电力表），无法调度",
                "the park has no grid intake (a purchased-electricity meter with no parent) "
                "to dispatch against",
            ),
            field="meters",
        )
    exports = tuple(m for m, c in category.items() if c == "exported_electricity")
    charge = tuple(m for m, i in item.items() if i == "storage_charge")
    pv = tuple(a.meter for a in spec.assets if a.type == "pv" and a.meter)
    discharge = tuple(a.meter for a in spec.assets if a.type == "battery" and a.meter)
    return SiteParts(imports, exports, pv, charge, discharge)


def site_batteries(spec: ParkSpec, initial_soc: float | None = None) -> list[Battery]:
    """The park's batteries from their typed parameters (``docs/asset-types.md``)."""
    out = []
    for asset in spec.assets:
        if asset.type != "battery":
            continue
        params = {k: float(v) for k, v in asset.params.items() if isinstance(v, int | float)}
        battery = battery_from_params(asset.id, params)
        soc = battery.soc_min if initial_soc is None else initial_soc
        out.append(
            Battery(
                name=battery.name, capacity_kwh=battery.capacity_kwh, power_kw=battery.power_kw,
                charge_efficiency=battery.charge_efficiency,
                discharge_efficiency=battery.discharge_efficiency,
                soc_min=battery.soc_min, soc_max=battery.soc_max,
                initial_soc=soc, terminal_soc=soc,
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class SiteHistory:
    """The site balance per park-local hour ``hours_s`` [UTC epoch s of the hour's start]:
    mean power [kW] of each part; NaN where an input hour is missing or incomplete."""

    hours_s: IntArray
    demand_kw: FloatArray
    pv_kw: FloatArray
    import_kw: FloatArray
    export_kw: FloatArray
    charge_kw: FloatArray
    discharge_kw: FloatArray


def _sum_expression(meters: Sequence[str]) -> str | None:
    return " + ".join(meters) if meters else None


def site_history(
    conn: Connection,
    principal: Principal,
    park_id: str,
    parts: SiteParts,
    timezone: str,
    lo_s: int,
    hi_s: int,
) -> SiteHistory:
    """The site balance of the hours starting in ``[lo_s, hi_s)``, from the hourly rollups."""
    wanted = {*parts.imports, *parts.exports, *parts.pv, *parts.charge, *parts.discharge}
    visible = set(ParkRepository(conn, principal).meter_keys(park_id)) & wanted
    refs = meter_refs(conn, principal, park_id, visible)
    missing = sorted(wanted - set(refs))
    if missing:
        raise InputError(f"meters {', '.join(missing)} not readable", field="meters")
    first = hourly_series(conn, principal, refs, parts.demand_expression(), lo_s, hi_s, timezone)
    hours = np.asarray(first.hour_start_s, np.int64)
    out: dict[str, FloatArray] = {"demand_kw": np.asarray(first.quantity, np.float64)}
    for name, meters in (
        ("pv_kw", parts.pv),
        ("import_kw", parts.imports),
        ("export_kw", parts.exports),
        ("charge_kw", parts.charge),
        ("discharge_kw", parts.discharge),
    ):
        expression = _sum_expression(meters)
        values = np.zeros(hours.size)
        if expression is not None:
            series = hourly_series(conn, principal, refs, expression, lo_s, hi_s, timezone)
            at = np.searchsorted(series.hour_start_s, hours)
            at = np.minimum(at, max(series.hour_start_s.size - 1, 0))
            found = series.hour_start_s.size > 0
            match = (
                found & (series.hour_start_s[at] == hours) if found else np.zeros(hours.size, bool)
            )
            values = np.full(hours.size, np.nan)
            values[match] = np.asarray(series.quantity, np.float64)[at[match]]
        out[name] = values
    return SiteHistory(hours_s=hours, **out)


def day_hours(day: date, timezone: str, days: int = 1) -> IntArray:
    """UTC starts [epoch s] of the park-local hours of ``days`` days from ``day``."""
    zone = ZoneInfo(timezone)
    start = int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
    end_day = day + timedelta(days=days)
    end = int(datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone).timestamp())
    return np.arange(start, end, HOUR_S, dtype=np.int64)


def _local(hours_s: IntArray, timezone: str) -> tuple[IntArray, IntArray]:
    zone = ZoneInfo(timezone)
    moments = [datetime.fromtimestamp(int(h), zone) for h in hours_s.tolist()]
    return (
        np.array([m.month for m in moments], np.int64),
        np.array([m.hour for m in moments], np.int64),
    )


def month_labels(hours_s: IntArray, timezone: str) -> IntArray:
    """Each hour's park-local month as one number (year × 12 + month): demand-charge months."""
    zone = ZoneInfo(timezone)
    stamps = [datetime.fromtimestamp(int(h), zone) for h in hours_s.tolist()]
    return np.array([s.year * 12 + s.month for s in stamps], np.int64)


def grid_prices(spec: ParkSpec, hours_s: IntArray) -> tuple[FloatArray, IntArray, float]:
    """Import price [CNY/kWh, excl. VAT] per hour, each hour's month label (year × 12 + month)
    and the demand charge [CNY/kW·month] (0 without one) from the park's tariff."""
    park = spec.park
    tariff = park.tariffs.electricity if park.tariffs is not None else None
    if tariff is None or park.time_of_use is None:
        raise InputError(
            t(
                "园区文件没有电价（park.tariffs.electricity 与 park.time_of_use），无法优化成本",
                "the park file has no electricity tariff (park.tariffs.electricity and "
                "park.time_of_use) to optimise cost against",
            ),
            field="tariffs",
        )
    months, hours = _local(hours_s, park.timezone)
    seasons = [(season.months, season.prices_cny_per_kwh) for season in tariff.seasons]
    prices = tou_price_series(months, hours, park.time_of_use, seasons)
    labels = month_labels(hours_s, park.timezone)
    demand = tariff.demand
    charge = 0.0
    if demand is not None and demand.basis == "max_demand" and demand.price_cny_per_kw_month:
        charge = float(demand.price_cny_per_kw_month)
    return prices, labels, charge


def grid_carbon_kg_per_kwh(spec: ParkSpec, year: int) -> float:
    """The grid's carbon intensity [kgCO2/kWh] the park's inventory uses for purchased
    electricity under the zero-carbon-park method (its headline method)."""
    line = ActivityLine(
        entity=spec.park.id, period=parse_period(str(year)), category="purchased_electricity",
        item="electricity", quantity=1.0, unit="MWh", sector="industry",
    )  # fmt: skip
    options = AccountingOptions(reporting_year=year, region=spec.park.province)
    inventory = account_lines([line], options=options)
    result = inventory.results[0].co2e_t
    return float(result.get("zero_carbon_park", result.get("cn_national", 0.0)))  # t/MWh = kg/kWh


def grid_model(
    spec: ParkSpec,
    hours_s: IntArray,
    *,
    carbon_kg_per_kwh: float,
    peak_floor_kw: dict[int, float] | None = None,
    export_price_cny_per_kwh: float = 0.0,
) -> Grid:
    """The grid of a dispatch over ``hours_s``: prices, demand charge, carbon."""
    prices, labels, demand = grid_prices(spec, hours_s)
    return Grid(
        import_price_cny_per_kwh=prices,
        export_price_cny_per_kwh=export_price_cny_per_kwh,
        demand_charge_cny_per_kw_month=demand,
        month_of_interval=labels,
        peak_floor_kw=peak_floor_kw or {},
        carbon_kg_per_kwh=carbon_kg_per_kwh,
    )


def pv_plants(parts: SiteParts, available_kw: FloatArray) -> list[PvPlant]:
    """The PV of the site as one curtailable plant of the forecast available power [kW]."""
    return [PvPlant("pv", np.maximum(available_kw, 0.0))] if parts.pv else []
