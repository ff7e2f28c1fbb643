"""Reading, validating and writing park files (the one-file description of a park, in YAML).

Validation issues carry the file name and the line of the offending node, found by composing the
YAML node tree once and mapping each document path (``meters[3].unit``) to its line.
"""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zeropark.domain.park import PARK_TYPES, ParkSpec
from zeropark.domain.park_rules import ValidationIssue, validate_park_document
from zeropark.errors import InputError, ValidationFailed

__all__ = [
    "check_park_text",
    "dump_park",
    "load_park_file",
    "park_template",
    "parse_park_text",
    "spec_to_document",
]


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
        root = yaml.compose(text, Loader=yaml.SafeLoader)
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


def check_park_text(text: str, source: str) -> tuple[ParkSpec | None, list[ValidationIssue]]:
    """Parse and validate park-file text; every issue names ``source``, the path and the line."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [ValidationIssue("yaml_syntax", "(document)", str(problem), source, line)]
    spec, issues = validate_park_document(doc)
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


def load_park_file(path: Path) -> ParkSpec:
    """Read and validate a park file; raises :class:`ValidationFailed` with every issue."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read park file: {exc.strerror}", source=str(path)) from exc
    return parse_park_text(text, str(path))


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
