"""Derived quantities of one meter over a window: 15-min intervals, hours, days, months.

Nothing here is stored: ``15min`` re-derives the intervals from the raw readings with
:func:`~zeropark.ingest.normalise.normalise_meter` (the same derivation the pipeline uses, with
context readings before and after the window so outages and spikes at its edges are judged the
same way); ``hour``, ``day`` and ``month`` read the stored park-local hourly rollups and sum them
into park-local periods. A virtual meter (park file ``virtual_meters``) is evaluated hour by hour
on its inputs' rollups: an input hour that is absent or only partly covered makes the output hour
missing, never zero. Virtual meters are hourly-only (``15min`` raises :class:`InputError`).

Quantities are in the meter's unit × multiplier (kWh for an electricity meter). Every row carries
its quality flags (``measured``, ``estimated``, ``corrected``, ``manual``, or ``missing``) and its
coverage, the share [0-1] of the period that derived intervals cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.timeseries import (
    HourlyRollup,
    Quality,
    local_hour_bounds,
    parse_expression,
    virtual_meter_hours,
)
from zeropark.errors import InputError, NotFound
from zeropark.i18n import t
from zeropark.ingest.normalise import lookahead_of, normalise_meter
from zeropark.service.cache import VersionedMemo, scope_key
from zeropark.service.database import Database
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import (
    MeterRef,
    meter_refs,
    neighbour_times,
    read_rollups,
    readings_between,
)

__all__ = [
    "INTERVALS",
    "Interval",
    "PeriodRow",
    "ReadingsExport",
    "export_readings",
    "hourly_series",
    "local_iso",
    "parse_local_time",
    "period_bounds",
    "quality_name",
]

Interval = Literal["15min", "hour", "day", "month"]
INTERVALS: tuple[Interval, ...] = ("15min", "hour", "day", "month")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One derived quantity over ``[start_s, end_s)`` [UTC epoch s].

    ``quantity`` is None when nothing covers the period; ``estimated`` is its part flagged
    estimated (same unit); ``coverage`` the covered share of the period [0-1]; ``quality`` the
    flag names joined by ``+`` (``measured`` when none, ``missing`` when no quantity).
    """

    start_s: int
    end_s: int
    quantity: float | None
    estimated: float
    coverage: float
    quality: str


@dataclass(frozen=True, slots=True)
class ReadingsExport:
    """The rows of one meter's export and what they are."""

    park_id: str
    meter_id: str
    unit: str
    interval: Interval
    timezone: str
    virtual: bool
    rows: list[PeriodRow]


@lru_cache(maxsize=64)
def quality_name(bits: int) -> str:
    """``estimated+corrected``-style name of :class:`Quality` bits (``measured`` for none)."""
    names = [flag.name.lower() for flag in Quality if flag and bits & flag and flag.name]
    return "+".join(names) or "measured"


def local_iso(ts_s: int, timezone: str) -> str:
    """ISO 8601 park-local time with its offset (``2024-03-01T08:00:00+08:00``)."""
    return datetime.fromtimestamp(ts_s, ZoneInfo(timezone)).isoformat()


def parse_local_time(text: str, timezone: str) -> int:
    """UTC epoch seconds of an ISO date or time; without an offset it is park-local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{text!r} is not an ISO date or time (2024-03-01 or 2024-03-01T08:00)", field="time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return int(moment.timestamp())


def period_bounds(lo_s: int, hi_s: int, timezone: str, period: str) -> IntArray:
    """Park-local period boundaries [UTC epoch s] from the period holding ``lo_s`` past ``hi_s``.

    ``period`` is ``hour``, ``day`` or ``month``; consecutive entries delimit one period.
    """
    if period == "hour":
        return local_hour_bounds(lo_s, max(hi_s - 1, lo_s), timezone)
    if period not in ("day", "month"):
        raise InputError(f"period must be hour, day or month, not {period!r}", field="period")
    zone = ZoneInfo(timezone)
    first = datetime.fromtimestamp(lo_s, zone)
    day = first.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    if period == "month":
        day = day.replace(day=1)
    bounds = [int(day.replace(tzinfo=zone).timestamp())]
    while bounds[-1] < hi_s:
        if period == "day":
            day = day + timedelta(days=1)
        else:
            day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
        bounds.append(int(day.replace(tzinfo=zone).timestamp()))
    return np.asarray(bounds, np.int64)


def _visible_refs(
    conn: Connection, principal: Principal, park_id: str, wanted: set[str]
) -> dict[str, MeterRef]:
    """The meters of ``wanted`` the caller may read."""
    visible = set(ParkRepository(conn, principal).meter_keys(park_id)) & wanted
    return meter_refs(conn, principal, park_id, visible) if visible else {}


@dataclass(frozen=True, slots=True)
class _Catalogue:
    """What a caller may read of a park's meters: its time zone, virtual meters and meters."""

    timezone: str
    virtual: dict[str, dict[str, object]]
    refs: dict[str, MeterRef]


#: Catalogues by (park, caller scope), valid for one data version: the park file changes only
#: through audited writes, which move the version.
_CATALOGUES: VersionedMemo[_Catalogue] = VersionedMemo(size=256)


def _read_catalogue(
    conn: Connection, principal: Principal, park_id: str, wanted: set[str] | None
) -> _Catalogue:
    """The catalogue as stored (meters limited to ``wanted`` when given)."""
    repo = ParkRepository(conn, principal)
    timezone = repo.get_park(park_id).timezone
    virtual = {v["id"]: v for v in repo.section(park_id, "virtual_meters", park_read=True)}
    if wanted is None:
        refs = meter_refs(conn, principal, park_id)
    else:
        refs = _visible_refs(conn, principal, park_id, wanted)
    return _Catalogue(timezone, virtual, refs)


def _catalogue(
    db: Database, conn: Connection, principal: Principal, park_id: str, meter_id: str
) -> _Catalogue:
    """The caller's catalogue of the park, shared by every caller of the same scope.

    Callers who may not read the park (gateways) read theirs in full each time, narrowed to
    the meter asked for and, for a virtual meter, its inputs.
    """
    if principal.can_read_park(park_id):
        key = (park_id, scope_key(principal))
        return _CATALOGUES.get(
            db, key, lambda: _read_catalogue(conn, principal, park_id, None), conn=conn
        )
    whole = _read_catalogue(conn, principal, park_id, {meter_id})
    if meter_id in whole.virtual:
        names = set(parse_expression(str(whole.virtual[meter_id]["expression"])).names)
        whole = _read_catalogue(conn, principal, park_id, names | {meter_id})
    return whole


def _hour_ends(hours: IntArray, timezone: str) -> IntArray:
    if hours.size == 0:
        return hours.copy()
    bounds = local_hour_bounds(int(hours.min()), int(hours.max()) + 1, timezone)
    return bounds[np.searchsorted(bounds, hours) + 1]


def _rollup(
    conn: Connection, principal: Principal, ref: MeterRef, lo_s: int, hi_s: int, tz: str
) -> HourlyRollup:
    rows = read_rollups(conn, principal, [ref.key], lo_s, hi_s)
    return HourlyRollup(
        rows.hour_s,
        _hour_ends(rows.hour_s, tz),
        rows.quantity,
        rows.estimated,
        rows.coverage_s,
        tz,
    )


def hourly_series(
    conn: Connection,
    principal: Principal,
    refs: dict[str, MeterRef],
    meter_or_expression: str,
    lo_s: int,
    hi_s: int,
    tz: str,
) -> HourlyRollup:
    """Hours starting in ``[lo_s, hi_s)`` of a meter, or of an expression over ``refs``.

    For an expression, a missing or partial input hour gives NaN (the hour is then reported
    missing), and the whole hour counts as estimated when any input hour holds estimates.
    """
    if meter_or_expression in refs:
        return _rollup(conn, principal, refs[meter_or_expression], lo_s, hi_s, tz)
    expression = parse_expression(meter_or_expression)
    unknown = [name for name in expression.names if name not in refs]
    if unknown:
        raise NotFound(f"meter(s) {', '.join(unknown)} of {expression.text!r} not found")
    inputs = {
        name: _rollup(conn, principal, refs[name], lo_s, hi_s, tz) for name in expression.names
    }
    hours, value = virtual_meter_hours(expression, inputs, require_complete=True)
    estimated = np.zeros(hours.size, bool)
    for rollup in inputs.values():
        at = np.searchsorted(hours, rollup.hour_start_s)
        estimated[at[rollup.estimated_quantity > 0]] = True
    ends = _hour_ends(hours, tz)
    present = np.isfinite(value)
    return HourlyRollup(
        hours,
        ends,
        np.where(present, value, np.nan),
        np.where(present & estimated, value, 0.0),
        np.where(present, ends - hours, 0),
        tz,
    )


def _bucket(series: HourlyRollup, bounds: IntArray) -> list[PeriodRow]:
    """Sum hours into the periods ``bounds`` delimits; hours with NaN count as uncovered."""
    present = np.isfinite(series.quantity)
    slot = np.searchsorted(bounds, series.hour_start_s, side="right") - 1
    keep = present & (slot >= 0) & (slot < bounds.size - 1)
    n = bounds.size - 1
    quantity = np.bincount(slot[keep], weights=series.quantity[keep], minlength=n)
    estimated = np.bincount(slot[keep], weights=series.estimated_quantity[keep], minlength=n)
    covered = np.bincount(slot[keep], weights=series.coverage_s[keep], minlength=n)
    seen = np.bincount(slot[keep], minlength=n) > 0
    rows = []
    for i in range(n):
        length = int(bounds[i + 1] - bounds[i])
        flag = "missing"
        if seen[i]:
            flag = quality_name(int(Quality.ESTIMATED) if estimated[i] > 0 else 0)
        rows.append(
            PeriodRow(
                int(bounds[i]),
                int(bounds[i + 1]),
                float(quantity[i]) if seen[i] else None,
                float(estimated[i]),
                min(float(covered[i]) / length, 1.0),
                flag,
            )
        )
    return rows


#: The estimated flag as a plain int: ``int & IntFlag`` goes through enum code, 96 times a day.
_ESTIMATED_BIT = int(Quality.ESTIMATED)


def _intervals(
    conn: Connection, principal: Principal, ref: MeterRef, lo_s: int, hi_s: int
) -> list[PeriodRow]:
    """Re-derived intervals overlapping ``[lo_s, hi_s)``, judged with context around them."""
    context = lookahead_of(ref) + 1
    f_lo, f_hi = neighbour_times(conn, principal, ref, lo_s, hi_s, context)
    ts, value, quality = readings_between(conn, principal, ref, f_lo, f_hi)
    result = normalise_meter(ref, ts, value)
    if ts.size == 0:
        return []
    ending = np.minimum(np.searchsorted(ts, result.end_s, side="left"), ts.size - 1)
    bits = result.quality | quality[ending]
    keep = (result.end_s > lo_s) & (result.start_s < hi_s)
    return [
        PeriodRow(
            int(s),
            int(e),
            float(q),
            float(q) if b & _ESTIMATED_BIT else 0.0,
            1.0,
            quality_name(int(b)),
        )
        for s, e, q, b in zip(
            result.start_s[keep].tolist(),
            result.end_s[keep].tolist(),
            result.quantity[keep].tolist(),
            bits[keep].tolist(),
            strict=True,
        )
    ]


def export_readings(
    db: Database,
    principal: Principal,
    park_id: str,
    meter_id: str,
    start: str,
    end: str,
    interval: str,
) -> ReadingsExport:
    """Derived quantities of a meter (physical or virtual) from ``start`` to ``end``.

    ``start`` and ``end`` (exclusive) are ISO dates or times, park-local unless they carry an
    offset; ``interval`` is one of :data:`INTERVALS`.
    """
    if interval not in INTERVALS:
        raise InputError(f"interval must be one of {', '.join(INTERVALS)}", field="interval")
    step: Interval = interval
    with db.transaction() as conn:
        catalogue = _catalogue(db, conn, principal, park_id, meter_id)
        timezone, virtual, refs = catalogue.timezone, catalogue.virtual, catalogue.refs
        lo_s, hi_s = parse_local_time(start, timezone), parse_local_time(end, timezone)
        if hi_s <= lo_s:
            raise InputError(
                t("结束时间必须晚于开始时间", "the end must be after the start"), field="end"
            )
        if meter_id in refs:
            unit, target = refs[meter_id].unit, meter_id
        elif meter_id in virtual:
            unit, target = str(virtual[meter_id]["unit"]), str(virtual[meter_id]["expression"])
        else:
            raise NotFound(f"meter {meter_id!r} not found in park {park_id!r}")
        if step == "15min":
            if meter_id in virtual:
                raise InputError(
                    t(
                        f"{meter_id} 是虚拟表，只按小时汇总计算；请选择小时、日或月",
                        f"{meter_id} is a virtual meter, evaluated on hourly rollups only; "
                        "choose the interval hour, day or month",
                    ),
                    field="interval",
                )
            rows = _intervals(conn, principal, refs[meter_id], lo_s, hi_s)
        else:
            bounds = period_bounds(lo_s, hi_s, timezone, step)
            lo, hi = int(bounds[0]), int(bounds[-1])
            series = hourly_series(conn, principal, refs, target, lo, hi, timezone)
            rows = _bucket(series, bounds)
    return ReadingsExport(park_id, meter_id, unit, step, timezone, meter_id in virtual, rows)
