"""Import prices per interval from the park's time-of-use schedule (分时电价).

The banding (which hours are 尖峰/峰/平/谷 in which months) is the domain's one rule,
:func:`zeropark.domain.energy.tariffs.local_periods` over the park file's ``time_of_use``; this
module only attaches prices to the bands, season by season, for the dispatch's
``Grid.import_price_cny_per_kwh``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from zeropark.domain.energy.tariffs import local_periods
from zeropark.domain.park import TimeOfUse
from zeropark.errors import InputError

__all__ = ["tou_price_series"]


def tou_price_series(
    month: npt.ArrayLike,
    hour: npt.ArrayLike,
    schedule: TimeOfUse,
    seasons: Sequence[tuple[Sequence[int], Mapping[str, float]]],
) -> npt.NDArray[np.float64]:
    """Price [CNY/kWh] of each park-local (month 1-12, hour 0-23).

    ``seasons`` lists ``(months, {period: price})``: the prices of the periods (``peak``,
    ``flat``, ``valley``, ``critical_peak``) in those months. An interval whose month the
    schedule or the prices do not cover, or whose period has no price, is an
    :class:`~zeropark.errors.InputError` naming the month and period.
    """
    months = np.asarray(month, dtype=np.int64)
    periods = local_periods(months, hour, schedule)
    table: dict[tuple[int, str], float] = {}
    for season_months, prices in seasons:
        for m in season_months:
            for code, price in prices.items():
                table.setdefault((int(m), code), float(price))
    keys = sorted(set(zip(months.tolist(), periods.tolist(), strict=True)))
    lookup: dict[tuple[int, str], float] = {}
    for m, code in keys:
        if not code:
            raise InputError(
                f"the time-of-use schedule does not cover month {m}", field="time_of_use"
            )
        if (m, code) not in table:
            raise InputError(f"no {code} price for month {m}", field="prices")
        lookup[(m, code)] = table[(m, code)]
    return np.array(
        [lookup[(m, c)] for m, c in zip(months.tolist(), periods.tolist(), strict=True)]
    )
