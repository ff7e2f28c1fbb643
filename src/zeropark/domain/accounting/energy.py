"""Comprehensive energy consumption (综合能耗) in tce, per GB/T 2589-2020.

- fuels: quantity × the coefficient of 附录A 表A.1 (kgce/kg, kgce/m3); when a measured NCV is on
  the line, or the table lists no coefficient for the fuel, energy [GJ] ÷ 29.307 GJ/tce (clause 3);
- electricity: the equivalent value (当量值) 0.1229 kgce/kWh by default, or the equal value
  (等价值, the year's thermal-power coal consumption rate) when asked;
- heat: 0.03412 kgce/MJ (34.12 kgce/GJ).

Exported energy is subtracted; green electricity is a subset of purchased grid power and is only
reported in the split, not added again.
"""

from __future__ import annotations

from zeropark.domain.accounting.context import AccountingContext
from zeropark.domain.accounting.conversions import product_conversion
from zeropark.domain.accounting.lines import ActivityLine
from zeropark.domain.accounting.trace import FactorUse
from zeropark.errors import UnitError

__all__ = ["electricity_tce", "fuel_tce", "heat_tce"]

_COEFFICIENT = "coal_equivalent"


def fuel_tce(
    ctx: AccountingContext,
    line: ActivityLine,
    quantity: float,
    unit: str,
    energy_gj: float,
    *,
    use_ncv: bool,
) -> tuple[float, FactorUse]:
    """Energy of a fuel line [tce] and the coefficient used.

    ``quantity`` in ``unit`` is the fuel amount as accounted (a volume already turned into mass
    by the fuel's density); ``energy_gj`` its heat content.
    """
    if not use_ncv and ctx.factors.has(line.item, _COEFFICIENT):
        coefficient = ctx.national(_COEFFICIENT, line.item, _COEFFICIENT, line)
        try:
            multiplier = product_conversion((unit, coefficient.unit), "tce")
        except UnitError:
            pass  # e.g. LNG in m3 against kgce/kg: fall back to the energy content below
        else:
            return quantity * coefficient.value * multiplier, coefficient
    standard = ctx.national("standard_coal_ncv", "standard_coal", "ncv", line)
    gj_per_tce = standard.value * product_conversion((standard.unit, "t"), "GJ")
    return energy_gj / gj_per_tce, standard


def electricity_tce(
    line: ActivityLine, ctx: AccountingContext, energy_mwh: float
) -> tuple[float, FactorUse]:
    """Energy of an electricity line [tce] at the equivalent or the equal value."""
    options = ctx.options
    if options.electricity_basis == "equal_value" and options.equal_value_kgce_per_kwh:
        coefficient = FactorUse(
            role="coal_equivalent_equal_value",
            value=options.equal_value_kgce_per_kwh,
            unit="kgce/kWh",
            dataset="option",
            version="-",
            source="GB/T 2589-2020 等价值 (thermal-power coal consumption rate given by the user)",
            clause="附录A 表A.1 电力（等价值）",
            verification="USER",
        )
    else:
        coefficient = ctx.national(_COEFFICIENT, "electricity", _COEFFICIENT, line)
    tce = energy_mwh * coefficient.value * product_conversion(("MWh", coefficient.unit), "tce")
    return tce, coefficient


def heat_tce(
    line: ActivityLine, ctx: AccountingContext, energy_gj: float
) -> tuple[float, FactorUse]:
    """Energy of a heat line [tce] (当量值)."""
    coefficient = ctx.national(_COEFFICIENT, "heat", _COEFFICIENT, line)
    tce = energy_gj * coefficient.value * product_conversion(("GJ", coefficient.unit), "tce")
    return tce, coefficient
