"""A month's supplier cost and tenant bills (月度账单), from hourly arrays: pure, no I/O.

What the park pays its suppliers (the grid company, the gas, water and heat suppliers) is
shared out so that it reconciles to the fen (0.01 CNY)::

    Σ tenants' supplier lines (incl. VAT) + park-retained cost = supplier cost (incl. VAT)

Electricity (per park-local hour ``h`` of the month, band ``b(h)`` from the time-of-use hours,
price ``p_b`` of the month's season, all prices excluding VAT):

- supplier energy charge: ``Σ_b G_b × p_b`` with ``G`` the intake's import [kWh]; demand charge
  (需量) ``maximum demand [kW] × price`` (the intake's highest 15-minute mean when given, else
  its highest hourly mean) or capacity charge (容量) ``kVA × price``; fixed charges.
- on-site PV used on site ``S(h)`` is shared among the metered consumers (tenants and the
  park's own meters) in proportion to their load of that hour:
  ``PV_i(h) = L_i(h) × min(1, S(h) / Σ_j L_j(h))``; a tenant pays its PV share at
  ``price_factor × p_b`` (or a flat price) — a sale of the PV owner, outside the supplier cost.
- a tenant's grid energy ``E_i,b = Σ_{h in b} (L_i(h) − PV_i(h))`` is charged at ``p_b``.
- the demand charge is shared by each consumer's load in the hour of the intake's maximum
  (``coincident_peak``) or joins the common costs.
- common costs (公摊) = supplier energy + fixed charges − Σ tenants' grid energy charges: what
  no tenant meter measures (park buildings, chargers, losses, the battery's net effect),
  shared by the park's key (floor area, consumption or fixed shares); the park keeps its own
  share.

Other carriers: supplier quantity × price + fixed charges; a tenant pays its metered quantity ×
price and its share of the rest (common costs by the same key).

Every line is rounded to the fen, half up; shares of an amount are whole fen by largest
remainder, so they sum to the amount exactly. VAT (增值税) is ``rate × subtotal`` per carrier
and bill, rounded to the fen. The park-retained cost is what remains of the supplier cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from zeropark.domain.billing.tariff_spec import (
    BAND_CODES,
    CommonCosts,
    ElectricityTariff,
    FlatTariff,
    Tariffs,
)
from zeropark.domain.energy.tariffs import FEN, money, season_prices
from zeropark.errors import InputError

__all__ = [
    "PARK",
    "PV_SECTION",
    "BillLine",
    "CarrierMonth",
    "ElectricityMonth",
    "MonthBilling",
    "MonthInput",
    "SectionTotal",
    "SupplierCost",
    "TenantBill",
    "allocate",
    "bill_month",
]

#: The consumer name of the park's own meters and buildings.
PARK = "park"
#: The bill section of on-site PV sales (not part of the supplier cost).
PV_SECTION = "onsite_pv"

FloatArray = npt.NDArray[np.float64]
LineKind = Literal["energy", "pv", "demand", "fixed", "common"]


@dataclass(frozen=True, slots=True)
class ElectricityMonth:
    """A month of electricity, one value per park-local hour.

    ``bands``: band code of each hour; ``grid_kwh``: the intake's import (the supplier's
    meter); ``pv_self_kwh``: on-site PV used on site; ``loads_kwh``: consumer (tenant id or
    :data:`PARK`) → its metered consumption. ``max_demand_kw`` and ``peak_hour`` (index of the
    hour holding it): the intake's maximum demand from its 15-minute intervals when known;
    else the highest hourly mean of ``grid_kwh``.
    """

    bands: Sequence[str]
    grid_kwh: FloatArray
    pv_self_kwh: FloatArray
    loads_kwh: Mapping[str, FloatArray]
    max_demand_kw: float | None = None
    peak_hour: int | None = None


@dataclass(frozen=True, slots=True)
class CarrierMonth:
    """A month of another carrier in its tariff's unit: the supplier's quantity and each
    consumer's metered quantity (tenant id or :data:`PARK`)."""

    carrier: str
    supplier_qty: float
    consumption: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class MonthInput:
    """Everything one month's bills need: month 1-12, the tenants, floor areas [m²] by
    consumer, electricity and the other carriers."""

    month: int
    tenants: Sequence[str]
    floor_area_m2: Mapping[str, float]
    electricity: ElectricityMonth | None = None
    others: Sequence[CarrierMonth] = ()


@dataclass(frozen=True, slots=True)
class BillLine:
    """One line of a bill: ``quantity`` [``unit``] × ``price_cny`` or ``share`` of a pool."""

    section: str
    kind: LineKind
    amount_cny: Decimal
    band: str | None = None
    quantity: float | None = None
    unit: str | None = None
    price_cny: float | None = None
    share: float | None = None


@dataclass(frozen=True, slots=True)
class SectionTotal:
    """A section's (carrier's) subtotal, VAT and total [CNY]."""

    section: str
    subtotal_cny: Decimal
    vat_rate: float
    vat_cny: Decimal

    @property
    def total_cny(self) -> Decimal:
        """Subtotal plus VAT."""
        return self.subtotal_cny + self.vat_cny


@dataclass(frozen=True, slots=True)
class TenantBill:
    """One tenant's bill for the month."""

    tenant_id: str
    lines: tuple[BillLine, ...]
    sections: tuple[SectionTotal, ...]
    kwh_by_band: dict[str, float] = field(default_factory=dict)
    pv_kwh_by_band: dict[str, float] = field(default_factory=dict)

    @property
    def total_cny(self) -> Decimal:
        """Everything the tenant pays, VAT included."""
        return sum((s.total_cny for s in self.sections), Decimal(0))

    @property
    def supplier_total_cny(self) -> Decimal:
        """The part that pays the suppliers (all but on-site PV), VAT included."""
        return sum((s.total_cny for s in self.sections if s.section != PV_SECTION), Decimal(0))


@dataclass(frozen=True, slots=True)
class SupplierCost:
    """What the park pays for one carrier: lines, subtotal, VAT; for electricity the energy
    per band [kWh] and the maximum demand [kW] with its hour index."""

    carrier: str
    lines: tuple[BillLine, ...]
    total: SectionTotal
    kwh_by_band: dict[str, float] = field(default_factory=dict)
    max_demand_kw: float | None = None
    peak_hour: int | None = None


@dataclass(frozen=True, slots=True)
class MonthBilling:
    """A month's supplier costs, tenant bills, common pools and park-retained costs."""

    month: int
    suppliers: dict[str, SupplierCost]
    bills: dict[str, TenantBill]
    common_pool_cny: dict[str, Decimal]
    common_shares: dict[str, dict[str, float]]
    retained: dict[str, SectionTotal]
    retained_parts: dict[str, dict[str, Decimal]] = field(default_factory=dict)


def allocate(amount: Decimal, weights: Mapping[str, float]) -> dict[str, Decimal]:
    """``amount`` [CNY] split in whole fen in proportion to ``weights``, summing exactly.

    Largest remainder (Hamilton): each gets the floor of its exact share, the fen left over go
    to the largest fractional parts (ties: the order of ``weights``). With no positive weight
    everything goes to :data:`PARK`.
    """
    positive = {k: float(w) for k, w in weights.items() if w > 0}
    total_w = sum(positive.values())
    if total_w <= 0:
        return {**dict.fromkeys(weights, Decimal(0)), PARK: amount}
    sign = -1 if amount < 0 else 1
    cents = int((abs(amount) / FEN).to_integral_value())
    exact = {k: cents * w / total_w for k, w in positive.items()}
    out = {k: int(np.floor(v)) for k, v in exact.items()}
    left = cents - sum(out.values())
    order = sorted(exact, key=lambda k: -(exact[k] - out[k]))
    for k in order[:left]:
        out[k] += 1
    result = dict.fromkeys(weights, Decimal(0))
    result.update({k: sign * FEN * v for k, v in out.items()})
    return result


def _vat(section: str, subtotal: Decimal, rate: float) -> SectionTotal:
    return SectionTotal(section, subtotal, rate, money(subtotal * Decimal(str(rate))))


def _key_weights(
    common: CommonCosts, consumers: Sequence[str], areas: Mapping[str, float],
    consumption: Mapping[str, float],
) -> dict[str, float]:  # fmt: skip
    """Each consumer's weight in the common costs under the park's key."""
    if common.key == "floor_area":
        return {c: float(areas.get(c, 0.0)) for c in consumers}
    if common.key == "consumption":
        return {c: max(0.0, float(consumption.get(c, 0.0))) for c in consumers}
    shares = common.shares or {}
    return {c: float(shares.get(c, 0.0)) for c in consumers}


def _shares(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(w for w in weights.values() if w > 0)
    return {k: (w / total if total > 0 and w > 0 else 0.0) for k, w in weights.items()}


@dataclass
class _Draft:
    """Lines of the bills under construction, by consumer."""

    lines: dict[str, list[BillLine]]

    def add(self, consumer: str, line: BillLine) -> None:
        self.lines.setdefault(consumer, []).append(line)


def _band_sums(bands: npt.NDArray[np.str_], kwh: FloatArray) -> dict[str, float]:
    return {b: float(kwh[bands == b].sum()) for b in BAND_CODES if (bands == b).any()}


def _pv_shares(elec: ElectricityMonth, consumers: Sequence[str]) -> dict[str, FloatArray]:
    """Each consumer's share of on-site PV per hour [kWh] (pro rata to its load)."""
    hours = len(elec.grid_kwh)
    loads = {c: np.asarray(elec.loads_kwh.get(c, np.zeros(hours)), dtype=np.float64)
             for c in consumers}  # fmt: skip
    total = np.sum([np.clip(v, 0, None) for v in loads.values()], axis=0) if loads else None
    if total is None:
        return {}
    pv = np.clip(np.asarray(elec.pv_self_kwh, dtype=np.float64), 0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(total > 0, np.minimum(1.0, pv / total), 0.0)
    return {c: np.clip(v, 0, None) * fraction for c, v in loads.items()}


def _electricity(
    tariff: ElectricityTariff, common: CommonCosts, data: MonthInput, draft: _Draft
) -> tuple[SupplierCost, Decimal, dict[str, float], dict[str, Decimal]]:
    """Supplier cost, common pool, key shares and park-retained subtotal parts."""
    elec = data.electricity
    assert elec is not None
    prices = season_prices(tariff, data.month)
    if prices is None:
        raise InputError(f"no electricity prices for month {data.month}", field="month")
    bands = np.asarray(elec.bands, dtype=str)
    grid = np.asarray(elec.grid_kwh, dtype=np.float64)
    if len(bands) != len(grid):
        raise InputError("one band per hour is needed", field="bands")
    unpriced = sorted({str(b) for b in np.unique(bands)} - set(prices))
    if unpriced:
        raise InputError(
            f"hours of month {data.month} in band(s) without a price: {', '.join(unpriced)}",
            field="bands",
        )
    consumers = [*data.tenants, PARK]
    supplier_kwh = _band_sums(bands, grid)
    lines = [
        BillLine("electricity", "energy", money(kwh * prices[b]), b, kwh, "kWh", prices[b])
        for b, kwh in supplier_kwh.items()
    ]
    energy_cny = sum((line.amount_cny for line in lines), Decimal(0))
    peak_hour = int(np.argmax(grid)) if len(grid) else None
    max_kw = float(grid[peak_hour]) if peak_hour is not None else 0.0
    if elec.max_demand_kw is not None and elec.peak_hour is not None:
        max_kw, peak_hour = float(elec.max_demand_kw), int(elec.peak_hour)
    demand_cny = Decimal(0)
    if tariff.demand is not None:
        d = tariff.demand
        if d.basis == "max_demand":
            price = float(d.price_cny_per_kw_month or 0.0)
            demand_cny = money(max_kw * price)
            lines.append(BillLine("electricity", "demand", demand_cny, None, max_kw, "kW", price))
        else:
            price = float(d.price_cny_per_kva_month or 0.0)
            kva = float(d.capacity_kva or 0.0)
            demand_cny = money(kva * price)
            lines.append(BillLine("electricity", "demand", demand_cny, None, kva, "kVA", price))
    fixed_cny = money(tariff.fixed_cny_per_month)
    if fixed_cny:
        lines.append(BillLine("electricity", "fixed", fixed_cny))
    subtotal = energy_cny + demand_cny + fixed_cny
    supplier = SupplierCost(
        "electricity",
        tuple(lines),
        _vat("electricity", subtotal, tariff.vat_rate),
        supplier_kwh,
        max_kw,
        peak_hour,
    )
    pv_share = _pv_shares(elec, consumers)
    hours = len(grid)
    direct = Decimal(0)
    for tenant in data.tenants:
        load = np.asarray(elec.loads_kwh.get(tenant, np.zeros(hours)), dtype=np.float64)
        pv = pv_share.get(tenant, np.zeros(hours))
        for band, kwh in _band_sums(bands, load - pv).items():
            amount = money(kwh * prices[band])
            direct += amount
            draft.add(tenant, BillLine("electricity", "energy", amount, band, kwh, "kWh",
                                       prices[band]))  # fmt: skip
        if tariff.onsite_pv is not None:
            for band, kwh in _band_sums(bands, pv).items():
                if kwh <= 0:
                    continue
                f = tariff.onsite_pv.price_factor
                flat_price = tariff.onsite_pv.price_cny_per_kwh
                price = prices[band] * f if f is not None else float(flat_price or 0.0)
                draft.add(tenant, BillLine(PV_SECTION, "pv", money(kwh * price), band, kwh,
                                           "kWh", price))  # fmt: skip
    retained: dict[str, Decimal] = {}
    pool = energy_cny + fixed_cny - direct
    if tariff.demand is not None:
        if tariff.demand.allocation == "common":
            pool += demand_cny
        else:
            at_peak = {
                c: max(0.0, float(np.asarray(elec.loads_kwh[c])[peak_hour]))
                if c in elec.loads_kwh and peak_hour is not None
                else 0.0
                for c in consumers
            }
            shares = _shares(at_peak)
            for c, amount in allocate(demand_cny, at_peak).items():
                if c == PARK:
                    retained["demand"] = amount
                else:
                    draft.add(c, BillLine("electricity", "demand", amount, None, at_peak[c],
                                          "kW", None, shares[c]))  # fmt: skip
    usage = {c: float(np.asarray(elec.loads_kwh.get(c, np.zeros(hours))).sum()) for c in consumers}
    weights = _key_weights(common, consumers, data.floor_area_m2, usage)
    shares = _shares(weights)
    for c, amount in allocate(pool, weights).items():
        if c == PARK:
            retained["common"] = amount
        else:
            draft.add(c, BillLine("electricity", "common", amount, share=shares[c]))
    return supplier, pool, shares, retained


def _flat(
    tariff: FlatTariff, common: CommonCosts, data: MonthInput, month: CarrierMonth, draft: _Draft
) -> tuple[SupplierCost, Decimal, dict[str, float], dict[str, Decimal]]:
    consumers = [*data.tenants, PARK]
    price, unit = tariff.price_cny_per_unit, tariff.unit
    energy = money(month.supplier_qty * price)
    lines = [BillLine(tariff.carrier, "energy", energy, None, month.supplier_qty, unit, price)]
    fixed = money(tariff.fixed_cny_per_month)
    if fixed:
        lines.append(BillLine(tariff.carrier, "fixed", fixed))
    supplier = SupplierCost(
        tariff.carrier, tuple(lines), _vat(tariff.carrier, energy + fixed, tariff.vat_rate)
    )
    direct = Decimal(0)
    for tenant in data.tenants:
        qty = float(month.consumption.get(tenant, 0.0))
        if qty == 0:
            continue
        amount = money(qty * price)
        direct += amount
        draft.add(tenant, BillLine(tariff.carrier, "energy", amount, None, qty, unit, price))
    pool = energy + fixed - direct
    weights = _key_weights(common, consumers, data.floor_area_m2, month.consumption)
    shares = _shares(weights)
    retained: dict[str, Decimal] = {}
    for c, amount in allocate(pool, weights).items():
        if c == PARK:
            retained["common"] = amount
        elif amount:
            draft.add(c, BillLine(tariff.carrier, "common", amount, share=shares[c]))
    return supplier, pool, shares, retained


def bill_month(tariffs: Tariffs, data: MonthInput) -> MonthBilling:
    """The month's supplier costs, tenant bills and park-retained costs (module docstring)."""
    if not 1 <= data.month <= 12:
        raise InputError("months are 1-12", field="month")
    if PARK in data.tenants:
        raise InputError(f"{PARK!r} names the park, not a tenant", field="tenants")
    draft = _Draft({t: [] for t in data.tenants})
    suppliers: dict[str, SupplierCost] = {}
    pools: dict[str, Decimal] = {}
    key_shares: dict[str, dict[str, float]] = {}
    rates: dict[str, float] = {}
    parts: dict[str, dict[str, Decimal]] = {}
    if tariffs.electricity is not None and data.electricity is not None:
        supplier, pool, shares, parts["electricity"] = _electricity(
            tariffs.electricity, tariffs.common_costs, data, draft
        )
        suppliers["electricity"], pools["electricity"] = supplier, pool
        key_shares["electricity"] = shares
        rates["electricity"] = rates[PV_SECTION] = tariffs.electricity.vat_rate
    flat = {t.carrier: t for t in tariffs.others}
    for month in data.others:
        tariff = flat.get(month.carrier)
        if tariff is None:
            raise InputError(f"no tariff for carrier {month.carrier!r}", field="carrier")
        supplier, pool, shares, parts[month.carrier] = _flat(
            tariff, tariffs.common_costs, data, month, draft
        )
        suppliers[month.carrier], pools[month.carrier] = supplier, pool
        key_shares[month.carrier] = shares
        rates[month.carrier] = tariff.vat_rate
    bills: dict[str, TenantBill] = {}
    for tenant in data.tenants:
        lines = tuple(draft.lines.get(tenant, []))
        sections = []
        for section in dict.fromkeys(line.section for line in lines):
            subtotal = sum((x.amount_cny for x in lines if x.section == section), Decimal(0))
            sections.append(_vat(section, subtotal, rates[section]))
        energy = [x for x in lines if x.section == "electricity" and x.kind == "energy"]
        pv = [x for x in lines if x.section == PV_SECTION]
        bills[tenant] = TenantBill(
            tenant,
            lines,
            tuple(sections),
            {x.band: float(x.quantity or 0.0) for x in energy if x.band},
            {x.band: float(x.quantity or 0.0) for x in pv if x.band},
        )
    retained = {}
    for carrier, supplier in suppliers.items():
        paid = [s for b in bills.values() for s in b.sections if s.section == carrier]
        subtotal = supplier.total.subtotal_cny - sum((p.subtotal_cny for p in paid), Decimal(0))
        vat = supplier.total.vat_cny - sum((p.vat_cny for p in paid), Decimal(0))
        retained[carrier] = SectionTotal(carrier, subtotal, supplier.total.vat_rate, vat)
    return MonthBilling(data.month, suppliers, bills, pools, key_shares, retained, parts)
