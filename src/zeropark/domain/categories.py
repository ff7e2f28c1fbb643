"""Accounting source categories (排放源类别), their scope, and the emission sectors.

Each accounting line has exactly one category; the scope follows from it (DESIGN.md section 4).
Sectors are the whitepaper's emission scenarios (能源、工业、交通、建筑、生活).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CATEGORIES", "SECTORS", "Category", "Scope"]

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
    )
}

SECTORS: dict[str, tuple[str, str]] = {
    "energy": ("能源", "energy"),
    "industry": ("工业", "industry"),
    "transport": ("交通", "transport"),
    "building": ("建筑", "building"),
    "life": ("生活", "life"),
}
