"""The ``indicator`` projection provider of the alert-rule engine ("indicator projected to miss
its threshold", 指标预计不达标; ``docs/monitoring.md``, "Projected exceedance").

Keys: an indicator code of the scorecard (``core_carbon_per_energy``, ``clean_energy_share``,
``solid_waste_utilisation`` …), optionally with a tenant (``t_glass:clean_energy_share``) and an
indicator system (``clean_energy_share@hunan_2030``). The projection of a year's indicator is its
value for the year to date (a ratio or an intensity of the year so far is its run-rate value at
year end); the limit is the system's threshold. Indicators without a threshold or a value are
left out. Registered on import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from zeropark.domain.access import Principal
from zeropark.domain.indicators import gap_text
from zeropark.domain.monitoring.rules import Projection
from zeropark.service.database import Database
from zeropark.service.monitor.providers import register_provider
from zeropark.service.scorecard.compute import scorecard

__all__ = ["project_indicators"]


def _parse(key: str) -> tuple[str | None, str, str]:
    tenant, _, rest = key.rpartition(":")
    code, _, system = rest.partition("@")
    return tenant or None, code, system or "national"


def project_indicators(
    db: Database, principal: Principal, park_id: str, keys: Sequence[str], now_s: int
) -> Mapping[str, Projection]:
    """Year-to-date values of the indicators ``keys`` name against their thresholds."""
    groups: dict[tuple[str | None, str], list[tuple[str, str]]] = {}
    for key in keys:
        tenant, code, system = _parse(key)
        groups.setdefault((tenant, system), []).append((key, code))
    out: dict[str, Projection] = {}
    for (tenant, system), wanted in groups.items():
        card = scorecard(db, principal, park_id, "year", tenant_id=tenant, system=system)
        entries = {e.code: e for e in card.entries}
        for key, code in wanted:
            e = entries.get(code)
            if e is None or e.value is None or e.threshold is None:
                continue
            above = e.comparison == "≤"
            pct = e.unit == "%"
            value = f"{e.value:.1%}" if pct else f"{e.value:.3g} {e.unit}"
            limit = f"{e.threshold:.0%}" if pct else f"{e.threshold:.3g} {e.unit}"
            verb_zh = "超过" if above else "低于"
            verb_en = "above" if above else "below"
            gap_zh, gap_en = gap_text(e.gaps, "zh"), gap_text(e.gaps, "en")
            out[key] = Projection(
                key=key,
                projected_value=e.value,
                limit=e.threshold,
                unit=e.unit,
                explanation_zh=(
                    f"{e.label_zh}本年累计 {value}，阈值 {limit}（{verb_zh}为不达标）"
                    + (f"；{gap_zh}" if gap_zh else "")
                ),
                explanation_en=(
                    f"{e.label_en} year to date {value}, threshold {limit} ({verb_en} it fails)"
                    + (f"; {gap_en}" if gap_en else "")
                ),
                direction="above" if above else "below",
                tenant_id=tenant,
                details={"state": e.state, "period": card.figures.period.label},
            )
    return out


register_provider("indicator", project_indicators)
