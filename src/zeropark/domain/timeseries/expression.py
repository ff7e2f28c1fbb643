"""Virtual meters: a safe arithmetic expression over meter names (``main - pv_export + chp_out``).

The text is parsed with :mod:`ast` and only names, numbers, ``+ - * /``, unary ``-``/``+`` and
parentheses are accepted; anything else (calls, attributes, ``**``, strings, comparisons) raises
:class:`~zeropark.errors.InputError` naming the column and the reason. Nothing is ever passed to
``eval``: the tree is compiled into a postfix program run on numpy arrays.

Evaluation is hour by hour: a missing input (NaN) makes the output hour missing (NaN), never zero;
a division by zero also gives NaN. Meter names are Python identifiers (Chinese names included).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zeropark.domain.timeseries._arrays import FloatArray
from zeropark.errors import InputError

__all__ = ["MAX_EXPRESSION_CHARS", "Expression", "parse_expression"]

MAX_EXPRESSION_CHARS = 4096

_Op = Callable[[FloatArray, FloatArray], FloatArray]


def _divide(a: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        quotient: FloatArray = np.where(b == 0, np.nan, a / b)
    return quotient


_BINARY: dict[type[ast.operator], tuple[str, _Op]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", _divide),
}

# A postfix program: ("name", str) pushes a meter, ("const", float) a number, ("neg", None)
# negates the top, ("op", symbol) pops two and pushes the result.
_Step = tuple[str, str | float | None]


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed virtual-meter expression; ``names`` are the meters it references, in order of
    first appearance."""

    text: str
    names: tuple[str, ...]
    program: tuple[_Step, ...]

    def evaluate(self, arrays: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """Evaluate on equally shaped arrays (hourly quantities by meter name); NaN propagates.

        Raises :class:`InputError` when a referenced meter is missing or the shapes differ.
        """
        missing = [name for name in self.names if name not in arrays]
        if missing:
            raise InputError(f"no data for meter(s) {', '.join(missing)}", source=self.text)
        values = {name: np.asarray(arrays[name], dtype=np.float64) for name in self.names}
        shapes = {v.shape for v in values.values()}
        if len(shapes) > 1:
            raise InputError(f"input arrays differ in shape: {sorted(shapes)}", source=self.text)
        stack: list[FloatArray] = []
        ops = {symbol: fn for symbol, fn in _BINARY.values()}
        for kind, arg in self.program:
            if kind == "name":
                stack.append(values[str(arg)])
            elif kind == "const":
                stack.append(np.asarray(arg, dtype=np.float64))
            elif kind == "neg":
                stack.append(-stack.pop())
            else:
                right, left = stack.pop(), stack.pop()
                stack.append(ops[str(arg)](left, right))
        (shape,) = shapes
        return np.array(np.broadcast_to(stack.pop(), shape), dtype=np.float64)


def parse_expression(text: str) -> Expression:
    """Parse a virtual-meter expression; raises :class:`InputError` naming position and reason."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise InputError(f"expression is longer than {MAX_EXPRESSION_CHARS} characters")
    if not text.strip():
        raise InputError("expression is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        where = f"column {exc.offset or len(text.strip()) + 1}"  # offset 0: at the end
        raise InputError(f"syntax error: {exc.msg}", location=where, source=text) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise InputError(f"cannot parse expression: {exc}", source=text) from None
    program, names = _compile(tree.body, text.strip())
    if not names:
        raise InputError("expression references no meter", source=text)
    return Expression(text, tuple(dict.fromkeys(names)), tuple(program))


def _compile(root: ast.expr, text: str) -> tuple[list[_Step], list[str]]:
    """Post-order walk with an explicit stack (deep chains cannot exhaust recursion)."""
    program: list[_Step] = []
    names: list[str] = []
    todo: list[tuple[ast.expr, bool]] = [(root, False)]
    while todo:
        node, children_done = todo.pop()
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            if children_done:
                program.append(("op", _BINARY[type(node.op)][0]))
            else:
                todo += [(node, True), (node.right, False), (node.left, False)]
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            if children_done:
                if isinstance(node.op, ast.USub):
                    program.append(("neg", None))
            else:
                todo += [(node, True), (node.operand, False)]
        elif isinstance(node, ast.Name):
            program.append(("name", node.id))
            names.append(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise InputError(
                    f"constant {node.value!r} is not a number",
                    location=f"column {_column(text, node)}",
                    source=text,
                )
            program.append(("const", float(node.value)))
        else:
            raise InputError(
                f"{_describe(node)} is not allowed; use meter names, numbers, + - * / and "
                "parentheses",
                location=f"column {_column(text, node)}",
                source=text,
            )
    return program, names


def _describe(node: ast.expr) -> str:
    if isinstance(node, ast.BinOp):
        return f"operator {type(node.op).__name__}"
    if isinstance(node, ast.Constant):
        return f"constant {node.value!r}"
    return type(node).__name__


def _column(text: str, node: ast.expr) -> int:
    """1-based character column of ``node`` (``col_offset`` counts UTF-8 bytes)."""
    line = text.splitlines()[node.lineno - 1] if text else ""
    return len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")) + 1
