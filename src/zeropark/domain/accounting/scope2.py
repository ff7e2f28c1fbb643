"""Electricity and heat: purchased, exported, green, on-site renewable (scope 2 and 综合能耗).

Per line, with E in MWh (electricity) or GJ (heat) and EF in tCO2/MWh or tCO2/GJ:

- ``purchased_electricity`` (total grid import): cn_national E × EF_reporting (national factor
  for enterprise reporting); ghg_location E × EF_average (province → grid → national);
  ghg_market E × EF_excl_market (national average excluding market-traded non-fossil power) or
  the supplier's factor on the line; zero_carbon_park E × EF_fossil (national fossil power).
- ``green_electricity`` (the part of the grid import covered by green-power trades or
  certificates, a subset of purchased_electricity): ghg_market −E × EF_excl_market;
  zero_carbon_park −E × EF_fossil; 0 in the other two methods.
- ``exported_electricity``: cn_national −E × EF_reporting; zero_carbon_park −E × EF_fossil for
  grid/fossil power and 0 for ``renewable_electricity`` (non-fossil exports earn no deduction);
  GHG Protocol does not net exports from scope 2 (0, reported on the line).
- ``purchased_heat`` / ``exported_heat``: ±E × EF_heat (0.11 tCO2/GJ, or the supplier's factor
  on the line); exports are 0 under the GHG Protocol.
- ``onsite_renewable``: no emission; its energy counts in 综合能耗.
"""

from __future__ import annotations

from zeropark.domain.accounting.context import AccountingContext
from zeropark.domain.accounting.conversions import convert, dimension
from zeropark.domain.accounting.energy import electricity_tce, heat_tce
from zeropark.domain.accounting.lines import ActivityLine
from zeropark.domain.accounting.trace import EnergyClass, FactorUse, LineResult, Method
from zeropark.domain.categories import CATEGORIES
from zeropark.errors import UnitError

__all__ = ["account_electricity", "account_heat"]

_EL = "electricity"


def _energy(line: ActivityLine, target: str) -> tuple[float, float]:
    if dimension(line.unit) != "energy":
        raise UnitError(
            f"{line.category} needs an energy unit (kWh, MWh, 万kWh, GJ), not {line.unit!r}",
            field="unit",
        )
    return convert(line.quantity, line.unit, target)


def _ef_value(factor: FactorUse, target: str) -> float:
    return convert(factor.value, factor.unit, target, field="ef_unit")[0]


def _supplier_factor(line: ActivityLine, role: str) -> FactorUse | None:
    m = line.measured
    if m.emission_factor is None:
        return None
    return FactorUse.measured_value(role, m.emission_factor, m.ef_unit or "")


def account_electricity(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account an electricity line: purchased, exported, green or on-site renewable."""
    mwh, unit_conversion = _energy(line, "MWh")
    tce, coefficient = electricity_tce(line, ctx, mwh)
    category = line.category
    sign = -1.0 if category == "exported_electricity" else 1.0
    factors: list[FactorUse] = [coefficient]
    results: dict[Method, float] = {}
    warnings: list[str] = []
    energy_class: EnergyClass = "electricity"
    if category == "onsite_renewable":
        energy_class = "onsite_renewable"
        formula = f"{mwh:.6g} MWh × 0 tCO2/MWh = 0 (on-site renewable; energy only)"
        results = {}
    else:
        reporting = ctx.national("ef_cn_national", _EL, "ef_grid_enterprise_reporting", line)
        grid_year = ctx.grid_year(line)
        fossil = ctx.national("ef_zero_carbon_park", _EL, "ef_grid_fossil", line, year=grid_year)
        market = _supplier_factor(line, "ef_market") or ctx.national(
            "ef_market", _EL, "ef_grid_excl_market_non_fossil", line, year=grid_year
        )
        location = ctx.regional("ef_location", _EL, "ef_grid_average", line)
        ef = {f.role: _ef_value(f, "tCO2/MWh") for f in (reporting, fossil, market, location)}
        if category == "purchased_electricity":
            factors += [reporting, location, market, fossil]
            results = {
                "cn_national": mwh * ef["ef_cn_national"],
                "ghg_location": mwh * ef["ef_location"],
                "ghg_market": mwh * ef["ef_market"],
                "zero_carbon_park": mwh * ef["ef_zero_carbon_park"],
            }
        elif category == "green_electricity":
            energy_class = "green_electricity"
            factors += [market, fossil]
            results = {
                "ghg_market": -mwh * ef["ef_market"],
                "zero_carbon_park": -mwh * ef["ef_zero_carbon_park"],
            }
        else:  # exported_electricity
            non_fossil = line.item == "renewable_electricity"
            factors += [reporting] if non_fossil else [reporting, fossil]
            results = {
                "cn_national": -mwh * ef["ef_cn_national"],
                "zero_carbon_park": 0.0 if non_fossil else -mwh * ef["ef_zero_carbon_park"],
            }
            warnings.append("GHG Protocol: exported electricity is not netted from scope 2")
        formula = "; ".join(f"{method}: {value:.6g} tCO2" for method, value in results.items())
        formula = f"{sign * mwh:.6g} MWh × EF(method) → {formula}"
    return LineResult(
        line=line,
        scope=CATEGORIES[category].scope,
        sector=line.sector,
        activity_value=mwh,
        activity_unit="MWh",
        unit_conversion=unit_conversion,
        formula=formula,
        gas="CO2",
        gas_mass_t=results.get("cn_national", results.get("ghg_market", 0.0)),
        co2e_t=results,
        energy_tce=sign * tce,
        energy_class=energy_class,
        factors=tuple(factors),
        warnings=tuple(warnings),
    )


def account_heat(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account a ``purchased_heat`` or ``exported_heat`` line."""
    gj, unit_conversion = _energy(line, "GJ")
    ef = _supplier_factor(line, "ef_heat") or ctx.national("ef_heat", "heat", "ef_heat", line)
    ef_t_per_gj = _ef_value(ef, "tCO2/GJ")
    tce, coefficient = heat_tce(line, ctx, gj)
    exported = line.category == "exported_heat"
    sign = -1.0 if exported else 1.0
    co2_t = sign * gj * ef_t_per_gj
    results: dict[Method, float] = {"cn_national": co2_t, "zero_carbon_park": co2_t}
    if not exported:
        results |= {"ghg_location": co2_t, "ghg_market": co2_t}
    formula = f"{sign * gj:.6g} GJ × {ef.value:g} {ef.unit} = {co2_t:.6g} tCO2"
    return LineResult(
        line=line,
        scope="2",
        sector=line.sector,
        activity_value=gj,
        activity_unit="GJ",
        unit_conversion=unit_conversion,
        formula=formula,
        gas="CO2",
        gas_mass_t=co2_t,
        co2e_t=results,
        energy_tce=sign * tce,
        energy_class="heat",
        factors=(ef, coefficient),
        warnings=("GHG Protocol: exported heat is not netted from scope 2",) if exported else (),
    )
