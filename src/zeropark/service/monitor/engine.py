"""One pass of the monitor: evaluate a park's enabled rules at ``now_s``, move the lifecycle,
raise and recover alerts, queue notifications — one transaction.

What a pass reads (docs/monitoring.md): the hourly rollups of the meters the quantity rules
need at a handful of hours (the latest park-local hour, the one before, the same hour of the
comparable days, the estimated-share window) in one query; the newest reading time of the
meters ``no_data`` rules watch (a bounded query, then one indexed look-up per silent meter);
open quarantine counts; and one call per projection provider. Then each rule is evaluated by
the pure functions of :mod:`zeropark.domain.monitoring.evaluate` and each observation steps the
lifecycle (:mod:`zeropark.domain.monitoring.lifecycle`). Only changed states are written.

Notifications are queued here and sent by :func:`zeropark.service.monitor.deliveries.deliver_due`
after the pass committed, so a slow receiver never holds the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection

from zeropark.domain.access import Principal
from zeropark.domain.carriers import CARRIERS
from zeropark.domain.monitoring import evaluate as ev
from zeropark.domain.monitoring.lifecycle import SubjectState, step
from zeropark.domain.monitoring.rules import Observation, Projection, Rule
from zeropark.domain.timeseries.expression import parse_expression
from zeropark.domain.timeseries.localtime import utc_offsets_s
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.monitor.providers import get_provider
from zeropark.service.monitor.rules_io import ensure_builtin_rules, rule_from_row
from zeropark.service.park_views import counted_meters
from zeropark.store import alerts as alert_store
from zeropark.store import audit
from zeropark.store import monitoring as store
from zeropark.store.engine import clock_of
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import open_by_tenant
from zeropark.store.readings import last_reading_times
from zeropark.store.scope import require

__all__ = ["CARRIER_METER", "PassResult", "hour_start", "meter_kind_names", "run_pass"]

#: The alert kind of a rule kind where it differs (the data-quality alerts keep their names).
ALERT_KINDS = {"no_data": "silent_meter"}
QUANTITY_KINDS = ("threshold", "rate_of_change", "profile_deviation", "estimated_share")
DEFAULT_CARRIER = "electricity"


@dataclass
class PassResult:
    """What a pass did: rules evaluated, observations, alerts raised and recovered (ids),
    deliveries queued."""

    at_s: int
    rules: int = 0
    observations: int = 0
    raised: list[int] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)
    queued: int = 0


def hour_start(ts_s: int, timezone: str) -> int:
    """The start [UTC epoch s] of the park-local hour holding ``ts_s``."""
    offset = int(utc_offsets_s([ts_s], timezone)[0])
    return (ts_s + offset) // 3600 * 3600 - offset


@dataclass
class _Target:
    """A quantity target: meter keys with signs (or a virtual meter's expression over ids)."""

    unit: str
    keys: list[tuple[int, float]]
    owner: str | None
    expression: Any = None
    names: dict[str, int] = field(default_factory=dict)


class _Data:
    """The rollups a pass read, by (meter key, hour): (quantity, estimated, coverage_s)."""

    def __init__(self, rows: Any) -> None:
        self.cells: dict[tuple[int, int], tuple[float, float, int]] = {}
        for k, h, q, e, c in zip(
            rows.meter_key.tolist(),
            rows.hour_s.tolist(),
            rows.quantity.tolist(),
            rows.estimated.tolist(),
            rows.coverage_s.tolist(),
            strict=True,
        ):
            self.cells[(k, h)] = (q, e, c)

    def meter_rate(self, key: int, hour: int) -> float | None:
        cell = self.cells.get((key, hour))
        return None if cell is None else ev.hour_rate(cell[0], cell[2])

    def rate(self, target: _Target, hour: int) -> float | None:
        if target.expression is not None:
            values = {n: self.meter_rate(k, hour) for n, k in target.names.items()}
            if any(v is None for v in values.values()):
                return None
            arrays = {n: np.array([v], dtype=np.float64) for n, v in values.items()}
            out = float(target.expression.evaluate(arrays)[0])
            return out if np.isfinite(out) else None
        total = 0.0
        for key, sign in target.keys:
            rate = self.meter_rate(key, hour)
            if rate is None:
                return None
            total += sign * rate
        return total if target.keys else None

    def window(self, target: _Target, hours: Iterable[int]) -> tuple[float, float]:
        keys = [k for k, _ in target.keys] or list(target.names.values())
        est = qty = 0.0
        for key in keys:
            for hour in hours:
                cell = self.cells.get((key, hour))
                if cell is not None:
                    qty += abs(cell[0])
                    est += abs(cell[1])
        return est, qty


def _targets(
    conn: Connection, principal: Principal, park_id: str, rules: Sequence[Rule]
) -> tuple[dict[str, _Target], dict[str, dict[str, Any]]]:
    """The quantity target of each quantity rule (by rule id) and the meters by id."""
    meters = {m["id"]: m for m in store.meter_rows(conn, principal, park_id)}
    out: dict[str, _Target] = {}
    wanted = [r for r in rules if r.kind in QUANTITY_KINDS]
    if not wanted:
        return out, meters
    repo = ParkRepository(conn, principal)
    specs: dict[str, dict[str, Any]] | None = None
    virtuals: dict[str, dict[str, Any]] | None = None
    for rule in wanted:
        carrier = str(rule.params.get("carrier") or DEFAULT_CARRIER)
        if rule.target_kind == "meter":
            m = meters.get(rule.target_id or "")
            if m is not None:
                out[rule.id] = _Target(m["unit"], [(m["key"], 1.0)], m["tenant_id"])
        elif rule.target_kind == "virtual_meter":
            if virtuals is None:
                virtuals = {v["id"]: v for v in repo.section(park_id, "virtual_meters")}
            v = virtuals.get(rule.target_id or "")
            if v is not None:
                expr = parse_expression(str(v["expression"]))
                names = {n: meters[n]["key"] for n in expr.names if n in meters}
                if len(names) == len(expr.names):
                    out[rule.id] = _Target(str(v.get("unit", "")), [], v.get("tenant"), expr, names)
        else:
            if specs is None:
                specs = {s["id"]: s for s in repo.section(park_id, "meters")}
            if rule.target_kind == "tenant":
                chosen = [
                    (m, sign)
                    for m, group, sign in counted_meters(specs, "tenant")
                    if group == rule.target_id and m.get("carrier") == carrier
                ]
            else:
                chosen = [
                    (m, sign)
                    for m, group, sign in counted_meters(specs, "carrier")
                    if group == carrier
                ]
            keys = [(meters[m["id"]]["key"], sign) for m, sign in chosen if m["id"] in meters]
            if keys:
                unit = str(chosen[0][0].get("unit", ""))
                owner = rule.target_id if rule.target_kind == "tenant" else None
                out[rule.id] = _Target(unit, keys, owner)
    return out, meters


def _projections(
    db: Database, principal: Principal, park_id: str, rules: Sequence[Rule], now_s: int
) -> dict[tuple[str, str], Projection]:
    by_provider: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        if rule.kind == "projected_exceedance":
            by_provider[rule.text("provider")].add(rule.text("key"))
    out: dict[tuple[str, str], Projection] = {}
    for name, keys in by_provider.items():
        provider = get_provider(name)
        if provider is None:
            continue
        for key, projection in provider(db, principal, park_id, sorted(keys), now_s).items():
            out[(name, key)] = projection
    return out


def _observe(
    conn: Connection,
    principal: Principal,
    park_id: str,
    timezone: str,
    rules: Sequence[Rule],
    now_s: int,
    states: Mapping[tuple[str, str], Mapping[str, Any]],
    projections: Mapping[tuple[str, str], Projection],
) -> list[tuple[Rule, Observation, str | None, str | None]]:
    """Every observation of the pass with its owner tenant and meter."""
    targets, meters = _targets(conn, principal, park_id, rules)
    hour = hour_start(now_s, timezone)
    need_profile = any(r.kind == "profile_deviation" for r in rules)
    days = max((int(r.param("days")) for r in rules if r.kind == "profile_deviation"), default=0)
    reference = ev.comparable_hours(hour, timezone, days=days) if need_profile else []
    window = max(
        (int(r.param("window_hours")) for r in rules if r.kind == "estimated_share"), default=0
    )
    hours = {hour, hour - 3600, *reference, *(hour - 3600 * i for i in range(window))}
    keys = sorted(
        {k for tg in targets.values() for k, _ in tg.keys}
        | {k for tg in targets.values() for k in tg.names.values()}
    )
    data = _Data(store.rollups_at_hours(conn, principal, keys, sorted(hours)))
    out: list[tuple[Rule, Observation, str | None, str | None]] = []
    last_seen = _last_seen(conn, principal, rules, meters, now_s)
    quarantine = (
        open_by_tenant(conn, principal, park_id)
        if any(r.kind == "open_quarantine" for r in rules)
        else {}
    )
    for rule in rules:
        owner = rule.tenant_id
        if rule.kind in QUANTITY_KINDS:
            target = targets.get(rule.id)
            if target is None:
                continue
            owner = owner or target.owner
            meter_id = rule.target_id if rule.target_kind == "meter" else None
            subject = f"{rule.target_kind}:{rule.target_id or park_id}"
            rate = data.rate(target, hour)
            if rule.kind == "threshold":
                is_open = bool(states.get((rule.id, subject), {}).get("alert_open"))
                obs = ev.threshold(rule, subject, now_s, rate, target.unit, is_open=is_open)
            elif rule.kind == "rate_of_change":
                prev = data.rate(target, hour - 3600)
                obs = ev.rate_of_change(rule, subject, now_s, rate, prev, target.unit)
            elif rule.kind == "profile_deviation":
                ref_hours = reference[: int(rule.param("days"))]
                refs = [data.rate(target, h) for h in ref_hours]
                values = [np.nan if r is None else r for r in refs]
                obs = ev.profile_deviation(rule, subject, now_s, rate, values, target.unit)
            else:
                span = [hour - 3600 * i for i in range(int(rule.param("window_hours")))]
                est, qty = data.window(target, span)
                obs = ev.estimated_share(rule, subject, now_s, est, qty)
            out.append((rule, obs, owner, meter_id))
        elif rule.kind == "no_data":
            for m in _watched(rule, meters):
                limit_min = max(rule.param("minutes"), 3 * (m["interval_s"] or 0) / 60.0)
                scaled = Rule(**{**_fields(rule), "params": {"minutes": limit_min}})
                obs = ev.no_data(scaled, f"meter:{m['id']}", now_s, last_seen.get(m["key"]), None)
                obs = _named_no_data(obs, m)
                out.append((rule, obs, m["tenant_id"], m["id"]))
        elif rule.kind == "open_quarantine":
            if rule.target_kind == "tenant":
                groups = {rule.target_id: quarantine.get(rule.target_id, 0)}
            else:
                groups = {k: v for k, v in quarantine.items()}
                for (rid, subject), st in states.items():
                    if rid == rule.id and st.get("alert_open"):
                        held = subject.split(":", 1)[1]
                        groups.setdefault(None if held == park_id else held, 0)
            for tenant, count in groups.items():
                obs = ev.open_quarantine(rule, f"tenant:{tenant or park_id}", now_s, count)
                out.append((rule, obs, tenant, None))
        elif rule.kind == "projected_exceedance":
            proj = projections.get((rule.text("provider"), rule.text("key")))
            obs = ev.projected_exceedance(rule, f"{rule.target_kind}:{rule.target_id}", now_s, proj)
            out.append((rule, obs, owner or (proj.tenant_id if proj else None), None))
    return out


def _fields(rule: Rule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in Rule.__slots__}


#: How a meter of each carrier is called (a water meter is not an electricity meter: issue #11).
CARRIER_METER = {
    "electricity": ("电表", "electricity"),
    "water": ("水表", "water"),
    "natural_gas": ("燃气表", "gas"),
    "heat": ("热量表", "heat"),
    "steam": ("蒸汽表", "steam"),
    "cooling": ("冷量表", "cooling"),
}


def meter_kind_names(carrier: str) -> tuple[str, str]:
    """How a meter of ``carrier`` is called in Chinese and English (水表 / water)."""
    if carrier in CARRIER_METER:
        return CARRIER_METER[carrier]
    known = CARRIERS.get(carrier)
    return (f"{known.name_zh}表", known.name_en) if known else ("表计", carrier)


def _named_no_data(obs: Observation, meter: Mapping[str, Any]) -> Observation:
    """Name the meter and its carrier in a ``no_data`` observation."""
    zh, en = meter_kind_names(str(meter["carrier"]))
    minutes = int(obs.limit or 0)
    return Observation(
        obs.subject,
        obs.at_s,
        obs.breached,
        obs.value,
        obs.limit,
        obs.unit,
        f"表计 {meter['id']}（{zh}）超过 {minutes} 分钟无数据",
        f"meter {meter['id']} ({en}) silent for over {minutes} min",
        {**obs.details, "meter_id": meter["id"], "carrier": meter["carrier"]},
    )


def _watched(rule: Rule, meters: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The active meters a ``no_data`` rule watches (its meter, its tenant's, the park's)."""
    if rule.target_kind == "meter":
        m = meters.get(rule.target_id or "")
        return [m] if m is not None and m["active"] else []
    if rule.target_kind == "tenant":
        return [m for m in meters.values() if m["active"] and m["tenant_id"] == rule.target_id]
    return [m for m in meters.values() if m["active"]]


def _last_seen(
    conn: Connection,
    principal: Principal,
    rules: Sequence[Rule],
    meters: Mapping[str, Mapping[str, Any]],
    now_s: int,
) -> dict[int, int]:
    watched = {m["key"]: m for r in rules if r.kind == "no_data" for m in _watched(r, meters)}
    if not watched:
        return {}
    lookback = max(
        max(r.param("minutes") * 60 for r in rules if r.kind == "no_data"),
        max(3 * (m["interval_s"] or 0) for m in watched.values()),
    )
    seen = last_reading_times(conn, principal, sorted(watched), lo_s=int(now_s - lookback - 1))
    for key in sorted(set(watched) - set(seen)):
        seen.update(last_reading_times(conn, principal, [key], hi_s=now_s + 1))
    return seen


def _state(row: Mapping[str, Any] | None) -> SubjectState:
    if row is None:
        return SubjectState()
    return SubjectState(
        alert_open=bool(row["alert_open"]),
        clean_streak=int(row["clean_streak"]),
        recovered_at_s=row["recovered_at_s"],
        clean_since_s=row["clean_since_s"],
    )


def _details(obs: Observation) -> dict[str, Any]:
    return {
        "subject": obs.subject,
        "value": obs.value,
        "limit": obs.limit,
        "unit": obs.unit,
        "explanation_zh": obs.explanation_zh,
        "explanation_en": obs.explanation_en,
        "observed_at_s": obs.at_s,
        **{k: v for k, v in obs.details.items() if isinstance(v, (int, float, str, type(None)))},
    }


def run_pass(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    now_s: int | None = None,
    rule_ids: Iterable[str] | None = None,
    params: Mapping[str, Mapping[str, float]] | None = None,
) -> PassResult:
    """Evaluate the park's enabled rules (or only ``rule_ids``) at ``now_s`` [UTC epoch s]
    (default: the database's clock); raise, recover and queue notifications.

    ``params``: parameters overriding the stored ones for this pass, by rule id (the
    data-quality check's ``silent_after_s``).
    """
    now_s = int(db.clock.now_s()) if now_s is None else int(now_s)
    with db.transaction() as conn:
        require(principal.can_configure(park_id), principal, f"run the monitor of {park_id!r}")
        ensure_builtin_rules(conn, principal, park_id, now_s)
        rows = store.list_rules(conn, principal, park_id, enabled_only=True)
    wanted = None if rule_ids is None else set(rule_ids)
    rules = [rule_from_row(r) for r in rows if wanted is None or r["id"] in wanted]
    if params:
        rules = [
            Rule(**{**_fields(r), "params": {**r.params, **params[r.id]}}) if r.id in params else r
            for r in rules
        ]
    projections = _projections(db, principal, park_id, rules, now_s)
    result = PassResult(at_s=now_s, rules=len(rules))
    with db.transaction() as conn:
        timezone = ParkRepository(conn, principal).timezone(park_id)
        states = store.load_states(conn, principal, park_id)
        observations = _observe(
            conn, principal, park_id, timezone, rules, now_s, states, projections
        )
        result.observations = len(observations)
        active = {a["id"]: a for a in alert_store.active_alerts(conn, principal, park_id).values()}
        changed: list[dict[str, Any]] = []
        for rule, obs, tenant, meter in observations:
            row = states.get((rule.id, obs.subject))
            state = _state(row)
            alert_id = None if row is None else row["alert_id"]
            if state.alert_open and alert_id not in active:
                # Resolved by hand: a person closed it; if the condition holds, raise anew.
                state = SubjectState()
                alert_id = None
            new, transition = step(state, obs, rule)
            if transition == "raise":
                alert_id = _raise(conn, principal, park_id, rule, obs, tenant, meter, now_s)
                result.raised.append(alert_id)
                result.queued += _queue(
                    conn, principal, park_id, rule, alert_id, tenant, "raised", now_s
                )
            elif transition == "recover" and alert_id is not None:
                _recover(conn, principal, park_id, alert_id, obs)
                result.recovered.append(alert_id)
                result.queued += _queue(
                    conn, principal, park_id, rule, alert_id, tenant, "recovered", now_s
                )
                alert_id = None
            if new != state or row is None or transition is not None:
                changed.append(
                    {
                        "rule_id": rule.id,
                        "subject": obs.subject,
                        "alert_open": new.alert_open,
                        "clean_streak": new.clean_streak,
                        "recovered_at_s": new.recovered_at_s,
                        "clean_since_s": new.clean_since_s,
                        "alert_id": alert_id if new.alert_open else None,
                        "evaluated_s": now_s,
                    }
                )
        store.save_states(conn, principal, park_id, changed)
    return result


def _raise(
    conn: Connection,
    principal: Principal,
    park_id: str,
    rule: Rule,
    obs: Observation,
    tenant: str | None,
    meter: str | None,
    now_s: int,
) -> int:
    details = _details(obs)
    alert_id = alert_store.insert_alert(
        conn,
        principal,
        park_id,
        kind=ALERT_KINDS.get(rule.kind, rule.kind),
        subject=f"{rule.id}:{obs.subject}",
        severity=rule.severity,
        tenant_id=tenant,
        meter_id=meter,
        message=obs.explanation_en,
        details=details,
        rule_id=rule.id,
    )
    audit.append(
        conn,
        actor=principal.subject,
        action="alert.raise",
        park_id=park_id,
        entity=f"alert:{alert_id}",
        payload={"id": alert_id, "rule": rule.id, "subject": obs.subject, "value": obs.value},
    )
    return alert_id


def _recover(
    conn: Connection, principal: Principal, park_id: str, alert_id: int, obs: Observation
) -> None:
    alert_store.set_alert_status(
        conn,
        principal,
        park_id,
        alert_id,
        "resolved",
        resolved_at=clock_of(conn).now(),
        resolved_by="monitor",
        note=t("条件已解除", "condition cleared"),
    )
    audit.append(
        conn,
        actor=principal.subject,
        action="alert.recover",
        park_id=park_id,
        entity=f"alert:{alert_id}",
        payload={"id": alert_id, "subject": obs.subject, "value": obs.value},
    )


def _queue(
    conn: Connection,
    principal: Principal,
    park_id: str,
    rule: Rule,
    alert_id: int,
    tenant: str | None,
    event: str,
    now_s: int,
) -> int:
    if rule.muted(now_s) or not rule.channels:
        return 0
    rows = [
        {
            "alert_id": alert_id,
            "tenant_id": tenant,
            "channel_id": channel,
            "event": event,
            "status": "pending",
            "attempts": 0,
            "next_attempt_s": now_s,
            "created_s": now_s,
        }
        for channel in rule.channels
    ]
    store.insert_deliveries(conn, principal, park_id, rows)
    return len(rows)
