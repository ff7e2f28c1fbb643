"""Reading, validating and writing park files (the one-file description of a park, in YAML).

Validation issues carry the file name and the line of the offending node, found by composing the
YAML node tree once and mapping each document path (``meters[3].unit``) to its line.

A park file is bounded before it is parsed: at most :data:`MAX_PARK_FILE_BYTES`, no YAML aliases
(the "billion laughs"), at most :data:`MAX_YAML_NODES` nodes nested at most
:data:`MAX_YAML_DEPTH` deep; names and texts have their lengths in :mod:`zeropark.domain.park`.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zeropark.data.asset_types import load_asset_types
from zeropark.domain.park import PARK_TYPES, ParkSpec
from zeropark.domain.park_rules import ValidationIssue, park_issue, validate_park_document
from zeropark.errors import InputError, ValidationFailed
from zeropark.i18n import t

__all__ = [
    "MAX_PARK_FILE_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "ParkFileTooLarge",
    "check_park_text",
    "dump_park",
    "load_park_file",
    "park_template",
    "parse_park_text",
    "read_park_text",
    "spec_to_document",
]


class ParkFileTooLarge(InputError):
    """A park file over :data:`MAX_PARK_FILE_BYTES` (HTTP 413)."""

    http_status = 413


#: Largest park file, in bytes (a park of 5,000 meters takes about 1 MB).
MAX_PARK_FILE_BYTES = 4 * 1024 * 1024
#: Most YAML nodes (scalars, mappings, lists) in a park file (5,000 meters take about 210,000).
MAX_YAML_NODES = 300_000
#: Deepest nesting of mappings and lists (a park file needs 6).
MAX_YAML_DEPTH = 32

#: libyaml's parser where PyYAML has it (the same YAML, some 20 times faster), else PyYAML's own.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _screen(text: str, source: str) -> ValidationIssue | None:
    """The first reason to refuse ``text`` before any YAML tree is built, or None.

    One pass over the parser's events, keeping nothing: the size, aliases (``*name``, a ``<<``
    merge included: a few lines of anchors and aliases, "billion laughs", expand to billions of
    nodes once walked as a tree; park files have no use for them), the number of nodes and the
    depth of nesting.
    """
    if len(text) > MAX_PARK_FILE_BYTES:
        return park_issue(
            "file_too_large",
            "(document)",
            t(
                f"园区文件超过 {MAX_PARK_FILE_BYTES:,} 个字符",
                f"the park file is larger than {MAX_PARK_FILE_BYTES:,} characters",
            ),
            source,
            limit=f"{MAX_PARK_FILE_BYTES:,}",
        )
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            reason = t(
                f"园区文件不允许 YAML 别名 (*{event.anchor}); 请写出该值",
                f"YAML aliases (*{event.anchor}) are not allowed in park files; write the "
                "value out",
            )
            return park_issue(
                "yaml_alias", "(document)", reason, source, line, anchor=str(event.anchor)
            )
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            nodes += 1
            if depth > MAX_YAML_DEPTH:
                reason = t(
                    f"嵌套超过 {MAX_YAML_DEPTH} 层",
                    f"nested more than {MAX_YAML_DEPTH} levels deep",
                )
                return park_issue(
                    "yaml_too_deep", "(document)", reason, source, line, limit=MAX_YAML_DEPTH
                )
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
        if nodes > MAX_YAML_NODES:
            reason = t(
                f"超过 {MAX_YAML_NODES:,} 个 YAML 节点", f"more than {MAX_YAML_NODES:,} YAML nodes"
            )
            return park_issue(
                "yaml_too_large", "(document)", reason, source, line, limit=f"{MAX_YAML_NODES:,}"
            )
    return None


def _line_map(text: str) -> dict[str, int]:
    """Map each document path (``meters[3].unit``) to its 1-based line in ``text``."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        lines[path or "(document)"] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{path}[{index}]")

    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, "")
    return lines


def _line_of(lines: dict[str, int], path: str) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("(document)")


#: The YAML parser's problems (libyaml's and PyYAML's words) in Chinese: a part of the English
#: text, and its Chinese. The first that the problem contains wins.
_YAML_PROBLEMS_ZH: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "此处不能写“键: 值”（检查缩进，以及冒号后是否有空格）"),
    ("expected ',' or ']'", "列表缺少逗号或右方括号 ]"),
    ("expected ',' or '}'", "映射缺少逗号或右花括号 }"),
    ("expected '-' indicator", "列表项须以 - 开头（检查缩进）"),
    ("tab character", "含有制表符：请用空格缩进"),
    ("cannot start any token", "含有不能作为值开头的字符（如制表符、@、`、%）"),
    ("unexpected end of stream", "文件意外结束（引号或括号没有闭合？）"),
    ("constructor for the tag", "不支持的 YAML 标签"),
    ("undefined alias", "未定义的别名"),
    ("second occurrence", "锚点重复"),
    ("expected key", "缺少键（检查缩进）"),
    ("expected ':'", "缺少冒号 :"),
    ("unknown escape character", "未知的转义字符"),
    ("expected <document start>", "文档末尾有多余的内容"),
    ("control characters are not allowed", "含有不允许的控制字符"),
    ("special characters are not allowed", "含有不允许的特殊字符"),
)


def _yaml_problem_zh(problem: str) -> str:
    """The YAML parser's ``problem`` in Chinese (a general hint when it is none of the known)."""
    return next(
        (zh for part, zh in _YAML_PROBLEMS_ZH if part in problem),
        "无法解析（检查缩进、冒号和引号）",
    )


def check_park_text(text: str, source: str) -> tuple[ParkSpec | None, list[ValidationIssue]]:
    """Parse and validate park-file text; every issue names ``source``, the path and the line.

    Text over :data:`MAX_PARK_FILE_BYTES`, with a YAML alias, more than :data:`MAX_YAML_NODES`
    nodes or nested deeper than :data:`MAX_YAML_DEPTH` is refused with one issue before it is
    built into a document.
    """
    try:
        refused = _screen(text, source)
        if refused is not None:
            return None, [refused]
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or exc)
        issue = park_issue(
            "yaml_syntax",
            "(document)",
            problem,
            source,
            line,
            problem_en=problem,
            problem_zh=_yaml_problem_zh(problem),
        )
        return None, [issue]
    except ValueError as exc:  # a YAML date that is no date (2023-13-01): PyYAML's own error
        issue = park_issue(
            "yaml_syntax",
            "(document)",
            str(exc),
            source,
            problem_en=str(exc),
            problem_zh="日期无效（如月份不在 1-12 之间）",
        )
        return None, [issue]
    spec, issues = validate_park_document(doc, asset_types=load_asset_types())
    lines = _line_map(text)
    located = sorted(
        (
            dataclasses.replace(issue, source=source, line=_line_of(lines, issue.path))
            for issue in issues
        ),
        key=lambda i: (i.line or 0, i.path),
    )
    return (spec if not located else None), located


def parse_park_text(text: str, source: str) -> ParkSpec:
    """Parse park-file text or raise :class:`ValidationFailed` holding every issue."""
    spec, issues = check_park_text(text, source)
    if issues or spec is None:
        raise ValidationFailed(list(issues), source=source)
    return spec


def read_park_text(path: Path) -> str:
    """The text of a park file; refuses (HTTP 413) a file over :data:`MAX_PARK_FILE_BYTES` bytes
    without reading more than that."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PARK_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read park file: {exc.strerror}", source=str(path)) from exc
    if len(data) > MAX_PARK_FILE_BYTES:
        raise ParkFileTooLarge(
            t(
                f"园区文件超过 {MAX_PARK_FILE_BYTES:,} 字节",
                f"the park file is larger than {MAX_PARK_FILE_BYTES:,} bytes",
            ),
            source=str(path),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            t(f"园区文件不是 UTF-8 编码: {exc}", f"the park file is not UTF-8: {exc}"),
            source=str(path),
        ) from exc


def load_park_file(path: Path) -> ParkSpec:
    """Read and validate a park file; raises :class:`ValidationFailed` with every issue."""
    return parse_park_text(read_park_text(path), str(path))


def _prune(value: Any) -> Any:
    """Drop ``None`` fields and empty collections so exported files stay as short as written."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def spec_to_document(spec: ParkSpec) -> dict[str, Any]:
    """The park spec as the plain document a park file holds (defaults left out)."""
    raw: dict[str, Any] = _prune(dataclasses.asdict(spec))
    return {"version": raw.pop("version"), **raw}


def dump_park(spec: ParkSpec) -> str:
    """Write a park spec as park-file YAML (UTF-8, Chinese kept readable)."""
    return yaml.safe_dump(spec_to_document(spec), allow_unicode=True, sort_keys=False, width=100)


def park_template(park_type: str) -> str:
    """The starter park file of a park type, with its typical emission sources."""
    if park_type not in PARK_TYPES:
        raise InputError(
            f"unknown park type {park_type!r}; choose one of {', '.join(PARK_TYPES)}",
            field="type",
        )
    return (
        resources.files("zeropark.data")
        .joinpath("templates", f"{park_type}.yaml")
        .read_text(encoding="utf-8")
    )
