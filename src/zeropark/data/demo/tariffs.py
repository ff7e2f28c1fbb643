"""The demo park's tariffs (``park.tariffs``): ILLUSTRATIVE figures, not a tariff table.

The shape is that of a Chinese provincial industrial two-part tariff for a 1-10 kV supply
(工商业两部制 1-10千伏, as in a provincial grid company's agency-purchase price notice,
代理购电价格表): band prices by season, a demand charge (需量电费) on the monthly maximum demand,
VAT 13 % on electricity and 9 % on natural gas, water and heat (增值税; 财政部 税务总局 海关总署
公告 2019年第39号 set the 13 % and 9 % rates). The prices are round figures of the order of
Jiangsu's 2024 notices, chosen for the demo; no notice is reproduced. The band hours are the
demo's schedule (:data:`~zeropark.data.demo.storage.DEMO_TIME_OF_USE`: valley 00-08, peak
08-11 and 17-22, flat otherwise), itself a modelling assumption. Copy your own park's figures
from the notice that applies to it.
"""

from __future__ import annotations

from zeropark.domain.billing.tariff_spec import (
    CommonCosts,
    DemandCharge,
    ElectricityTariff,
    FlatTariff,
    OnsitePv,
    Tariffs,
    TariffSeason,
)

__all__ = ["DEMO_TARIFFS"]

_SUMMER = [7, 8]
_REST = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12]

DEMO_TARIFFS = Tariffs(
    note="示例电价（非真实价目表）：不含增值税，按省级 1-10 千伏工商业两部制电价的结构示意，"
    "并非电价文件",
    note_en="Illustrative demo prices excl. VAT, shaped like a provincial 1-10 kV two-part "
    "industrial tariff; not a tariff notice",
    electricity=ElectricityTariff(
        seasons=[
            TariffSeason(
                months=_REST,
                prices_cny_per_kwh={"peak": 1.05, "flat": 0.63, "valley": 0.27},
            ),
            TariffSeason(
                months=_SUMMER,
                prices_cny_per_kwh={
                    "critical_peak": 1.33,
                    "peak": 1.11,
                    "flat": 0.66,
                    "valley": 0.28,
                },
            ),
        ],
        vat_rate=0.13,
        demand=DemandCharge(basis="max_demand", price_cny_per_kw_month=40.0),
        fixed_cny_per_month=1500.0,
        onsite_pv=OnsitePv(price_factor=0.85),
    ),
    others=[
        FlatTariff(carrier="natural_gas", unit="Nm3", price_cny_per_unit=3.45, vat_rate=0.09),
        FlatTariff(carrier="water", unit="m3", price_cny_per_unit=4.20, vat_rate=0.09),
        FlatTariff(carrier="heat", unit="GJ", price_cny_per_unit=150.0, vat_rate=0.09),
    ],
    common_costs=CommonCosts(key="floor_area"),
)
