"""Virtual meters: a safe arithmetic expression over meter names (``main - pv_export + chp_out``).

The text is parsed with :mod:`ast` and only names, numbers, ``+ - * /``, unary ``-``/``+`` and
parentheses are accepted; anything else (calls, attributes, ``**``, strings, comparisons) raises
:class:`~zeropark.errors.InputError` naming the column and the reason (in English, and as a
reason code of :mod:`zeropark.domain.issue_messages` with its parameters). Nothing is ever passed to
``eval``: the tree is compiled into a postfix program run on numpy arrays.

Evaluation is hour by hour: a missing input (NaN) makes the output hour missing (NaN), never zero;
a division by zero also gives NaN. Meter names are Python identifiers (Chinese names included).
"""

from __future__ import annotations

import ast
import operator
import re
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
            raise _error(
                "expression_no_data",
                f"no data for meter(s) {', '.join(missing)}",
                self.text,
                meters=", ".join(missing),
            )
        values = {name: np.asarray(arrays[name], dtype=np.float64) for name in self.names}
        shapes = {v.shape for v in values.values()}
        if len(shapes) > 1:
            raise _error(
                "expression_shapes",
                f"input arrays differ in shape: {sorted(shapes)}",
                self.text,
                shapes=str(sorted(shapes)),
            )
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
        raise InputError(
            f"expression is longer than {MAX_EXPRESSION_CHARS} characters",
            reason_code="expression_too_long",
            params={"limit": MAX_EXPRESSION_CHARS},
        )
    if not text.strip():
        raise InputError("expression is empty", reason_code="expression_empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        column = exc.offset or len(text.strip()) + 1  # offset 0: at the end
        raise _error(
            "expression_syntax",
            f"syntax error: {exc.msg}",
            text,
            column,
            problem_en=exc.msg,
            problem_zh=_syntax_zh(exc.msg, at_end=not exc.offset),
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise _error(
            "expression_unparsable",
            f"cannot parse expression: {exc}",
            text,
            problem_en=str(exc),
            problem_zh=(
                _syntax_zh(str(exc), at_end=False)
                if isinstance(exc, ValueError)
                else _UNPARSABLE_ZH[type(exc)]
            ),
        ) from None
    program, names = _compile(tree.body, text.strip())
    if not names:
        raise _error("expression_no_meter", "expression references no meter", text)
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
                raise _error(
                    "expression_not_number",
                    f"constant {node.value!r} is not a number",
                    text,
                    _column(text, node),
                    constant=repr(node.value),
                )
            program.append(("const", float(node.value)))
        else:
            what = _describe(node)
            raise _error(
                "expression_not_allowed",
                f"{what} is not allowed; use meter names, numbers, + - * / and parentheses",
                text,
                _column(text, node),
                what_en=what,
                what_zh=_describe_zh(text, node),
            )
    return program, names


def _error(
    code: str, reason: str, text: str, column: int | None = None, **params: str
) -> InputError:
    """An :class:`InputError` about expression ``text`` (at ``column``, 1-based), with its
    reason in English and as data: catalogue ``code`` and ``params`` (``column`` included)."""
    return InputError(
        reason,
        location=f"column {column}" if column is not None else None,
        source=text,
        reason_code=code,
        params={**params, **({"column": column} if column is not None else {})},
    )


#: Python's syntax-error messages an expression meets, in Chinese (first match wins).
_SYNTAX_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^'(.)' was never closed"), "括号 {0} 没有闭合"),
    (re.compile(r"^unmatched '(.)'"), "多余的括号 {0}"),
    (re.compile(r"^closing parenthesis '(.)' does not match"), "括号 {0} 不配对"),
    (re.compile(r"^unterminated (?:triple-quoted )?string"), "引号没有闭合"),
    (re.compile(r"^invalid character '(.+)' \((U\+[0-9A-F]+)\)"), "无效字符 {0} ({1})"),
    (re.compile(r"^invalid (?:\w+ )?literal"), "数字写法无效"),
    (re.compile(r"^leading zeros"), "整数不能以 0 开头"),
    (re.compile(r"null bytes"), "含有 NUL 字符"),
    (re.compile(r"^too many nested parentheses"), "括号嵌套过深"),
)
_UNPARSABLE_ZH: dict[type[BaseException], str] = {
    RecursionError: "嵌套过深",
    MemoryError: "表达式过于复杂",
}


def _syntax_zh(message: str, *, at_end: bool) -> str:
    """Python's syntax-error ``message`` in Chinese (``at_end``: the text stops too early)."""
    for pattern, words in _SYNTAX_ZH:
        found = pattern.search(message)
        if found:
            return words.format(*found.groups())
    return "表达式不完整" if at_end else "写法有误"


#: Operators and node kinds the expression refuses, in Chinese.
_REFUSED_ZH: dict[type[ast.AST], str] = {
    ast.Call: "函数调用",
    ast.Attribute: "属性访问",
    ast.Subscript: "下标",
    ast.Compare: "比较",
    ast.BoolOp: "逻辑运算",
    ast.Constant: "常量",
    ast.Lambda: "函数定义",
}


def _describe_zh(text: str, node: ast.expr) -> str:
    """``node`` in Chinese: its kind and the text it stands for (``运算符“main ** 2”``)."""
    segment = ast.get_source_segment(text, node) or ""
    kind = "运算符" if isinstance(node, ast.BinOp) else _REFUSED_ZH.get(type(node), "写法")
    return f"{kind}“{segment}”" if segment else kind


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
