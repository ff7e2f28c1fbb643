"""The one pint registry of zeropark, and conversion at the boundaries.

Quantities are converted once, at the edge (file, API, MQTT), into the canonical unit of their
dimension; the domain computes on plain floats whose unit is in the name (``energy_kwh``).
Users write units as they do in spreadsheets: ``万kWh``, ``万千瓦时``, ``万Nm3``, ``万立方米``,
``吨``, ``度``. :func:`parse_unit` accepts those spellings as well as pint's.

Definitions live in ``zeropark/data/units.txt``. This module imports nothing of the project but
:mod:`zeropark.errors`, so every layer, the domain core included, may use it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pint

from zeropark.errors import UnitError

__all__ = [
    "CANONICAL_UNITS",
    "Q_",
    "canonical_unit",
    "conversion_factor",
    "dimension_of",
    "normalise_unit_text",
    "parse_unit",
    "ureg",
]


def _make_registry() -> pint.UnitRegistry[float]:
    registry: pint.UnitRegistry[float] = pint.UnitRegistry(cache_folder=None)
    text = resources.files("zeropark.data").joinpath("units.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            registry.define(line)
    return registry


ureg: pint.UnitRegistry[float] = _make_registry()
Q_ = ureg.Quantity

# Spellings users type, mapped to pint expressions. Order matters: longer names first.
_ALIASES: tuple[tuple[str, str], ...] = (
    ("千瓦时", "kWh"),
    ("兆瓦时", "MWh"),
    ("度", "kWh"),
    ("标准立方米", "Nm3"),
    ("标立方米", "Nm3"),
    ("立方米", "m3"),
    ("方", "m3"),
    ("吉焦", "GJ"),
    ("兆焦", "MJ"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("吨标准煤", "tce"),
    ("吨标煤", "tce"),
    ("千克标准煤", "kgce"),
    ("升", "L"),
    ("吨", "t"),
    ("Nm³", "Nm3"),
    ("m³", "m3"),
    ("tCO2e", "tCO2e"),
    ("元", "CNY"),
)

_SCALE_PREFIXES: tuple[tuple[str, str], ...] = (("万", "1e4"), ("亿", "1e8"), ("千", "1e3"))

#: The dimensions of :data:`CANONICAL_UNITS` in Chinese (the English are their names).
DIMENSION_NAMES_ZH: dict[str, str] = {
    "energy": "能量",
    "power": "功率",
    "volume": "体积",
    "mass": "质量",
    "co2e": "二氧化碳当量",
    "currency": "货币",
}

# Canonical units by dimension: what the domain computes in.
CANONICAL_UNITS: dict[str, str] = {
    "energy": "kWh",
    "power": "kW",
    "volume": "m3",
    "mass": "t",
    "co2e": "tCO2e",
    "currency": "CNY",
}


def normalise_unit_text(text: str) -> str:
    """Rewrite a user's unit spelling (``万千瓦时``, ``吨``) into a pint expression."""
    raw = text.strip()
    if not raw:
        raise UnitError("empty unit", reason_code="unit_empty")
    scale = ""
    for prefix, factor in _SCALE_PREFIXES:
        # 万kWh, 万 kWh, 万Nm3 — but never the whole unit (千克 is a unit on its own).
        if raw.startswith(prefix) and raw[len(prefix) :].strip() and raw not in ("千克", "千瓦时"):
            rest = raw[len(prefix) :].strip()
            if any(rest.startswith(name) for name, _ in _ALIASES) or re.match(r"[A-Za-z]", rest):
                scale, raw = factor, rest
            break
    for name, replacement in _ALIASES:
        if raw == name:
            raw = replacement
            break
    expr = re.sub(r"\b(k?m|Nm)([23])\b", lambda m: f"{m.group(1)}{m.group(2)}", raw)
    return f"{scale} * {expr}" if scale else expr


#: The scales a unit may carry (万 is 1e4, 亿 1e8, ``GJ/(1e4 Nm3)`` 1e-4): a unit such as
#: ``1e300 t`` would turn any quantity into an overflow.
MIN_SCALE, MAX_SCALE = 1e-12, 1e12
#: The longest unit text accepted (the database keeps units in 32 characters; factor units
#: such as ``GJ/(1e4 Nm3)`` are far shorter).
MAX_UNIT_CHARS = 64
#: An exponent as units need it: one digit, optionally signed or with a fraction (``m**2``,
#: ``s**-1``, ``m**(1.5)``), not followed by another exponent (``9**9**9`` would be evaluated
#: as a number with hundreds of millions of digits).
_POWER = re.compile(r"\*\*")
_EXPONENT = re.compile(r"\s*(\(\s*)?[-+]?\s*\d(?:\.\d{1,3})?\s*(?(1)\))(?!\s*(?:[\deE.(]|\*\*))")
_MAX_POWERS = 4


def _screen(text: str) -> str:
    """The pint expression of ``text``, or :class:`UnitError` for text pint must not evaluate.

    Refused: control characters (NUL included), text longer than :data:`MAX_UNIT_CHARS`, and
    exponents other than small plain numbers, so no unit text can make pint compute for long.
    """
    if len(text) > MAX_UNIT_CHARS:
        raise UnitError(
            f"unit text is longer than {MAX_UNIT_CHARS} characters ({len(text)})",
            field="unit",
            reason_code="unit_too_long",
            params={"limit": MAX_UNIT_CHARS, "length": len(text)},
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in text):
        raise _unit_error(
            "unit_control_character", f"unit {text!r} contains a control character", text
        )
    expr = normalise_unit_text(text)
    preprocessed = pint.util.string_preprocessor(expr)
    powers = [m.end() for m in _POWER.finditer(preprocessed)]
    if len(powers) > _MAX_POWERS or any(
        _EXPONENT.match(preprocessed, end) is None for end in powers
    ):
        raise _unit_error(
            "unit_bad_exponent",
            f"cannot read unit {text!r}: exponents must be small numbers (m**2, s**-1)",
            text,
        )
    return expr


def _unit_error(code: str, reason: str, text: str, **params: str) -> UnitError:
    """A :class:`UnitError` about unit ``text``: ``reason`` in English and, as data, the
    catalogue ``code`` with the text quoted as in ``reason`` (``unit``) and ``params``."""
    return UnitError(reason, field="unit", reason_code=code, params={"unit": repr(text), **params})


@lru_cache(maxsize=512)
def parse_unit(text: str) -> pint.Quantity[float]:
    """Parse a unit as users write it into a pint quantity of magnitude = the scale (万 → 1e4).

    The one place unit text meets pint: any failure, whatever pint or its tokenizer raises
    (``TokenError``, ``DefinitionSyntaxError``, ``AssertionError``, ``ZeroDivisionError`` ...),
    becomes a :class:`UnitError` naming the text; so does a scale that is not a finite positive
    number within :data:`MIN_SCALE` to :data:`MAX_SCALE` (``0 kWh``, ``-kWh``, ``1e300 t``).
    """
    if not isinstance(text, str):
        raise UnitError(
            f"a unit must be text, not {type(text).__name__}",
            field="unit",
            reason_code="unit_not_text",
            params={"type": type(text).__name__},
        )
    expr = _screen(text)
    try:
        quantity = ureg.parse_expression(expr)
    except pint.errors.UndefinedUnitError:
        raise _unit_error("unit_unknown", f"unknown unit {text!r}", text) from None
    except Exception:  # pint and its tokenizer raise many unrelated types for bad text
        raise _unit_error("unit_unreadable", f"cannot read unit {text!r}", text) from None
    if not isinstance(quantity, pint.Quantity):
        raise _unit_error("unit_is_number", f"{text!r} is a number, not a unit", text)
    try:
        magnitude = float(quantity.magnitude)
    except Exception:
        raise _unit_error("unit_unreadable", f"cannot read unit {text!r}", text) from None
    if not (math.isfinite(magnitude) and magnitude > 0):
        raise _unit_error("unit_no_scale", f"unit {text!r} has no finite positive scale", text)
    if not MIN_SCALE <= magnitude <= MAX_SCALE:
        raise _unit_error(
            "unit_scale_range",
            f"unit {text!r} has a scale of {magnitude:g}, outside {MIN_SCALE:g} to {MAX_SCALE:g}",
            text,
            scale=f"{magnitude:g}",
            min=f"{MIN_SCALE:g}",
            max=f"{MAX_SCALE:g}",
        )
    return quantity


def dimension_of(unit: str) -> str:
    """Name the dimension of ``unit``: energy, power, volume, mass or co2e.

    Raises :class:`UnitError` when the unit is none of those.
    """
    try:
        dims = parse_unit(unit).dimensionality
    except UnitError:
        raise
    except Exception:  # a quantity pint built but cannot describe
        raise _unit_error("unit_unreadable", f"cannot read unit {unit!r}", unit) from None
    for name, canonical in CANONICAL_UNITS.items():
        if parse_unit(canonical).dimensionality == dims:
            return name
    raise _unit_error(
        "unit_no_dimension",
        f"unit {unit!r} has dimension {dims}, none of {sorted(CANONICAL_UNITS)}",
        unit,
        dimension_en=str(dims),
        dimension_zh=_dimension_zh(str(dims)),
        known_en=str(sorted(CANONICAL_UNITS)),
        known_zh="、".join(DIMENSION_NAMES_ZH[name] for name in sorted(CANONICAL_UNITS)),
    )


#: pint's base dimensions in Chinese (``[length] / [time]`` → ``长度 / 时间``).
_BASE_DIMENSIONS_ZH = {
    "dimensionless": "无量纲",
    "[length]": "长度",
    "[mass]": "质量",
    "[time]": "时间",
    "[temperature]": "温度",
    "[current]": "电流",
    "[substance]": "物质的量",
    "[luminosity]": "发光强度",
    "[currency]": "货币",
}


def _dimension_zh(dims: str) -> str:
    """pint's words for a dimensionality (``[length] ** 2``) with its base dimensions in
    Chinese (``[co2e]``-like custom ones stay as written)."""
    return re.sub(r"\[\w+\]|dimensionless", lambda m: _BASE_DIMENSIONS_ZH.get(m[0], m[0]), dims)


def canonical_unit(unit: str) -> str:
    """The canonical unit of the dimension of ``unit`` (kWh for energy, t for mass, ...)."""
    return CANONICAL_UNITS[dimension_of(unit)]


@lru_cache(maxsize=2048)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiply a magnitude in ``from_unit`` by this to get it in ``to_unit``.

    >>> conversion_factor("万kWh", "MWh")
    10.0

    Raises :class:`UnitError` when the two units do not share a dimension.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    units = {"from_unit": repr(from_unit), "to_unit": repr(to_unit)}
    try:
        factor = float((source / target).to("dimensionless").magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"cannot convert {from_unit!r} to {to_unit!r}: different dimensions",
            field="unit",
            reason_code="unit_different_dimensions",
            params=units,
        ) from None
    except Exception:  # overflow and the like, from units that parse but do not convert
        raise UnitError(
            f"cannot convert {from_unit!r} to {to_unit!r}",
            field="unit",
            reason_code="unit_no_conversion",
            params=units,
        ) from None
    if not (math.isfinite(factor) and factor > 0):
        raise UnitError(
            f"converting {from_unit!r} to {to_unit!r} gives no finite factor",
            field="unit",
            reason_code="unit_no_factor",
            params=units,
        )
    return factor
