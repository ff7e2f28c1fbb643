"""A surrender gap warns through the alert engine as the deadline approaches (#14 item 2).

Hand figures: obligation 30,000 t (verified 2024 emissions), allocation 27,000 CEA held, no
CCER: gap 3,000 t. With ``t_chem_2024_30d`` the warning starts 30 days before the deadline
2025-12-31: none on 2025-11-15 (46 days left), one alert on 2025-12-10 (21 days left), and it
recovers once the gap is closed by buying 3,000 CEA.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from tests.api.parkdata import PARK, SYSTEM
from tests.service.test_carbon_assets import EV, ledger_db  # noqa: F401  (the fixture)
from zeropark.domain.ledger import Movement
from zeropark.service import alerts
from zeropark.service.carbon_assets.movements import record_movements
from zeropark.service.carbon_assets.providers import parse_key
from zeropark.service.database import Database
from zeropark.service.monitor import rules_api
from zeropark.service.monitor.engine import run_pass
from zeropark.store import ledger as store


def _s(day: str) -> int:
    return int(datetime.fromisoformat(f"{day}T02:00:00").replace(tzinfo=UTC).timestamp())


def test_keys_name_tenant_year_and_window() -> None:
    assert parse_key("t_glass_works_2024_30d") == ("t_glass_works", 2024, 30)
    assert parse_key("t_chem_2024") is None and parse_key("2024_30d") is None


def test_a_gap_warns_inside_the_window_and_recovers_when_closed(
    ledger_db: Database,  # noqa: F811
) -> None:
    db = ledger_db
    with db.transaction() as conn:
        store.put_obligation(
            conn, SYSTEM, PARK, tenant_id="t_chem", year=2024, sector="cement",
            verified_t=D(30_000), deadline="2025-12-31", evidence="核查报告 2025-017",
        )  # fmt: skip
    record_movements(
        db,
        SYSTEM,
        PARK,
        [Movement("allocation", "CEA:2024", D(27_000), "registry", "t_chem", **EV)],
    )
    rules_api.save_rule(
        db, SYSTEM, PARK,
        {"id": "surrender_gap", "kind": "projected_exceedance", "target": {"tenant": "t_chem"},
         "params": {"provider": "compliance", "key": "t_chem_2024_30d"}, "quiet_period_min": 0},
    )  # fmt: skip
    early = run_pass(db, SYSTEM, PARK, now_s=_s("2025-11-15"), rule_ids=["surrender_gap"])
    assert early.raised == []
    due = run_pass(db, SYSTEM, PARK, now_s=_s("2025-12-10"), rule_ids=["surrender_gap"])
    assert len(due.raised) == 1
    (alert,) = alerts.list_alerts(db, SYSTEM, PARK, rule_id="surrender_gap")[0]
    assert alert["tenant_id"] == "t_chem"
    assert "21 days" in alert["message_en"] and "3000" in alert["message_en"]
    assert "21 天" in alert["message_zh"]
    record_movements(
        db, SYSTEM, PARK,
        [Movement("purchase", "CEA:2024", D(3_000), "market", "t_chem", price_cny=D("90"),
                  counterparty="某电厂", exchange="上海环境能源交易所", **EV)],
    )  # fmt: skip
    closed = run_pass(db, SYSTEM, PARK, now_s=_s("2025-12-11"), rule_ids=["surrender_gap"])
    assert closed.recovered == [alert["id"]]
