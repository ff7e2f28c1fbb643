"""Energy and resource carriers a meter can measure, and the unit dimensions each accepts.

A meter's unit must fit its carrier: electricity in energy units (kWh), natural gas in volume
(Nm3) or mass (t, for LNG), never kWh on a gas meter. Dimensions are those of
:func:`zeropark.units.dimension_of`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CARRIERS", "Carrier", "carrier"]


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


def carrier(code: str) -> Carrier:
    """Look up a carrier by code; raises ``KeyError`` naming the known codes."""
    try:
        return CARRIERS[code]
    except KeyError:
        raise KeyError(f"unknown carrier {code!r}; known: {', '.join(sorted(CARRIERS))}") from None
