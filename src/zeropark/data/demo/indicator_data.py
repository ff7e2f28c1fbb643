"""The demo tenants' guiding-indicator data (工业固废、余热余冷余压、工业用水、产品产量).

Monthly rows of the indicator-data categories, following each tenant's production activity like
the other activity records, drawn from their own seeded generator so the older rows do not move:

- industrial solid waste: generated = the general solid waste of the waste records; utilised at
  a rate typical of the trade (scrap metal and cullet are sold back; pharmaceutical residue is
  mostly disposed of);
- waste heat: the glass furnace's flue gas (a heat-recovery boiler recovers part of it), the food
  plant's boiler flue gas and the metal tenant's compressors' heat, in GJ;
- industrial water: intake = the tenant's metered water; reused = cooling and rinse water
  recirculated at the tenant's reuse rate;
- product output: the glass tenant's photovoltaic rolled glass (t; a line of about 140 t/d,
  GB 21340-2019 表4 row "≤ 300 t/d"), and the metal tenant's machined parts (件; no limit
  standard, so its unit energy is shown but not judged).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.model import ACTIVITY_COLUMNS
from zeropark.data.demo.tenants import TenantProfile

__all__ = ["PV_GLASS", "indicator_rows"]

Array = npt.NDArray[np.float64]

PV_GLASS = "光伏压延玻璃（生产线设计生产能力≤300 t/d）"
#: Share of the general solid waste utilised, by tenant.
_UTILISED = {
    "t_elec": 0.72,
    "t_auto": 0.9,
    "t_metal": 0.95,
    "t_glass": 0.97,
    "t_food": 0.85,
    "t_pharma": 0.35,
    "t_plast": 0.9,
    "t_logis": 0.55,
}
#: Waste heat per year [GJ]: tenant → (available, recovered).
_WASTE_HEAT = {
    "t_glass": (60_000.0, 21_000.0),
    "t_food": (8_000.0, 2_400.0),
    "t_metal": (5_000.0, 1_000.0),
}
#: Water reuse rate reused / (reused + intake), by tenant.
_REUSE = {
    "t_elec": 0.86,
    "t_auto": 0.7,
    "t_metal": 0.6,
    "t_glass": 0.9,
    "t_food": 0.3,
    "t_pharma": 0.5,
    "t_plast": 0.8,
    "t_logis": 0.0,
}
_GLASS_T = 52_000.0
_PARTS_PCS = 3_600_000.0


def _row(
    entity: str, period: str, category: str, item: str, quantity: float, unit: str, evidence: str
) -> dict[str, str]:
    values = (entity, period, category, item, f"{quantity:.1f}", unit, evidence)
    return dict(zip(ACTIVITY_COLUMNS, values, strict=True))


def indicator_rows(
    tenant: TenantProfile,
    year: int,
    share: Array,
    water_m3: Array,
    general_waste_t: float,
    rng: np.random.Generator,
) -> list[dict[str, str]]:
    """The tenant's monthly indicator-data rows; ``share``: its activity share per month,
    ``water_m3``: its metered water per month."""
    rows = []
    t = tenant.id
    for m in range(12):
        period = f"{year}-{m + 1:02d}"
        noise = 1.0 + 0.02 * rng.standard_normal()
        generated = general_waste_t * share[m]
        rows.append(
            _row(
                t,
                period,
                "industrial_solid_waste",
                "产生量",
                generated,
                "t",
                f"固废管理台账 {period}",
            )
        )
        rows.append(
            _row(
                t,
                period,
                "industrial_solid_waste",
                "综合利用量",
                generated * _UTILISED[t] * noise,
                "t",
                f"综合利用合同结算单 {period}",
            )
        )
        if t in _WASTE_HEAT:
            available, recovered = _WASTE_HEAT[t]
            rows.append(
                _row(
                    t,
                    period,
                    "waste_energy",
                    "余热资源量",
                    available * share[m],
                    "GJ",
                    f"余热资源测算 {period}",
                )
            )
            rows.append(
                _row(
                    t,
                    period,
                    "waste_energy",
                    "余热利用量",
                    recovered * share[m] * noise,
                    "GJ",
                    f"余热锅炉计量 {period}",
                )
            )
        reuse = _REUSE[t]
        rows.append(
            _row(t, period, "industrial_water", "取水量", water_m3[m], "m3", f"水表月报 {period}")
        )
        if reuse > 0:
            reused = water_m3[m] * reuse / (1.0 - reuse) * noise
            rows.append(
                _row(
                    t,
                    period,
                    "industrial_water",
                    "重复利用水量",
                    reused,
                    "m3",
                    f"循环水计量 {period}",
                )
            )
        if t == "t_glass":
            rows.append(
                _row(
                    t,
                    period,
                    "product_output",
                    PV_GLASS,
                    _GLASS_T * share[m],
                    "t",
                    f"产品入库单 {period}",
                )
            )
        if t == "t_metal":
            rows.append(
                _row(
                    t,
                    period,
                    "product_output",
                    "机加工件",
                    _PARTS_PCS * share[m],
                    "件",
                    f"产品入库单 {period}",
                )
            )
    return rows
