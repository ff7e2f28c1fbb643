"""The one definition of each headline figure, used on every page and in every report.

Three figures head the dashboard, the energy page, the indicators, the inventory and the
reports; each is defined here once, over an accounted :class:`~zeropark.domain.accounting.Inventory`
(the same lines that give 综合能耗 and the emissions), so no page computes its own
(``docs/energy.md``, "Headline figures"):

- **electricity consumed** (用电量) [kWh] = grid import + on-site generation − export, i.e. the
  electricity that entered the boundary and stayed. It is the electricity part of 综合能耗
  (GB/T 2589-2020 §4: purchased energy plus own production of renewable energy, minus energy
  sent out). Battery round-trip losses are consumption (the park bought or generated that
  energy); the power balance's *load* excludes them: consumed = load + (charge − discharge)
  (:mod:`zeropark.domain.energy.reconcile`).
- **renewable share** (可再生能源电力占比) [0-1] = renewable electricity ÷ electricity consumed,
  where renewable electricity = on-site renewable generation kept in the park (generation −
  export, ≥ 0) + green electricity (metered green-power supply, green certificates and green-power
  trades, capped at grid import: a certificate covers bought grid power only). It is a share of
  *electricity*. The guiding indicator 清洁能源消费占比 is another figure — a share of all energy
  in tce (``service/inventory/guiding.py``) — and is labelled so.
- **headline emissions** (碳排放量) [tCO2e] = the gross emissions under
  :data:`HEADLINE_METHOD`, the zero-carbon park core indicator's method (发改环资〔2025〕910号,
  ``reference/zero_carbon_park_standard.md``): CO2 of energy activities and industrial processes,
  net electricity inflow at the method's factors. It is the numerator of the core indicator
  (tCO2/tce), so headline emissions ÷ 综合能耗 is the indicator shown beside it. The other
  methods (national, GHG Protocol location- and market-based) are shown as labelled
  alternatives, never as "the" emissions.

A record of a whole year (a yearly certificate purchase) counts in the year only, never in a
month (the inventory's rule); the figures of a month are those of its lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zeropark.domain.accounting import METHOD_LABELS, Inventory, LineResult, Method
from zeropark.domain.accounting.conversions import convert

__all__ = [
    "DEFINITIONS",
    "HEADLINE_METHOD",
    "ElectricityAccount",
    "HeadlineFigures",
    "electricity_account",
    "headline_figures",
    "renewable_share",
]

#: The accounting method of the headline emissions (named wherever the figure is shown).
HEADLINE_METHOD: Method = "zero_carbon_park"

#: figure → (中文 definition, English definition), shown with the figure.
DEFINITIONS: dict[str, tuple[str, str]] = {
    "electricity_consumed": (
        "用电量 = 电网购入 + 园区内发电 − 上网电量（含储能损耗）",
        "electricity consumed = grid import + on-site generation − export (storage losses "
        "included)",
    ),
    "renewable_share": (
        "可再生能源电力占比 =（园区内可再生发电留用量 + 绿电/绿证，以购入电量为上限）÷ 用电量",
        "renewable share = (on-site renewable generation kept + green electricity and "
        "certificates, at most the grid import) ÷ electricity consumed",
    ),
    "emissions": (
        f"碳排放量：{METHOD_LABELS[HEADLINE_METHOD][0]}，总排放（未扣除碳汇与抵消）",
        f"emissions: {METHOD_LABELS[HEADLINE_METHOD][1]}, gross (before removals and offsets)",
    ),
    "energy": (
        "综合能耗（GB/T 2589-2020，电力按当量值或等价值，见 electricity_basis）",
        "comprehensive energy consumption (GB/T 2589-2020; electricity at the equivalent or "
        "equal value, see electricity_basis)",
    ),
}

_GRID, _EXPORT, _ONSITE, _GREEN = (
    "purchased_electricity",
    "exported_electricity",
    "onsite_renewable",
    "green_electricity",
)


@dataclass(frozen=True, slots=True)
class ElectricityAccount:
    """The electricity lines of an inventory (or one of its periods), summed [kWh].

    ``green_kwh`` is metered green-power supply plus certificates and green-power trades.
    """

    grid_import_kwh: float = 0.0
    onsite_generation_kwh: float = 0.0
    grid_export_kwh: float = 0.0
    green_kwh: float = 0.0

    @property
    def consumed_kwh(self) -> float:
        """Electricity consumed: grid import + on-site generation − export [kWh]."""
        return self.grid_import_kwh + self.onsite_generation_kwh - self.grid_export_kwh

    @property
    def renewable_kwh(self) -> float:
        """On-site generation kept (− export, ≥ 0) + green electricity up to the import [kWh]."""
        kept = max(self.onsite_generation_kwh - self.grid_export_kwh, 0.0)
        return kept + min(self.green_kwh, self.grid_import_kwh)


def electricity_account(
    results: Iterable[LineResult], period: str | None = None
) -> ElectricityAccount:
    """Sum the electricity lines of ``results`` [kWh]; only those of ``period`` when given.

    ``period`` is a period label of the lines (``2024-03`` for monthly lines); lines of other
    periods (a yearly record in a month's account) are left out.
    """
    sums = {_GRID: 0.0, _EXPORT: 0.0, _ONSITE: 0.0, _GREEN: 0.0}
    for r in results:
        category = r.line.category
        if category not in sums or (period is not None and r.line.period.label != period):
            continue
        kwh, _ = convert(r.line.quantity, r.line.unit, "kWh", field="unit")
        sums[category] += abs(kwh)
    return ElectricityAccount(sums[_GRID], sums[_ONSITE], sums[_EXPORT], sums[_GREEN])


def renewable_share(account: ElectricityAccount) -> float | None:
    """Renewable electricity ÷ electricity consumed, in [0, 1]; None when nothing was consumed."""
    consumed = account.consumed_kwh
    if consumed <= 0:
        return None
    return min(1.0, account.renewable_kwh / consumed)


@dataclass(frozen=True, slots=True)
class HeadlineFigures:
    """The headline figures of one boundary (park or tenant) and period.

    ``energy_tce`` is 综合能耗 on ``electricity_basis`` (``equivalent`` 当量值 or ``equal_value``
    等价值); ``emissions_t`` the gross tCO2e under ``emissions_method``.
    """

    period: str | None
    electricity_consumed_kwh: float
    renewable_electricity_kwh: float
    renewable_share: float | None
    emissions_t: float
    emissions_method: Method
    energy_tce: float
    electricity_basis: str
    electricity: ElectricityAccount

    def as_dict(self) -> dict[str, object]:
        """Plain data with units in the keys and the definitions (zh, en)."""
        zh, en = METHOD_LABELS[self.emissions_method]
        return {
            "period": self.period,
            "electricity_consumed_kwh": self.electricity_consumed_kwh,
            "renewable_electricity_kwh": self.renewable_electricity_kwh,
            "renewable_share": self.renewable_share,
            "emissions_tco2e": self.emissions_t,
            "emissions_method": self.emissions_method,
            "emissions_method_zh": zh,
            "emissions_method_en": en,
            "energy_tce": self.energy_tce,
            "electricity_basis": self.electricity_basis,
            "grid_import_kwh": self.electricity.grid_import_kwh,
            "onsite_generation_kwh": self.electricity.onsite_generation_kwh,
            "grid_export_kwh": self.electricity.grid_export_kwh,
            "green_kwh": self.electricity.green_kwh,
            "definitions": {k: {"zh": v[0], "en": v[1]} for k, v in DEFINITIONS.items()},
        }


def headline_figures(inventory: Inventory, period: str | None = None) -> HeadlineFigures:
    """The headline figures of an accounted inventory: the year, or one of its periods.

    ``period`` is a label of the inventory's granularity (``2024-03`` for a monthly inventory);
    None gives the whole inventory.
    """
    account = electricity_account(inventory.results, period)
    totals = inventory.totals[HEADLINE_METHOD]
    energy = inventory.energy
    if period is None:
        emissions, tce = totals.gross_t, energy.total_tce
    else:
        emissions = totals.by_period.get(period, 0.0)
        tce = energy.by_period.get(period, 0.0)
    return HeadlineFigures(
        period=period,
        electricity_consumed_kwh=account.consumed_kwh,
        renewable_electricity_kwh=min(account.renewable_kwh, max(account.consumed_kwh, 0.0)),
        renewable_share=renewable_share(account),
        emissions_t=emissions,
        emissions_method=HEADLINE_METHOD,
        energy_tce=tce,
        electricity_basis=energy.electricity_basis,
        electricity=account,
    )
