"""Time-of-use banding (分时时段): which period (尖峰/峰/平/谷) each hour falls in.

A park's schedule (:class:`~zeropark.domain.park.TimeOfUse`, the park file's
``park.time_of_use``) names the park-local hours of each period per group of months; ``flat``
is every hour the others leave. These functions are pure: they map UTC hour starts to period
codes through the park's timezone and never guess — an hour in a month the schedule does not
cover maps to ``None`` (``""`` in the array form, :func:`local_periods`). The schedule's
validity (each hour once, each month at most once) is checked by
:mod:`zeropark.domain.park_rules`; these functions assume a valid schedule.

The prices of the bands (the park file's ``park.tariffs.electricity``,
:class:`~zeropark.domain.billing.tariff_spec.ElectricityTariff`) are read by
:func:`season_prices`; :func:`band_cost` prices energy per band. Money is :class:`~decimal.Decimal`
rounded to the fen (0.01 CNY) per line, half up, as a bill prints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from zeropark.domain.billing.tariff_spec import ElectricityTariff
from zeropark.domain.park import TOU_PERIODS, TimeOfUse, TouSeason
from zeropark.errors import InputError

__all__ = [
    "FEN",
    "TOU_PERIODS",
    "band_cost",
    "day_periods",
    "local_periods",
    "money",
    "month_table",
    "season_prices",
    "tou_periods",
]

#: One fen (分), the smallest amount a bill prints [CNY].
FEN = Decimal("0.01")

_HOURS = 24


def day_periods(season: TouSeason) -> tuple[str | None, ...]:
    """The period code of each park-local hour 0-23 of a day in ``season``.

    Hours named by no period are ``flat`` when ``flat`` is implicit; when ``flat`` is listed
    they are ``None`` (a rule violation, reported by the park rules).
    """
    day: list[str | None] = [None] * _HOURS
    named = {
        "critical_peak": season.critical_peak,
        "peak": season.peak,
        "valley": season.valley,
        "flat": season.flat or [],
    }
    for code, ranges in named.items():
        for start, end in _ranges(ranges):
            for hour in range(start, end):
                if day[hour] is None:
                    day[hour] = code
    if season.flat is None:
        day = [code or "flat" for code in day]
    return tuple(day)


def _ranges(ranges: Iterable[Sequence[int]]) -> Iterable[tuple[int, int]]:
    for r in ranges:
        if len(r) == 2:
            yield max(0, int(r[0])), min(_HOURS, int(r[1]))


def month_table(schedule: TimeOfUse) -> dict[int, tuple[str | None, ...]]:
    """Month (1-12) → the period code of each hour 0-23; months no season covers are absent."""
    table: dict[int, tuple[str | None, ...]] = {}
    for season in schedule.periods:
        day = day_periods(season)
        for month in season.months:
            table.setdefault(month, day)
    return table


def local_periods(
    month: npt.ArrayLike, hour: npt.ArrayLike, schedule: TimeOfUse
) -> npt.NDArray[np.str_]:
    """The period code of each park-local (month 1-12, hour 0-23), element-wise.

    ``""`` where the schedule does not cover the month. The array form of :func:`tou_periods`
    for callers that already hold park-local clocks (the demo's 15-minute grid, a forecast).
    """
    table = month_table(schedule)
    width = max((len(code) for code in TOU_PERIODS), default=1)
    lookup = np.full((13, _HOURS), "", dtype=f"<U{width}")
    for m, day in table.items():
        if 1 <= m <= 12:
            lookup[m] = [code or "" for code in day]
    months = np.asarray(month, dtype=np.int64)
    hours = np.asarray(hour, dtype=np.int64)
    if months.size and (months.min() < 1 or months.max() > 12):
        raise InputError("months are 1-12", field="month")
    if hours.size and (hours.min() < 0 or hours.max() >= _HOURS):
        raise InputError("hours are 0-23", field="hour")
    codes: npt.NDArray[np.str_] = lookup[months, hours]
    return codes


def tou_periods(
    hour_starts_s: Sequence[int] | np.ndarray, timezone: str, schedule: TimeOfUse
) -> list[str | None]:
    """The period code of each hour starting at ``hour_starts_s`` [UTC epoch s].

    The hour is placed by its park-local start (month and hour of ``timezone``); an hour in a
    month the schedule does not cover is ``None``.
    """
    zone = ZoneInfo(timezone)
    starts = np.asarray(hour_starts_s, dtype=np.int64)
    unique, inverse = np.unique(starts, return_inverse=True)
    clocks = [datetime.fromtimestamp(ts, UTC).astimezone(zone) for ts in unique.tolist()]
    found = local_periods([c.month for c in clocks], [c.hour for c in clocks], schedule).tolist()
    codes: list[str | None] = [code or None for code in found]
    return [codes[i] for i in inverse.reshape(-1).tolist()]


def money(value: float | Decimal) -> Decimal:
    """``value`` [CNY] rounded half up to the fen (0.01 CNY)."""
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def season_prices(tariff: ElectricityTariff, month: int) -> dict[str, float] | None:
    """The band prices [CNY/kWh, excl. VAT] of park-local ``month`` (1-12); None when no
    season of the tariff lists the month (never guessed)."""
    for season in tariff.seasons:
        if month in season.months:
            return dict(season.prices_cny_per_kwh)
    return None


def band_cost(
    kwh_by_band: Mapping[str, float], prices_cny_per_kwh: Mapping[str, float]
) -> dict[str, Decimal]:
    """Energy charge per band [CNY]: kWh × price, each rounded to the fen.

    Raises :class:`InputError` for energy in a band that has no price.
    """
    out: dict[str, Decimal] = {}
    for band, kwh in kwh_by_band.items():
        if band not in prices_cny_per_kwh:
            if kwh == 0:
                continue
            raise InputError(f"no price for band {band!r}", field="prices_cny_per_kwh")
        out[band] = money(Decimal(str(kwh)) * Decimal(str(prices_cny_per_kwh[band])))
    return out
