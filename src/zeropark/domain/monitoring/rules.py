"""Alert rules as data (告警规则), and what evaluating one yields.

A :class:`Rule` watches one *target* (a meter, a virtual meter, a tenant, the park, an indicator
or a budget) with one *kind* of test. Each evaluation of a rule at a time ``at_s`` gives an
:class:`Observation`: breached (``True``), clean (``False``) or undetermined (``None``: not
enough data to say). The lifecycle (:mod:`zeropark.domain.monitoring.lifecycle`) turns the
sequence of observations into alerts and recovery notices with de-duplication, hysteresis and a
quiet period, so a flapping signal raises one alert, not dozens.

Rule kinds and their parameters (``Rule.params``; units in the names):

``threshold`` (绝对阈值)
    The target's mean rate over the latest (possibly partial) park-local hour, in the target's
    unit per hour (kWh/h = kW for electricity), above ``limit`` (``direction="above"``, the
    default) or below it (``"below"``). Hysteresis: clears only when back past
    ``limit ∓ clear_margin`` (``clear_margin``, same unit, default 0).
``rate_of_change`` (变化率)
    The latest hour's rate against the hour before: breached when
    ``|latest − previous| / max(|previous|, min_base) × 100 > max_change_pct``
    (``min_base`` in the target's unit per hour, default 1, keeps near-zero bases from firing).
``profile_deviation`` (偏离同时段典型值)
    The latest hour against the same park-local hour of the ``days`` (default 10) most recent
    comparable days — same day class, working (workday, make-up workday) or closed (weekend,
    holiday) per :mod:`zeropark.domain.energy.calendar` — whose median is the baseline and whose
    median absolute deviation (MAD) the spread: breached when
    ``|x − median| > max(max_deviation_pct/100 × |median|, k_mad × 1.4826 × MAD, min_abs)``.
    Needs ``min_days`` (default 3) comparable days, else undetermined.
``no_data`` (无数据)
    No reading for more than ``minutes`` (on a meter; on a tenant or the park: any of its active
    meters, one observation per meter). This is the former ``silent_meter`` check.
``estimated_share`` (估算占比)
    The share of the target's quantity over the last ``window_hours`` (default 24) that is
    estimated (filled or apportioned, not measured) above ``max_share_pct``.
``open_quarantine`` (隔离待处理)
    Open quarantine records of the target (a tenant or the park) above ``max_records``
    (default 0). The former ``open_quarantine`` check.
``projected_exceedance`` (预计超限)
    A value projected by a :class:`Projection` provider (budgets: 用能/碳预算 projected to
    overrun; indicators: projected to miss their threshold) against its limit. ``params``:
    ``provider`` (registered name, e.g. ``"budget"``, ``"indicator"``), ``key`` (what the
    provider projects, e.g. a budget id or indicator code) and ``margin_pct`` (default 0: fire
    when the projection passes the limit by more than this). The provider states direction,
    unit and explanation; the rule only compares.

Targets: ``meter`` and ``virtual_meter`` (id), ``tenant`` (id; the sum of its counted
consumption meters of ``params.carrier``, default electricity), ``park`` (the park's counted
meters of ``params.carrier``: purchases plus generation minus exports — the park total),
``indicator`` and ``budget`` (ids the projection provider understands).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "DEFAULT_PARAMS",
    "RULE_KINDS",
    "SEVERITIES",
    "TARGET_KINDS",
    "Direction",
    "Observation",
    "Projection",
    "Rule",
    "RuleKind",
    "Severity",
    "TargetKind",
    "rule_problems",
]

RuleKind = Literal[
    "threshold",
    "rate_of_change",
    "profile_deviation",
    "no_data",
    "estimated_share",
    "open_quarantine",
    "projected_exceedance",
]
TargetKind = Literal["meter", "virtual_meter", "tenant", "park", "indicator", "budget"]
Severity = Literal["info", "warning", "critical"]
Direction = Literal["above", "below"]

RULE_KINDS: tuple[str, ...] = get_args(RuleKind)
TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
SEVERITIES: tuple[str, ...] = get_args(Severity)

#: Defaults of each kind's parameters (a rule's own ``params`` override them); required
#: parameters have no default (``None``).
DEFAULT_PARAMS: Mapping[str, Mapping[str, float | str | None]] = {
    "threshold": {"limit": None, "direction": "above", "clear_margin": 0.0, "carrier": ""},
    "rate_of_change": {"max_change_pct": None, "min_base": 1.0, "carrier": ""},
    "profile_deviation": {
        "carrier": "",
        "days": 10.0,
        "min_days": 3.0,
        "max_deviation_pct": 30.0,
        "k_mad": 4.0,
        "min_abs": 1.0,
    },
    "no_data": {"minutes": None},
    "estimated_share": {"max_share_pct": None, "window_hours": 24.0, "carrier": ""},
    "open_quarantine": {"max_records": 0.0},
    "projected_exceedance": {"provider": None, "key": None, "margin_pct": 0.0},
}

#: Which targets each kind accepts.
KIND_TARGETS: Mapping[str, tuple[str, ...]] = {
    "threshold": ("meter", "virtual_meter", "tenant", "park"),
    "rate_of_change": ("meter", "virtual_meter", "tenant", "park"),
    "profile_deviation": ("meter", "virtual_meter", "tenant", "park"),
    "no_data": ("meter", "tenant", "park"),
    "estimated_share": ("meter", "tenant", "park"),
    "open_quarantine": ("tenant", "park"),
    "projected_exceedance": ("indicator", "budget", "tenant", "park"),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule (a row of the park file's ``alert_rules`` section or of the API).

    ``clear_after`` [evaluations]: consecutive clean observations needed to resolve an open
    alert (hysteresis in time; 1 = the first clean one). ``quiet_period_s`` [s]: how long the
    signal must also have stayed clean before the recovery is declared and announced; a breach
    within it keeps the same alert open, silently (the flapping guard). ``channels``: ids of
    the notification channels
    (recipients) told on raise and recovery. ``muted_until_s`` [UTC epoch s]: while muted the
    rule is still evaluated and alerts are recorded, but no notification is sent.
    """

    id: str
    kind: RuleKind
    target_kind: TargetKind
    target_id: str | None
    params: Mapping[str, float | str] = field(default_factory=dict)
    severity: Severity = "warning"
    channels: tuple[str, ...] = ()
    tenant_id: str | None = None
    enabled: bool = True
    muted_until_s: int | None = None
    clear_after: int = 1
    quiet_period_s: int = 3600
    name: str | None = None

    def param(self, name: str) -> float:
        """A numeric parameter, the rule's own or the kind's default."""
        value = self.params.get(name, DEFAULT_PARAMS[self.kind].get(name))
        if value is None:
            raise KeyError(name)
        return float(value)

    def text(self, name: str) -> str:
        """A text parameter, the rule's own or the kind's default."""
        value = self.params.get(name, DEFAULT_PARAMS[self.kind].get(name))
        if value is None:
            raise KeyError(name)
        return str(value)

    def muted(self, at_s: int) -> bool:
        """Whether notifications are held at ``at_s`` [UTC epoch s]."""
        return self.muted_until_s is not None and at_s < self.muted_until_s


@dataclass(frozen=True, slots=True)
class Observation:
    """One evaluation of a rule on one subject at ``at_s`` [UTC epoch s].

    ``subject`` names what breached within the rule's target (``meter:e_main``): a tenant or
    park ``no_data`` rule observes each meter separately, so one rule can hold several
    alerts. ``breached`` None is undetermined (no data to decide), which changes no state.
    ``value``/``limit`` in ``unit``; ``explanation_zh``/``explanation_en`` say why in words.
    """

    subject: str
    at_s: int
    breached: bool | None
    value: float | None = None
    limit: float | None = None
    unit: str = ""
    explanation_zh: str = ""
    explanation_en: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Projection:
    """What a projection provider reports for one key (a budget, an indicator).

    ``projected_value`` and ``limit`` in ``unit`` (e.g. ``"tCO2"``, ``"tce"``, ``"%"``,
    ``"tCO2/tce"``). ``direction`` ``"above"``: exceeding the limit is bad (a budget, an
    intensity cap); ``"below"``: falling short is bad (a renewable-share floor).
    ``explanation_zh``/``explanation_en``: one sentence the alert shows (how it was projected,
    e.g. run-rate and seasonal profile, and when the budget runs out). ``as_of_s`` [UTC epoch s]:
    the data time the projection rests on. ``tenant_id``: whose it is (None: the park's), which
    decides who sees the alert.
    """

    key: str
    projected_value: float
    limit: float
    unit: str
    explanation_zh: str
    explanation_en: str
    direction: Direction = "above"
    as_of_s: int | None = None
    tenant_id: str | None = None
    details: Mapping[str, object] = field(default_factory=dict)

    def exceeds(self, margin_pct: float = 0.0) -> bool:
        """Whether the projection passes its limit by more than ``margin_pct`` [%] of it."""
        slack = abs(self.limit) * margin_pct / 100.0
        if self.direction == "above":
            return self.projected_value > self.limit + slack
        return self.projected_value < self.limit - slack


def rule_problems(rule: Rule) -> list[tuple[str, str, str]]:
    """What is wrong with a rule, as ``(field, reason_zh, reason_en)``; empty when valid."""
    out: list[tuple[str, str, str]] = []
    if rule.kind not in RULE_KINDS:
        return [("kind", f"未知的规则类型 {rule.kind!r}", f"unknown rule kind {rule.kind!r}")]
    if rule.target_kind not in KIND_TARGETS[rule.kind]:
        allowed = ", ".join(KIND_TARGETS[rule.kind])
        out.append(
            (
                "target",
                f"{rule.kind} 规则的对象须为 {allowed}",
                f"a {rule.kind} rule applies to {allowed}",
            )
        )
    if rule.target_kind != "park" and not rule.target_id:
        out.append(("target", "缺少对象编号", "the target needs an id"))
    if rule.severity not in SEVERITIES:
        out.append(
            (
                "severity",
                "严重程度须为 info/warning/critical",
                "severity must be info, warning or critical",
            )
        )
    if rule.clear_after < 1:
        out.append(("clear_after", "clear_after 至少为 1", "clear_after must be at least 1"))
    if rule.quiet_period_s < 0:
        out.append(("quiet_period_s", "静默期不能为负", "the quiet period cannot be negative"))
    defaults = DEFAULT_PARAMS[rule.kind]
    for name in rule.params:
        if name not in defaults:
            out.append(("params", f"未知参数 {name}", f"unknown parameter {name}"))
    for name, default in defaults.items():
        value = rule.params.get(name, default)
        if value is None:
            out.append(("params", f"缺少参数 {name}", f"missing parameter {name}"))
        elif name in ("direction",):
            if value not in ("above", "below"):
                out.append(
                    ("params", "direction 须为 above 或 below", "direction must be above or below")
                )
        elif name == "carrier":
            if not isinstance(value, str):
                out.append(("params", "carrier 须为文本", "carrier must be text"))
        elif name in ("provider", "key"):
            if not isinstance(value, str) or not value:
                out.append(("params", f"{name} 须为文本", f"{name} must be text"))
        else:
            try:
                number = float(value)
            except (TypeError, ValueError):
                out.append(
                    ("params", f"参数 {name} 须为数值", f"parameter {name} must be a number")
                )
                continue
            if not math.isfinite(number) or (name != "limit" and number < 0):
                out.append(
                    (
                        "params",
                        f"参数 {name} 须为非负有限数",
                        f"parameter {name} must be finite and not negative",
                    )
                )
    return out
