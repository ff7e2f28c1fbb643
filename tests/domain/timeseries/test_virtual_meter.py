"""Virtual meters: safe parsing, names, NaN propagation over hourly rollups."""

from __future__ import annotations

import numpy as np
import pytest

from zeropark.domain.timeseries import hourly_rollup, parse_expression, virtual_meter_hours
from zeropark.errors import InputError

H = 3600
T0 = 1_704_067_200


def test_names_and_evaluation() -> None:
    expr = parse_expression("main - pv_export + chp_out")
    assert expr.names == ("main", "pv_export", "chp_out")
    out = expr.evaluate({"main": [10.0, 8.0], "pv_export": [3.0, 0.0], "chp_out": [1.0, 2.0]})
    np.testing.assert_allclose(out, [8.0, 10.0])  # 10 − 3 + 1; 8 − 0 + 2


def test_precedence_unary_minus_constants_and_chinese_names() -> None:
    expr = parse_expression("(总表 - 光伏) * 0.5 / 2 - -1")
    assert expr.names == ("总表", "光伏")
    np.testing.assert_allclose(expr.evaluate({"总表": [10.0], "光伏": [2.0]}), [3.0])  # 8×0.5/2+1


def test_missing_hour_gives_nan_not_zero_and_division_by_zero_gives_nan() -> None:
    expr = parse_expression("a - b")
    out = expr.evaluate({"a": [5.0, np.nan, 7.0], "b": [1.0, 1.0, np.nan]})
    assert out[0] == 4.0 and np.isnan(out[1]) and np.isnan(out[2])
    ratio = parse_expression("a / b").evaluate({"a": [1.0, 1.0], "b": [0.0, 4.0]})
    assert np.isnan(ratio[0]) and ratio[1] == 0.25


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ("main ** 2", 1, "operator Pow is not allowed"),
        ("main - __import__('os')", 8, "Call is not allowed"),
        ("main.value", 1, "Attribute is not allowed"),
        ("main + 'x'", 8, "constant 'x' is not allowed"),
        ("main + True", 8, "not a number"),
        ("main < 3", 1, "Compare is not allowed"),
        ("main +", 7, "syntax error"),
        ("main pv", 6, "syntax error"),
    ],
)
def test_forbidden_or_broken_expressions_name_position_and_reason(
    text: str, column: int, reason: str
) -> None:
    with pytest.raises(InputError, match=reason) as info:
        parse_expression(text)
    assert info.value.location == f"column {column}"


def test_other_refusals() -> None:
    with pytest.raises(InputError, match="no meter"):
        parse_expression("3 + 4")
    with pytest.raises(InputError, match="empty"):
        parse_expression("  ")
    with pytest.raises(InputError, match="longer than"):
        parse_expression("a + " * 2000 + "a")
    with pytest.raises(InputError, match="no data for meter"):
        parse_expression("a + b").evaluate({"a": [1.0]})
    with pytest.raises(InputError, match="differ in shape"):
        parse_expression("a + b").evaluate({"a": [1.0], "b": [1.0, 2.0]})


def test_long_chain_does_not_exhaust_recursion() -> None:
    expr = parse_expression(" + ".join(["a"] * 1000))
    assert expr.evaluate({"a": [1.0]}).tolist() == [1000.0]


def test_virtual_meter_on_rollups_with_a_missing_input_hour() -> None:
    # main has hours 0, 1, 2; pv only 0 and 2 → hour 1 of the virtual meter is NaN.
    main = hourly_rollup(T0 + H * np.arange(3), T0 + H * np.arange(1, 4), [10.0, 11.0, 12.0])
    pv = hourly_rollup([T0, T0 + 2 * H], [T0 + H, T0 + 3 * H], [4.0, 5.0])
    hours, net = virtual_meter_hours(parse_expression("main - pv"), {"main": main, "pv": pv})
    assert hours.tolist() == [T0, T0 + H, T0 + 2 * H]
    assert net[0] == 6.0 and np.isnan(net[1]) and net[2] == 7.0


def test_virtual_meter_require_complete_hours() -> None:
    main = hourly_rollup([T0, T0 + H], [T0 + H, T0 + H + 900], [10.0, 2.5])  # hour 1 partial
    _, values = virtual_meter_hours(parse_expression("main * 2"), {"main": main})
    np.testing.assert_allclose(values, [20.0, 5.0])
    _, strict = virtual_meter_hours(
        parse_expression("main * 2"), {"main": main}, require_complete=True
    )
    assert strict[0] == 20.0 and np.isnan(strict[1])
