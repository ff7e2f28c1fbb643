"""The site model of a dispatch (源网荷储协同调度): arrays and asset parameters, no I/O.

Every series is an array over the ``n`` intervals of the horizon, each ``interval_h`` hours
long (1 for hourly, 0.25 for 15 minutes). Powers are interval means [kW], energies [kWh],
prices [CNY/kWh] (or any currency: the objective is in the currency of the prices), carbon
intensities [kgCO2/kWh]. A sign convention holds everywhere: every asset variable is
non-negative and its direction is in its name (``charge_kw``, ``discharge_kw``,
``import_kw``, ``export_kw``).

The asset parameters mirror the park file's asset types (``src/zeropark/data/asset_types.csv``,
``docs/asset-types.md``): :func:`battery_from_params` and :func:`pv_from_params` turn a park
asset's typed parameters into these dataclasses. ``docs/dispatch.md`` gives the equations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from zeropark.errors import InputError

__all__ = [
    "Battery",
    "Boiler",
    "Chp",
    "EvSession",
    "FloatArray",
    "Grid",
    "HeatPump",
    "HydrogenChain",
    "Objective",
    "PvPlant",
    "ShiftableLoad",
    "SiteModel",
    "battery_from_params",
    "month_index",
]

FloatArray = npt.NDArray[np.float64]
Objective = Literal["cost", "carbon", "weighted"]


def _series(values: npt.ArrayLike | float, n: int, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise InputError(
            f"{name} has {arr.shape[0] if arr.ndim else 1} values, the horizon {n}", field=name
        )
    if not np.isfinite(arr).all():
        bad = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise InputError(f"{name} is not a finite number at interval {bad}", field=name)
    return arr


@dataclass(frozen=True, slots=True)
class Grid:
    """The grid connection (电网): tariffs, limits, demand charge, carbon intensity.

    ``import_price_cny_per_kwh`` and ``export_price_cny_per_kwh`` per interval (a scalar is
    broadcast); ``import_limit_kw`` is the contract capacity (合同容量/变压器容量),
    ``export_limit_kw`` the export cap (0 forbids export, ``inf`` none). The demand charge
    (需量电费) ``demand_charge_cny_per_kw_month`` is billed on each calendar month's highest
    mean import of an interval; ``month_of_interval`` names the month (any integer label) of
    each interval, and ``peak_floor_kw`` maps a month label to the peak already reached in it
    before the horizon starts (rolling re-planning). ``carbon_kg_per_kwh`` is the grid's
    carbon intensity of each interval (a scalar is broadcast).
    """

    import_price_cny_per_kwh: npt.ArrayLike | float
    export_price_cny_per_kwh: npt.ArrayLike | float = 0.0
    import_limit_kw: float = math.inf
    export_limit_kw: float = math.inf
    demand_charge_cny_per_kw_month: float = 0.0
    month_of_interval: npt.ArrayLike | None = None
    peak_floor_kw: Mapping[int, float] = field(default_factory=dict)
    carbon_kg_per_kwh: npt.ArrayLike | float = 0.0


@dataclass(frozen=True, slots=True)
class PvPlant:
    """A PV plant (光伏) by its available AC power per interval [kW]; curtailable or not."""

    name: str
    available_kw: npt.ArrayLike
    curtailable: bool = True


@dataclass(frozen=True, slots=True)
class Battery:
    """A stationary battery (储能) at its AC terminals.

    ``capacity_kwh`` usable energy at 100 % SOC; ``power_kw`` charge and discharge limit (or
    ``charge_power_kw`` / ``discharge_power_kw`` when they differ); ``charge_efficiency`` and
    ``discharge_efficiency`` one-way [1] (from a round-trip efficiency ``r``: both ``sqrt(r)``,
    :func:`battery_from_params`); SOC bounds and the initial SOC as shares of the capacity;
    ``terminal_soc`` the least SOC at the end of the horizon (None: at least the initial one);
    ``degradation_cny_per_mwh`` a cost per MWh of throughput (charged plus discharged energy).
    """

    name: str
    capacity_kwh: float
    power_kw: float
    charge_efficiency: float = 0.95
    discharge_efficiency: float = 0.95
    soc_min: float = 0.0
    soc_max: float = 1.0
    initial_soc: float = 0.5
    terminal_soc: float | None = None
    degradation_cny_per_mwh: float = 0.0
    charge_power_kw: float | None = None
    discharge_power_kw: float | None = None


@dataclass(frozen=True, slots=True)
class EvSession:
    """One EV charging session (充电会话): plugged in over intervals ``[arrival, departure)``.

    It must receive ``energy_kwh`` into the vehicle by departure through a charger of
    ``charger_kw`` with ``efficiency`` (grid → vehicle).
    """

    name: str
    arrival: int
    departure: int
    energy_kwh: float
    charger_kw: float
    efficiency: float = 1.0


@dataclass(frozen=True, slots=True)
class ShiftableLoad:
    """A flexible load (可调负荷): ``energy_kwh`` to run within intervals ``[earliest, latest)``
    at no more than ``max_kw``; without dispatch it runs at ``max_kw`` from ``earliest``."""

    name: str
    earliest: int
    latest: int
    energy_kwh: float
    max_kw: float


@dataclass(frozen=True, slots=True)
class Chp:
    """Combined heat and power (热电联产): fuel in [kW of fuel, LHV], electricity and heat out.

    ``electric_kw`` rated electric output; ``electric_efficiency`` and ``thermal_efficiency``
    per unit of fuel; fuel costs ``fuel_cny_per_kwh`` and emits ``fuel_kg_co2_per_kwh``.
    """

    name: str
    electric_kw: float
    electric_efficiency: float
    thermal_efficiency: float
    fuel_cny_per_kwh: float
    fuel_kg_co2_per_kwh: float = 0.0


@dataclass(frozen=True, slots=True)
class HeatPump:
    """A heat pump (热泵): heat out = ``cop`` × electricity in, up to ``heat_kw``."""

    name: str
    heat_kw: float
    cop: float


@dataclass(frozen=True, slots=True)
class Boiler:
    """A fuel boiler (锅炉): heat out = ``efficiency`` × fuel in, up to ``heat_kw``."""

    name: str
    heat_kw: float
    efficiency: float
    fuel_cny_per_kwh: float
    fuel_kg_co2_per_kwh: float = 0.0


@dataclass(frozen=True, slots=True)
class HydrogenChain:
    """Electrolyser (电解槽) → tank (储氢罐) → fuel cell (燃料电池), energies in kWh of H2 (LHV).

    ``electrolyser_kw`` electric input limit and ``electrolyser_efficiency`` (H2 out per
    electricity in); ``tank_kwh`` capacity, ``initial_kwh`` and ``terminal_kwh`` (None: at
    least the initial level); ``fuel_cell_kw`` electric output limit and
    ``fuel_cell_efficiency`` (electricity out per H2 in); ``offtake_kw`` hydrogen taken out of
    the tank per interval (vehicles, processes), a scalar or an array.
    """

    name: str
    electrolyser_kw: float
    electrolyser_efficiency: float
    tank_kwh: float
    fuel_cell_kw: float
    fuel_cell_efficiency: float
    initial_kwh: float = 0.0
    terminal_kwh: float | None = None
    offtake_kw: npt.ArrayLike | float = 0.0


@dataclass(frozen=True, slots=True)
class SiteModel:
    """Everything one dispatch needs (see the module doc for units and signs).

    ``load_kw`` is the inflexible electric load; ``heat_load_kw`` the heat demand the heat
    assets must meet (zero without heat assets). ``objective``: ``"cost"`` (money, including
    the carbon price), ``"carbon"`` (tCO2 only) or ``"weighted"`` (money +
    ``carbon_weight_cny_per_t`` × tCO2). ``carbon_price_cny_per_t`` adds a price on emitted CO2
    to the money. ``labels`` optionally names each interval (ISO times) in explanations.
    """

    interval_h: float
    load_kw: npt.ArrayLike
    grid: Grid
    pv: Sequence[PvPlant] = ()
    batteries: Sequence[Battery] = ()
    ev_sessions: Sequence[EvSession] = ()
    shiftable: Sequence[ShiftableLoad] = ()
    chps: Sequence[Chp] = ()
    heat_pumps: Sequence[HeatPump] = ()
    boilers: Sequence[Boiler] = ()
    hydrogen: Sequence[HydrogenChain] = ()
    heat_load_kw: npt.ArrayLike | float = 0.0
    objective: Objective = "cost"
    carbon_price_cny_per_t: float = 0.0
    carbon_weight_cny_per_t: float = 0.0
    labels: Sequence[str] | None = None

    @property
    def n(self) -> int:
        """Number of intervals of the horizon."""
        return int(np.asarray(self.load_kw).shape[0])

    def validate(self) -> None:
        """:class:`InputError` naming the field when an input cannot make a model."""
        n = self.n
        if not self.interval_h > 0:
            raise InputError("interval_h must be positive", field="interval_h")
        _series(self.load_kw, n, "load_kw")
        _series(self.heat_load_kw, n, "heat_load_kw")
        buy = _series(self.grid.import_price_cny_per_kwh, n, "import_price_cny_per_kwh")
        sell = _series(self.grid.export_price_cny_per_kwh, n, "export_price_cny_per_kwh")
        if self.grid.export_limit_kw > 0 and (sell > buy).any():
            t = int(np.flatnonzero(sell > buy)[0])
            raise InputError(
                f"the export price exceeds the import price at {self.label(t)} "
                f"({sell[t]} > {buy[t]}): importing to export would pay, which metering nets "
                "out; cap the export price there or set export_limit_kw to 0",
                field="export_price_cny_per_kwh",
            )
        _series(self.grid.carbon_kg_per_kwh, n, "carbon_kg_per_kwh")
        for pv in self.pv:
            if (_series(pv.available_kw, n, f"pv {pv.name}.available_kw") < 0).any():
                raise InputError(f"pv {pv.name}: available power is negative", field="available_kw")
        for b in self.batteries:
            if not (0 <= b.soc_min <= b.soc_max <= 1 and 0 <= b.initial_soc <= 1):
                raise InputError(
                    f"battery {b.name}: SOC shares are 0 <= min <= max <= 1", field="soc"
                )
            if b.capacity_kwh <= 0 or b.power_kw < 0:
                raise InputError(
                    f"battery {b.name}: capacity and power must be positive", field="capacity_kwh"
                )
            if not (0 < b.charge_efficiency <= 1 and 0 < b.discharge_efficiency <= 1):
                raise InputError(
                    f"battery {b.name}: efficiencies are in (0, 1]", field="efficiency"
                )
        for s in self.ev_sessions:
            if not (0 <= s.arrival < s.departure <= n):
                raise InputError(
                    f"EV session {s.name}: arrival {s.arrival} and departure {s.departure} "
                    f"must satisfy 0 <= arrival < departure <= {n}",
                    field="departure",
                )
        for j in self.shiftable:
            if not (0 <= j.earliest < j.latest <= n):
                raise InputError(
                    f"shiftable load {j.name}: window [{j.earliest}, {j.latest}) outside 0..{n}",
                    field="latest",
                )
        if self.grid.month_of_interval is not None:
            months = np.asarray(self.grid.month_of_interval)
            if months.shape != (n,):
                raise InputError(
                    "month_of_interval must label every interval", field="month_of_interval"
                )

    def label(self, t: int) -> str:
        """The name of interval ``t`` in explanations (its label, else ``interval t``)."""
        if self.labels is not None and 0 <= t < len(self.labels):
            return str(self.labels[t])
        return f"interval {t}"


def battery_from_params(name: str, params: Mapping[str, float], **overrides: float) -> Battery:
    """A :class:`Battery` from the park file's ``battery`` parameters (``asset_types.csv``):
    ``capacity_kwh``, ``power_kw``, ``roundtrip_efficiency`` (split evenly: each way
    ``sqrt(r)``), ``soc_min``, ``soc_max``; ``overrides`` set the other fields."""
    rt = float(params["roundtrip_efficiency"])
    one_way = math.sqrt(rt)
    kwargs: dict[str, float] = {
        "capacity_kwh": float(params["capacity_kwh"]),
        "power_kw": float(params["power_kw"]),
        "charge_efficiency": one_way,
        "discharge_efficiency": one_way,
        "soc_min": float(params.get("soc_min", 0.1)),
        "soc_max": float(params.get("soc_max", 0.95)),
    }
    kwargs.update(overrides)
    return Battery(name=name, **kwargs)


def month_index(months: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct month labels in order of appearance and each interval's position among them."""
    arr = np.asarray(months)
    labels, first, inverse = np.unique(arr, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return labels[order].astype(np.int64), rank[inverse.reshape(-1)].astype(np.int64)
