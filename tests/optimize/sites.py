"""Site models for the dispatch tests and benchmark: a year of hourly load and PV, a battery,
a time-of-use tariff with export and a monthly demand charge; and the same model in PyPSA and
in linopy, built independently of zeropark's matrix builder.

The load and PV are the demo park's modelled year (``zeropark.data.demo``: the park's site
consumption and its rooftop PV, both from pvlib and the Chinese holiday calendar); the prices
are the demo park's illustrative two-part tariff (``src/zeropark/data/demo/tariffs.py``: peak
1.05, flat 0.63, valley 0.27 CNY/kWh, summer critical peak 1.33, demand charge 40 CNY/kW·month)
on the demo's Jiangsu-style hours (peak 8-11 and 17-22, valley 0-8).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

from zeropark.domain.park import TimeOfUse, TouSeason
from zeropark.optimize.dispatch import Battery, Grid, PvPlant, SiteModel
from zeropark.optimize.dispatch.tariff import tou_price_series

FloatArray = npt.NDArray[np.float64]

PEAK_HOURS = ((8, 11), (17, 22))
VALLEY_HOURS = ((0, 8),)
PRICES = {"peak": 1.05, "flat": 0.63, "valley": 0.27}
SUMMER_PRICES = {"critical_peak": 1.33, "peak": 1.11, "flat": 0.66, "valley": 0.28}
SUMMER = (7, 8)
CRITICAL_HOURS = ((20, 21),)
DEMAND_CNY_PER_KW_MONTH = 40.0
#: Feed-in price [CNY/kWh] (illustrative, below the valley import price: a higher one would pay
#: the LP to import and export at once, which metering nets out)
EXPORT_CNY_PER_KWH = 0.25


@functools.cache
def demo_year() -> tuple[FloatArray, FloatArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Hourly site load [kW], PV [kW], local month and hour of the demo park's 2024 (8,784 h)."""
    from zeropark.data.demo.build import demo_quantities

    grid, q = demo_quantities(2024, 20240101)
    site = q["grid_main"] - q["grid_export"] + q["pv_gen"] + q["bess_discharge"] - q["bess_charge"]
    # kWh per 15 minutes → hourly mean kW
    load = site.reshape(-1, 4).sum(axis=1)
    pv = q["pv_gen"].reshape(-1, 4).sum(axis=1)
    month = grid.month[::4].astype(np.int64)
    hour = (grid.slot[::4] // 4).astype(np.int64)
    return load, pv, month, hour


#: The demo tariff's bands as a park-file time-of-use schedule (summer hour 20-21 critical peak).
SCHEDULE = TimeOfUse(
    periods=[
        TouSeason(months=[m for m in range(1, 13) if m not in SUMMER],
                  peak=[list(r) for r in PEAK_HOURS], valley=[list(r) for r in VALLEY_HOURS]),
        TouSeason(months=list(SUMMER), peak=[[8, 11], [17, 20], [21, 22]],
                  critical_peak=[list(r) for r in CRITICAL_HOURS],
                  valley=[list(r) for r in VALLEY_HOURS]),
    ]
)  # fmt: skip


def tou_prices(month: npt.NDArray[np.int64], hour: npt.NDArray[np.int64]) -> FloatArray:
    """Import price [CNY/kWh] of each local hour under the demo tariff (domain banding)."""
    rest = [m for m in range(1, 13) if m not in SUMMER]
    return tou_price_series(month, hour, SCHEDULE, [(rest, PRICES), (SUMMER, SUMMER_PRICES)])


def battery(degradation: float = 0.0) -> Battery:
    """The demo park's 4 MWh / 2 MW battery, round-trip 0.88 split evenly, SOC 0.1-0.95."""
    eta = math.sqrt(0.88)
    return Battery(
        "bess", capacity_kwh=4000.0, power_kw=2000.0, charge_efficiency=eta,
        discharge_efficiency=eta, soc_min=0.1, soc_max=0.95, initial_soc=0.5,
        degradation_cny_per_mwh=degradation,
    )  # fmt: skip


def site_model(
    hours: int | None = None, *, demand_charge: bool = True, pv_scale: float = 1.0,
    export_limit_kw: float = 3000.0, degradation: float = 20.0,
) -> SiteModel:  # fmt: skip
    """The benchmark site over the first ``hours`` of the demo year (all of it when None)."""
    load, pv, month, hour = demo_year()
    n = load.size if hours is None else hours
    return SiteModel(
        interval_h=1.0,
        load_kw=load[:n],
        pv=[PvPlant("roof", pv[:n] * pv_scale)],
        batteries=[battery(degradation)],
        grid=Grid(
            import_price_cny_per_kwh=tou_prices(month[:n], hour[:n]),
            export_price_cny_per_kwh=EXPORT_CNY_PER_KWH,
            export_limit_kw=export_limit_kw,
            demand_charge_cny_per_kw_month=DEMAND_CNY_PER_KW_MONTH if demand_charge else 0.0,
            month_of_interval=month[:n],
        ),
    )


def pypsa_network(model: SiteModel):  # type: ignore[no-untyped-def]
    """The same site in PyPSA: a bus, the load, PV and export as generators, the battery as a
    Store between a charging and a discharging Link, and the monthly demand charge as one
    extendable import generator per month (available only in its month, ``capital_cost`` the
    demand charge: its optimal ``p_nom`` is the month's peak import)."""
    import pandas as pd
    import pypsa

    n = model.n
    g = model.grid
    snapshots = pd.RangeIndex(n, name="snapshot")
    net = pypsa.Network()
    net.set_snapshots(snapshots)
    net.snapshot_weightings.loc[:, :] = model.interval_h
    net.add("Bus", "site")
    net.add("Load", "load", bus="site", p_set=pd.Series(np.asarray(model.load_kw), index=snapshots))
    price = np.broadcast_to(np.asarray(g.import_price_cny_per_kwh, dtype=float), (n,))
    months = (
        np.asarray(g.month_of_interval) if g.month_of_interval is not None else np.zeros(n, int)
    )
    if g.demand_charge_cny_per_kw_month > 0:
        for label in dict.fromkeys(months.tolist()):
            avail = (months == label).astype(float)
            net.add(
                "Generator", f"import_{label}", bus="site", p_nom_extendable=True,
                p_nom_max=g.import_limit_kw, capital_cost=g.demand_charge_cny_per_kw_month,
                p_max_pu=pd.Series(avail, index=snapshots),
                marginal_cost=pd.Series(price, index=snapshots),
            )  # fmt: skip
    else:
        big = g.import_limit_kw if math.isfinite(g.import_limit_kw) else 1e7
        net.add(
            "Generator",
            "import",
            bus="site",
            p_nom=big,
            marginal_cost=pd.Series(price, index=snapshots),
        )
    export_price = np.broadcast_to(np.asarray(g.export_price_cny_per_kwh, dtype=float), (n,))
    net.add(
        "Generator", "export", bus="site", p_nom=g.export_limit_kw, p_min_pu=-1.0, p_max_pu=0.0,
        marginal_cost=pd.Series(export_price, index=snapshots),
    )  # fmt: skip
    for pv in model.pv:
        avail = np.asarray(pv.available_kw, dtype=float)
        cap = max(float(avail.max()), 1.0)
        net.add("Generator", pv.name, bus="site", p_nom=cap,
                p_max_pu=pd.Series(avail / cap, index=snapshots))  # fmt: skip
    for b in model.batteries:
        e_min = np.full(n, b.soc_min)
        e_min[-1] = max(b.soc_min, b.initial_soc if b.terminal_soc is None else b.terminal_soc)
        wear = b.degradation_cny_per_mwh / 1000.0
        net.add("Bus", f"{b.name}_dc")
        net.add(
            "Store", b.name, bus=f"{b.name}_dc", e_nom=b.capacity_kwh,
            e_min_pu=pd.Series(e_min, index=snapshots), e_max_pu=b.soc_max,
            e_initial=b.initial_soc * b.capacity_kwh, e_cyclic=False,
        )  # fmt: skip
        net.add("Link", f"{b.name}_charge", bus0="site", bus1=f"{b.name}_dc", p_nom=b.power_kw,
                efficiency=b.charge_efficiency, marginal_cost=wear)  # fmt: skip
        net.add("Link", f"{b.name}_discharge", bus0=f"{b.name}_dc", bus1="site",
                p_nom=b.power_kw / b.discharge_efficiency, efficiency=b.discharge_efficiency,
                marginal_cost=wear * b.discharge_efficiency)  # fmt: skip
    return net


def linopy_model(model: SiteModel):  # type: ignore[no-untyped-def]
    """The same LP written directly in linopy (for the benchmark)."""
    import linopy
    import pandas as pd
    import xarray as xr

    n = model.n
    g = model.grid
    dt = model.interval_h
    t = pd.RangeIndex(n, name="t")
    m = linopy.Model()
    price = xr.DataArray(
        np.broadcast_to(np.asarray(g.import_price_cny_per_kwh, float), (n,)), coords=[t]
    )
    eprice = xr.DataArray(
        np.broadcast_to(np.asarray(g.export_price_cny_per_kwh, float), (n,)), coords=[t]
    )
    imp = m.add_variables(lower=0, upper=g.import_limit_kw, coords=[t], name="imp")
    exp = m.add_variables(lower=0, upper=g.export_limit_kw, coords=[t], name="exp")
    supply = imp - exp
    obj = (price * dt * imp).sum() - (eprice * dt * exp).sum()
    for pv in model.pv:
        avail = xr.DataArray(np.asarray(pv.available_kw, float), coords=[t])
        p = m.add_variables(lower=0, upper=avail, coords=[t], name=f"pv_{pv.name}")
        supply = supply + p
    for b in model.batteries:
        ch = m.add_variables(lower=0, upper=b.power_kw, coords=[t], name=f"ch_{b.name}")
        dis = m.add_variables(lower=0, upper=b.power_kw, coords=[t], name=f"dis_{b.name}")
        soc = m.add_variables(lower=b.soc_min * b.capacity_kwh, upper=b.soc_max * b.capacity_kwh,
                              coords=[t], name=f"soc_{b.name}")  # fmt: skip
        e0 = b.initial_soc * b.capacity_kwh
        flow = b.charge_efficiency * dt * ch - dt / b.discharge_efficiency * dis
        m.add_constraints(soc.isel(t=0) - flow.isel(t=0) == e0, name=f"soc0_{b.name}")
        prev = soc.shift(t=1)
        m.add_constraints((soc - prev - flow).isel(t=slice(1, None)) == 0, name=f"soc_{b.name}")
        end = e0 if b.terminal_soc is None else b.terminal_soc * b.capacity_kwh
        m.add_constraints(soc.isel(t=n - 1) >= end, name=f"end_{b.name}")
        wear = b.degradation_cny_per_mwh / 1000.0 * dt
        obj = obj + (wear * ch).sum() + (wear * dis).sum()
        supply = supply + dis - ch
    load = xr.DataArray(np.asarray(model.load_kw, float), coords=[t])
    m.add_constraints(supply == load, name="balance")
    if g.demand_charge_cny_per_kw_month > 0:
        months = np.asarray(g.month_of_interval)
        labels = list(dict.fromkeys(months.tolist()))
        mi = pd.Index(labels, name="month")
        peak = m.add_variables(lower=0, coords=[mi], name="peak")
        pos = xr.DataArray(np.searchsorted(np.array(labels), months), coords=[t])
        m.add_constraints(peak.isel(month=pos) - imp >= 0, name="peak_import")
        obj = obj + (g.demand_charge_cny_per_kw_month * peak).sum()
    m.add_objective(obj)
    return m
