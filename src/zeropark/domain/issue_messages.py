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
    "unknown_indicator_item": (
        "“{item}”不是“{category_zh}”({category})的项目；可选: {choices}",
        "'{item}' is not an item of {category}; use one of {choices}",
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
    # The unit parser's reasons (zeropark.units; {unit} is the text as Python quotes it).
    "unit_empty": ("单位为空", "empty unit"),
    "unit_too_long": (
        "单位文本超过 {limit} 个字符（实际 {length} 个）",
        "unit text is longer than {limit} characters ({length})",
    ),
    "unit_control_character": (
        "单位 {unit} 含有控制字符",
        "unit {unit} contains a control character",
    ),
    "unit_bad_exponent": (
        "无法识别单位 {unit}：指数须为较小的数字（如 m**2、s**-1）",
        "cannot read unit {unit}: exponents must be small numbers (m**2, s**-1)",
    ),
    "unit_not_text": ("单位须为文本，而不是 {type}", "a unit must be text, not {type}"),
    "unit_unknown": ("未知的单位 {unit}", "unknown unit {unit}"),
    "unit_unreadable": ("无法识别单位 {unit}", "cannot read unit {unit}"),
    "unit_is_number": ("{unit} 是一个数，不是单位", "{unit} is a number, not a unit"),
    "unit_no_scale": (
        "单位 {unit} 的倍数不是有限的正数",
        "unit {unit} has no finite positive scale",
    ),
    "unit_scale_range": (
        "单位 {unit} 的倍数为 {scale}，超出 {min} 至 {max}",
        "unit {unit} has a scale of {scale}, outside {min} to {max}",
    ),
    "unit_no_dimension": (
        "单位 {unit} 的量纲为 {dimension_zh}，不是{known_zh}中的任何一种",
        "unit {unit} has dimension {dimension_en}, none of {known_en}",
    ),
    "unit_different_dimensions": (
        "无法将 {from_unit} 换算为 {to_unit}：量纲不同",
        "cannot convert {from_unit} to {to_unit}: different dimensions",
    ),
    "unit_no_conversion": (
        "无法将 {from_unit} 换算为 {to_unit}",
        "cannot convert {from_unit} to {to_unit}",
    ),
    "unit_no_factor": (
        "将 {from_unit} 换算为 {to_unit} 得不到有限的换算系数",
        "converting {from_unit} to {to_unit} gives no finite factor",
    ),
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
        "电表 {meter} 的读数时间 {time} 不在可信时间窗内（{window_zh}）",
        "{meter}: time {time} is outside the plausible window {window}",
    ),
    "conflicting_duplicate": (
        "同一批次中 {time} 有第二个不同的读数",
        "a second, different value for {time} in the same batch",
    ),
    "conflict": (
        "电表 {meter} 在 {time} 已有不同的读数；如需替换，请以质量标记“更正”（corrected）发送",
        "{meter} at {time} already has a different stored value; send it with quality "
        "'corrected' to replace it",
    ),
    # Quarantine rows stored before normalisation gave its reasons as data: English {detail}.
    "reading_excluded": (
        "电表 {meter} 在 {time} 的读数被排除在派生数量之外（读数仍保留）: {detail}",
        "{meter} {time}: {detail} (the reading is kept but excluded from derived quantities)",
    ),
    # A reading normalisation set aside, with its reason (one of reading_* below) in both.
    "reading_excluded_because": (
        "电表 {meter} 在 {time} 的读数被排除在派生数量之外（读数仍保留）: {reason_zh}",
        "{meter} {time}: {reason_en} (the reading is kept but excluded from derived quantities)",
    ),
    # A stored reading judged again when later readings arrived (service.ingest): its record
    # is closed as reclassified; still set aside, it has a new record with the reason now.
    "quarantine_reclassified": (
        "电表 {meter} 在 {time} 的读数经后续读数重新判定：隔离记录 {record} 已关闭（重新分类），"
        "现在的原因: {reason_zh}",
        "{meter} {time}: judged again with later readings; quarantine record {record} is closed "
        "as reclassified, the reason now: {reason_en}",
    ),
    "quarantine_reclassified_accepted": (
        "电表 {meter} 在 {time} 的读数经后续读数重新判定为正常，计入派生数量；"
        "隔离记录 {record} 已关闭（重新分类）",
        "{meter} {time}: judged again with later readings, the reading counts in derived "
        "quantities; quarantine record {record} is closed as reclassified",
    ),
    # Normalisation's reasons (zeropark.domain.timeseries).
    "reading_not_finite": ("{what_zh}为 {value}，不是有限的数", "{what_en} is {value}"),
    "reading_duplicate_same": (
        "{at} 已有一个数值相同的读数",
        "a reading at {at} was already accepted with the same value",
    ),
    "reading_duplicate_other": (
        "{at} 已有一个读数，数值为 {kept}",
        "a reading at {at} was already accepted with value {kept}",
    ),
    "reading_misaligned": (
        "{at} 不在 {interval_s} 秒的时间网格上",
        "{at} is not on the {interval_s} s grid",
    ),
    "reading_negative": (
        "单向电表的数量 {value} 为负",
        "quantity {value} is negative on a one-direction meter",
    ),
    "reading_spike": (
        "{interval_s} 秒内 {quantity}，超过电表的最大值 {limit}（每小时 {rate}）",
        "{quantity} in {interval_s} s exceeds the meter's maximum {limit} ({rate} per h)",
    ),
    "reading_out_of_range": (
        "寄存器读数 {value} 超出 [0, {register_max})",
        "register {value} is outside [0, {register_max})",
    ),
    "reading_transient_spike": (
        "寄存器读数在 {hours} 小时内上升 {rise}（乘以倍率后为 {scaled}），即每小时 {rate}，"
        "超过电表每小时 {limit} 的最大值；{next_at} 的读数 ({next_value}) 接续 {prev_at} 的读数 "
        "({prev_value})，因此舍弃此读数",
        "register rose {rise} (= {scaled} after the multiplier) in {hours} h, {rate} per h, "
        "more than the meter's maximum {limit} per h; the reading at {next_at} ({next_value}) "
        "continues from the reading at {prev_at} ({prev_value}), so this reading is discarded",
    ),
    "reading_transient_drop": (
        "寄存器读数从 {from_value} 降到 {to_value}，不是翻转；{next_at} 的读数 ({next_value}) "
        "接续 {prev_at} 的读数 ({prev_value})，因此舍弃此读数",
        "register fell from {from_value} to {to_value}, which is not a rollover; the reading at "
        "{next_at} ({next_value}) continues from the reading at {prev_at} ({prev_value}), so "
        "this reading is discarded",
    ),
    "reading_jump": (
        "寄存器读数在 {hours} 小时内上升 {rise}（乘以倍率后为 {scaled}），即每小时 {rate}，"
        "超过电表每小时 {limit} 的最大值，且没有回落；{quantity} 被隔离，序列从新的水平继续",
        "register rose {rise} (= {scaled} after the multiplier) in {hours} h, {rate} per h, "
        "more than the meter's maximum {limit} per h, and stayed up; {quantity} is quarantined "
        "and the series continues from the new level",
    ),
    # MQTT messages (zeropark.ingest.mqtt).
    "mqtt_bad_topic": (
        "主题 {topic} 不是 zeropark/{park}[/<电表>]",
        "topic {topic} is not zeropark/{park}[/<meter>]",
    ),
    "mqtt_bad_json": (
        "消息内容不是 UTF-8 编码的 JSON: {problem_zh}",
        "the payload is not UTF-8 JSON: {problem_en}",
    ),
    "mqtt_not_records": (
        "消息内容须为 JSON 对象或对象列表",
        "the payload must be a JSON object or a list of objects",
    ),
    "mqtt_record_not_object": (
        "第 {number} 条记录不是 JSON 对象",
        "record {number} is not a JSON object",
    ),
    "mqtt_meter_mismatch": (
        "第 {number} 条记录的电表 {meter} 与主题 {topic} 不符",
        "record {number} names meter {meter} on topic {topic}",
    ),
    # Park file (docs/park-file.md).
    "park_rule": ("园区文件: {detail}", "{detail}"),
    "file_too_large": (
        "园区文件超过 {limit} 个字符",
        "the park file is larger than {limit} characters",
    ),
    "yaml_alias": (
        "园区文件不允许 YAML 别名 (*{anchor}); 请写出该值",
        "YAML aliases (*{anchor}) are not allowed in park files; write the value out",
    ),
    "yaml_too_deep": ("嵌套超过 {limit} 层", "nested more than {limit} levels deep"),
    "yaml_too_large": ("超过 {limit} 个 YAML 节点", "more than {limit} YAML nodes"),
    "yaml_syntax": ("YAML 语法错误: {problem_zh}", "{problem_en}"),
    "park_schema": ("不符合园区文件格式: {schema}", "{schema}"),
    # Park-file schema errors by pydantic error type: Chinese from the type and its context,
    # English as pydantic words it ({schema}).
    "park_schema_missing": ("缺少必填项", "Field required"),
    "park_schema_extra_forbidden": (
        "格式中没有这一项（拼写错误？）",
        "Extra inputs are not permitted",
    ),
    "park_schema_string_type": ("应为文本", "Input should be a valid string"),
    "park_schema_int_type": ("应为整数", "Input should be a valid integer"),
    "park_schema_int_parsing": (
        "应为整数（无法把文本读作整数）",
        "Input should be a valid integer, unable to parse string as an integer",
    ),
    "park_schema_int_from_float": (
        "应为整数（不能有小数）",
        "Input should be a valid integer, got a number with a fractional part",
    ),
    "park_schema_float_type": ("应为数字", "Input should be a valid number"),
    "park_schema_float_parsing": (
        "应为数字（无法把文本读作数字）",
        "Input should be a valid number, unable to parse string as a number",
    ),
    "park_schema_finite_number": ("应为有限的数字", "Input should be a finite number"),
    "park_schema_bool_type": ("应为 true 或 false", "Input should be a valid boolean"),
    "park_schema_bool_parsing": (
        "应为 true 或 false（无法识别）",
        "Input should be a valid boolean, unable to interpret input",
    ),
    "park_schema_greater_than": ("应大于 {gt}", "Input should be greater than {gt}"),
    "park_schema_greater_than_equal": (
        "应大于或等于 {ge}",
        "Input should be greater than or equal to {ge}",
    ),
    "park_schema_less_than": ("应小于 {lt}", "Input should be less than {lt}"),
    "park_schema_less_than_equal": (
        "应小于或等于 {le}",
        "Input should be less than or equal to {le}",
    ),
    "park_schema_literal_error": ("应为以下之一：{expected_zh}", "Input should be {expected}"),
    "park_schema_enum": ("应为以下之一：{expected_zh}", "Input should be {expected}"),
    "park_schema_string_too_long": ("最多 {length_zh}", "String should have at most {length_en}"),
    "park_schema_string_too_short": (
        "至少须有 {length_zh}",
        "String should have at least {length_en}",
    ),
    "park_schema_dataclass_type": (
        "应为映射（键: 值），即一个 {class_name}",
        "Input should be a dictionary or an instance of {class_name}",
    ),
    "park_schema_unexpected_keyword_argument": (
        "格式中没有这一项（拼写错误？）",
        "Unexpected keyword argument",
    ),
    # The park file's own value checks (zeropark.domain.park), worded as pydantic words them.
    "park_schema_param_value": (
        "参数须为数字、true/false 或简短的文本",
        "Value error, a parameter is a number, a flag or a short text",
    ),
    "park_schema_param_too_long": (
        "文本参数最多 {limit} 个字符",
        "Value error, a text parameter has at most {limit} characters",
    ),
    "park_schema_date_and_time": (
        "应为日期（YYYY-MM-DD），而不是日期和时间",
        "Value error, a date (YYYY-MM-DD) is expected, not a date and time",
    ),
    "park_schema_bad_date": (
        "{text} 不是 YYYY-MM-DD 格式的日期",
        "Value error, {text} is not a date YYYY-MM-DD",
    ),
    "park_schema_string_pattern_mismatch": (
        "格式不符（应匹配 {pattern}）",
        "String should match pattern '{pattern}'",
    ),
    "park_schema_list_type": ("应为列表", "Input should be a valid list"),
    "park_schema_dict_type": ("应为映射（键: 值）", "Input should be a valid dictionary"),
    "park_schema_date_type": ("应为日期（YYYY-MM-DD）", "Input should be a valid date"),
    "not_a_mapping": ("园区文件须为映射（键: 值）", "the park file must be a mapping"),
    "unknown_province": ("未知的省份“{province}”", "unknown province '{province}'"),
    "unknown_timezone": ("未知的时区“{timezone}”", "unknown time zone '{timezone}'"),
    "duplicate_id": ("编号“{id}”被重复使用", "id '{id}' is used more than once"),
    "unknown_tenant": ("没有企业“{tenant}”", "no tenant '{tenant}'"),
    "unknown_building": ("没有建筑“{building}”", "no building '{building}'"),
    "building_of_other_tenant": (
        "建筑“{building}”属于企业“{owner}”，不属于“{tenant}”",
        "building '{building}' belongs to tenant '{owner}', not '{tenant}'",
    ),
    "unknown_carrier": (
        "未知的能源品种“{carrier}”；可选: {known}",
        "unknown carrier '{carrier}'; known: {known}",
    ),
    "unit_not_power": (
        "瞬时 {carrier} 电表须测量功率 (kW)，而不是“{unit}”",
        "an instantaneous {carrier} meter must measure power (kW), not '{unit}'",
    ),
    "unit_carrier_mismatch": (
        "单位“{unit}”（{dimension_zh}）不适用于能源品种“{carrier}”，它以{dimensions_zh}计量",
        "unit '{unit}' ({dimension_en}) does not fit carrier '{carrier}', "
        "which is measured in {dimensions_en}",
    ),
    "park_unknown_category": (
        "未知的排放源类别“{category}”；可选: {known}",
        "unknown category '{category}'; known: {known}",
    ),
    "scope_mismatch": (
        "类别“{category}”属于范围 {scope}，而不是 {given}",
        "category '{category}' is scope {scope}, not {given}",
    ),
    "park_unknown_sector": (
        "未知的排放领域“{sector}”；可选: {known}",
        "unknown sector '{sector}'; known: {known}",
    ),
    "missing_interval": (
        "区间型（{kind}）电表须声明区间秒数 interval_s",
        "an {kind} meter must declare its interval in seconds",
    ),
    "register_max_not_cumulative": (
        "只有累计寄存器会翻转；此电表为 {kind}",
        "only cumulative registers roll over; this meter is {kind}",
    ),
    "parent_is_virtual": (
        "上级“{parent}”是虚拟电表；分表须有实体上级电表",
        "parent '{parent}' is a virtual meter; sub-metering needs a physical parent",
    ),
    "unknown_parent": ("没有电表“{parent}”", "no meter '{parent}'"),
    "parent_carrier_mismatch": (
        "上级“{parent}”计量 {parent_carrier}，此电表计量 {carrier}",
        "parent '{parent}' measures {parent_carrier}, this meter {carrier}",
    ),
    "submeter_other_tenant": (
        "“{parent}”（企业“{parent_tenant}”）的分表属于 {tenant}："
        "一个企业的分表树不能包含其他企业的电表",
        "sub-meter of '{parent}' (tenant '{parent_tenant}') belongs to {tenant}: "
        "a tenant's sub-metering tree cannot hold another's meters",
    ),
    "parent_cycle": ("上级电表形成循环: {loop}", "parent meters form a cycle: {loop}"),
    "bad_expression": (
        "表达式 {expression} 有误: {reason_zh}",
        "{expression}: {reason_en}",
    ),
    "bad_expression_at": (
        "表达式 {expression} 第 {column} 列有误: {reason_zh}",
        "{expression} at column {column}: {reason_en}",
    ),
    # The expression parser's reasons (zeropark.domain.timeseries.expression).
    "expression_too_long": (
        "表达式超过 {limit} 个字符",
        "expression is longer than {limit} characters",
    ),
    "expression_empty": ("表达式为空", "expression is empty"),
    "expression_syntax": ("语法错误: {problem_zh}", "syntax error: {problem_en}"),
    "expression_unparsable": (
        "无法解析表达式: {problem_zh}",
        "cannot parse expression: {problem_en}",
    ),
    "expression_not_number": ("常量 {constant} 不是数", "constant {constant} is not a number"),
    "expression_not_allowed": (
        "不允许使用{what_zh}；只能使用电表编号、数字、+ - * / 和括号",
        "{what_en} is not allowed; use meter names, numbers, + - * / and parentheses",
    ),
    "expression_no_meter": ("表达式没有引用任何电表", "expression references no meter"),
    "expression_no_data": ("电表 {meters} 没有数据", "no data for meter(s) {meters}"),
    "expression_shapes": (
        "输入数组的形状不同: {shapes}",
        "input arrays differ in shape: {shapes}",
    ),
    "unknown_meter_in_expression": ("表达式中的电表“{name}”不存在", "names no meter '{name}'"),
    "self_reference": ("表达式引用了自身", "the expression names itself"),
    "unknown_asset_type": (
        "资产类型表中没有“{type}”",
        "no asset type '{type}' in the table",
    ),
    "park_unknown_meter": ("没有电表“{meter}”", "no meter '{meter}'"),
    "missing_asset_parameter": (
        "{asset_type} 资产须有参数“{name}”",
        "a {asset_type} asset needs '{name}'",
    ),
    "parameter_not_number": ("{value} 不是数", "{value} is not a number"),
    "parameter_not_finite": ("{value} 不是有限的数", "{value} is not a finite number"),
    "parameter_not_integer": ("{value} 不是整数", "{value} is not a whole number"),
    "parameter_out_of_range": ("{value} 超出取值范围 {range}", "{value} is outside {range}"),
    "parameter_not_flag": ("{value} 不是 true 或 false", "{value} is not true or false"),
    "parameter_not_text": ("{value} 不是文本", "{value} is no text"),
    "unknown_parameter": (
        "{asset_type} 资产没有参数“{name}”（可用: {known}）",
        "a {asset_type} asset has no parameter '{name}' (it has {known})",
    ),
    "soc_window": (
        "soc_min {low} 须小于 soc_max {high}",
        "soc_min {low} must be below soc_max {high}",
    ),
    "ccus_needs_storage": (
        "CCUS 碳汇须给出每年封存的 CO2 吨数",
        "a CCUS sink needs the tonnes of CO2 stored per year",
    ),
    "sink_needs_area": ("{type} 碳汇须给出面积", "a {type} sink needs its area"),
    "tou_empty": (
        "分时电价须至少有一个季节",
        "a time-of-use schedule needs a season",
    ),
    "tou_no_months": ("未列出月份", "no months listed"),
    "tou_bad_month": ("{month} 不是 1-12 的月份", "{month} is not a month 1-12"),
    "tou_month_overlap": (
        "{month} 月已在 {other} 中",
        "month {month} is already in {other}",
    ),
    "tou_bad_range": (
        "{hours} 不是整点的 [开始, 结束)，须 0 <= 开始 < 结束 <= 24",
        "{hours} is not [start, end) in whole hours, 0 <= start < end <= 24",
    ),
    "tou_overlap": (
        "{start}-{end} 时与 {taken} 重叠：一天中的每个小时只属于一个时段",
        "hours {start}-{end} overlap {taken}: each hour of a day belongs to exactly one period",
    ),
    "tou_gap": (
        "{spans} 时不属于任何时段；列出平段时，各时段须覆盖全天（或不列平段：其余时间为平段）",
        "hours {spans} are in no period; with flat listed, the periods must cover the whole "
        "day (or leave flat out: the rest is flat)",
    ),
    # Alert rules and notification channels (docs/monitoring.md): the checker's reasons.
    "alert_rule_invalid": ("{rule}: {reason_zh}", "{rule}: {reason_en}"),
    # Tariffs (park.tariffs, docs/billing.md).
    "tariff_no_schedule": (
        "电价按时段计价，须先给出园区的分时时段 (park.time_of_use)",
        "electricity band prices need the park's time-of-use hours (park.time_of_use)",
    ),
    "tariff_no_season": ("未列出电价季节", "no season listed"),
    "tariff_unknown_band": (
        "未知的时段“{band}”；可选: {known}",
        "unknown band '{band}'; use {known}",
    ),
    "tariff_month_unscheduled": (
        "{month} 月有电价但分时时段 (park.time_of_use) 中没有该月",
        "month {month} has prices but no time-of-use hours in park.time_of_use",
    ),
    "tariff_month_unpriced": (
        "{month} 月有分时时段但没有对应季节的电价",
        "month {month} has time-of-use hours but no season of prices",
    ),
    "tariff_missing_price": (
        "{month} 月有 {bands} 时段，但未给出其电价",
        "month {month} has {bands} hours but no price for them",
    ),
    "tariff_demand_incomplete": (
        "需量/容量电费须给出 {needs}",
        "a demand or capacity charge needs {needs}",
    ),
    "tariff_pv_price": (
        "园区光伏须给出 price_factor 或 price_cny_per_kwh 之一",
        "give either price_factor or price_cny_per_kwh for on-site PV",
    ),
    "tariff_duplicate_carrier": (
        "能源品种“{carrier}”已在 {other} 中定价",
        "{carrier} is already priced in {other}",
    ),
    "tariff_shares_unused": (
        "shares 仅在分摊方式为 fixed 时使用，当前为 {key}",
        "shares are read only with key fixed, not {key}",
    ),
    "tariff_shares_missing": ("分摊方式 fixed 须给出 shares", "key fixed needs shares"),
    "tariff_shares_sum": ("分摊比例之和为 {total}，不是 1", "the shares sum to {total}, not 1"),
    # Carbon-asset ledger (docs/carbon-assets.md).
    "bad_instrument": (
        "无法识别碳资产品种“{instrument}”：请写 CEA:<年度>、CCER:<项目>:<年度>、"
        "PILOT:<地区>:<年度> 或 GEC:<17位项目代码>:<YYYY-MM>",
        "cannot read instrument '{instrument}': use CEA:<year>, CCER:<project>:<year>, "
        "PILOT:<region>:<year> or GEC:<17-digit project>:<YYYY-MM>",
    ),
    "bad_gec_id": (
        "绿证编号“{id}”须为 32 位数字（实际 {length} 位）",
        "green certificate id '{id}' must have 32 digits ({length} given)",
    ),
    "gec_other_project": (
        "绿证编号“{id}”不属于项目 {project}（前 17 位为项目代码）",
        "green certificate id '{id}' is not of project {project} (its first 17 digits)",
    ),
    "ledger_bad_kind": (
        "未知的变动类型“{kind}”；可选: {choices}",
        "unknown movement kind '{kind}'; use one of {choices}",
    ),
    "ledger_no_account": ("没有账户“{account}”", "no ledger account '{account}'"),
    "ledger_same_account": (
        "转出与转入账户相同（{account}）",
        "the movement leaves and enters the same account ({account})",
    ),
    "ledger_wrong_accounts": (
        "{kind} 须从 {expected_from} 账户转入 {expected_to} 账户，"
        "而不是从 {from_kind} 到 {to_kind}",
        "a {kind} moves from a {expected_from} account to a {expected_to} account, "
        "not from {from_kind} to {to_kind}",
    ),
    "ledger_kind_instrument": (
        "{instrument} 不能做 {kind} 变动",
        "a {kind} of {instrument} is not possible",
    ),
    "ledger_bad_quantity": (
        "数量 {quantity} 须为正数（单位 {unit}；绿证按整张，配额最多 3 位小数）",
        "quantity {quantity} must be positive (in {unit}; certificates whole, "
        "allowances to 3 decimals)",
    ),
    "ledger_no_evidence": (
        "每笔变动须有凭证（文件）和凭证编号",
        "every movement needs its evidence (document) and reference number",
    ),
    "ledger_retirement_claim": (
        "注销须写明使用方（消费主体）和消费期间",
        "a retirement names the consumer (beneficiary) and the consumption period",
    ),
    "ledger_surrender_year": ("清缴须写明履约年度", "a surrender names the compliance year"),
    "ledger_trade_price": (
        "买入和卖出须有不为负的单价（元）",
        "a purchase or sale needs a unit price in CNY that is not negative",
    ),
    "ledger_serials_not_allowed": (
        "{instrument} 不按序列号管理，不能填写序列号",
        "{instrument} is not held by serial numbers: leave the serials empty",
    ),
    "ledger_serials_required": (
        "绿证 {instrument} 须填写起止序列号",
        "certificates {instrument} move as a serial range: give the first and last id",
    ),
    "ledger_serial_count": (
        "序列号 {start} 至 {end} 与数量 {quantity} 不符",
        "serials {start} to {end} do not give the quantity {quantity}",
    ),
    "ledger_insufficient": (
        "账户 {account} 持有 {held} {instrument}，不足 {quantity}：余额不能为负",
        "account {account} holds {held} of {instrument}, less than {quantity}: "
        "no balance may go negative",
    ),
    "ledger_serials_not_held": (
        "账户 {account} 未持有全部序列号 {range}（可能已转出或已注销）",
        "account {account} does not hold all serials {range} (moved or retired already)",
    ),
    "ledger_serials_held": (
        "序列号 {range} 已在台账中（绿证不能重复登记或重复注销）",
        "serials {range} are already in the ledger (a certificate cannot enter or be "
        "retired twice)",
    ),
    "ledger_ccer_cap": (
        "{tenant} {year} 年度 CCER 抵销上限为清缴量 {obligation} t 的 5%，即 {cap} t；"
        "已用 {used} t，本次 {quantity} t 超出上限",
        "CCER may cover at most 5 % of {tenant}'s {year} obligation of {obligation} t, "
        "{cap} t; {used} t used, {quantity} t more exceeds the cap",
    ),
    "ledger_no_obligation": (
        "{tenant} 没有 {year} 年度的履约义务记录（核查排放量），不能清缴",
        "{tenant} has no {year} compliance obligation (verified emissions) to surrender for",
    ),
    "ledger_green_exceeds_grid": (
        "{beneficiary} {period} 注销绿证 {claimed} MWh（含本次 {quantity} MWh），"
        "超过该期外购电网电量 {grid} MWh",
        "{beneficiary} would have {claimed} MWh of certificates retired for {period} "
        "(with these {quantity} MWh), more than its {grid} MWh of grid electricity",
    ),
    "ledger_bad_date": (
        "日期“{text}”不是 YYYY-MM-DD 格式",
        "date '{text}' is not in the form YYYY-MM-DD",
    ),
    "ledger_bad_side": (
        "买卖方向“{text}”无法识别：请写 buy/买入 或 sell/卖出",
        "side '{text}' is not buy/买入 or sell/卖出",
    ),
    "ledger_duplicate_trade": (
        "成交编号 {reference} 已在台账中（重复导入不会重复记账）",
        "trade {reference} is already in the ledger (a re-import records nothing twice)",
    ),
    "ledger_missing_columns": ("缺少列: {columns}", "missing column(s): {columns}"),
    "green_exceeds_purchased": (
        "{boundary} {year} 年绿电/绿证 {green} MWh 超过外购电网电量 {grid} MWh："
        "超出的 {excess} MWh 不抵减排放（市场法范围二和零碳园区口径不低于零）",
        "{boundary} {year}: green electricity exceeds purchased electricity by {excess} MWh "
        "({green} MWh green, {grid} MWh grid): the excess reduces nothing (market-based "
        "scope 2 and the zero-carbon park method stay at or above zero)",
    ),
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
