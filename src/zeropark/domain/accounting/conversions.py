"""Unit conversion of activity data and factors, through the one pint registry.

Quantities and factors are converted once per line into the unit a formula needs; the factor
used is returned so the trace can show it.
"""

from __future__ import annotations

from functools import lru_cache

import pint

from zeropark.errors import UnitError
from zeropark.units import conversion_factor, dimension_of, parse_unit

__all__ = ["convert", "dimension", "product_conversion"]


def dimension(unit: str, *, field: str = "unit") -> str:
    """The dimension name of ``unit`` (energy, volume, mass, co2e, power), field-tagged on error."""
    try:
        return dimension_of(unit)
    except UnitError as exc:
        raise UnitError(exc.reason, field=field) from None


def convert(value: float, unit: str, target: str, *, field: str = "unit") -> tuple[float, float]:
    """``value`` in ``unit`` expressed in ``target``, and the multiplier used."""
    try:
        factor = conversion_factor(unit, target)
    except UnitError as exc:
        raise UnitError(exc.reason, field=field) from None
    return value * factor, factor


@lru_cache(maxsize=1024)
def product_conversion(units: tuple[str, ...], target: str) -> float:
    """Multiplier turning the product of magnitudes in ``units`` into ``target``.

    ``product_conversion(("万Nm3", "GJ/(1e4 Nm3)"), "GJ")`` is 1.0. Raises :class:`UnitError`
    when the product does not have the dimension of ``target``.
    """
    product = parse_unit(units[0])
    for unit in units[1:]:
        product = product * parse_unit(unit)
    try:
        return float(product.to(parse_unit(target).units).magnitude / parse_unit(target).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"{' × '.join(units)} cannot be expressed in {target}", field="unit"
        ) from None
