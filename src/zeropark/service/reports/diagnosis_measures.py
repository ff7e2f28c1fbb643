"""Reduction opportunities (减排机会) typical of the park's type, each sized from its own data.

The whitepaper's park classification (``seed/``, 园区分类: 生产制造型, 物流仓储型, 商务办公型 …)
names the typical measures of each type; :data:`BY_TYPE` follows it. Each measure is sized from
the year's stored figures, with the assumptions stated on it (``docs/diagnosis.md``):

- rooftop PV: roof area (given, else the floor area of single-storey workshops and warehouses)
  × 60 % usable × 0.18 kWp/m², less the PV already installed, × the site's own specific yield
  [kWh/kWp] (metered PV ÷ installed kWp); the added generation is capped at half the load not
  met by PV today;
- storage for peak-valley arbitrage: 2 h at 10 % of the peak demand; no energy saving (losses);
  money = capacity × 330 cycles × (peak − valley price) × 0.9 round trip, when prices are given;
- heat pumps for boiler heat: gas of the boiler assets' meters × 0.9 boiler efficiency ÷ COP 3;
- electric forklifts: diesel of mobile combustion × 25 % engine efficiency ÷ 80 % battery-to-
  wheel efficiency (electricity from the grid);
- LED lighting: 50 % of the lighting meters' electricity; HVAC controls: 15 % of the HVAC,
  chiller and cold-store meters' electricity;
- waste-heat recovery: raise recovery to the system's threshold; the heat displaces boiler gas
  at 0.9 efficiency;
- green-power purchase: the clean-energy gap in MWh (or the core indicator's);
- night base load and leaks: the waste findings' kWh a year.

CO2 of electricity at the zero-carbon-park factor the scorecard uses (national fossil power,
附件4); gas and diesel CO2 per unit from the inventory's own lines. Money only where a price is
given (:class:`Costs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zeropark.domain.park import Asset, Building
from zeropark.service.scorecard import Scorecard
from zeropark.service.waste import WasteReport
from zeropark.units import conversion_factor

__all__ = ["BY_TYPE", "Costs", "Measure", "size_measures"]

#: Measures typical of each park type (whitepaper, 园区分类与碳中和模型).
BY_TYPE: dict[str, tuple[str, ...]] = {
    "manufacturing": (
        "pv",
        "storage",
        "heat_pump",
        "forklifts",
        "led",
        "hvac",
        "waste_heat",
        "green_power",
        "base_load",
    ),
    "logistics": ("pv", "storage", "forklifts", "led", "hvac", "green_power", "base_load"),
    "office": ("pv", "storage", "heat_pump", "led", "hvac", "green_power", "base_load"),
    "special": ("pv", "storage", "heat_pump", "led", "hvac", "green_power", "base_load"),
    "mixed": (
        "pv",
        "storage",
        "heat_pump",
        "forklifts",
        "led",
        "hvac",
        "waste_heat",
        "green_power",
        "base_load",
    ),
}
NAMES = {
    "pv": ("屋顶光伏扩容", "rooftop PV expansion"),
    "storage": ("储能峰谷套利", "storage for peak-valley arbitrage"),
    "heat_pump": ("热泵替代燃气锅炉", "heat pumps instead of gas boilers"),
    "forklifts": ("叉车电动化", "electric forklifts"),
    "led": ("LED 照明改造", "LED lighting"),
    "hvac": ("空调与冷链智能控制", "HVAC and cold-store controls"),
    "waste_heat": ("余热回收", "waste-heat recovery"),
    "green_power": ("绿电采购", "green-power purchase"),
    "base_load": ("消除夜间基础负荷与泄漏", "night base load and leaks"),
}
_GJ_PER_MWH = 3.6
_GJ_PER_TCE = 29.307  # GB/T 2589-2020 clause 3: 1 kgce = 29.307 MJ


@dataclass(frozen=True, slots=True)
class Costs:
    """Prices [CNY] where the user gives them: electricity (average, peak, valley) per kWh,
    natural gas per Nm³, diesel per L."""

    electricity: float | None = None
    peak: float | None = None
    valley: float | None = None
    natural_gas: float | None = None
    diesel: float | None = None


@dataclass(frozen=True, slots=True)
class Measure:
    """One sized opportunity: energy saved [tce] (negative: more), CO2 saved [t/yr], money
    [CNY/yr] or None, and the basis in both languages."""

    code: str
    name_zh: str
    name_en: str
    energy_tce: float
    co2_t: float
    money_cny: float | None
    basis_zh: str
    basis_en: str


def _meters(card: Scorecard, words: Sequence[str]) -> float:
    """Electricity [kWh] of the counted or sub-meters whose id or name has one of ``words``."""
    total = 0.0
    for m in card.figures.stored.meters:
        text = f"{m.id} {m.name or ''}".casefold()
        if m.carrier == "electricity" and any(w in text for w in words):
            total += m.quantity * conversion_factor(m.unit, "kWh")
    return total


def _per_unit(card: Scorecard, category: str, item: str, unit: str) -> tuple[float, float]:
    """(quantity [unit], tCO2 zero-carbon-park method) of the inventory's lines of an item."""
    qty = co2 = 0.0
    for r in card.figures.stored.inventory.results:
        if r.line.category == category and r.line.item == item:
            try:
                qty += r.line.quantity * conversion_factor(r.line.unit, unit)
            except Exception:  # a mass line of a volume item: counted by its CO2 only
                continue
            co2 += r.result("zero_carbon_park")
    return qty, co2


def size_measures(
    card: Scorecard,
    buildings: Sequence[Building],
    assets: Sequence[Asset],
    waste: WasteReport,
    costs: Costs,
    roof_area_m2: float | None = None,
) -> list[Measure]:
    """The park type's measures sized from ``card`` (the year's park scorecard) and the rest."""
    inp = card.figures.inputs
    ef = inp.ef_fossil_t_per_mwh or 0.0
    tce_mwh = inp.tce_per_mwh or 0.1229
    flows = inp.flows_kwh
    out: list[Measure] = []

    def elec(code: str, kwh: float, zh: str, en: str) -> None:
        money = kwh * costs.electricity if costs.electricity is not None else None
        z, e = NAMES[code]
        out.append(Measure(code, z, e, kwh / 1000 * tce_mwh, kwh / 1000 * ef, money, zh, en))

    park_type = card.figures.park.type
    for code in BY_TYPE.get(park_type, BY_TYPE["mixed"]):
        if code == "pv":
            installed = sum(
                float(a.params.get("capacity_kwp", 0.0)) for a in assets if a.type == "pv"
            )
            pv_kwh = flows.get("pv", 0.0)
            if not installed or pv_kwh <= 0:
                continue
            spec_yield = pv_kwh / installed
            roof = roof_area_m2 or sum(
                b.floor_area_m2 or 0.0
                for b in buildings
                if (b.use or "factory") in ("factory", "workshop", "warehouse", "厂房", "仓库")
                and b.tenant is not None
            )
            added = max(0.0, roof * 0.6 * 0.18 - installed)
            gen = min(added * spec_yield, 0.5 * max(0.0, flows.get("load", 0.0) - pv_kwh))
            elec(
                "pv",
                gen,
                f"屋顶 {roof:,.0f} m² × 60% × 0.18 kWp/m² − 已装 {installed:,.0f} kWp = "
                f"{added:,.0f} kWp，按本园实测 {spec_yield:,.0f} kWh/kWp 发电 {gen / 1e6:,.2f} GWh",
                f"roof {roof:,.0f} m² × 60 % × 0.18 kWp/m² − {installed:,.0f} kWp installed = "
                f"{added:,.0f} kWp at the site's {spec_yield:,.0f} kWh/kWp: {gen / 1e6:,.2f} GWh",
            )
        elif code == "storage":
            peak = max(inp.hourly_load_kwh) if len(inp.hourly_load_kwh) else 0.0
            kwh_cap = 0.1 * peak * 2
            money = None
            if costs.peak is not None and costs.valley is not None:
                money = kwh_cap * 330 * (costs.peak - costs.valley) * 0.9
            z, e = NAMES[code]
            out.append(
                Measure(
                    code,
                    z,
                    e,
                    0.0,
                    0.0,
                    money,
                    f"{kwh_cap / 1000:,.1f} MWh（最大需量 {peak:,.0f} kW 的 10%，2 小时），"
                    "每年 330 次充放；节省电费，不节能",
                    f"{kwh_cap / 1000:,.1f} MWh (2 h at 10 % of the {peak:,.0f} kW peak), "
                    "330 cycles a year: saves money, not energy",
                )
            )
        elif code == "heat_pump":
            boiler_meters = {a.meter for a in assets if a.type == "boiler" and a.meter}
            nm3 = sum(m.quantity for m in card.figures.stored.meters if m.id in boiler_meters)
            gas_nm3, gas_co2 = _per_unit(card, "fuel_combustion", "natural_gas", "Nm3")
            if nm3 <= 0 or gas_nm3 <= 0:
                continue
            co2_per_nm3 = gas_co2 / gas_nm3
            gj = nm3 * 0.038931  # 389.31 GJ/10^4 Nm3 (24-guideline table 2.1, 天然气)
            mwh = gj * 0.9 / 3.0 / _GJ_PER_MWH
            saved_tce = gj / _GJ_PER_TCE - mwh * tce_mwh
            money = None
            if costs.natural_gas is not None and costs.electricity is not None:
                money = nm3 * costs.natural_gas - mwh * 1000 * costs.electricity
            z, e = NAMES[code]
            out.append(
                Measure(
                    code,
                    z,
                    e,
                    saved_tce,
                    nm3 * co2_per_nm3 - mwh * ef,
                    money,
                    f"锅炉燃气 {nm3 / 1e4:,.1f} 万Nm³ × 0.9 ÷ COP 3 = 用电 {mwh:,.0f} MWh",
                    f"boiler gas {nm3 / 1e4:,.1f}×10⁴ Nm³ × 0.9 ÷ COP 3 = {mwh:,.0f} MWh",
                )
            )
        elif code == "forklifts":
            diesel = [
                r
                for r in card.figures.stored.inventory.results
                if r.line.category == "mobile_combustion" and r.line.item == "diesel"
            ]
            if not diesel:
                continue
            tce = sum(r.energy_tce for r in diesel)
            co2 = sum(r.result("zero_carbon_park") for r in diesel)
            mwh = tce * _GJ_PER_TCE * 0.25 / 0.80 / _GJ_PER_MWH
            litres = tce * 1000 / 1.4571 / 0.8275  # GB/T 2589 柴油 1.4571 kgce/kg; 827.5 kg/m3
            money = None
            if costs.diesel is not None and costs.electricity is not None:
                money = litres * costs.diesel - mwh * 1000 * costs.electricity
            z, e = NAMES[code]
            out.append(
                Measure(
                    code,
                    z,
                    e,
                    tce - mwh * tce_mwh,
                    co2 - mwh * ef,
                    money,
                    f"叉车柴油 {tce:,.0f} tce × 25% ÷ 80% = 用电 {mwh:,.0f} MWh",
                    f"forklift diesel {tce:,.0f} tce × 25 % ÷ 80 % = {mwh:,.0f} MWh",
                )
            )
        elif code == "led":
            kwh = _meters(card, ("light", "照明"))
            if kwh > 0:
                elec(
                    code,
                    0.5 * kwh,
                    f"照明用电 {kwh / 1e6:,.2f} GWh 的 50%",
                    f"50 % of {kwh / 1e6:,.2f} GWh of lighting",
                )
        elif code == "hvac":
            kwh = _meters(card, ("hvac", "chiller", "cold", "空调", "冷"))
            if kwh > 0:
                elec(
                    code,
                    0.15 * kwh,
                    f"空调/冷机/冷库用电 {kwh / 1e6:,.2f} GWh 的 15%",
                    f"15 % of {kwh / 1e6:,.2f} GWh of HVAC, chillers and cold stores",
                )
        elif code == "waste_heat":
            entry = next(e for e in card.entries if e.code == "waste_heat_utilisation")
            more = sum(g.quantity for g in entry.gaps if g.unit == "GJ")
            gas_nm3, gas_co2 = _per_unit(card, "fuel_combustion", "natural_gas", "Nm3")
            if more <= 0 or gas_nm3 <= 0:
                continue
            nm3 = more / 0.9 / 0.038931
            money = nm3 * costs.natural_gas if costs.natural_gas is not None else None
            z, e = NAMES[code]
            out.append(
                Measure(
                    code,
                    z,
                    e,
                    more / 0.9 / _GJ_PER_TCE,
                    nm3 * gas_co2 / gas_nm3,
                    money,
                    f"再回收余热 {more:,.0f} GJ（达到 {entry.threshold:.0%}），替代锅炉燃气",
                    f"{more:,.0f} GJ more recovered (to {entry.threshold:.0%}), "
                    "displacing boiler gas",
                )
            )
        elif code == "green_power":
            entry = next(e for e in card.entries if e.code == "clean_energy_share")
            need = sum(g.quantity for g in entry.gaps if g.unit == "MWh")
            need += sum(g.quantity for g in entry.gaps if g.unit == "tce") / tce_mwh
            # only grid power not yet covered by green certificates can be bought green
            mwh = min(need, max(0.0, inp.grid_mwh - inp.green_kwh / 1000))
            if mwh > 0:
                z, e = NAMES[code]
                out.append(
                    Measure(
                        code,
                        z,
                        e,
                        0.0,
                        mwh * ef,
                        None,
                        f"其余外购电 {mwh / 1000:,.1f} GWh 全部改购绿电（零碳园区口径按 0 计）",
                        f"the remaining {mwh / 1000:,.1f} GWh of grid power bought green "
                        "(zero-carbon-park method: factor 0)",
                    )
                )
        elif code == "base_load":
            kwh = sum(f.waste_per_year for f in waste.findings if f.carrier == "electricity")
            if kwh > 0:
                n = len([f for f in waste.findings if f.carrier == "electricity"])
                elec(
                    code,
                    kwh,
                    f"{n} 处跑冒滴漏（见第 6 节），按非工作时段估算",
                    f"{n} waste finding(s) (section 6), closed hours only",
                )
    return sorted(out, key=lambda m: -m.co2_t)
