"""Unit text from users: every failure is a UnitError, nothing else escapes (issue #9, #7)."""

from __future__ import annotations

import contextlib

import pint
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zeropark.errors import UnitError
from zeropark.units import MAX_UNIT_CHARS, conversion_factor, dimension_of, parse_unit

#: Texts a tenant sent that made pint raise TokenError, AssertionError and the like (500s).
PROBE_UNITS = ["(", "kWh)", "**", "1/", "[", "kg*", "kg^-", "]", "kWh**kWh", "kWh/0", "1/0"]
#: Texts that would make pint compute for minutes or overflow.
EXPENSIVE_UNITS = ["9**9**9 kWh", "10**10**10", "9⁹⁹⁹", "2**1000000 kWh", "kWh**1e10", "9**(9**9)"]


@pytest.mark.parametrize("text", PROBE_UNITS + EXPENSIVE_UNITS)
def test_malformed_unit_is_a_unit_error(text: str) -> None:
    for parse in (parse_unit, dimension_of):
        with pytest.raises(UnitError) as info:
            parse(text)
        assert info.value.field == "unit"
        assert text in info.value.reason


@pytest.mark.parametrize(
    "text", ["kWh\x00", "k\x00Wh", "\x00", "kWh\u200b", "kWh\n", "a" * (MAX_UNIT_CHARS + 1)]
)
def test_control_characters_and_overlong_units_are_refused(text: str) -> None:
    with pytest.raises(UnitError):
        parse_unit(text)


@pytest.mark.parametrize(
    "text", ["0 kWh", "-kWh", "-1 * kWh", "1e999 kWh", "nan * kWh", "1e300 t", "1e-300 t"]
)
def test_a_unit_needs_a_finite_positive_scale(text: str) -> None:
    with pytest.raises(UnitError):
        parse_unit(text)


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("万kWh", "energy"),
        ("万千瓦时", "energy"),
        ("m²", None),
        ("kg*m**2/s**2", "energy"),
        ("万Nm3", "volume"),
        ("m**3", "volume"),
        ("t", "mass"),
        ("kW", "power"),
        ("tCO2e", "co2e"),
    ],
)
def test_ordinary_units_still_parse(text: str, dimension: str | None) -> None:
    assert isinstance(parse_unit(text), pint.Quantity)
    if dimension is not None:
        assert dimension_of(text) == dimension


def test_factor_units_still_parse() -> None:
    assert conversion_factor("GJ/(1e4 Nm3)", "GJ/Nm3") == pytest.approx(1e-4)
    assert conversion_factor("s**-1", "1/s") == pytest.approx(1.0)
    assert conversion_factor("m**(1.5)", "m**1.5") == pytest.approx(1.0)


def test_a_conversion_without_finite_factor_is_a_unit_error() -> None:
    with pytest.raises(UnitError):
        conversion_factor("1e300 kWh", "1e-300 kWh")


def _only_unit_errors(text: str) -> None:
    for call in (
        lambda: parse_unit(text),
        lambda: dimension_of(text),
        lambda: conversion_factor(text, "kWh"),
        lambda: conversion_factor("kWh", text),
    ):
        with contextlib.suppress(UnitError):
            call()


#: Characters of pint's grammar and of the units users write, so the fuzzer hits the parser.
_UNIT_ALPHABET = "()[]*/^+-.,eE0123456789 kKgGmMWhHsStNlL%²³⁹⁻万千吨度元_\x00"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_UNIT_ALPHABET, max_size=24))
def test_fuzz_unit_grammar_raises_only_unit_error(text: str) -> None:
    _only_unit_errors(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_fuzz_any_text_raises_only_unit_error(text: str) -> None:
    _only_unit_errors(text)
