"""The one catalogue of issue reasons: reason code → message template in Chinese and English.

Templates name their parameters in braces (``{period}``) and nothing else (no format specs), so
the web dashboard fills the same templates with the same rule (``web/static/i18n/issues.json``
is written from :data:`MESSAGES` by :func:`messages_json`; a test keeps the two equal). An
unknown reason code, or a template whose parameters are not all given, renders the issue's
``detail`` parameter when it has one (the English text of a reason without a template yet).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Literal

__all__ = ["MESSAGES", "Lang", "ParamValue", "messages_json", "render"]

Lang = Literal["zh", "en"]
ParamValue = str | int | float | bool | None

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

#: reason code → (Chinese, English) template.
MESSAGES: dict[str, tuple[str, str]] = {
    # Any text: a reason already written in the reader's language, or not yet catalogued.
    "text": ("{text}", "{text}"),
    # Text no field may hold (activities, readings).
    "nul_character": (
        "含有 NUL 字符 (U+0000)，任何文本字段都不能包含",
        "contains a NUL character (U+0000), which no text field may hold",
    ),
    "control_character": (
        "含有控制字符（换行符等）",
        "contains a control character (a line break or the like)",
    ),
    "too_long": (
        "超过 {limit} 个字符（实际 {length} 个）",
        "longer than {limit} characters ({length})",
    ),
    "missing": ("{field} 为空", "{field} is empty"),
    # Activities (docs/activities-csv.md).
    "unknown_entity": ("园区中没有主体（企业或园区）“{entity}”", "no tenant or park '{entity}'"),
    "bad_period": (
        "无法识别期间“{period}”：请写 2024、2024-Q1 或 2024-03"
        "（也接受 2024年、2024Q1、2024年第1季度、2024/3、2024年3月）",
        "cannot read period '{period}': use 2024, 2024-Q1 or 2024-03 "
        "(2024年, 2024Q1, 2024年第1季度, 2024/3 and 2024年3月 are read too)",
    ),
    "unknown_category": (
        "未知的排放源类别“{category}”；可选: {choices}",
        "unknown category '{category}'; use one of {choices}",
    ),
    "unknown_item": (
        "“{item}”不在“{category_zh}”({category})的品种目录中（如 柴油、天然气、外购电力、热力）",
        "'{item}' is not in the item catalogue for category {category} "
        "(e.g. 柴油/diesel, 天然气/natural_gas, 外购电力/electricity, 热力/heat)",
    ),
    "item_category_mismatch": (
        "{item_name}（{item_code}）属于{kind_zh}，不是“{category_zh}”({category})的品种",
        "{item_name} ({item_code}) is a {kind_en}, not an item of {category}",
    ),
    "bad_number": ("“{text}”不是有限的数字", "'{text}' is not a finite number"),
    "percent_not_quantity": (
        "百分数“{text}”不是数量：请按该行的单位填写数值",
        "a percentage ({text}) is not a quantity: give the amount in the row's unit",
    ),
    "negative_quantity": (
        "数量不能为负（只有输出电力、输出热力的更正可以为负）",
        "quantities are not negative (only exports, exported_electricity and "
        "exported_heat, may be)",
    ),
    "bad_parameter": (
        "{field} 须为非负的有限数字，而不是“{text}”",
        "{field} must be a finite number ≥ 0, not '{text}'",
    ),
    "parameter_needs_unit": (
        "填写了 {field} 却没有 {unit_field}（如 {example}）",
        "{field} given without {unit_field} (e.g. {example})",
    ),
    "oxidation_above_one": (
        "碳氧化率 {text} 大于 1：请写小数 (0.98) 或百分数 (98%)",
        "oxidation_rate {text} > 1: give a fraction (0.98) or 98%",
    ),
    "unknown_unit": ("无法识别的单位“{unit}”", "cannot read unit '{unit}'"),
    "unit_item_mismatch": (
        "{item_name} 的单位须为{expected_zh}，而“{unit}”不是",
        "{item_name} is measured in {expected_en} units, and '{unit}' is none",
    ),
    "unknown_sector": (
        "未知的排放领域“{sector}”；可选: {choices}",
        "unknown sector '{sector}'; use one of {choices}",
    ),
    "bad_origin": (
        "origin 须为 record（活动记录）或 meter（计量合计），而不是“{origin}”",
        "origin must be record or meter, not '{origin}'",
    ),
    # Readings (docs/readings-format.md).
    "bad_row": (
        "应有 {expected} 个字段，实际 {actual} 个",
        "expected {expected} fields, found {actual}",
    ),
    "missing_meter": ("电表编号为空", "the meter id is empty"),
    "time_out_of_range": (
        "时间不在 {min_year}–{max_year} 年之间（见 docs/readings-format.md 的可信时间窗）",
        "outside the years {min_year}-{max_year} that times can have "
        "(see the plausibility window in docs/readings-format.md)",
    ),
    "bad_timestamp": (
        "不是 ISO 8601 时间，或不是 {timezone} 的有效当地时间",
        "not an ISO 8601 time, or not a valid local time in {timezone}",
    ),
    "bad_value": ("读数不是有限的数字", "not a finite number"),
    "bad_quality": (
        "质量标记须为以下之一: {choices}",
        "quality must be one of {choices}",
    ),
    "unknown_meter": (
        "园区 {park} 中没有此调用方可写入的电表“{meter}”",
        "no meter '{meter}' in park '{park}' that this caller may write",
    ),
    "inactive_meter": ("电表“{meter}”已停用", "meter '{meter}' is deactivated"),
    "implausible_time": (
        "电表 {meter} 的读数时间 {time} 不在可信时间窗内（{window}）",
        "{meter}: time {time} is outside the plausible window {window}",
    ),
    "reading_excluded": (
        "电表 {meter} 在 {time} 的读数被排除在派生数量之外（读数仍保留）: {detail}",
        "{meter} {time}: {detail} (the reading is kept but excluded from derived quantities)",
    ),
    # Park file (docs/park-file.md).
    "park_rule": ("园区文件: {detail}", "{detail}"),
}


def _fill(template: str, params: Mapping[str, ParamValue]) -> str | None:
    """``template`` with every ``{name}`` filled; None when a parameter is missing."""
    names = _PLACEHOLDER.findall(template)
    if any(name not in params for name in names):
        return None
    return _PLACEHOLDER.sub(
        lambda m: "" if params[m.group(1)] is None else str(params[m.group(1)]), template
    )


def render(reason_code: str, params: Mapping[str, ParamValue], lang: Lang = "en") -> str:
    """The message of ``reason_code`` in ``lang`` filled with ``params``.

    Falls back to ``params["detail"]`` (else the code itself) when the catalogue has no
    template for the code or a parameter of the template is missing.
    """
    template = MESSAGES.get(reason_code)
    if template is not None:
        text = _fill(template[0] if lang == "zh" else template[1], params)
        if text is not None:
            return text
    detail = params.get("detail")
    return str(detail) if detail not in (None, "") else reason_code


def messages_json() -> str:
    """The catalogue as the JSON the web dashboard ships (``{code: {"zh": …, "en": …}}``)."""
    table = {code: {"zh": zh, "en": en} for code, (zh, en) in sorted(MESSAGES.items())}
    return json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
