"""Energy and resource carriers a meter can measure, and the unit dimensions each accepts.

A meter's unit must fit its carrier: electricity in energy units (kWh), natural gas in volume
(Nm3) or mass (t, for LNG), never kWh on a gas meter. Dimensions are those of
:func:`zeropark.units.dimension_of`.
"""

from __future__ import annotations

from dataclasses import dataclass

from zeropark.units import DIMENSION_NAMES_ZH

__all__ = [
    "CARRIERS",
    "ENERGY_CATEGORIES",
    "Carrier",
    "carrier",
    "carrier_of_line",
    "dimension_params",
]


@dataclass(frozen=True, slots=True)
class Carrier:
    """One carrier: its code, Chinese and English names, and accepted unit dimensions."""

    code: str
    name_zh: str
    name_en: str
    dimensions: tuple[str, ...]
    default_unit: str
    fossil: bool


CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        Carrier("electricity", "电力", "electricity", ("energy",), "kWh", False),
        Carrier("natural_gas", "天然气", "natural gas", ("volume", "mass"), "Nm3", True),
        Carrier("lng", "液化天然气", "LNG", ("mass", "volume"), "t", True),
        Carrier("lpg", "液化石油气", "LPG", ("mass",), "t", True),
        Carrier("water", "水", "water", ("volume", "mass"), "m3", False),
        Carrier("heat", "热力", "heat", ("energy",), "GJ", False),
        Carrier("steam", "蒸汽", "steam", ("mass", "energy"), "t", False),
        Carrier("cooling", "冷量", "cooling", ("energy",), "kWh", False),
        Carrier("diesel", "柴油", "diesel", ("mass", "volume"), "t", True),
        Carrier("gasoline", "汽油", "gasoline", ("mass", "volume"), "t", True),
        Carrier("fuel_oil", "燃料油", "fuel oil", ("mass",), "t", True),
        Carrier("coal", "煤炭", "coal", ("mass",), "t", True),
        Carrier("hydrogen", "氢气", "hydrogen", ("mass", "volume"), "kg", False),
        Carrier("compressed_air", "压缩空气", "compressed air", ("volume",), "m3", False),
    )
}


def dimension_params(dimension: str, dimensions: tuple[str, ...]) -> dict[str, str]:
    """Message parameters naming a unit's ``dimension`` and a carrier's ``dimensions``, in
    both languages (``dimensions_en`` ``energy or volume``, ``dimensions_zh`` ``能量或体积``)."""
    return {
        "dimension_zh": DIMENSION_NAMES_ZH.get(dimension, dimension),
        "dimension_en": dimension,
        "dimensions_zh": "或".join(DIMENSION_NAMES_ZH.get(d, d) for d in dimensions),
        "dimensions_en": " or ".join(dimensions),
    }


def carrier(code: str) -> Carrier:
    """Look up a carrier by code; raises ``KeyError`` naming the known codes."""
    try:
        return CARRIERS[code]
    except KeyError:
        raise KeyError(f"unknown carrier {code!r}; known: {', '.join(sorted(CARRIERS))}") from None


#: The carrier of an accounting category whose item names no carrier.
_CARRIER_OF_CATEGORY = {
    "purchased_electricity": "electricity",
    "exported_electricity": "electricity",
    "onsite_renewable": "electricity",
    "green_electricity": "electricity",
    "purchased_heat": "heat",
    "exported_heat": "heat",
}
#: Accounting categories that consume or supply a carrier (others, such as process or waste
#: lines, are no energy).
ENERGY_CATEGORIES = frozenset(_CARRIER_OF_CATEGORY) | {"fuel_combustion", "mobile_combustion"}


def carrier_of_line(category: str, item: str) -> str | None:
    """The carrier of an accounting line: its item when that is a carrier (natural_gas, diesel),
    else the category's (electricity, heat); a fuel outside :data:`CARRIERS` is its own item;
    None for lines that are no energy (process, waste, output)."""
    if category not in ENERGY_CATEGORIES:
        return None
    if category in _CARRIER_OF_CATEGORY:
        return _CARRIER_OF_CATEGORY[category]
    return item
