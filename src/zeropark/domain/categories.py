"""Accounting source categories (排放源类别), their scope, and the emission sectors.

Each accounting line has exactly one category; the scope follows from it (DESIGN.md section 4).
Sectors are the whitepaper's emission scenarios (能源、工业、交通、建筑、生活).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CATEGORIES",
    "INDICATOR_CATEGORIES",
    "INDICATOR_ITEMS",
    "SECTORS",
    "Category",
    "IndicatorItem",
    "Scope",
]

Scope = Literal["1", "2", "3", "removal", "offset", "none"]


@dataclass(frozen=True, slots=True)
class Category:
    """A source category: code, names, GHG Protocol scope and the national-method treatment."""

    code: str
    name_zh: str
    name_en: str
    scope: Scope
    formula: str


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category(
            "fuel_combustion",
            "化石燃料燃烧",
            "stationary fuel combustion",
            "1",
            "AD × NCV × CC × OF × 44/12",
        ),
        Category(
            "mobile_combustion",
            "移动源燃烧",
            "mobile combustion",
            "1",
            "AD × NCV × CC × OF × 44/12",
        ),
        Category("process", "工业生产过程", "industrial process", "1", "AD × EF"),
        Category("fugitive", "逸散排放", "fugitive emissions", "1", "mass leaked × GWP"),
        Category(
            "purchased_electricity", "净购入电力", "purchased electricity", "2", "MWh × grid EF"
        ),
        Category("purchased_heat", "净购入热力", "purchased heat", "2", "GJ × heat EF"),
        Category("exported_electricity", "输出电力", "exported electricity", "2", "−MWh × grid EF"),
        Category("exported_heat", "输出热力", "exported heat", "2", "−GJ × heat EF"),
        Category(
            "green_electricity",
            "绿电/绿证",
            "green electricity and certificates",
            "2",
            "MWh × 0 (market-based)",
        ),
        Category(
            "onsite_renewable",
            "自发自用可再生电力",
            "on-site renewable generation",
            "none",
            "MWh × 0",
        ),
        Category("waste", "废弃物处理", "waste", "3", "AD × EF"),
        Category("water", "用水", "water supply and treatment", "3", "AD × EF"),
        Category("travel", "差旅与通勤", "business travel and commuting", "3", "AD × EF"),
        Category(
            "purchased_goods", "外购商品与服务", "purchased goods and services", "3", "AD × EF"
        ),
        Category("transport_upstream", "上游运输", "upstream transport", "3", "AD × EF"),
        Category("sink", "碳汇", "carbon sink", "removal", "area × sequestration rate"),
        Category("ccus", "碳捕集利用与封存", "CCUS", "removal", "measured tonnes stored"),
        Category("offset", "碳抵消", "retired offsets (CCER etc.)", "offset", "retired tonnes"),
        Category(
            "output",
            "产品产量/产值",
            "output (production, value)",
            "none",
            "denominator data, no emission",
        ),
        # Inputs of the guiding indicators (发改环资〔2025〕910号 附件3): no emission.
        Category(
            "industrial_solid_waste",
            "工业固体废物产生与利用",
            "industrial solid waste generated and utilised",
            "none",
            "indicator data (t), no emission",
        ),
        Category(
            "waste_energy",
            "余热余冷余压",
            "waste heat, cold and pressure",
            "none",
            "indicator data (GJ), no emission",
        ),
        Category(
            "industrial_water",
            "工业用水",
            "industrial water intake and reuse",
            "none",
            "indicator data (m3), no emission",
        ),
        Category(
            "product_output",
            "产品产量(实物量)",
            "product output (physical units)",
            "none",
            "indicator data (product units), no emission",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class IndicatorItem:
    """An item of an indicator-data category: code, names, accepted aliases and dimension."""

    code: str
    name_zh: str
    name_en: str
    dimension: str
    aliases: tuple[str, ...] = ()


#: Categories that carry guiding-indicator data only (never an emission, never energy).
INDICATOR_CATEGORIES = frozenset(
    {"industrial_solid_waste", "waste_energy", "industrial_water", "product_output"}
)

#: The fixed items of the indicator-data categories (``product_output`` takes the product's
#: name as its item, any unit text).
INDICATOR_ITEMS: dict[str, tuple[IndicatorItem, ...]] = {
    "industrial_solid_waste": (
        IndicatorItem("generated", "产生量", "generated", "mass", ("固废产生量", "工业固废产生量")),
        IndicatorItem(
            "utilised",
            "综合利用量",
            "utilised",
            "mass",
            ("utilized", "固废综合利用量", "工业固废综合利用量"),
        ),
    ),
    "waste_energy": (
        IndicatorItem("heat_available", "余热资源量", "waste heat available", "energy"),
        IndicatorItem("heat_recovered", "余热利用量", "waste heat recovered", "energy"),
        IndicatorItem("cold_available", "余冷资源量", "waste cold available", "energy"),
        IndicatorItem("cold_recovered", "余冷利用量", "waste cold recovered", "energy"),
        IndicatorItem("pressure_available", "余压资源量", "waste pressure available", "energy"),
        IndicatorItem("pressure_recovered", "余压利用量", "waste pressure recovered", "energy"),
    ),
    "industrial_water": (
        IndicatorItem("intake", "取水量", "water intake", "volume", ("新水取用量", "新鲜水")),
        IndicatorItem("reused", "重复利用水量", "reused water", "volume", ("重复用水量",)),
    ),
}

SECTORS: dict[str, tuple[str, str]] = {
    "energy": ("能源", "energy"),
    "industry": ("工业", "industry"),
    "transport": ("交通", "transport"),
    "building": ("建筑", "building"),
    "life": ("生活", "life"),
}
