"""Provinces of mainland China, their regional power grid, and region-name normalisation.

The MEE/NBS electricity factors are published for 30 provinces (none for 西藏, Hong Kong, Macao
or Taiwan), for seven regional grids and for the nation. The grid membership follows the
regional grids of the MEE notices: 华北 (北京, 天津, 河北, 山西, 山东, 内蒙古西部), 东北 (辽宁,
吉林, 黑龙江, 内蒙古东部), 华东 (上海, 江苏, 浙江, 安徽, 福建), 华中 (河南, 湖北, 湖南, 江西),
西北 (陕西, 甘肃, 青海, 宁夏, 新疆), 南方 (广东, 广西, 云南, 贵州, 海南), 西南 (四川, 重庆, 西藏).
内蒙古 is mapped to 华北 (its western grid carries most of its load); pass the grid name to
choose 东北 instead. The province list itself is :data:`zeropark.domain.regions.PROVINCES`.
"""

from __future__ import annotations

from zeropark.domain.regions import PROVINCES
from zeropark.errors import InputError

__all__ = [
    "GRID_REGIONS",
    "NATIONAL",
    "PROVINCE_GRID",
    "fallback_chain",
    "grid_region_of",
    "normalise_region",
]

NATIONAL = "全国"
GLOBAL = "全球"

PROVINCE_GRID: dict[str, str] = {p.name_zh: p.grid_region for p in PROVINCES}
GRID_REGIONS: tuple[str, ...] = ("华北", "东北", "华东", "华中", "西北", "南方", "西南")

_PINYIN: dict[str, str] = {
    **{p.name_en.lower(): p.name_zh for p in PROVINCES},
    "neimenggu": "内蒙古",
    "xizang": "西藏",
    "china": NATIONAL,
    "national": NATIONAL,
    "cn": NATIONAL,
}
_GRID_EN: dict[str, str] = {
    "north": "华北", "northeast": "东北", "east": "华东", "central": "华中",
    "northwest": "西北", "south": "南方", "southern": "南方", "southwest": "西南",
}  # fmt: skip
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
_GRID_SUFFIXES = ("区域电网", "电网", "区域")


def normalise_region(text: str | None) -> str:
    """Turn a user's region (``北京市``, ``Beijing``, ``华东电网``, ``全国``) into its short name.

    Raises :class:`InputError` for a name that is neither a province, a grid region nor national.
    """
    if text is None or not text.strip():
        return NATIONAL
    raw = text.strip()
    lowered = raw.lower().removesuffix(" grid").strip()
    if lowered in _PINYIN:
        return _PINYIN[lowered]
    if lowered in _GRID_EN:
        return _GRID_EN[lowered]
    if raw in (NATIONAL, "中国", GLOBAL):
        return NATIONAL if raw != GLOBAL else GLOBAL
    for suffix in _GRID_SUFFIXES:
        name = raw.removesuffix(suffix)
        if name in GRID_REGIONS:
            return name
    name = raw
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    if name in PROVINCE_GRID or name in GRID_REGIONS:
        return name
    raise InputError(
        f"unknown region {text!r}: give a province (北京, 广东省, Guangdong), a grid region "
        f"({', '.join(GRID_REGIONS)}) or 全国",
        field="province",
    )


def grid_region_of(region: str) -> str | None:
    """The regional grid of a province (or the grid itself); ``None`` for national."""
    if region in GRID_REGIONS:
        return region
    return PROVINCE_GRID.get(region)


def fallback_chain(region: str) -> tuple[str, ...]:
    """Regions to try after ``region``: its grid region, then 全国, then 全球."""
    chain: list[str] = []
    grid = grid_region_of(region)
    if grid and grid != region:
        chain.append(grid)
    chain.extend(r for r in (NATIONAL, GLOBAL) if r != region)
    return tuple(chain)
