"""The demo park's tenants: industry, shifts, calendar behaviour and annual end-use budgets.

Every number here is modelled (chosen to be plausible for a Jiangsu manufacturing park), not
measured; ``docs/demo-park.md`` lists them. An end use's ``annual`` is its energy or volume over a
full year in the meter's unit (kWh, Nm3, m3, GJ, L); the load shapes only distribute it in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zeropark.domain.park import MeterKind

__all__ = ["TENANTS", "EndUse", "TenantProfile", "Use"]

#: How an end use follows time: ``process`` follows the shifts above a base load, ``hvac`` the
#: temperature, ``lighting`` the shifts and daylight, ``const`` runs around the clock, ``boiler``
#: is process heat plus winter space heating, ``canteen`` peaks at meal times.
Use = Literal["process", "hvac", "lighting", "const", "boiler", "canteen"]


@dataclass(frozen=True, slots=True)
class EndUse:
    """One sub-metered end use: meter id suffix, name, load shape, meter kind, annual quantity."""

    suffix: str
    name: str
    use: Use
    kind: MeterKind
    annual: float


@dataclass(frozen=True, slots=True)
class TenantProfile:
    """A tenant and how it consumes: shifts (1-3), day factors, end uses, output value."""

    id: str
    short: str
    name: str
    name_en: str
    industry_code: str
    industry: str
    shifts: int
    weekend_factor: float
    holiday_factor: float
    spring_factor: float
    base_frac: float
    floor_area_m2: float
    main_multiplier: float
    main_register_max: float
    unmetered_frac: float
    electric: tuple[EndUse, ...]
    gas: tuple[EndUse, ...]
    water_m3: float
    output_wan_cny: float
    sector: str = "industry"


def _e(suffix: str, name: str, use: Use, kind: MeterKind, annual_mwh: float) -> EndUse:
    return EndUse(suffix, name, use, kind, annual_mwh * 1000.0)


TENANTS: tuple[TenantProfile, ...] = (
    TenantProfile(
        "t_elec",
        "elec",
        "苏州芯辰电子科技有限公司",
        "Xinchen Electronics",
        "C39",
        "计算机、通信和其他电子设备制造业",
        3,
        0.92,
        0.8,
        0.45,
        0.35,
        62000,
        1500,
        999999.99,
        0.015,
        (
            _e("smt1", "SMT一线", "process", "interval", 6000),
            _e("smt2", "SMT二线", "process", "cumulative", 5500),
            _e("cleanroom", "洁净室空调", "hvac", "instantaneous", 9000),
            _e("air", "空压站", "process", "cumulative", 3500),
            _e("upw", "纯水站", "const", "cumulative", 2500),
            _e("light", "照明", "lighting", "interval", 900),
        ),
        (),
        600000,
        480000,
    ),
    TenantProfile(
        "t_auto",
        "auto",
        "江苏恒驰汽车零部件有限公司",
        "Hengchi Auto Parts",
        "C36",
        "汽车制造业",
        2,
        0.35,
        0.1,
        0.05,
        0.12,
        48000,
        1000,
        999999.99,
        0.02,
        (
            _e("stamping", "冲压线", "process", "cumulative", 4000),
            _e("welding", "焊装线", "process", "interval", 3500),
            _e("paint", "涂装线", "process", "cumulative", 3000),
            _e("air", "空压站", "process", "cumulative", 2000),
            _e("hvac", "车间空调", "hvac", "interval", 1200),
        ),
        (EndUse("paint", "涂装烘炉天然气", "boiler", "cumulative", 800000),),
        80000,
        260000,
    ),
    TenantProfile(
        "t_metal",
        "metal",
        "苏州锐锋金属制品有限公司",
        "Ruifeng Metal Products",
        "C33",
        "金属制品业",
        2,
        0.3,
        0.08,
        0.05,
        0.15,
        36000,
        800,
        999999.99,
        0.025,
        (
            _e("cnc", "机加工", "process", "cumulative", 3500),
            _e("heattreat", "热处理电炉", "process", "interval", 3000),
            _e("air", "空压站", "process", "cumulative", 1800),
            _e("light", "照明", "lighting", "cumulative", 700),
        ),
        (EndUse("furnace", "热处理燃气炉", "process", "cumulative", 1200000),),
        60000,
        150000,
    ),
    TenantProfile(
        "t_glass",
        "glass",
        "江苏晶澄玻璃制品有限公司",
        "Jingcheng Glass Products",
        "C30",
        "非金属矿物制品业",
        3,
        1.0,
        0.95,
        0.85,
        0.7,
        30000,
        200,
        99999.99,
        0.02,
        (
            _e("boost", "熔窑电助熔", "const", "cumulative", 5000),
            _e("forming", "成型线", "process", "interval", 3500),
            _e("air", "空压站", "process", "cumulative", 2000),
            _e("fans", "窑炉风机", "const", "cumulative", 1200),
        ),
        (EndUse("furnace", "玻璃熔窑天然气", "const", "cumulative", 9000000),),
        120000,
        120000,
    ),
    TenantProfile(
        "t_food",
        "food",
        "苏州禾味食品有限公司",
        "Hewei Foods",
        "C14",
        "食品制造业",
        2,
        0.6,
        0.3,
        0.2,
        0.25,
        24000,
        400,
        999999.99,
        0.02,
        (
            _e("line", "生产线", "process", "cumulative", 2200),
            _e("cold", "冷库制冷", "hvac", "cumulative", 2000),
            _e("air", "空压机", "process", "cumulative", 800),
            _e("light", "照明", "lighting", "interval", 500),
        ),
        (EndUse("boiler", "燃气蒸汽锅炉", "boiler", "cumulative", 1500000),),
        250000,
        90000,
    ),
    TenantProfile(
        "t_pharma",
        "pharma",
        "江苏康瑞制药有限公司",
        "Kangrui Pharmaceutical",
        "C27",
        "医药制造业",
        3,
        0.8,
        0.6,
        0.4,
        0.45,
        40000,
        600,
        999999.99,
        0.015,
        (
            _e("hvac", "GMP洁净空调", "hvac", "cumulative", 4000),
            _e("process", "制剂车间", "process", "cumulative", 2500),
            _e("water", "纯化水系统", "const", "interval", 1000),
            _e("air", "空压站", "process", "cumulative", 900),
        ),
        (),
        200000,
        210000,
    ),
    TenantProfile(
        "t_plast",
        "plast",
        "苏州瑞塑塑胶制品有限公司",
        "Ruisu Plastics",
        "C29",
        "橡胶和塑料制品业",
        3,
        0.7,
        0.3,
        0.1,
        0.2,
        28000,
        600,
        999999.99,
        0.02,
        (
            _e("injection", "注塑车间", "process", "cumulative", 5500),
            _e("chiller", "冷水机组", "hvac", "interval", 1500),
            _e("dryer", "干燥机", "process", "cumulative", 1000),
            _e("light", "照明", "lighting", "cumulative", 400),
        ),
        (),
        50000,
        110000,
    ),
    TenantProfile(
        "t_logis",
        "logis",
        "苏州捷运物流有限公司",
        "Jieyun Logistics",
        "G59",
        "装卸搬运和仓储业",
        2,
        0.8,
        0.5,
        0.2,
        0.2,
        45000,
        200,
        999999.99,
        0.03,
        (
            _e("cold", "冷链仓库", "hvac", "cumulative", 1200),
            _e("conveyor", "分拣输送线", "process", "interval", 600),
            _e("light", "仓库照明", "lighting", "cumulative", 500),
        ),
        (),
        15000,
        30000,
        sector="transport",
    ),
)
