"""China's provincial-level divisions (省级行政区) and their regional power grids (区域电网).

The grid regions are those of the Ministry of Ecology and Environment's annual electricity CO2
factor notices (华北, 东北, 华东, 华中, 西北, 南方, 西南). Inner Mongolia is split between the
North China (west) and North-East (east) grids; the provincial average is published for the
whole province, so it maps to North China here. Codes are GB/T 2260 administrative codes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROVINCES", "Province", "find_province"]


@dataclass(frozen=True, slots=True)
class Province:
    """A provincial-level division: GB/T 2260 code, Chinese short name, pinyin, grid region."""

    code: str
    name_zh: str
    name_en: str
    grid_region: str


PROVINCES: tuple[Province, ...] = (
    Province("110000", "北京", "Beijing", "华北"),
    Province("120000", "天津", "Tianjin", "华北"),
    Province("130000", "河北", "Hebei", "华北"),
    Province("140000", "山西", "Shanxi", "华北"),
    Province("150000", "内蒙古", "Inner Mongolia", "华北"),
    Province("370000", "山东", "Shandong", "华北"),
    Province("210000", "辽宁", "Liaoning", "东北"),
    Province("220000", "吉林", "Jilin", "东北"),
    Province("230000", "黑龙江", "Heilongjiang", "东北"),
    Province("310000", "上海", "Shanghai", "华东"),
    Province("320000", "江苏", "Jiangsu", "华东"),
    Province("330000", "浙江", "Zhejiang", "华东"),
    Province("340000", "安徽", "Anhui", "华东"),
    Province("350000", "福建", "Fujian", "华东"),
    Province("360000", "江西", "Jiangxi", "华中"),
    Province("410000", "河南", "Henan", "华中"),
    Province("420000", "湖北", "Hubei", "华中"),
    Province("430000", "湖南", "Hunan", "华中"),
    Province("500000", "重庆", "Chongqing", "西南"),
    Province("510000", "四川", "Sichuan", "西南"),
    Province("540000", "西藏", "Tibet", "西南"),
    Province("610000", "陕西", "Shaanxi", "西北"),
    Province("620000", "甘肃", "Gansu", "西北"),
    Province("630000", "青海", "Qinghai", "西北"),
    Province("640000", "宁夏", "Ningxia", "西北"),
    Province("650000", "新疆", "Xinjiang", "西北"),
    Province("440000", "广东", "Guangdong", "南方"),
    Province("450000", "广西", "Guangxi", "南方"),
    Province("460000", "海南", "Hainan", "南方"),
    Province("520000", "贵州", "Guizhou", "南方"),
    Province("530000", "云南", "Yunnan", "南方"),
)

_SUFFIXES = ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区")


def find_province(text: str) -> Province | None:
    """Find a province by code (320000), Chinese name (江苏, 江苏省) or English name (Jiangsu)."""
    key = text.strip()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    lowered = key.lower()
    for province in PROVINCES:
        if key in (province.code, province.name_zh) or lowered == province.name_en.lower():
            return province
    return None
