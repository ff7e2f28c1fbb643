"""Reconciliation of the park's figures: the electricity balance and the parts of each carrier.

Two identities, shown side by side on the energy page (``docs/energy.md``, "Reconciliation"):

- the electricity balance at the connection point (:mod:`zeropark.domain.energy.flows`)::

      load = grid import + PV + battery discharge − export − battery charge
      consumed = grid import + PV − export = load + storage loss (charge − discharge)

  ``consumed`` from the meters must equal the headline electricity consumed of the inventory
  (:mod:`zeropark.domain.energy.headline`); the difference, if any, is electricity entered as
  activity records, shown as such;
- the parts of each carrier's park consumption::

      park = Σ tenants + common metered + storage loss + unmetered (residual: losses, unmetered use)

  where *park* is the topmost meters' total (exports subtracted), *tenants* each tenant's
  topmost consumption meters, *common metered* the meters of no tenant beside them
  (:func:`zeropark.domain.park_tree.group_meters`). A negative residual means the sub-meters
  read more than the intake — a metering problem, shown, not hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zeropark.domain.energy.flows import load_kwh

__all__ = ["CarrierParts", "ElectricityBalance", "carrier_parts", "electricity_balance"]

#: Relative tolerance of "the balance closes" (rounding of summed float64 quantities).
REL_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class ElectricityBalance:
    """The flows of a period [kWh], the load they balance to, and the check against the
    headline electricity consumed (``headline_kwh``)."""

    grid_import_kwh: float
    pv_kwh: float
    battery_discharge_kwh: float
    grid_export_kwh: float
    battery_charge_kwh: float
    load_kwh: float
    storage_loss_kwh: float
    consumed_kwh: float
    headline_kwh: float
    records_kwh: float
    closes: bool


def electricity_balance(
    grid_import_kwh: float,
    pv_kwh: float,
    battery_discharge_kwh: float,
    grid_export_kwh: float,
    battery_charge_kwh: float,
    headline_kwh: float,
) -> ElectricityBalance:
    """The balance of metered flows and its difference from the headline electricity consumed.

    ``records_kwh`` = headline − metered consumption: electricity entered as records (0 in a
    fully metered park); ``closes`` when it is 0 within :data:`REL_TOLERANCE`.
    """
    load = load_kwh(grid_import_kwh, pv_kwh, battery_discharge_kwh, grid_export_kwh,
                    battery_charge_kwh)  # fmt: skip
    consumed = grid_import_kwh + pv_kwh - grid_export_kwh
    records = headline_kwh - consumed
    scale = max(abs(headline_kwh), abs(consumed), 1.0)
    return ElectricityBalance(
        grid_import_kwh=grid_import_kwh,
        pv_kwh=pv_kwh,
        battery_discharge_kwh=battery_discharge_kwh,
        grid_export_kwh=grid_export_kwh,
        battery_charge_kwh=battery_charge_kwh,
        load_kwh=load,
        storage_loss_kwh=battery_charge_kwh - battery_discharge_kwh,
        consumed_kwh=consumed,
        headline_kwh=headline_kwh,
        records_kwh=records,
        closes=math.isclose(records, 0.0, abs_tol=REL_TOLERANCE * scale),
    )


@dataclass(frozen=True, slots=True)
class CarrierParts:
    """One carrier's park consumption [its unit] and the parts that make it up."""

    carrier: str
    unit: str
    park: float
    tenants: float
    common_metered: float
    storage_loss: float
    unmetered: float


def carrier_parts(
    carrier: str,
    unit: str,
    park: float,
    tenants: float,
    common_metered: float,
    storage_loss: float = 0.0,
) -> CarrierParts:
    """The parts of ``park``; ``unmetered`` is what the meters below the intake do not explain."""
    unmetered = park - tenants - common_metered - storage_loss
    return CarrierParts(carrier, unit, park, tenants, common_metered, storage_loss, unmetered)
