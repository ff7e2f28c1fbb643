"""Energy and carbon budgets (用能预算 / 碳预算): monthly split, status, year-end projection.

An annual budget (energy [tce] or carbon [tCO2]) of the park or a tenant is split by month:

- ``even``: in proportion to the days of each month (a 31-day month gets 31/366 of a leap year);
- ``profile``: in proportion to last year's consumption of each month;
- ``given``: twelve values given by the user (they must add up to the annual budget, ±0.1 %).

Consumption to date is compared month by month. The year-end projection is a
:data:`Projector`: a function of the year's monthly actuals up to the day data end and of an
optional seasonal profile, returning the twelve months' expected values. Two ship:

- :func:`run_rate`: the year's average daily rate to date, applied to the remaining days;
- :func:`seasonal`: last year's monthly profile scaled by this year's consumption to date over
  last year's consumption of the same span (partial month pro rata by days); falls back on the
  run rate without a profile.

The forecasting work can plug a model in as another :data:`Projector` (``docs/budgets.md``).
The run-out date is the day the cumulative projected consumption reaches the annual budget,
consumption spread evenly over the days of each month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from zeropark.errors import InputError

__all__ = [
    "PROJECTORS",
    "BudgetStatus",
    "Projector",
    "Split",
    "budget_status",
    "monthly_split",
    "run_out_date",
    "run_rate",
    "seasonal",
]

Split = Literal["even", "profile", "given"]
#: (monthly actuals [12; None after the data end], last day with data, profile [12] or None)
#: → the twelve months' expected values (actual where complete).
Projector = Callable[[Sequence[float | None], dt.date, Sequence[float] | None], list[float]]
_GIVEN_TOLERANCE = 1e-3


def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def monthly_split(
    annual: float,
    year: int,
    split: Split,
    *,
    profile: Sequence[float] | None = None,
    given: Sequence[float] | None = None,
) -> list[float]:
    """The annual budget split into twelve months (see the module's description)."""
    if annual < 0:
        raise InputError("a budget is not negative", field="annual")
    if split == "even":
        days = [_days(year, m) for m in range(1, 13)]
        return [annual * d / sum(days) for d in days]
    if split == "profile":
        if profile is None or len(profile) != 12 or sum(profile) <= 0:
            raise InputError(
                "a split by last year's profile needs last year's twelve monthly values",
                field="split",
            )
        total = sum(profile)
        return [annual * p / total for p in profile]
    if split == "given":
        if given is None or len(given) != 12 or any(v < 0 for v in given):
            raise InputError("a given split needs twelve values ≥ 0", field="months")
        if abs(sum(given) - annual) > _GIVEN_TOLERANCE * max(annual, 1.0):
            raise InputError(
                f"the twelve months add up to {sum(given):,.3f}, not the annual {annual:,.3f}",
                field="months",
            )
        return [float(v) for v in given]
    raise InputError("split must be even, profile or given", field="split")


def _elapsed(as_of: dt.date) -> tuple[int, float]:
    """(index of the month of ``as_of``, share of that month elapsed, ``as_of`` included)."""
    return as_of.month - 1, as_of.day / _days(as_of.year, as_of.month)


def run_rate(
    actual: Sequence[float | None], as_of: dt.date, profile: Sequence[float] | None = None
) -> list[float]:
    """Months to date as measured; the rest at the year's average daily rate to date."""
    month, _ = _elapsed(as_of)
    to_date = sum(v or 0.0 for v in actual[: month + 1])
    days_so_far = as_of.timetuple().tm_yday
    rate = to_date / days_so_far if days_so_far else 0.0
    out = [float(actual[m] or 0.0) for m in range(month)]
    left = _days(as_of.year, as_of.month) - as_of.day
    out.append(float(actual[month] or 0.0) + rate * left)
    out += [rate * _days(as_of.year, m + 1) for m in range(month + 1, 12)]
    return out


def seasonal(
    actual: Sequence[float | None], as_of: dt.date, profile: Sequence[float] | None = None
) -> list[float]:
    """Months to date as measured; the rest as last year's months × (this year to date ÷ last
    year over the same span). Without a usable profile: :func:`run_rate`."""
    month, share = _elapsed(as_of)
    if profile is None or len(profile) != 12:
        return run_rate(actual, as_of)
    last_span = sum(profile[:month]) + profile[month] * share
    if last_span <= 0:
        return run_rate(actual, as_of)
    factor = sum(v or 0.0 for v in actual[: month + 1]) / last_span
    out = [float(actual[m] or 0.0) for m in range(month)]
    out.append(float(actual[month] or 0.0) + profile[month] * (1.0 - share) * factor)
    out += [profile[m] * factor for m in range(month + 1, 12)]
    return out


PROJECTORS: dict[str, Projector] = {"run_rate": run_rate, "seasonal": seasonal}


def run_out_date(annual: float, projected: Sequence[float], year: int) -> dt.date | None:
    """The day cumulative ``projected`` monthly consumption reaches ``annual`` (spread evenly
    over each month's days); None when it does not within the year. A budget already used up
    gives the day it ran out."""
    used = 0.0
    for m, value in enumerate(projected, start=1):
        days = _days(year, m)
        if value > 0 and used + value >= annual:
            day = max(1, min(days, int((annual - used) / (value / days) + 0.999999)))
            return dt.date(year, m, day)
        used += value
    return None


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """A budget against consumption: months [12] of budget, actual and projection.

    ``actual`` is None for months after the data end; ``projected_overrun`` = year-end
    projection − annual budget (negative: room left).
    """

    annual: float
    budget: list[float]
    actual: list[float | None]
    projected: list[float]
    used: float
    remaining: float
    used_share: float | None
    year_end: float
    projected_overrun: float
    run_out: dt.date | None
    method: str
    as_of: dt.date


def budget_status(
    annual: float,
    budget: Sequence[float],
    actual: Sequence[float | None],
    as_of: dt.date,
    *,
    method: str = "seasonal",
    profile: Sequence[float] | None = None,
    projector: Projector | None = None,
) -> BudgetStatus:
    """Consumption against the budget and the year-end projection by ``method`` (or a given
    ``projector``, e.g. a forecasting model's)."""
    if projector is None:
        if method not in PROJECTORS:
            raise InputError(f"method must be one of {', '.join(PROJECTORS)}", field="method")
        projector = PROJECTORS[method]
    months = [None if m > as_of.month - 1 else actual[m] for m in range(12)]
    projected = projector(months, as_of, profile)
    used = sum(v or 0.0 for v in months)
    year_end = sum(projected)
    return BudgetStatus(
        annual=annual,
        budget=list(budget),
        actual=months,
        projected=projected,
        used=used,
        remaining=annual - used,
        used_share=used / annual if annual > 0 else None,
        year_end=year_end,
        projected_overrun=year_end - annual,
        run_out=run_out_date(annual, projected, as_of.year),
        method=method,
        as_of=as_of,
    )
