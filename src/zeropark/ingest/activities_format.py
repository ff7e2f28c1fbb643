"""The activities contract (``docs/activities-csv.md``): one parser and validator of a row.

Every path that takes activity records — ``zeropark account FILE.csv``, ``zeropark import
activities``, the Excel template, ``POST /parks/{id}/activities`` (JSON records) and the web
upload — turns a row of text (``{column: text}``) into an
:class:`~zeropark.domain.activity.ActivityRecord` with :func:`parse_activity_row`, or into the
list of every :class:`~zeropark.domain.issues.Issue` of the row. Reading the file (CSV or the
template's ``.xlsx``) stays with the caller; the record becomes an accounting line through the
domain's one mapping (:func:`~zeropark.domain.activity.record_line`).

The rules, each an issue with a stable code and a reason code:

- text: no NUL anywhere, no control characters in names and codes, no field longer than its
  column (``bad_text``, ``too_long``); a row with such text is not checked further;
- the six columns ``entity, period, category, item, quantity, unit`` are required (``missing``);
- ``entity`` is the park or one of its tenants when the caller knows them (``unknown_entity``;
  the template's ``name (id)`` labels are read as their id);
- ``period``: ``2024``/``2024年``, ``2024-Q1``/``2024Q1``/``2024年第1季度``,
  ``2024-03``/``2024/3``/``2024年3月``, stored in the canonical form (``2024``, ``2024-Q1``,
  ``2024-03``) (``bad_period``);
- ``category``: a code of DESIGN.md §4, its Chinese or English name, or the template's
  ``name (code)`` label (``unknown_category``);
- ``item``: categories whose factors are found by item (:data:`CATALOGUE_CATEGORIES`: fuels,
  process materials, gases, sinks) take an item of the catalogue or a code the caller's factors
  give (a custom factor file's) (``unknown_item``); an item of the catalogue must be of a kind
  the category takes (:data:`CATEGORY_ITEM_KINDS`: no diesel under ``process``)
  (``item_category_mismatch``); the item is stored as its catalogue code when the catalogue
  knows it, else as written (electricity items such as a meter's ``solar_pv``, scope 3,
  ``ccus``, ``offset``, ``output``);
- ``quantity``: a finite number (``1,234.5`` accepted); a percentage is not a quantity
  (``bad_number``); negative only for exports (:data:`NEGATIVE_ALLOWED`, a correction of an
  export reported before; ``negative``);
- ``unit``: a unit the registry reads (``output`` takes any unit text: 件, 台); electricity and
  heat in energy units, gases and process materials in mass units (``bad_unit``);
- measured parameters ``ncv, carbon_content, oxidation_rate, emission_factor``: finite and ≥ 0,
  ``oxidation_rate`` at most 1 (``0.95`` or ``95%``; the only column where a percentage is a
  value), ``ncv`` needs ``ncv_unit`` and ``emission_factor`` needs ``ef_unit``, both readable
  units (``bad_number``, ``missing``, ``bad_unit``);
- ``sector`` (a sector code or name) and ``origin`` (``record`` or ``meter``) are optional;
- indicator data (``docs/indicators.md``): ``industrial_solid_waste`` (items ``generated``,
  ``utilised``; mass), ``waste_energy`` (``heat_available`` … ``pressure_recovered``; energy)
  and ``industrial_water`` (``intake``, ``reused``; volume) take only their own items
  (``unknown_indicator_item``) in units of their dimension (``unit_item_mismatch``);
  ``product_output`` takes the product's name as item and any unit text (件, t, 重量箱), and the
  optional columns of :data:`PRODUCT_COLUMNS`: the product's GB unit-energy limit standard
  (``limit_standard``), its grade 1/2/3 values and their unit, and the product's own energy.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from typing import Any

from zeropark.domain.accounting import ItemCatalogue
from zeropark.domain.accounting.periods import parse_period
from zeropark.domain.activity import (
    ACTIVITY_COLUMNS,
    MAX_CHARS,
    OPTIONAL_PARAMETERS,
    ActivityRecord,
)
from zeropark.domain.categories import CATEGORIES, INDICATOR_ITEMS, SECTORS, IndicatorItem
from zeropark.domain.issues import Issue
from zeropark.errors import InputError, UnitError
from zeropark.units import dimension_of, parse_unit

__all__ = [
    "CATALOGUE_CATEGORIES",
    "CATEGORY_ITEM_KINDS",
    "COLUMNS",
    "EXTRA_ITEMS",
    "NEGATIVE_ALLOWED",
    "PERIOD_FORMS",
    "PRODUCT_COLUMNS",
    "UNITS",
    "category_code",
    "code_in_label",
    "column_code",
    "parse_activity_row",
]

#: (code, Chinese, English) of every column of the contract, in the template's order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("entity", "主体(园区或企业)", "entity (park or tenant)"),
    ("period", "期间", "period"),
    ("category", "排放源类别", "category"),
    ("item", "品种/项目", "item"),
    ("quantity", "数量", "quantity"),
    ("unit", "单位", "unit"),
    ("evidence", "凭证", "evidence"),
    ("ncv", "实测低位发热量", "measured NCV"),
    ("ncv_unit", "发热量单位", "NCV unit"),
    ("carbon_content", "单位热值含碳量 tC/GJ", "carbon content tC/GJ"),
    ("oxidation_rate", "碳氧化率", "oxidation rate"),
    ("emission_factor", "排放因子", "emission factor"),
    ("ef_unit", "排放因子单位", "EF unit"),
    ("sector", "排放领域", "sector"),
    ("origin", "数据来源", "origin"),
    ("limit_standard", "能耗限额标准", "energy limit standard"),
    ("limit_grade1", "限额1级", "limit grade 1"),
    ("limit_grade2", "限额2级", "limit grade 2"),
    ("limit_grade3", "限额3级", "limit grade 3"),
    ("limit_unit", "限额单位", "limit unit"),
    ("product_energy", "产品综合能耗", "product energy"),
    ("product_energy_unit", "产品能耗单位", "product energy unit"),
)

#: The optional columns of a ``product_output`` row: the product's GB 单位产品能耗限额
#: standard, its grade values in ``limit_unit`` (kgce/t …), and the energy the product used.
PRODUCT_COLUMNS = (
    "limit_standard",
    "limit_grade1",
    "limit_grade2",
    "limit_grade3",
    "limit_unit",
    "product_energy",
    "product_energy_unit",
)
_PRODUCT_NUMBERS = ("limit_grade1", "limit_grade2", "limit_grade3", "product_energy")
_PRODUCT_TEXT_CHARS = 80

#: Catalogue item kinds a category accepts; categories not listed take free-text items.
CATEGORY_ITEM_KINDS: dict[str, frozenset[str]] = {
    "fuel_combustion": frozenset({"fuel"}),
    "mobile_combustion": frozenset({"fuel"}),
    "process": frozenset({"material"}),
    "fugitive": frozenset({"gas"}),
    "purchased_electricity": frozenset({"electricity"}),
    "exported_electricity": frozenset({"electricity"}),
    "green_electricity": frozenset({"electricity", "instrument"}),
    "onsite_renewable": frozenset({"electricity"}),
    "purchased_heat": frozenset({"heat"}),
    "exported_heat": frozenset({"heat"}),
    "sink": frozenset({"sink"}),
}

#: Categories whose factors are found by item: the item must be in the catalogue (or be a code
#: the caller's factors give). The other categories of :data:`CATEGORY_ITEM_KINDS` take an item
#: of the catalogue only of a fitting kind, or their own text (a meter's ``solar_pv``).
CATALOGUE_CATEGORIES = frozenset(
    {"fuel_combustion", "mobile_combustion", "process", "fugitive", "sink"}
)

#: Categories whose quantity may be negative: an export corrected down (the formula applies the
#: export's sign). No other category means a negative quantity.
NEGATIVE_ALLOWED = frozenset({"exported_electricity", "exported_heat"})

#: The units the template offers (every one read by :func:`parse_activity_row`).
UNITS = (
    "t",
    "吨",
    "kg",
    "万Nm3",
    "Nm3",
    "万立方米",
    "L",
    "m3",
    "MWh",
    "万kWh",
    "万千瓦时",
    "kWh",
    "GJ",
    "ha",
    "km",
    "万元",
    "元",
    "tCO2e",
)

#: Free-text items the template offers besides the catalogue's (output value, solid waste) and
#: the items of the indicator-data categories.
EXTRA_ITEMS = (
    ("产值", "output value"),
    ("一般工业固废", "industrial solid waste"),
    *((i.name_zh, i.name_en) for items in INDICATOR_ITEMS.values() for i in items),
)

#: Every period form the contract reads (stored as 2024, 2024-Q1, 2024-03).
PERIOD_FORMS = (
    "2024",
    "2024年",
    "2024-Q1",
    "2024Q1",
    "2024年第1季度",
    "2024-03",
    "2024/3",
    "2024年3月",
)

#: Units a catalogue item kind is measured in (by :func:`~zeropark.units.dimension_of`).
_KIND_DIMENSIONS: dict[str, tuple[str, str, str]] = {
    "electricity": ("energy", "能量", "energy"),
    "heat": ("energy", "能量", "energy"),
    "gas": ("mass", "质量", "mass"),
    "material": ("mass", "质量", "mass"),
}
_KIND_NAMES = {
    "fuel": "燃料",
    "electricity": "电力",
    "heat": "热力",
    "gas": "温室气体",
    "material": "原料",
    "sink": "碳汇",
    "instrument": "绿证",
    "other": "其他",
}
#: Fields that may hold line breaks and tabs (free text); the others are names and codes.
_FREE_TEXT = frozenset({"evidence"})
_CODE_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")
_PERCENT = ("%", "％")
_CATEGORY_NAMES: dict[str, str] = {
    name.casefold(): code for code, c in CATEGORIES.items() for name in (code, c.name_zh, c.name_en)
}
_SECTOR_NAMES: dict[str, str] = {
    name.casefold(): code for code, (zh, en) in SECTORS.items() for name in (code, zh, en)
}
_UNIT_PARAMETERS = {"ncv": ("ncv_unit", "GJ/t"), "emission_factor": ("ef_unit", "tCO2/MWh")}


def code_in_label(text: str) -> str:
    """``fuel_combustion`` from ``化石燃料燃烧 (fuel_combustion)``; other text as it is."""
    match = _CODE_IN_PARENS.search(text.strip())
    return match.group(1).strip() if match else text.strip()


def category_code(text: str) -> str | None:
    """The category code ``text`` names (code, Chinese or English name, template label)."""
    raw = text.strip()
    return _CATEGORY_NAMES.get(raw.casefold()) or _CATEGORY_NAMES.get(code_in_label(raw).casefold())


def indicator_item(category: str, text: str) -> IndicatorItem | None:
    """The item of an indicator-data category ``text`` names (code, Chinese, English, alias)."""
    key = text.strip().casefold()
    for item in INDICATOR_ITEMS.get(category, ()):
        if key in {n.casefold() for n in (item.code, item.name_zh, item.name_en, *item.aliases)}:
            return item
    return None


def _indicator_issues(category: str, item: str, unit: str) -> tuple[str, list[Issue]]:
    """The item code of an indicator-data row and the issues of its item and unit."""
    found = indicator_item(category, item)
    if found is None:
        choices = ", ".join(f"{i.code} ({i.name_zh})" for i in INDICATOR_ITEMS[category])
        params = {
            "item": item,
            "category": category,
            "category_zh": CATEGORIES[category].name_zh,
            "choices": choices,
        }
        return item, [
            Issue("unknown_item", "unknown_indicator_item", params, field="item", value=item)
        ]
    if unit:
        try:
            fits = dimension_of(unit) == found.dimension
        except UnitError:
            fits = False
        if not fits:
            zh = {"mass": "质量", "energy": "能量", "volume": "体积"}[found.dimension]
            params = {
                "item_name": found.name_zh,
                "unit": unit,
                "expected_zh": zh,
                "expected_en": found.dimension,
            }
            issue = Issue("bad_unit", "unit_item_mismatch", params, field="unit", value=unit)
            return found.code, [issue]
    return found.code, []


def _product_issues(texts: Mapping[str, str], given: dict[str, Any]) -> list[Issue]:
    """Check the product columns of a ``product_output`` row; valid values go to ``given``."""
    issues: list[Issue] = []
    for name in PRODUCT_COLUMNS:
        raw = texts.get(name, "").strip()
        if not raw:
            continue
        if len(raw) > _PRODUCT_TEXT_CHARS:
            sizes = {"limit": _PRODUCT_TEXT_CHARS, "length": len(raw)}
            issues.append(Issue("too_long", params=sizes, field=name, value=raw))
        elif name in _PRODUCT_NUMBERS:
            value = _number(name, raw, percent=False)
            if isinstance(value, Issue):
                issues.append(value)
            elif value < 0:
                texts = {"field": name, "text": raw}
                issues.append(Issue("bad_number", "bad_parameter", texts, field=name, value=raw))
            else:
                given[name] = value
        else:
            given[name] = raw
    for numbers, unit_field, example in (
        (("limit_grade1", "limit_grade2", "limit_grade3"), "limit_unit", "kgce/t"),
        (("product_energy",), "product_energy_unit", "tce"),
    ):
        named = [n for n in numbers if n in given]
        if named and unit_field not in given:
            params = {"field": named[0], "unit_field": unit_field, "example": example}
            issues.append(
                Issue("missing", "parameter_needs_unit", params, field=unit_field, value="")
            )
    energy_unit = given.get("product_energy_unit")
    if energy_unit is not None:
        issue = _unit_issue("product_energy_unit", energy_unit)
        if issue is not None:
            issues.append(issue)
    return issues


def column_code(header: str) -> str | None:
    """The column a header names: the code, its Chinese or English name, or a header holding
    the code as a word (the template's ``期间 period``)."""
    text = header.strip()
    for code, name_zh, name_en in COLUMNS:
        if text.casefold() in (code, name_zh.casefold(), name_en.casefold()):
            return code
    for code, _, _ in COLUMNS:
        if re.search(rf"(?<![A-Za-z0-9_]){code}(?![A-Za-z0-9_])", text):
            return code
    return None


def _text_issues(row: Mapping[str, str]) -> list[Issue]:
    issues = []
    for name, value in row.items():
        if "\x00" in value:
            issues.append(Issue("bad_text", "nul_character", field=name, value=value))
        elif name not in _FREE_TEXT and any(unicodedata.category(c) == "Cc" for c in value):
            issues.append(Issue("bad_text", "control_character", field=name, value=value))
        elif name in MAX_CHARS and len(value.strip()) > MAX_CHARS[name]:
            params = {"limit": MAX_CHARS[name], "length": len(value.strip())}
            issues.append(Issue("too_long", params=params, field=name, value=value))
    return issues


def _number(name: str, text: str, *, percent: bool) -> float | Issue:
    """The number ``text`` holds, or the issue; ``percent``: ``95%`` reads as 0.95."""
    raw = text.strip().replace(",", "").replace("，", "")
    divisor = 1.0
    if raw.endswith(_PERCENT):
        if not percent:
            return Issue(
                "bad_number", "percent_not_quantity", {"text": text}, field=name, value=text
            )
        raw, divisor = raw[:-1], 100.0
    try:
        value = float(raw) / divisor
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return Issue("bad_number", params={"text": text}, field=name, value=text)
    return value


def _unit_issue(name: str, unit: str) -> Issue | None:
    try:
        parse_unit(unit)
    except UnitError as exc:
        return Issue(
            "bad_unit", "unknown_unit", {"unit": unit, "detail": exc.reason}, field=name, value=unit
        )
    return None


def parse_activity_row(
    row: Mapping[str, str | None],
    *,
    catalogue: ItemCatalogue,
    known_entities: Collection[str] | None = None,
    extra_item: Callable[[str], bool] | None = None,
) -> tuple[ActivityRecord | None, list[Issue]]:
    """Validate one row of text; return the record, or None and every issue of the row.

    ``known_entities``: the park and the tenants the caller may enter (None: any entity, as
    ``zeropark account`` takes). ``extra_item``: whether an item code outside the catalogue is
    accepted (a custom factor file's codes). Issues carry field and value, not yet source and
    location.
    """
    texts = {str(k): ("" if v is None else str(v)) for k, v in row.items() if k is not None}
    known = {code for code, _, _ in COLUMNS}
    texts = {k: v for k, v in texts.items() if k in known}
    issues = _text_issues(texts)
    if issues:  # text that cannot be stored or read is not checked further
        return None, issues

    def text(name: str) -> str:
        return texts.get(name, "").strip()

    for name in ACTIVITY_COLUMNS:
        if not text(name):
            issues.append(Issue("missing", params={"field": name}, field=name, value=""))
    entity = text("entity")
    if entity and known_entities is not None and entity not in known_entities:
        if code_in_label(entity) in known_entities:
            entity = code_in_label(entity)
        else:
            issues.append(
                Issue("unknown_entity", params={"entity": entity}, field="entity", value=entity)
            )
    period = text("period")
    if period:
        try:
            period = parse_period(period).label
        except InputError:
            issues.append(
                Issue("bad_period", params={"period": period}, field="period", value=period)
            )
    category = ""
    if text("category"):
        category = category_code(text("category")) or ""
        if not category:
            params = {"category": text("category"), "choices": ", ".join(CATEGORIES)}
            issues.append(
                Issue("unknown_category", params=params, field="category", value=text("category"))
            )
    item, found = text("item"), catalogue.find(text("item")) if text("item") else None
    kinds = CATEGORY_ITEM_KINDS.get(category)
    if item and kinds is not None:
        known_code = extra_item is not None and extra_item(item)
        if found is None and category in CATALOGUE_CATEGORIES and not known_code:
            params = {
                "item": item,
                "category": category,
                "category_zh": CATEGORIES[category].name_zh,
            }
            issues.append(Issue("unknown_item", params=params, field="item", value=item))
        elif found is not None and found.kind not in kinds:
            params = {
                "item_name": found.name_zh,
                "item_code": found.code,
                "kind_zh": _KIND_NAMES.get(found.kind, found.kind),
                "kind_en": found.kind,
                "category": category,
                "category_zh": CATEGORIES[category].name_zh,
            }
            issues.append(Issue("item_category_mismatch", params=params, field="item", value=item))
    quantity: float | None = None
    if text("quantity"):
        parsed = _number("quantity", text("quantity"), percent=False)
        if isinstance(parsed, Issue):
            issues.append(parsed)
        elif parsed < 0 and category not in NEGATIVE_ALLOWED:
            issues.append(
                Issue(
                    "negative",
                    "negative_quantity",
                    {"categories": ", ".join(sorted(NEGATIVE_ALLOWED))},
                    field="quantity",
                    value=text("quantity"),
                )
            )
        else:
            quantity = parsed
    unit = text("unit")
    indicator_code: str | None = None
    if item and category in INDICATOR_ITEMS:
        indicator_code, found_issues = _indicator_issues(category, item, unit)
        issues += found_issues
    if unit and category not in ("output", "product_output"):
        issue = _unit_issue("unit", unit)
        if issue is not None:
            issues.append(issue)
        elif found is not None and found.kind in _KIND_DIMENSIONS:
            dimension, zh, en = _KIND_DIMENSIONS[found.kind]
            try:
                fits = dimension_of(unit) == dimension
            except UnitError:
                fits = False
            if not fits:
                params = {
                    "item_name": found.name_zh,
                    "unit": unit,
                    "expected_zh": zh,
                    "expected_en": en,
                }
                issues.append(
                    Issue("bad_unit", "unit_item_mismatch", params, field="unit", value=unit)
                )
    given: dict[str, Any] = {}
    for name in OPTIONAL_PARAMETERS:
        raw = text(name)
        if not raw:
            continue
        if name.endswith("_unit"):
            issue = _unit_issue(name, raw)
            if issue is not None:
                issues.append(issue)
            given[name] = raw
            continue
        value = _number(name, raw, percent=name == "oxidation_rate")
        if isinstance(value, Issue):
            issues.append(value)
        elif value < 0:
            issues.append(
                Issue(
                    "bad_number",
                    "bad_parameter",
                    {"field": name, "text": raw},
                    field=name,
                    value=raw,
                )
            )
        elif name == "oxidation_rate" and value > 1:
            issues.append(
                Issue("bad_number", "oxidation_above_one", {"text": raw}, field=name, value=raw)
            )
        else:
            given[name] = value
        if name in _UNIT_PARAMETERS and not text(_UNIT_PARAMETERS[name][0]):
            unit_field, example = _UNIT_PARAMETERS[name]
            issues.append(
                Issue(
                    "missing",
                    "parameter_needs_unit",
                    {"field": name, "unit_field": unit_field, "example": example},
                    field=unit_field,
                    value="",
                )
            )
    sector = text("sector")
    if sector:
        code = _SECTOR_NAMES.get(sector.casefold())
        if code is None:
            params_s = {"sector": sector, "choices": ", ".join(SECTORS)}
            issues.append(Issue("unknown_sector", params=params_s, field="sector", value=sector))
        else:
            given["sector"] = code
    origin = text("origin").lower()
    if origin and origin not in ("record", "meter"):
        issues.append(
            Issue(
                "bad_origin",
                params={"origin": text("origin")},
                field="origin",
                value=text("origin"),
            )
        )
    elif origin == "meter":
        given["origin"] = "meter"
    if category == "product_output":
        issues += _product_issues(texts, given)
    if issues or quantity is None:
        return None, issues
    item_code = indicator_code or (found.code if found is not None else item)
    record = ActivityRecord(
        entity, period, category, item_code, quantity, unit, given, text("evidence") or None
    )
    return record, []
