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
    "conflicting_duplicate": (
        "同一批次中 {time} 有第二个不同的读数",
        "a second, different value for {time} in the same batch",
    ),
    "conflict": (
        "电表 {meter} 在 {time} 已有不同的读数；如需替换，请以质量标记 corrected 发送",
        "{meter} at {time} already has a different stored value; send it with quality "
        "'corrected' to replace it",
    ),
    "reading_excluded": (
        "电表 {meter} 在 {time} 的读数被排除在派生数量之外（读数仍保留）: {detail}",
        "{meter} {time}: {detail} (the reading is kept but excluded from derived quantities)",
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
    "yaml_syntax": ("YAML 语法错误: {problem}", "{problem}"),
    "park_schema": ("不符合园区文件格式: {schema}", "{schema}"),
    # Park-file schema errors by pydantic error type: Chinese from the type and its context,
    # English as pydantic words it ({schema}).
    "park_schema_missing": ("缺少必填项", "Field required"),
    "park_schema_extra_forbidden": (
        "园区文件格式中没有这一项（拼写错误？）",
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
    "park_schema_literal_error": ("应为以下之一：{expected}", "Input should be {expected}"),
    "park_schema_enum": ("应为以下之一：{expected}", "Input should be {expected}"),
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
        "单位“{unit}”({dimension}) 不适用于能源品种“{carrier}”，它以 {dimensions} 计量",
        "unit '{unit}' ({dimension}) does not fit carrier '{carrier}', "
        "which is measured in {dimensions}",
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
