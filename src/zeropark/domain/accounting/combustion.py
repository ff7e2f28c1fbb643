"""Fossil-fuel combustion, stationary and mobile: E = AD × NCV × CC × OF × 44/12.

Source: GB/T 32150 (工业企业温室气体排放核算和报告通则) and the national industry guidelines
(附录二 表2.1). AD is fuel consumed — in mass (t), volume (1e4 Nm3) or energy (GJ, when the
fuel is metered in heat units, NCV is skipped); NCV in GJ per unit of AD; CC carbon per unit
heat [tC/GJ]; OF the oxidation rate; 44/12 the CO2/C molar-mass ratio. Each of NCV, CC and OF is
taken from the line when measured, else from the fuel dataset of the run.
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


def _energy_gj(line: ActivityLine, ctx: AccountingContext) -> tuple[float, FactorUse | None]:
    """Heat content of the fuel [GJ], and the NCV used (None when AD is already energy)."""
    if dimension(line.unit) == "energy":
        return convert(line.quantity, line.unit, "GJ")[0], None
    m = line.measured
    ncv = (
        FactorUse.measured_value("ncv", m.ncv, m.ncv_unit or "")
        if m.ncv is not None
        else _parameter(ctx, line, "ncv", None, "")
    )
    try:
        multiplier = product_conversion((line.unit, ncv.unit), "GJ")
    except UnitError:
        raise UnitError(
            f"{line.item} in {line.unit!r} does not fit its NCV in {ncv.unit!r}: give the "
            f"quantity in the NCV's unit basis, or a measured ncv with ncv_unit per {line.unit}",
            field="unit",
        ) from None
    return line.quantity * ncv.value * multiplier, ncv


def account_combustion(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account a ``fuel_combustion`` or ``mobile_combustion`` line (CO2, all methods)."""
    dim = dimension(line.unit)
    if dim not in ("mass", "volume", "energy"):
        raise UnitError(
            f"fuel quantity must be mass, volume or energy, not {line.unit!r}", field="unit"
        )
    energy_gj, ncv = _energy_gj(line, ctx)
    m = line.measured
    cc = _parameter(ctx, line, "carbon_content", m.carbon_content_tc_per_gj, "tC/GJ")
    of = _parameter(ctx, line, "oxidation_rate", m.oxidation_rate, "dimensionless")
    cc_tc_per_gj = cc.value * convert(1.0, cc.unit, "tC/GJ", field="carbon_content")[0]
    of_fraction = of.value * convert(1.0, of.unit, "dimensionless", field="oxidation_rate")[0]
    co2_t = energy_gj * cc_tc_per_gj * of_fraction * CO2_PER_C
    activity_unit = _CANONICAL.get(dim, "GJ")
    activity_value, unit_conversion = convert(line.quantity, line.unit, activity_unit)
    tce, coefficient = fuel_tce(line, ctx, line.item, energy_gj, use_ncv=m.ncv is not None)
    ncv_text = f" × {ncv.value:g} {ncv.unit}" if ncv else ""
    formula = (
        f"{line.quantity:g} {line.unit}{ncv_text} = {energy_gj:.6g} GJ; "
        f"{energy_gj:.6g} GJ × {cc.value:g} {cc.unit} × {of.value:g} × 44/12 = {co2_t:.6g} tCO2"
    )
    factors = (
        *(f for f in (ncv, cc, of) if f is not None),
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
