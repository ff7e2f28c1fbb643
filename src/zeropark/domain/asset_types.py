"""Asset types as data: each type's parameters with type, unit, default, bounds and meaning.

The table ships as ``src/zeropark/data/asset_types.csv`` (one row per parameter, after PyPSA's
component attribute tables) and is loaded by :func:`zeropark.data.asset_types.load_asset_types`;
the domain never reads it itself. :func:`parse_asset_types` turns its rows into
:class:`AssetTypeAttributes` per type, which the park rules
(:func:`zeropark.domain.park_rules.validate_spec`) check asset parameters against.

Columns: ``asset_type, attribute, type, unit, default, min, max, status, name_zh, description``.

- ``type``: ``float`` (a number), ``int`` (a whole number), ``text`` or ``bool``;
- ``unit``: of a number (``kW``, ``kWh``, ``kWp``, ``%``, ``deg``, ``1`` for a fraction or ratio,
  ``1/degC``); empty for text and flags;
- ``default``: used when the park file leaves the parameter out; empty means none;
- ``min`` / ``max``: inclusive bounds of a number; ``>x`` / ``<x`` make a bound exclusive; empty
  means unbounded;
- ``status``: ``required`` (the park file must give it) or ``optional``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

from zeropark.errors import ConfigError

__all__ = [
    "COLUMNS",
    "AssetAttribute",
    "AssetTypeAttributes",
    "Bound",
    "ParamType",
    "ParameterProblem",
    "parse_asset_types",
]

ParamType = Literal["float", "int", "text", "bool"]
Status = Literal["required", "optional"]
ParamValue = float | int | str | bool

COLUMNS = (
    "asset_type", "attribute", "type", "unit", "default", "min", "max", "status", "name_zh",
    "description",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a number's range: the value and whether the value itself is allowed."""

    value: float
    inclusive: bool = True

    def __str__(self) -> str:
        return f"{self.value:,.10g}"


class ParameterProblem(NamedTuple):
    """Why a value does not fit a parameter: the issue ``code``, the ``reason`` in English, and
    the reason as data (``reason_code`` of the issue message catalogue and its ``params``)."""

    code: str
    reason: str
    reason_code: str
    params: dict[str, str]


def _problem(
    code: str, reason: str, value: str, reason_code: str | None = None, **params: str
) -> ParameterProblem:
    return ParameterProblem(code, reason, reason_code or code, {"value": value, **params})


@dataclass(frozen=True, slots=True)
class AssetAttribute:
    """One parameter of an asset type (one row of the table)."""

    asset_type: str
    attribute: str
    type: ParamType
    unit: str
    default: ParamValue | None
    minimum: Bound | None
    maximum: Bound | None
    required: bool
    name_zh: str
    description: str

    def problem(self, value: object) -> ParameterProblem | None:
        """What is wrong with ``value`` for this parameter (code, English reason, and the reason
        as a catalogue code and parameters), or None when it fits."""
        shown = repr(value)
        if self.type in ("float", "int"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return _problem("parameter_not_number", f"{shown} is not a number", shown)
            if value != value or value in (float("inf"), float("-inf")):
                return _problem(
                    "parameter_not_number",
                    f"{shown} is not a finite number",
                    shown,
                    "parameter_not_finite",
                )
            if self.type == "int" and not float(value).is_integer():
                return _problem("parameter_not_integer", f"{shown} is not a whole number", shown)
            if not self.within(float(value)):
                number, bounds = f"{value:g}", self.range_text()
                return _problem(
                    "parameter_out_of_range",
                    f"{number} is outside {bounds}",
                    number,
                    range=bounds,
                )
            return None
        if self.type == "bool":
            if isinstance(value, bool):
                return None
            return _problem("parameter_not_flag", f"{shown} is not true or false", shown)
        if isinstance(value, str):
            return None
        return _problem("parameter_not_text", f"{shown} is no text", shown)

    def within(self, value: float) -> bool:
        """Whether a number lies within the bounds."""
        low, high = self.minimum, self.maximum
        if low is not None and (value < low.value or (value == low.value and not low.inclusive)):
            return False
        return not (
            high is not None
            and (value > high.value or (value == high.value and not high.inclusive))
        )

    def range_text(self, *, unit: bool = True) -> str:
        """The bounds in interval notation, with the unit: ``(0, 1]``, ``[0, 90] deg``."""
        low = (
            "(-∞"
            if self.minimum is None
            else ("[" if self.minimum.inclusive else "(") + str(self.minimum)
        )
        high = (
            "∞)"
            if self.maximum is None
            else str(self.maximum) + ("]" if self.maximum.inclusive else ")")
        )
        suffix = f" {self.unit}" if unit and self.unit not in ("", "1") else ""
        return f"{low}, {high}{suffix}"


@dataclass(frozen=True, slots=True)
class AssetTypeAttributes:
    """The parameters of one asset type, in table order."""

    asset_type: str
    attributes: tuple[AssetAttribute, ...]

    def get(self, name: str) -> AssetAttribute | None:
        """The parameter called ``name``, or None."""
        return next((a for a in self.attributes if a.attribute == name), None)

    def default(self, name: str) -> ParamValue | None:
        """The default of parameter ``name`` (KeyError for a parameter the type lacks)."""
        found = self.get(name)
        if found is None:
            raise KeyError(f"{self.asset_type} has no parameter {name!r}")
        return found.default

    def default_number(self, name: str) -> float:
        """The default of numeric parameter ``name`` (KeyError when it has no numeric default)."""
        value = self.default(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise KeyError(f"{self.asset_type}.{name} has no numeric default")
        return float(value)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the parameters a park file must give."""
        return tuple(a.attribute for a in self.attributes if a.required)

    def with_defaults(self, params: Mapping[str, ParamValue]) -> dict[str, ParamValue]:
        """``params`` completed with the defaults of the parameters it leaves out."""
        out = {a.attribute: a.default for a in self.attributes if a.default is not None}
        out.update(params)
        return out


def _bound(text: str, where: str) -> Bound | None:
    text = text.strip()
    if not text:
        return None
    inclusive = text[0] not in "<>"
    try:
        return Bound(float(text.lstrip("<>")), inclusive)
    except ValueError:
        raise ConfigError(f"{where}: bound {text!r} is not a number") from None


def _default(text: str, kind: ParamType, where: str) -> ParamValue | None:
    text = text.strip()
    if not text:
        return None
    try:
        if kind == "float":
            return float(text)
        if kind == "int":
            return int(text)
    except ValueError:
        raise ConfigError(f"{where}: default {text!r} is not a {kind}") from None
    if kind == "bool":
        if text not in ("true", "false"):
            raise ConfigError(f"{where}: default {text!r} is not true or false")
        return text == "true"
    return text


def parse_asset_types(rows: Iterable[Mapping[str, str]]) -> dict[str, AssetTypeAttributes]:
    """The asset-type table from its rows (see the module doc); :class:`ConfigError` on a bad row.

    Checks each row: known type and status, numeric bounds (for numbers only), a default of the
    parameter's type within its bounds, no default for a required parameter, no name twice.
    """
    by_type: dict[str, list[AssetAttribute]] = {}
    for n, row in enumerate(rows, start=2):
        where = f"asset_types.csv line {n}"
        missing = [c for c in COLUMNS if row.get(c) is None]
        if missing:
            raise ConfigError(f"{where}: missing columns {', '.join(missing)}")
        kind, status = row["type"].strip(), row["status"].strip()
        if kind not in get_args(ParamType):
            raise ConfigError(f"{where}: type {kind!r} is none of {get_args(ParamType)}")
        if status not in get_args(Status):
            raise ConfigError(f"{where}: status {status!r} is none of {get_args(Status)}")
        attr = AssetAttribute(
            asset_type=row["asset_type"].strip(),
            attribute=row["attribute"].strip(),
            type=kind,  # type: ignore[arg-type]  # checked against ParamType above
            unit=row["unit"].strip(),
            default=_default(row["default"], kind, where),  # type: ignore[arg-type]
            minimum=_bound(row["min"], where),
            maximum=_bound(row["max"], where),
            required=status == "required",
            name_zh=row["name_zh"].strip(),
            description=row["description"].strip(),
        )
        if not attr.asset_type or not attr.attribute:
            raise ConfigError(f"{where}: asset_type and attribute must not be empty")
        if kind not in ("float", "int") and (attr.minimum or attr.maximum):
            raise ConfigError(f"{where}: only numbers have bounds")
        if attr.required and attr.default is not None:
            raise ConfigError(f"{where}: a required parameter has no default")
        if attr.default is not None and attr.problem(attr.default) is not None:
            raise ConfigError(f"{where}: default {attr.default!r} does not fit its own row")
        siblings = by_type.setdefault(attr.asset_type, [])
        if any(a.attribute == attr.attribute for a in siblings):
            raise ConfigError(f"{where}: {attr.asset_type}.{attr.attribute} appears twice")
        siblings.append(attr)
    return {name: AssetTypeAttributes(name, tuple(attrs)) for name, attrs in by_type.items()}
