"""A projection provider plugs budgets and indicators into the engine: a registered provider's
projection raises one alert naming its explanation, recovers when the projection is back under
its limit; a provider that does not know a key leaves the rule undetermined."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tests.service.test_monitor import PARK, SYSTEM, ZONE, _at, _build
from zeropark.clock import FixedClock
from zeropark.domain.access import Principal
from zeropark.domain.monitoring.rules import Projection
from zeropark.service import alerts
from zeropark.service.database import Database
from zeropark.service.monitor import rules_api
from zeropark.service.monitor.engine import run_pass
from zeropark.service.monitor.providers import provider_names, register_provider

PROJECTED = {"value": 10_450.0}
CALLS: list[tuple[str, ...]] = []


def _budgets(
    db: Database, principal: Principal, park_id: str, keys: Sequence[str], now_s: int
) -> Mapping[str, Projection]:
    CALLS.append(tuple(keys))
    return {
        key: Projection(
            key,
            PROJECTED["value"],
            10_000.0,
            "tCO2",
            f"年末预计 {PROJECTED['value']:,.0f} tCO2",
            f"{PROJECTED['value']:,.0f} tCO2 by year end",
            tenant_id="t_a",
        )
        for key in keys
        if key == "carbon_2024"
    }


def test_a_provider_projection_raises_and_recovers(db: Database) -> None:
    register_provider("test_budget", _budgets)
    PROJECTED["value"] = 10_450.0
    assert "test_budget" in provider_names()
    db.clock = FixedClock(datetime(2024, 9, 6, tzinfo=ZONE))
    _build(db, days=1)
    for ident, key in (("budget_over", "carbon_2024"), ("unknown_key", "energy_2099")):
        rules_api.save_rule(
            db, SYSTEM, PARK,
            {"id": ident, "kind": "projected_exceedance", "target": {"budget": key},
             "params": {"provider": "test_budget", "key": key}, "quiet_period_min": 0},
        )  # fmt: skip
    CALLS.clear()
    first = run_pass(db, SYSTEM, PARK, now_s=_at(1, 0), rule_ids=["budget_over", "unknown_key"])
    assert CALLS == [("carbon_2024", "energy_2099")]  # one call per provider and pass
    assert len(first.raised) == 1
    (alert,) = alerts.list_alerts(db, SYSTEM, PARK, rule_id="budget_over")[0]
    assert alert["tenant_id"] == "t_a" and alert["message_en"] == "10,450 tCO2 by year end"
    assert alert["details"]["limit"] == 10_000.0 and alert["details"]["unit"] == "tCO2"
    PROJECTED["value"] = 9_800.0
    second = run_pass(db, SYSTEM, PARK, now_s=_at(1, 1), rule_ids=["budget_over", "unknown_key"])
    assert second.recovered == [alert["id"]] and second.raised == []
