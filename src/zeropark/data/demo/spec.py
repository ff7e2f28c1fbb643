"""The demo park's description: park, tenants, buildings, meter tree, virtual meters, assets.

Topology. ``grid_main`` is the park's 10 kV intake (import register); the roof PV (``pv_gen``)
and the battery's discharge (``bess_discharge``) feed the park bus behind it, and surplus leaves
through ``grid_export``. Its children (tenant main meters, admin building, EV chargers, battery
charging) therefore sum to *more* than the intake when the sun shines; the virtual meter
``e_common_loss`` closes the balance (transformer losses, street lighting: about 1.5 %).
Each tenant main meter is the parent of that tenant's sub-meters; gas and water have their own
park intakes (``gas_main``, ``water_main``).
"""

from __future__ import annotations

from zeropark.data.demo.pv import PV_ROOF
from zeropark.data.demo.storage import BESS, DEMO_TIME_OF_USE
from zeropark.data.demo.tariffs import DEMO_TARIFFS
from zeropark.data.demo.tenants import TENANTS, TenantProfile
from zeropark.domain.park import (
    AccountingMapping,
    Asset,
    Building,
    Meter,
    Park,
    ParkSpec,
    Sink,
    Tenant,
    VirtualMeter,
)

__all__ = [
    "EV_AC_COUNT",
    "EV_AC_KW",
    "EV_DC_COUNT",
    "EV_DC_KW",
    "demo_spec",
    "electric_main_id",
    "gas_id",
    "sub_id",
    "water_id",
]

EV_AC_COUNT, EV_AC_KW = 36, 7.0
EV_DC_COUNT, EV_DC_KW = 4, 60.0


def electric_main_id(tenant: TenantProfile) -> str:
    """Id of a tenant's electricity main meter."""
    return f"e_{tenant.short}_main"


def sub_id(tenant: TenantProfile, suffix: str) -> str:
    """Id of a tenant's electricity sub-meter."""
    return f"e_{tenant.short}_{suffix}"


def gas_id(tenant: TenantProfile, suffix: str) -> str:
    """Id of a tenant's gas meter."""
    return f"g_{tenant.short}_{suffix}"


def water_id(tenant: TenantProfile) -> str:
    """Id of a tenant's water meter."""
    return f"w_{tenant.short}"


def _acc(category: str, sector: str, item: str | None = None) -> AccountingMapping:
    return AccountingMapping(category=category, sector=sector, item=item)


def _park_meters() -> list[Meter]:
    return [
        Meter(
            id="grid_main",
            name="园区10kV总进线（正向有功）",
            kind="cumulative",
            multiplier=4000,
            register_max=999999.99,
            max_power=20000,
            accounting=_acc("purchased_electricity", "industry"),
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="grid_export",
            name="园区10kV总进线（反向有功，余电上网）",
            kind="cumulative",
            multiplier=4000,
            register_max=999999.99,
            accounting=_acc("exported_electricity", "energy"),
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="pv_gen",
            name="屋顶光伏并网点",
            kind="interval",
            interval_s=900,
            accounting=_acc("onsite_renewable", "energy", "solar_pv"),
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="bess_charge",
            name="储能充电",
            kind="cumulative",
            parent="grid_main",
            register_max=9999999.99,
            building="b_switch",
            accounting=_acc("purchased_electricity", "energy", "storage_charge"),
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="bess_discharge",
            name="储能放电",
            kind="cumulative",
            register_max=9999999.99,
            building="b_switch",
            # No accounting mapping: storage shifts energy in time; it is neither a source of
            # energy nor of emissions (its charge is counted where it was bought or generated).
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="ev_charging",
            name="停车场充电桩",
            kind="cumulative",
            parent="grid_main",
            register_max=9999999.99,
            building="b_parking",
            accounting=_acc("purchased_electricity", "transport", "ev_charging"),
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="e_admin",
            name="综合服务楼",
            kind="cumulative",
            parent="grid_main",
            multiplier=40,
            register_max=999999.99,
            building="b_admin",
            accounting=_acc("purchased_electricity", "building"),
            carrier="electricity",
            unit="kWh",
        ),
        Meter(
            id="gas_main",
            name="园区天然气门站",
            carrier="natural_gas",
            unit="Nm3",
            kind="cumulative",
            register_max=99999999.99,
            accounting=_acc("fuel_combustion", "industry", "natural_gas"),
        ),
        Meter(
            id="g_canteen",
            name="食堂燃气",
            carrier="natural_gas",
            unit="Nm3",
            kind="cumulative",
            parent="gas_main",
            register_max=9999999.99,
            building="b_canteen",
            accounting=_acc("fuel_combustion", "life", "natural_gas"),
        ),
        Meter(
            id="water_main",
            name="园区自来水总表",
            carrier="water",
            unit="m3",
            kind="cumulative",
            register_max=99999999.99,
            accounting=_acc("water", "life"),
        ),
    ]


def _tenant_meters(t: TenantProfile) -> list[Meter]:
    building = f"b_{t.short}"
    main = Meter(
        id=electric_main_id(t),
        name=f"{t.name}总表",
        kind="cumulative",
        parent="grid_main",
        tenant=t.id,
        building=building,
        multiplier=t.main_multiplier,
        register_max=t.main_register_max,
        accounting=_acc("purchased_electricity", t.sector),
        carrier="electricity",
        unit="kWh",
    )
    meters = [main]
    for e in t.electric:
        meters.append(
            Meter(
                id=sub_id(t, e.suffix),
                name=e.name,
                kind=e.kind,
                parent=main.id,
                tenant=t.id,
                building=building,
                unit="kWh" if e.kind != "instantaneous" else "kW",
                carrier="electricity",
                interval_s=900 if e.kind == "interval" else None,
                register_max=9999999.99 if e.kind == "cumulative" else None,
                accounting=_acc("purchased_electricity", t.sector),
            )
        )
    for g in t.gas:
        meters.append(
            Meter(
                id=gas_id(t, g.suffix),
                name=g.name,
                carrier="natural_gas",
                unit="Nm3",
                kind="cumulative",
                parent="gas_main",
                tenant=t.id,
                building=building,
                register_max=99999999.99,
                accounting=_acc("fuel_combustion", "industry", "natural_gas"),
            )
        )
    meters.append(
        Meter(
            id=water_id(t),
            name=f"{t.name}自来水",
            carrier="water",
            unit="m3",
            kind="cumulative",
            parent="water_main",
            tenant=t.id,
            building=building,
            register_max=9999999.99,
            accounting=_acc("water", t.sector),
        )
    )
    if t.id == "t_pharma":
        meters.append(
            Meter(
                id="heat_pharma_steam",
                name="外购蒸汽（热电厂供汽）",
                carrier="heat",
                unit="GJ",
                kind="cumulative",
                tenant=t.id,
                building=building,
                register_max=999999.99,
                accounting=_acc("purchased_heat", "industry", "steam"),
            )
        )
    if t.id == "t_logis":
        meters.append(
            Meter(
                id="diesel_logis",
                name="叉车加油机",
                carrier="diesel",
                unit="L",
                kind="cumulative",
                tenant=t.id,
                building=building,
                register_max=999999.99,
                accounting=_acc("mobile_combustion", "transport", "diesel"),
            )
        )
    return meters


def _virtual_meters() -> list[VirtualMeter]:
    mains = " - ".join(electric_main_id(t) for t in TENANTS)
    return [
        VirtualMeter(
            id="e_common_loss",
            name="公共损耗（变压器损耗、路灯等未计量负荷）",
            expression="grid_main + pv_gen + bess_discharge - grid_export - bess_charge"
            f" - ev_charging - e_admin - {mains}",
            carrier="electricity",
            unit="kWh",
        ),
        VirtualMeter(
            id="pv_self",
            name="光伏自发自用",
            expression="pv_gen - grid_export",
            carrier="electricity",
            unit="kWh",
        ),
        VirtualMeter(
            id="gas_unaccounted",
            name="燃气管损",
            carrier="natural_gas",
            unit="Nm3",
            expression="gas_main - g_canteen - "
            + " - ".join(gas_id(t, g.suffix) for t in TENANTS for g in t.gas),
        ),
    ]


def _assets() -> list[Asset]:
    return [
        Asset(
            id="pv_roof",
            type="pv",
            name="厂房屋顶分布式光伏",
            meter="pv_gen",
            params={
                "capacity_kwp": PV_ROOF.capacity_kwp,
                "tilt_deg": PV_ROOF.tilt_deg,
                "azimuth_deg": PV_ROOF.azimuth_deg,
                "losses_pct": round(PV_ROOF.losses_pct, 2),
                "inverter_kw": PV_ROOF.inverter_kw,
            },
        ),
        Asset(
            id="bess",
            type="battery",
            name="储能电站",
            building="b_switch",
            meter="bess_discharge",
            params={
                "capacity_kwh": BESS.capacity_kwh,
                "power_kw": BESS.power_kw,
                "roundtrip_efficiency": BESS.roundtrip_efficiency,
            },
        ),
        Asset(
            id="ev_ac",
            type="ev_charger",
            name="交流慢充桩",
            building="b_parking",
            meter="ev_charging",
            params={"count": EV_AC_COUNT, "power_kw": EV_AC_KW},
        ),
        Asset(
            id="ev_dc",
            type="ev_charger",
            name="直流快充桩",
            building="b_parking",
            meter="ev_charging",
            params={"count": EV_DC_COUNT, "power_kw": EV_DC_KW},
        ),
        Asset(
            id="boiler_food",
            type="boiler",
            tenant="t_food",
            building="b_food",
            meter="g_food_boiler",
            params={"heat_kw": 2800, "fuel": "natural_gas", "efficiency": 0.92},
        ),
        Asset(
            id="forklifts_logis",
            type="vehicle_fleet",
            tenant="t_logis",
            meter="diesel_logis",
            params={"vehicles": 30, "fuel": "diesel"},
        ),
        Asset(
            id="forklifts_auto",
            type="vehicle_fleet",
            tenant="t_auto",
            params={"vehicles": 12, "fuel": "diesel"},
        ),
        Asset(
            id="forklifts_metal",
            type="vehicle_fleet",
            tenant="t_metal",
            params={"vehicles": 8, "fuel": "diesel"},
        ),
    ]


def demo_spec(output_value_cny: float) -> ParkSpec:
    """The demo park's spec; ``output_value_cny`` is the sum of the tenants' annual output."""
    park = Park(
        id="demo",
        name="零碳示范产业园",
        name_en="Zero-carbon demo industrial park",
        type="manufacturing",
        province="江苏",
        timezone="Asia/Shanghai",
        latitude_deg=31.3,
        longitude_deg=120.6,
        land_area_m2=1_800_000,
        floor_area_m2=420_000,
        output_value_cny=output_value_cny,
        time_of_use=DEMO_TIME_OF_USE,
        tariffs=DEMO_TARIFFS,
    )
    tenants = [
        Tenant(
            id=t.id,
            name=t.name,
            name_en=t.name_en,
            industry_code=t.industry_code,
            industry=t.industry,
        )
        for t in TENANTS
    ]
    buildings = [
        Building(
            id=f"b_{t.short}",
            name=f"{t.name}厂房",
            tenant=t.id,
            floor_area_m2=t.floor_area_m2,
            use="warehouse" if t.sector == "transport" else "workshop",
        )
        for t in TENANTS
    ]
    buildings += [
        Building(id="b_admin", name="综合服务楼", floor_area_m2=18000, use="office"),
        Building(id="b_canteen", name="园区食堂", floor_area_m2=4000, use="canteen"),
        Building(id="b_parking", name="员工停车场", use="parking"),
        Building(id="b_switch", name="10kV配电及储能站", floor_area_m2=1200, use="utility"),
    ]
    meters = _park_meters()
    for t in TENANTS:
        meters += _tenant_meters(t)
    return ParkSpec(
        park=park,
        tenants=tenants,
        buildings=buildings,
        meters=meters,
        virtual_meters=_virtual_meters(),
        assets=_assets(),
        sinks=[Sink(id="green_belt", type="green_space", name="园区绿地", area_m2=160_000)],
    )
