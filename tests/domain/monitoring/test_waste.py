"""Waste detection (跑冒滴漏) on synthetic meters: a planted step is found with its size and
cost, and a clean year, a seasonal cooling swing and a production rise raise nothing."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from zeropark.domain.energy.calendar import cn_day_classes, is_working_day
from zeropark.domain.monitoring.waste import (
    WasteSettings,
    closed_hours_per_year,
    daily_base,
    detect_waste,
)

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
WORKING = is_working_day(cn_day_classes(DAYS))


def _one_shift(
    *, leak_kw: float = 0.0, leak_from: int = 400, cooling: bool = False, growth: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hourly energy [kWh] of a one-shift plant: 80 kW base, +320 kW 08:00-18:00 on working
    days, ±3 % noise; optional leak (constant kW from day ``leak_from``), summer cooling
    (+40 % of everything in July-August) or a production rise (+30 % day load from day 150)."""
    rng = np.random.default_rng(7)
    ords, hours, kwh = [], [], []
    for i, day in enumerate(DAYS):
        for h in range(24):
            load = 80.0
            if WORKING[i] and 8 <= h < 18:
                load += 320.0 * (1.3 if growth and i >= 150 else 1.0)
            if cooling and day.month in (7, 8):
                load *= 1.4
            if i >= leak_from:
                load += leak_kw
            ords.append(day.toordinal())
            hours.append(h)
            kwh.append(load * (1.0 + 0.03 * rng.standard_normal()))
    return np.array(ords), np.array(hours), np.array(kwh)


def test_a_planted_leak_is_found_with_its_size_and_cost() -> None:
    base = daily_base(*_one_shift(leak_kw=40.0, leak_from=250))
    found = detect_waste(base)
    night = [a for a in found if a.signal == "night_base"]
    assert len(night) == 1
    leak = night[0]
    assert leak.start - DAYS[250] <= dt.timedelta(days=1)  # found from its first night
    assert leak.ongoing and leak.end == DAYS[-1]
    assert leak.excess_kw == pytest.approx(40.0, rel=0.1)
    assert leak.baseline_kw == pytest.approx(80.0, rel=0.05)
    assert leak.rise == pytest.approx(0.5, rel=0.1)
    hours = closed_hours_per_year(base.dates, base.working)
    # 2024 (国务院办公厅 2023-10-25 holiday notice, 6 make-up workdays): 251 working days ×
    # 5 night hours + 115 non-working days × 24 h, scaled to 365 days = 4,004.0 h
    assert int(WORKING.sum()) == 251
    assert hours == pytest.approx((251 * 5 + 115 * 24) * 365 / 366)
    assert leak.waste_kwh_per_year == pytest.approx(leak.excess_kw * hours)
    # every anomaly is the leak's: on closed days too, never before it
    assert all(a.start >= DAYS[249] for a in found)


@pytest.mark.parametrize(
    "kwargs", [{}, {"cooling": True}, {"growth": True}], ids=["clean", "cooling", "growth"]
)
def test_normal_years_raise_nothing(kwargs: dict[str, bool]) -> None:
    assert detect_waste(daily_base(*_one_shift(**kwargs))) == []


def test_a_few_odd_nights_are_not_an_anomaly() -> None:
    ords, hours, kwh = _one_shift()
    odd = (ords >= DAYS[100].toordinal()) & (ords < DAYS[103].toordinal()) & (hours < 5)
    kwh = np.where(odd, kwh + 60.0, kwh)  # three nights of +60 kW: fewer than ``sustain``
    assert detect_waste(daily_base(ords, hours, kwh), WasteSettings()) == []
