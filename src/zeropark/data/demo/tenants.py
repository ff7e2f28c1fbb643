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
        id="t_elec",
        short="elec",
        name="苏州芯辰电子科技有限公司",
        name_en="Xinchen Electronics",
        industry_code="C39",
        industry="计算机、通信和其他电子设备制造业",
        shifts=3,
        weekend_factor=0.92,
        holiday_factor=0.6,
        spring_factor=0.35,
        base_frac=0.35,
        floor_area_m2=62000,
        main_multiplier=1500,
        main_register_max=999999.99,
        unmetered_frac=0.015,
        electric=(
            _e("smt1", "SMT一线", "process", "interval", 6000),
            _e("smt2", "SMT二线", "process", "cumulative", 5500),
            _e("cleanroom", "洁净室空调", "hvac", "instantaneous", 9000),
            _e("air", "空压站", "process", "cumulative", 3500),
            _e("upw", "纯水站", "const", "cumulative", 2500),
            _e("light", "照明", "lighting", "interval", 900),
        ),
        gas=(),
        water_m3=600000,
        output_wan_cny=480000,
        sector="industry",
    ),
    TenantProfile(
        id="t_auto",
        short="auto",
        name="江苏恒驰汽车零部件有限公司",
        name_en="Hengchi Auto Parts",
        industry_code="C36",
        industry="汽车制造业",
        shifts=2,
        weekend_factor=0.35,
        holiday_factor=0.1,
        spring_factor=0.05,
        base_frac=0.12,
        floor_area_m2=48000,
        main_multiplier=1000,
        main_register_max=999999.99,
        unmetered_frac=0.02,
        electric=(
            _e("stamping", "冲压线", "process", "cumulative", 4000),
            _e("welding", "焊装线", "process", "interval", 3500),
            _e("paint", "涂装线", "process", "cumulative", 3000),
            _e("air", "空压站", "process", "cumulative", 2000),
            _e("hvac", "车间空调", "hvac", "interval", 1200),
        ),
        gas=(EndUse("paint", "涂装烘炉天然气", "boiler", "cumulative", 800000),),
        water_m3=80000,
        output_wan_cny=260000,
        sector="industry",
    ),
    TenantProfile(
        id="t_metal",
        short="metal",
        name="苏州锐锋金属制品有限公司",
        name_en="Ruifeng Metal Products",
        industry_code="C33",
        industry="金属制品业",
        shifts=1,
        weekend_factor=0.3,
        holiday_factor=0.08,
        spring_factor=0.05,
        base_frac=0.15,
        floor_area_m2=36000,
        main_multiplier=800,
        main_register_max=999999.99,
        unmetered_frac=0.025,
        electric=(
            _e("cnc", "机加工", "process", "cumulative", 3500),
            _e("heattreat", "热处理电炉", "process", "interval", 3000),
            _e("air", "空压站", "process", "cumulative", 1800),
            _e("light", "照明", "lighting", "cumulative", 700),
        ),
        gas=(EndUse("furnace", "热处理燃气炉", "process", "cumulative", 1.2e06),),
        water_m3=60000,
        output_wan_cny=150000,
        sector="industry",
    ),
    TenantProfile(
        id="t_glass",
        short="glass",
        name="江苏晶澄玻璃制品有限公司",
        name_en="Jingcheng Glass Products",
        industry_code="C30",
        industry="非金属矿物制品业",
        shifts=3,
        weekend_factor=1.0,
        holiday_factor=0.95,
        spring_factor=0.85,
        base_frac=0.7,
        floor_area_m2=30000,
        main_multiplier=200,
        main_register_max=99999.99,
        unmetered_frac=0.02,
        electric=(
            _e("boost", "熔窑电助熔", "const", "cumulative", 5000),
            _e("forming", "成型线", "process", "interval", 3500),
            _e("air", "空压站", "process", "cumulative", 2000),
            _e("fans", "窑炉风机", "const", "cumulative", 1200),
        ),
        gas=(EndUse("furnace", "玻璃熔窑天然气", "const", "cumulative", 9e06),),
        water_m3=120000,
        output_wan_cny=120000,
        sector="industry",
    ),
    TenantProfile(
        id="t_food",
        short="food",
        name="苏州禾味食品有限公司",
        name_en="Hewei Foods",
        industry_code="C14",
        industry="食品制造业",
        shifts=2,
        weekend_factor=0.6,
        holiday_factor=0.3,
        spring_factor=0.2,
        base_frac=0.25,
        floor_area_m2=24000,
        main_multiplier=400,
        main_register_max=999999.99,
        unmetered_frac=0.02,
        electric=(
            _e("line", "生产线", "process", "cumulative", 2200),
            _e("cold", "冷库制冷", "hvac", "cumulative", 2000),
            _e("air", "空压机", "process", "cumulative", 800),
            _e("light", "照明", "lighting", "interval", 500),
        ),
        gas=(EndUse("boiler", "燃气蒸汽锅炉", "boiler", "cumulative", 1.5e06),),
        water_m3=250000,
        output_wan_cny=90000,
        sector="industry",
    ),
    TenantProfile(
        id="t_pharma",
        short="pharma",
        name="江苏康瑞制药有限公司",
        name_en="Kangrui Pharmaceutical",
        industry_code="C27",
        industry="医药制造业",
        shifts=3,
        weekend_factor=0.8,
        holiday_factor=0.6,
        spring_factor=0.4,
        base_frac=0.45,
        floor_area_m2=40000,
        main_multiplier=600,
        main_register_max=999999.99,
        unmetered_frac=0.015,
        electric=(
            _e("hvac", "GMP洁净空调", "hvac", "cumulative", 4000),
            _e("process", "制剂车间", "process", "cumulative", 2500),
            _e("water", "纯化水系统", "const", "interval", 1000),
            _e("air", "空压站", "process", "cumulative", 900),
        ),
        gas=(),
        water_m3=200000,
        output_wan_cny=210000,
        sector="industry",
    ),
    TenantProfile(
        id="t_plast",
        short="plast",
        name="苏州瑞塑塑胶制品有限公司",
        name_en="Ruisu Plastics",
        industry_code="C29",
        industry="橡胶和塑料制品业",
        shifts=3,
        weekend_factor=0.7,
        holiday_factor=0.3,
        spring_factor=0.1,
        base_frac=0.2,
        floor_area_m2=28000,
        main_multiplier=600,
        main_register_max=999999.99,
        unmetered_frac=0.02,
        electric=(
            _e("injection", "注塑车间", "process", "cumulative", 5500),
            _e("chiller", "冷水机组", "hvac", "interval", 1500),
            _e("dryer", "干燥机", "process", "cumulative", 1000),
            _e("light", "照明", "lighting", "cumulative", 400),
        ),
        gas=(),
        water_m3=50000,
        output_wan_cny=110000,
        sector="industry",
    ),
    TenantProfile(
        id="t_logis",
        short="logis",
        name="苏州捷运物流有限公司",
        name_en="Jieyun Logistics",
        industry_code="G59",
        industry="装卸搬运和仓储业",
        shifts=2,
        weekend_factor=0.8,
        holiday_factor=0.5,
        spring_factor=0.2,
        base_frac=0.2,
        floor_area_m2=45000,
        main_multiplier=200,
        main_register_max=999999.99,
        unmetered_frac=0.03,
        electric=(
            _e("cold", "冷链仓库", "hvac", "cumulative", 1200),
            _e("conveyor", "分拣输送线", "process", "interval", 600),
            _e("light", "仓库照明", "lighting", "cumulative", 500),
        ),
        gas=(),
        water_m3=15000,
        output_wan_cny=30000,
        sector="transport",
    ),
)
