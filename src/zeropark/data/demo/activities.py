"""Monthly activity records (活动数据) of the demo tenants, as users type them in spreadsheets.

Rows follow the activities CSV contract (entity, period, category, item, quantity, unit,
evidence; all strings). Quantities follow each tenant's modelled production activity, so a
month with the Spring Festival shutdown shows less output, fuel and waste. Diesel bought by the
auto-parts and metal tenants is recorded here; the logistics tenant's diesel is metered by its
dispenser (``diesel_logis``) instead, so nothing is counted twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from zeropark.data.demo.days import TimeGrid
from zeropark.data.demo.indicator_data import indicator_rows
from zeropark.data.demo.loads import meter_rng
from zeropark.data.demo.model import ACTIVITY_COLUMNS, DemoPark
from zeropark.data.demo.spec import electric_main_id, water_id
from zeropark.data.demo.tenants import TENANTS

__all__ = ["activities_csv_text", "monthly_activities"]

Array = npt.NDArray[np.float64]

#: Annual diesel bought for forklifts [t] by tenants without a dispenser meter.
_DIESEL_T = {"t_auto": 36.0, "t_metal": 22.0}
#: Glass pulled from the furnace [t/yr] and raw carbonate per tonne of glass [t/t] (modelled).
_GLASS_T = 52_000.0
_CARBONATES_T_PER_T = {"石灰石": 0.075, "纯碱": 0.19, "白云石": 0.12}
#: Refrigerant top-ups: tenant, item, chance in a month, kg range.
_REFRIGERANTS = (
    ("t_elec", "HFC-134a", 0.25, (20.0, 60.0)),
    ("t_auto", "R-410A", 0.2, (5.0, 15.0)),
    ("t_food", "R-404A", 0.3, (10.0, 40.0)),
    ("t_pharma", "HFC-134a", 0.2, (10.0, 30.0)),
    ("t_logis", "R-410A", 0.25, (8.0, 25.0)),
)
#: Share of a tenant's electricity covered by retired green certificates, and retiring months.
_GREEN_SHARE = {"t_elec": (0.3, tuple(range(1, 13))), "t_pharma": (0.5, (3, 6, 9, 12))}
#: Solid waste [t per year]: general industrial, and hazardous where the tenant produces it.
_WASTE_T = {
    "t_elec": (900.0, 120.0),
    "t_auto": (1500.0, 60.0),
    "t_metal": (2200.0, 35.0),
    "t_glass": (800.0, 0.0),
    "t_food": (1800.0, 0.0),
    "t_pharma": (400.0, 90.0),
    "t_plast": (600.0, 8.0),
    "t_logis": (350.0, 0.0),
}


def _row(
    entity: str,
    period: str,
    category: str,
    item: str,
    quantity: float,
    unit: str,
    evidence: str,
    decimals: int = 2,
) -> dict[str, str]:
    values = (entity, period, category, item, f"{quantity:.{decimals}f}", unit, evidence)
    return dict(zip(ACTIVITY_COLUMNS, values, strict=True))


def _monthly_sum(grid: TimeGrid, values: Array) -> Array:
    return np.bincount(grid.month - 1, weights=values, minlength=12).astype(np.float64)


def monthly_activities(
    grid: TimeGrid, quantities: Mapping[str, Array], seed: int
) -> tuple[list[dict[str, str]], float]:
    """Activity rows for the year and the park's total output value [CNY]."""
    rows: list[dict[str, str]] = []
    output_cny = 0.0
    rng = meter_rng(seed, "activities")
    for t in TENANTS:
        act = _monthly_sum(grid, quantities[f"act_{t.short}"])
        share = act / act.sum()
        electricity_mwh = _monthly_sum(grid, quantities[electric_main_id(t)]) / 1000.0
        general_t, hazardous_t = _WASTE_T[t.id]
        for m in range(12):
            period = f"{grid.year}-{m + 1:02d}"
            value = t.output_wan_cny * share[m] * (1.0 + 0.02 * rng.standard_normal())
            output_cny += round(value, 2) * 1e4
            item = "营业收入" if t.sector == "transport" else "工业总产值"
            rows.append(_row(t.id, period, "output", item, value, "万元", f"统计月报 {period}"))
            if t.id in _DIESEL_T:
                tonnes = _DIESEL_T[t.id] * share[m] * (1.0 + 0.1 * rng.standard_normal())
                invoice = f"增值税专用发票 No.{rng.integers(10**7, 10**8)}"
                rows.append(_row(t.id, period, "mobile_combustion", "柴油", tonnes, "吨", invoice))
            if t.id == "t_glass":
                glass_t = _GLASS_T * share[m]
                for item_zh, ratio in _CARBONATES_T_PER_T.items():
                    tonnes = glass_t * ratio * (1.0 + 0.03 * rng.standard_normal())
                    rows.append(
                        _row(
                            t.id,
                            period,
                            "process",
                            item_zh,
                            tonnes,
                            "吨",
                            f"原料领用台账 {period}",
                            1,
                        )
                    )
            rows += _green(t.id, period, m + 1, electricity_mwh)
            rows.append(
                _row(
                    t.id,
                    period,
                    "waste",
                    "一般工业固废",
                    general_t * share[m],
                    "吨",
                    f"一般固废转移联单 {period}",
                    1,
                )
            )
            if hazardous_t > 0:
                rows.append(
                    _row(
                        t.id,
                        period,
                        "waste",
                        "危险废物",
                        hazardous_t * share[m],
                        "吨",
                        f"危险废物转移联单 {period}",
                        2,
                    )
                )
    rows += _refrigerants(grid.year, rng)
    indicator_rng = meter_rng(seed, "indicator_data")  # its own draws: older rows do not move
    for t in TENANTS:
        act = _monthly_sum(grid, quantities[f"act_{t.short}"])
        water = _monthly_sum(grid, quantities[water_id(t)])
        rows += indicator_rows(
            t, grid.year, act / act.sum(), water, _WASTE_T[t.id][0], indicator_rng
        )
    return rows, output_cny


def _green(tenant: str, period: str, month: int, electricity_mwh: Array) -> list[dict[str, str]]:
    if tenant not in _GREEN_SHARE:
        return []
    share, months = _GREEN_SHARE[tenant]
    if month not in months:
        return []
    earlier = [m for m in months if m < month]
    first = earlier[-1] + 1 if earlier else 1
    covered = float(np.floor(electricity_mwh[first - 1 : month].sum() * share))
    evidence = f"绿证注销凭证 GEC-{period}-{tenant}"
    return [_row(tenant, period, "green_electricity", "绿证", covered, "MWh", evidence, 0)]


def _refrigerants(year: int, rng: np.random.Generator) -> list[dict[str, str]]:
    rows = []
    for month in range(1, 13):
        for tenant, item, chance, (low, high) in _REFRIGERANTS:
            if rng.random() < chance:
                kg = float(np.round(rng.uniform(low, high)))
                day = int(rng.integers(1, 28))
                rows.append(
                    _row(
                        tenant,
                        f"{year}-{month:02d}",
                        "fugitive",
                        item,
                        kg,
                        "kg",
                        f"制冷剂充注记录 {year}-{month:02d}-{day:02d}",
                        1,
                    )
                )
    return rows


def activities_csv_text(demo: DemoPark | Iterable[Mapping[str, str]]) -> str:
    """The activity rows as CSV text (UTF-8, header line, ``\\n`` line ends)."""
    rows = demo.activities if isinstance(demo, DemoPark) else demo
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACTIVITY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()
