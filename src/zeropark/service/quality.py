"""Data quality per meter and park-local period: coverage, estimates, last reading, quarantine.

For every meter the caller may read (a tenant sees only its own) and every day or month of the
window:

- ``coverage``: the share [0-1] of the period that derived intervals cover (from the hourly
  rollups' covered seconds);
- ``estimated_share``: the share [0-1] of the period's quantity flagged estimated (outages spread
  over slots, reset intervals); None when the quantity is zero;
- ``last_seen_s``: the time [UTC epoch s] of the newest reading in the period (None: none);
- ``open_quarantine``: open quarantine records of the meter whose reading falls in the period.

Open records whose raw time cannot be read (``31/12/2024 25:00``) fall in no period: they are
counted per meter in :attr:`QualityReport.unplaced_quarantine`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.errors import InputError
from zeropark.service.database import Database
from zeropark.service.readings_query import IntArray, parse_local_time, period_bounds
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import open_payloads
from zeropark.store.readings import last_reading_times, meter_refs, read_rollups, rollup_span

__all__ = [
    "MeterPeriodQuality",
    "QualityReport",
    "QualitySummary",
    "data_quality",
    "needs_attention",
    "summarise_quality",
]


@dataclass(frozen=True, slots=True)
class MeterPeriodQuality:
    """Quality figures of one meter in one period ``[start_s, end_s)`` [UTC epoch s]."""

    meter_id: str
    start_s: int
    end_s: int
    coverage: float
    estimated_share: float | None
    last_seen_s: int | None
    open_quarantine: int


@dataclass(frozen=True, slots=True)
class QualityReport:
    """The rows of a quality report, and the window and zone they are in."""

    park_id: str
    timezone: str
    period: str
    rows: list[MeterPeriodQuality]
    #: open quarantine records per meter whose time is unreadable (in no period)
    unplaced_quarantine: dict[str, int] = field(default_factory=dict)


def _open_quarantine(
    conn: Connection,
    principal: Principal,
    park_id: str,
    meters: set[str],
    bounds: IntArray,
    timezone: str,
) -> tuple[Counter[tuple[str, int]], Counter[str]]:
    """Open records per (meter id, period index), by the time of the reading they hold.

    A raw time without an offset is park-local (as on import); records whose time cannot be
    read are counted per meter apart (second counter).
    """
    counts: Counter[tuple[str, int]] = Counter()
    unplaced: Counter[str] = Counter()
    for payload in open_payloads(conn, principal, park_id):
        if not isinstance(payload, dict) or payload.get("meter") not in meters:
            continue
        try:
            ts = parse_local_time(str(payload.get("ts")), timezone)
        except (InputError, OverflowError, ValueError):
            unplaced[str(payload["meter"])] += 1
            continue
        slot = int(np.searchsorted(bounds, ts, side="right")) - 1
        if 0 <= slot < bounds.size - 1:
            counts[(str(payload["meter"]), slot)] += 1
    return counts, unplaced


def data_quality(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    start: str | None = None,
    end: str | None = None,
    period: str = "month",
) -> QualityReport:
    """Quality of every visible meter per period; ``start``/``end`` are ISO, park-local.

    Without a window, the span of the stored rollups is used.
    """
    if period not in ("day", "month"):
        raise InputError(f"period must be day or month, not {period!r}", field="period")
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        timezone = repo.get_park(park_id).timezone
        refs = meter_refs(conn, principal, park_id)
        keys = sorted(r.key for r in refs.values())
        window = rollup_span(conn, principal, keys) if keys else None
        lo = parse_local_time(start, timezone) if start else (window or (0, 0))[0]
        hi = parse_local_time(end, timezone) if end else (window or (0, 0))[1]
        if not keys or hi <= lo:
            return QualityReport(park_id, timezone, period, [])
        bounds = period_bounds(lo, hi, timezone, period)
        rollups = read_rollups(conn, principal, keys, int(bounds[0]), int(bounds[-1]))
        last_seen = [
            last_reading_times(conn, principal, keys, int(a), int(b))
            for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
        ]
        held, unplaced = _open_quarantine(conn, principal, park_id, set(refs), bounds, timezone)
    slot = np.searchsorted(bounds, rollups.hour_s, side="right") - 1
    rows = []
    for ref in sorted(refs.values(), key=lambda r: r.id):
        mine = rollups.meter_key == ref.key
        n = bounds.size - 1
        covered = np.bincount(slot[mine], weights=rollups.coverage_s[mine], minlength=n)
        quantity = np.bincount(slot[mine], weights=rollups.quantity[mine], minlength=n)
        estimated = np.bincount(slot[mine], weights=rollups.estimated[mine], minlength=n)
        for i in range(n):
            rows.append(
                MeterPeriodQuality(
                    ref.id,
                    int(bounds[i]),
                    int(bounds[i + 1]),
                    float(covered[i]) / float(bounds[i + 1] - bounds[i]),
                    float(estimated[i] / quantity[i]) if quantity[i] else None,
                    last_seen[i].get(ref.key),
                    held[(ref.id, i)],
                )
            )
    return QualityReport(park_id, timezone, period, rows, dict(sorted(unplaced.items())))


@dataclass(frozen=True, slots=True)
class QualitySummary:
    """A quality report in a few figures (what ``zeropark data quality`` prints first).

    ``coverage`` is the mean of the rows' coverage [0-1] (each meter-period weighs the same);
    ``estimated_share`` the mean over rows that have one [0-1]; ``attention`` the rows that
    :func:`needs_attention` names; ``last_seen_*`` the meters' last readings, the one furthest
    behind and the newest [s UTC].
    """

    meters: int
    periods: int
    rows: int
    coverage: float | None
    lowest: MeterPeriodQuality | None
    estimated_share: float | None
    open_quarantine: int
    attention: int
    meters_with_attention: int
    last_seen_oldest_s: int | None
    last_seen_newest_s: int | None


def needs_attention(row: MeterPeriodQuality, full: float = 0.999) -> bool:
    """Whether a meter-period needs a look: coverage below ``full``, estimated readings or
    open quarantine records."""
    return row.coverage < full or bool(row.estimated_share) or row.open_quarantine > 0


def summarise_quality(report: QualityReport) -> QualitySummary:
    """The :class:`QualitySummary` of ``report`` (no I/O)."""
    rows = report.rows
    shares = [r.estimated_share for r in rows if r.estimated_share is not None]
    newest: dict[str, int] = {}
    for r in rows:
        if r.last_seen_s is not None:
            newest[r.meter_id] = max(newest.get(r.meter_id, r.last_seen_s), r.last_seen_s)
    seen = list(newest.values())
    flagged = [r for r in rows if needs_attention(r)]
    return QualitySummary(
        meters=len({r.meter_id for r in rows}),
        periods=len({r.start_s for r in rows}),
        rows=len(rows),
        coverage=sum(r.coverage for r in rows) / len(rows) if rows else None,
        lowest=min(rows, key=lambda r: r.coverage) if rows else None,
        estimated_share=sum(shares) / len(shares) if shares else None,
        open_quarantine=sum(r.open_quarantine for r in rows)
        + sum(report.unplaced_quarantine.values()),
        attention=len(flagged),
        meters_with_attention=len({r.meter_id for r in flagged}),
        last_seen_oldest_s=min(seen) if seen else None,
        last_seen_newest_s=max(seen) if seen else None,
    )
