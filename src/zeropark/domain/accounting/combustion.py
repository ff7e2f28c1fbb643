"""Fossil-fuel combustion, stationary and mobile: E = AD × NCV × CC × OF × 44/12.

Source: GB/T 32150 (工业企业温室气体排放核算和报告通则) and the national industry guidelines
(附录二 表2.1). AD is fuel consumed — in mass (t), volume (1e4 Nm3) or energy (GJ, when the
fuel is metered in heat units, NCV is skipped); NCV in GJ per unit of AD; CC carbon per unit
heat [tC/GJ]; OF the oxidation rate; 44/12 the CO2/C molar-mass ratio. Each of NCV, CC and OF is
taken from the line when measured, else from the fuel dataset of the run.

Liquid fuels given by volume (柴油 in L or m3) when their NCV is per mass: the volume is first
converted to mass with the fuel's density [kg/m3] from the factor library (dataset
``cn_fuel_density``, parameter ``density``), traced on the line like any other factor, so the
same fuel in L, m3 or t gives the same tCO2 and tce.
"""

from __future__ import annotations

from zeropark.domain.accounting.context import AccountingContext
from zeropark.domain.accounting.conversions import convert, dimension, product_conversion
from zeropark.domain.accounting.energy import fuel_tce
from zeropark.domain.accounting.lines import ActivityLine
from zeropark.domain.accounting.trace import METHODS, FactorUse, LineResult
from zeropark.errors import UnitError

__all__ = ["CO2_PER_C", "account_combustion"]

CO2_PER_C = 44.0 / 12.0
_CANONICAL = {"mass": "t", "volume": "m3"}


def _parameter(
    ctx: AccountingContext, line: ActivityLine, role: str, measured: float | None, unit: str
) -> FactorUse:
    if measured is not None:
        return FactorUse.measured_value(role, measured, unit)
    return ctx.national(role, line.item, role, line, dataset=ctx.options.fuel_dataset)


def _ncv(line: ActivityLine, ctx: AccountingContext) -> FactorUse:
    m = line.measured
    if m.ncv is not None:
        return FactorUse.measured_value("ncv", m.ncv, m.ncv_unit or "")
    return _parameter(ctx, line, "ncv", None, "")


def _fits(unit: str, ncv_unit: str) -> bool:
    try:
        product_conversion((unit, ncv_unit), "GJ")
    except UnitError:
        return False
    return True


def _amount(
    line: ActivityLine, ctx: AccountingContext, ncv: FactorUse | None
) -> tuple[float, str, float, FactorUse | None]:
    """The fuel amount in the basis of its NCV: the line's own, or a volume as mass [t].

    Returns amount, unit, the multiplier from the line's quantity, and the density used (for
    the trace) when a volume whose NCV is per mass was converted.
    """
    if ncv is None or dimension(line.unit) != "volume" or _fits(line.unit, ncv.unit):
        return line.quantity, line.unit, 1.0, None
    if not _fits("t", ncv.unit) or not ctx.factors.has(line.item, "density"):
        raise UnitError(
            f"{line.item} in {line.unit!r} does not fit its NCV in {ncv.unit!r} and the factor "
            f"library has no density for it: give the quantity in the NCV's unit basis, or a "
            f"measured ncv with ncv_unit per {line.unit}",
            field="unit",
        )
    density = ctx.national("density", line.item, "density", line)
    t_per_unit = density.value * product_conversion((line.unit, density.unit), "t")
    return line.quantity * t_per_unit, "t", t_per_unit, density


def _energy_gj(quantity: float, unit: str, ncv: FactorUse | None) -> float:
    """Heat content of the fuel [GJ] (``ncv`` None when the amount is already energy)."""
    if ncv is None:
        return convert(quantity, unit, "GJ")[0]
    try:
        multiplier = product_conversion((unit, ncv.unit), "GJ")
    except UnitError:
        raise UnitError(
            f"fuel in {unit!r} does not fit its NCV in {ncv.unit!r}: give the quantity in the "
            f"NCV's unit basis, or a measured ncv with ncv_unit per {unit}",
            field="unit",
        ) from None
    return quantity * ncv.value * multiplier


def account_combustion(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account a ``fuel_combustion`` or ``mobile_combustion`` line (CO2, all methods)."""
    dim = dimension(line.unit)
    if dim not in ("mass", "volume", "energy"):
        raise UnitError(
            f"fuel quantity must be mass, volume or energy, not {line.unit!r}", field="unit"
        )
    ncv = None if dim == "energy" else _ncv(line, ctx)
    quantity, unit, t_per_unit, density = _amount(line, ctx, ncv)
    energy_gj = _energy_gj(quantity, unit, ncv)
    m = line.measured
    cc = _parameter(ctx, line, "carbon_content", m.carbon_content_tc_per_gj, "tC/GJ")
    of = _parameter(ctx, line, "oxidation_rate", m.oxidation_rate, "dimensionless")
    cc_tc_per_gj = cc.value * convert(1.0, cc.unit, "tC/GJ", field="carbon_content")[0]
    of_fraction = of.value * convert(1.0, of.unit, "dimensionless", field="oxidation_rate")[0]
    co2_t = energy_gj * cc_tc_per_gj * of_fraction * CO2_PER_C
    activity_unit = "t" if density else _CANONICAL.get(dim, "GJ")
    if density is None:
        activity_value, unit_conversion = convert(line.quantity, line.unit, activity_unit)
    else:
        activity_value, unit_conversion = quantity, t_per_unit
    tce, coefficient = fuel_tce(ctx, line, quantity, unit, energy_gj, use_ncv=m.ncv is not None)
    mass_text = (
        f"{line.quantity:g} {line.unit} × {density.value:g} {density.unit} = {quantity:.6g} t; "
        if density
        else ""
    )
    ncv_text = f" × {ncv.value:g} {ncv.unit}" if ncv else ""
    formula = (
        f"{mass_text}{quantity:g} {unit}{ncv_text} = {energy_gj:.6g} GJ; "
        f"{energy_gj:.6g} GJ × {cc.value:g} {cc.unit} × {of.value:g} × 44/12 = {co2_t:.6g} tCO2"
    )
    factors = (
        *(f for f in (density, ncv, cc, of) if f is not None),
        FactorUse.constant("co2_per_c", CO2_PER_C, "tCO2/tC", "molar-mass ratio 44/12"),
        coefficient,
    )
    return LineResult(
        line=line,
        scope="1",
        sector=line.sector,
        activity_value=activity_value,
        activity_unit=activity_unit,
        unit_conversion=unit_conversion,
        formula=formula,
        gas="CO2",
        gas_mass_t=co2_t,
        co2e_t=dict.fromkeys(METHODS, co2_t),
        energy_tce=tce,
        energy_class="fossil_fuel",
        factors=factors,
    )
