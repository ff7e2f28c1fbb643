"""Process, fugitive, scope-3, removal and offset lines.

- ``process``: E = AD × EF (material-specific, tCO2/t; the line's measured EF wins). Carbon
  fixed in products (粗钢 固碳) is a deduction and enters with a negative sign.
- ``fugitive``: E = mass leaked × GWP(gas, set); CO2-only methods count only a CO2 leak.
- scope 3 (``waste``, ``water``, ``travel``, ``purchased_goods``, ``transport_upstream``):
  E = AD × EF with EF from the line or a custom factor set (GHG Protocol methods only).
- ``sink``: removal = area × sequestration rate × years (rate from the line, else the
  UNVERIFIED IPCC settlement default, in tC converted × 44/12), or measured tonnes.
- ``ccus``: measured tonnes stored; ``offset``: retired tonnes, reported separately.
- ``output``: denominator data only.
"""

from __future__ import annotations

from zeropark.domain.accounting.combustion import CO2_PER_C
from zeropark.domain.accounting.context import AccountingContext
from zeropark.domain.accounting.conversions import convert, dimension, product_conversion
from zeropark.domain.accounting.lines import ActivityLine
from zeropark.domain.accounting.trace import METHODS, FactorUse, LineResult, Method
from zeropark.domain.categories import CATEGORIES
from zeropark.errors import FactorNotFound, UnitError

__all__ = [
    "SCOPE3_CATEGORIES",
    "account_fugitive",
    "account_output",
    "account_process",
    "account_removal_or_offset",
    "account_scope3",
]

SCOPE3_CATEGORIES = frozenset(code for code, c in CATEGORIES.items() if c.scope == "3")
DEDUCTION_ITEMS = frozenset({"crude_steel_carbon_fixed"})
_GHG: tuple[Method, ...] = ("ghg_location", "ghg_market")


def _line_or_default(
    line: ActivityLine, ctx: AccountingContext, role: str, parameter: str
) -> FactorUse:
    m = line.measured
    if m.emission_factor is not None:
        return FactorUse.measured_value(role, m.emission_factor, m.ef_unit or "")
    return ctx.national(role, line.item, parameter, line)


def _base(line: ActivityLine, activity_unit: str, formula: str, **fields: object) -> LineResult:
    value, conversion = convert(line.quantity, line.unit, activity_unit)
    return LineResult(
        line=line,
        scope=CATEGORIES[line.category].scope,
        sector=line.sector,
        activity_value=value,
        activity_unit=activity_unit,
        unit_conversion=conversion,
        formula=formula,
        **fields,  # type: ignore[arg-type]
    )


def account_process(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account an industrial-process line: AD × EF."""
    ef = _line_or_default(line, ctx, "ef_process", "ef_process")
    sign = -1.0 if line.item in DEDUCTION_ITEMS else 1.0
    co2_t = sign * line.quantity * ef.value * product_conversion((line.unit, ef.unit), "tCO2")
    formula = f"{sign * line.quantity:g} {line.unit} × {ef.value:g} {ef.unit} = {co2_t:.6g} tCO2"
    return _base(
        line,
        "t",
        formula,
        gas="CO2",
        gas_mass_t=co2_t,
        co2e_t=dict.fromkeys(METHODS, co2_t),
        factors=(ef,),
    )


def account_fugitive(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account a fugitive line: mass of gas × GWP of the run's set."""
    gwp_set = ctx.options.gwp_set
    try:
        gwp = ctx.national("gwp_100", line.item, "gwp_100", line, variant=gwp_set)
    except FactorNotFound as exc:
        raise FactorNotFound(f"{exc} (gas {line.item!r}, GWP set {gwp_set})") from None
    mass_t, _ = convert(line.quantity, line.unit, "t")
    co2e_t = mass_t * gwp.value
    results: dict[Method, float] = dict.fromkeys(_GHG, co2e_t)
    if line.item == "CO2":
        results["cn_national"] = mass_t
    formula = f"{mass_t:.6g} t {line.item} × GWP {gwp.value:g} ({gwp_set}) = {co2e_t:.6g} tCO2e"
    return _base(
        line, "t", formula, gas=line.item, gas_mass_t=mass_t, co2e_t=results, factors=(gwp,)
    )


def account_scope3(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account a scope-3 line: AD × EF (EF on the line or in a custom factor set)."""
    try:
        ef = _line_or_default(line, ctx, "ef_scope3", "ef")
    except FactorNotFound:
        raise FactorNotFound(
            f"no emission factor for scope-3 item {line.item!r}: give emission_factor and "
            "ef_unit on the line, or a custom factor set (--factors) with parameter 'ef'"
        ) from None
    co2e_t = line.quantity * ef.value * product_conversion((line.unit, ef.unit), "tCO2e")
    formula = f"{line.quantity:g} {line.unit} × {ef.value:g} {ef.unit} = {co2e_t:.6g} tCO2e"
    value, conversion = line.quantity, 1.0
    return LineResult(
        line=line,
        scope="3",
        sector=line.sector,
        activity_value=value,
        activity_unit=line.unit,
        unit_conversion=conversion,
        formula=formula,
        gas="CO2e",
        gas_mass_t=co2e_t,
        co2e_t=dict.fromkeys(_GHG, co2e_t),
        factors=(ef,),
    )


def _tonnes_dimension(unit: str) -> str | None:
    """``co2e`` or ``mass`` when ``unit`` measures tonnes of CO2, else ``None``."""
    try:
        found = dimension(unit)
    except UnitError:
        return None
    return found if found in ("co2e", "mass") else None


def _tonnes_co2(line: ActivityLine) -> float:
    """A measured quantity of CO2 (t or tCO2e) in tonnes."""
    found = _tonnes_dimension(line.unit)
    if found is None:
        raise UnitError(f"{line.category} needs tonnes (t, tCO2e), not {line.unit!r}")
    return convert(line.quantity, line.unit, "tCO2e" if found == "co2e" else "t")[0]


def _sink_removal(line: ActivityLine, ctx: AccountingContext) -> tuple[float, str, FactorUse]:
    rate = _line_or_default(line, ctx, "sequestration_rate", "sequestration_rate")
    years = line.period.year_fraction
    try:
        removal = product_conversion((line.unit, rate.unit, "a"), "tCO2e")
        carbon = 1.0
    except UnitError:
        removal = product_conversion((line.unit, rate.unit, "a"), "tC")
        carbon = CO2_PER_C
    removal_t = line.quantity * rate.value * years * removal * carbon
    c_text = " × 44/12" if carbon != 1.0 else ""
    formula = (
        f"{line.quantity:g} {line.unit} × {rate.value:g} {rate.unit} × {years:g} a{c_text} "
        f"= {removal_t:.6g} tCO2 removed"
    )
    return removal_t, formula, rate


def account_removal_or_offset(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """Account a ``sink``, ``ccus`` or ``offset`` line (removals and offsets, positive)."""
    factors: tuple[FactorUse, ...] = ()
    if line.category == "sink" and _tonnes_dimension(line.unit) is None:
        tonnes, formula, rate = _sink_removal(line, ctx)
        factors = (rate,)
    else:
        tonnes = _tonnes_co2(line)
        formula = f"{tonnes:.6g} tCO2e (measured)"
    is_offset = line.category == "offset"
    return LineResult(
        line=line,
        scope=CATEGORIES[line.category].scope,
        sector=line.sector,
        activity_value=line.quantity,
        activity_unit=line.unit,
        unit_conversion=1.0,
        formula=formula,
        gas="CO2",
        removal_t=0.0 if is_offset else tonnes,
        offset_t=tonnes if is_offset else 0.0,
        factors=factors,
    )


def account_output(line: ActivityLine, ctx: AccountingContext) -> LineResult:
    """An ``output`` line: denominator data only, no emission."""
    return LineResult(
        line=line,
        scope="none",
        sector=line.sector,
        activity_value=line.quantity,
        activity_unit=line.unit,
        unit_conversion=1.0,
        formula="output (denominator data; no emission)",
    )
