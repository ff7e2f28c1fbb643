"""The park's electricity balance: grid import and export, on-site PV, storage, and the load.

At the park's connection point, for every interval (energies in kWh, or powers in kW alike)::

    load = grid_import + pv + battery_discharge − grid_export − battery_charge

where *load* is everything the park consumes (tenants, common loads, losses; not the battery's
charging). Read the other way, a park whose *demand* (load + battery charge) exceeds its own
supply (PV + discharge) imports the difference, else exports it — never both in one interval:
:func:`grid_exchange_kwh`. Green electricity bought under a contract is part of the import; the
renewable share counts it with on-site PV (:func:`renewable_share`).

Which meter carries which flow (:func:`meter_flows`) follows its accounting mapping: grid
purchases, exports, on-site renewable generation and green electricity by category, the battery's
charging by the ``storage_charge`` item, its discharge by being the battery asset's meter without
a mapping (a discharge is neither energy bought nor emissions).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = [
    "FLOWS",
    "FLOW_OF_CATEGORY",
    "STORAGE_CHARGE_ITEM",
    "grid_exchange_kwh",
    "load_kwh",
    "meter_flows",
    "renewable_share",
]

FloatArray = npt.NDArray[np.float64]
#: A scalar energy or an array of them (the balance holds element-wise).
Energy = TypeVar("Energy", float, FloatArray)

#: The flows of the balance, besides the load.
FLOWS = ("grid_import", "grid_export", "pv", "green", "battery_charge", "battery_discharge")
#: The flow of a counted electricity meter by its accounting category.
FLOW_OF_CATEGORY = {
    "purchased_electricity": "grid_import",
    "exported_electricity": "grid_export",
    "onsite_renewable": "pv",
    "green_electricity": "green",
}
#: The accounting item of a meter of the battery's charging.
STORAGE_CHARGE_ITEM = "storage_charge"


def load_kwh(
    grid_import_kwh: Energy,
    pv_kwh: Energy,
    battery_discharge_kwh: Energy,
    grid_export_kwh: Energy,
    battery_charge_kwh: Energy,
) -> Energy:
    """The park's load: import + PV + discharge − export − charge (element-wise)."""
    return grid_import_kwh + pv_kwh + battery_discharge_kwh - grid_export_kwh - battery_charge_kwh


def grid_exchange_kwh(
    demand_kwh: FloatArray, pv_kwh: FloatArray, battery_discharge_kwh: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Grid import and export of a park whose demand (load + battery charge) meets its supply.

    ``net = demand − PV − discharge``; import is its positive part, export its negative part.
    """
    net = demand_kwh - pv_kwh - battery_discharge_kwh
    return np.clip(net, 0.0, None), np.clip(-net, 0.0, None)


def renewable_share(pv_kwh: float, green_kwh: float, load_kwh: float) -> float | None:
    """(on-site PV + green electricity) / load of one balance interval, at most 1; None when
    there is no load.

    Not the headline renewable share shown on the pages and in reports (a share of electricity
    consumed, certificates included): that is
    :func:`zeropark.domain.energy.headline.renewable_share` (``docs/energy.md``).
    """
    return None if load_kwh <= 0 else min(1.0, (pv_kwh + green_kwh) / load_kwh)


def meter_flows(
    carrier: str,
    category: str | None,
    item: str | None,
    *,
    counted: bool,
    battery_meter: bool,
) -> tuple[str, ...]:
    """The flows (of :data:`FLOWS`) a meter's quantities belong to; none for other carriers.

    ``counted`` says the meter counts in the boundary (the meter tree's rule,
    :func:`zeropark.domain.park_tree.meter_roles`); ``battery_meter`` that it is the meter of a
    battery asset.
    """
    if carrier != "electricity":
        return ()
    flows: list[str] = []
    if item == STORAGE_CHARGE_ITEM:
        flows.append("battery_charge")
    elif battery_meter and category is None:
        flows.append("battery_discharge")
    if counted and category in FLOW_OF_CATEGORY:
        flows.append(FLOW_OF_CATEGORY[category])
    return tuple(flows)
