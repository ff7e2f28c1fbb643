"""Back-evaluation (回溯评估): what the park's rules would have raised over a past period.

Reads the hourly rollups of the meters the rules watch, meter by meter in chunks, evaluates each
rule over the whole period as arrays (:mod:`zeropark.domain.monitoring.series`) and runs the
lifecycle only where something breached. Nothing is written: the answer is the raises and
recoveries per rule (for tuning limits before a rule goes live, and for the benchmark). Kinds
evaluated: threshold, rate of change, profile deviation, estimated share and no data (at hour
resolution, from the rollups' coverage); open quarantine and projections have no history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zeropark.domain.access import Principal
from zeropark.domain.monitoring import series
from zeropark.domain.monitoring.lifecycle import Transition
from zeropark.domain.monitoring.rules import Rule
from zeropark.service.database import Database
from zeropark.service.monitor.engine import QUANTITY_KINDS, _Target, _targets, _watched, hour_start
from zeropark.service.monitor.rules_io import rule_from_row
from zeropark.store import monitoring as store
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

__all__ = ["BackfillResult", "back_evaluate"]

LOOKBACK_DAYS = 42
CHUNK_METERS = 100


@dataclass
class BackfillResult:
    """Events per rule and subject: ``(hour start [UTC epoch s], "raise" | "recover")``."""

    start_s: int
    hours: int
    rules: int = 0
    events: dict[tuple[str, str], list[tuple[int, Transition]]] = field(default_factory=dict)

    @property
    def raised(self) -> int:
        """How many alerts would have been raised."""
        return sum(1 for ev in self.events.values() for _, e in ev if e == "raise")


class _Grid:
    """Dense hourly arrays of the meters read: rate, estimated, quantity, covered."""

    def __init__(self, start_s: int, hours: int) -> None:
        self.start_s, self.hours = start_s, hours
        self.rate: dict[int, np.ndarray] = {}
        self.est: dict[int, np.ndarray] = {}
        self.qty: dict[int, np.ndarray] = {}

    def add(self, rows: Any) -> None:
        """Add rollup rows (ordered by meter key, as the store reads them)."""
        keys, first = np.unique(rows.meter_key, return_index=True)
        bounds = np.r_[first, rows.meter_key.size]
        for j, key in enumerate(keys.tolist()):
            lo, hi = int(bounds[j]), int(bounds[j + 1])
            idx = (rows.hour_s[lo:hi] - self.start_s) // 3600
            ok = (idx >= 0) & (idx < self.hours)
            idx = idx[ok]
            cov = rows.coverage_s[lo:hi][ok].astype(np.float64)
            quantity = rows.quantity[lo:hi][ok]
            rate = np.full(self.hours, np.nan)
            est = np.zeros(self.hours)
            qty = np.zeros(self.hours)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate[idx] = np.where(cov > 0, quantity * 3600.0 / cov, np.nan)
            est[idx], qty[idx] = rows.estimated[lo:hi][ok], quantity
            self.rate[key], self.est[key], self.qty[key] = rate, est, qty

    def target_rate(self, target: _Target) -> np.ndarray:
        nan = np.full(self.hours, np.nan)
        if target.expression is not None:
            arrays = {n: self.rate.get(k, nan) for n, k in target.names.items()}
            return np.asarray(target.expression.evaluate(arrays), np.float64)
        total = np.zeros(self.hours)
        for key, sign in target.keys:
            total = total + sign * self.rate.get(key, nan)
        return total

    def target_sum(self, target: _Target, which: dict[int, np.ndarray]) -> np.ndarray:
        keys = [k for k, _ in target.keys] or list(target.names.values())
        zero = np.zeros(self.hours)
        return np.sum([which.get(k, zero) for k in keys], axis=0) if keys else zero


def back_evaluate(
    db: Database,
    principal: Principal,
    park_id: str,
    lo_s: int,
    hi_s: int,
    *,
    rule_ids: Iterable[str] | None = None,
) -> BackfillResult:
    """What the park's enabled rules (or ``rule_ids``) would have raised in ``[lo_s, hi_s)``."""
    wanted = None if rule_ids is None else set(rule_ids)
    with db.snapshot() as conn:
        require(principal.can_configure(park_id), principal, f"back-evaluate {park_id!r}")
        timezone = ParkRepository(conn, principal).timezone(park_id)
        rows = store.list_rules(conn, principal, park_id, enabled_only=True)
        rules = [
            rule_from_row(r)
            for r in rows
            if (wanted is None or r["id"] in wanted)
            and (r["kind"] in QUANTITY_KINDS or r["kind"] == "no_data")
        ]
        start = hour_start(lo_s, timezone)
        lead = 24 * LOOKBACK_DAYS
        hours = max(0, (hi_s - start + 3599) // 3600)
        grid = _Grid(start - 3600 * lead, hours + lead)
        targets, meters = _targets(conn, principal, park_id, rules)
        keys = sorted(
            {k for tg in targets.values() for k, _ in tg.keys}
            | {k for tg in targets.values() for k in tg.names.values()}
            | {m["key"] for r in rules if r.kind == "no_data" for m in _watched(r, meters)}
        )
        for i in range(0, len(keys), CHUNK_METERS):
            chunk = keys[i : i + CHUNK_METERS]
            grid.add(store.rollups_between(conn, principal, chunk, grid.start_s, hi_s))
    result = BackfillResult(start_s=start, hours=hours, rules=len(rules))
    offsets: dict[int, np.ndarray] = {}
    for rule in rules:
        for subject, raise_, stay in _series(rule, grid, targets, meters, offsets, timezone, lead):
            events = series.transitions(rule, start, raise_[lead:], stay[lead:])
            if events:
                result.events[(rule.id, subject)] = events
    return result


def _series(
    rule: Rule,
    grid: _Grid,
    targets: dict[str, _Target],
    meters: dict[str, dict[str, Any]],
    offsets: dict[int, np.ndarray],
    timezone: str,
    lead: int,
) -> Iterable[tuple[str, np.ndarray, np.ndarray]]:
    if rule.kind == "no_data":
        for m in _watched(rule, meters):
            covered = np.isfinite(grid.rate.get(m["key"], np.full(grid.hours, np.nan)))
            yield (f"meter:{m['id']}", *series.no_data_series(rule, covered))
        return
    target = targets.get(rule.id)
    if target is None:
        return
    subject = f"{rule.target_kind}:{rule.target_id}"
    rate = grid.target_rate(target)
    if rule.kind == "threshold":
        yield (subject, *series.threshold_series(rule, rate))
    elif rule.kind == "rate_of_change":
        yield (subject, *series.rate_of_change_series(rule, rate))
    elif rule.kind == "profile_deviation":
        days = int(rule.param("days"))
        if days not in offsets:
            offsets[days] = series.comparable_offsets(
                grid.start_s, grid.hours, timezone, days=days, lookback_days=LOOKBACK_DAYS
            )
        yield (subject, *series.profile_deviation_series(rule, rate, offsets[days]))
    else:
        est = grid.target_sum(target, grid.est)
        qty = grid.target_sum(target, grid.qty)
        yield (subject, *series.estimated_share_series(rule, est, qty))
