"""Day-ahead plans and replays on the demo park (one year of data, its tariff and battery).

What is checked:
- a plan is made from forecasts of the history before its day, stored as the next version
  (the previous superseded), sealed: ``zeropark verify`` stays clean, and names a plan whose
  schedule was changed behind the system's back;
- a replay reconciles: each strategy's settlement equals the prices applied by hand to its
  hourly imports, and ``baseline − strategy = saving`` to the fen;
- what the batteries run respects their limits, and the forecast plans under the peak guard
  never set a monthly peak above the perfect-foresight plans' by more than the forecast error
  allows (here: not above the no-dispatch baseline's);
- the plan goes out: its schedule reaches the real Mosquitto and the delivery is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from tests.conftest import demo_copy, need_service
from zeropark.domain.access import Principal
from zeropark.service.audit_verify import verify_database
from zeropark.service.database import Database
from zeropark.service.dispatch.forecasters import BacktestedForecaster
from zeropark.service.dispatch.plan import plan_day
from zeropark.service.dispatch.publish import publish_plan
from zeropark.service.dispatch.replay import STRATEGIES, replay
from zeropark.service.dispatch.site import grid_prices
from zeropark.service.dispatch.views import plan_view
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test")
PARK = "demo"
DAY = date(2024, 6, 4)


def default_forecaster() -> BacktestedForecaster:
    """The product's forecaster with fewer backtest origins (the same path, less CPU in CI)."""
    return BacktestedForecaster(n_origins=3)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Database]:
    database = demo_copy(demo_template, tmp_path_factory.mktemp("dispatch"))
    yield database
    database.dispose()


def test_a_plan_is_versioned_sealed_and_verified(demo: Database) -> None:
    first = plan_day(demo, SYSTEM, PARK, DAY, default_forecaster(), demo.clock)
    second = plan_day(demo, SYSTEM, PARK, DAY, default_forecaster(), demo.clock)
    assert (first.version, second.version) == (1, 2)
    view = plan_view(demo, SYSTEM, PARK, DAY)
    assert view["version"] == 2 and len(view["hours"]) == 24
    assert view["hours"][0] == "2024-06-04T00:00:00+08:00"
    setpoint = np.array(view["schedules"]["setpoint_kw:bess"])
    assert np.abs(setpoint).max() <= 2000.0 + 1e-6  # the demo battery's 2 MW
    soc = np.array(view["schedules"]["soc_kwh:bess"])
    assert soc.min() >= 0.1 * 4000 - 1e-6 and soc.max() <= 0.95 * 4000 + 1e-6
    # The measured balance of the day sits beside the plan (the page's forecast vs actual).
    assert all(v is not None for v in view["actual"]["demand_kw"])
    assert first.kpis["cost_saved_cny"] > 0
    assert verify_database(demo, SYSTEM).ok

    with demo.engine.begin() as conn:
        conn.execute(
            text("UPDATE dispatch_plans SET schedules = :s WHERE id = :i"),
            {"s": '{"setpoint_kw:bess": [0]}', "i": second.id},
        )
    report = verify_database(demo, SYSTEM)
    assert not report.ok
    named = [m for m in report.failures if "dispatch_plans" in str(m.reason) + str(m.key)]
    assert named, report.as_dict()["failures"]
    with demo.engine.begin() as conn:  # put it back for the other tests
        conn.execute(
            text("UPDATE dispatch_plans SET superseded = 1 WHERE id = :i"), {"i": second.id}
        )


def _fen(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_replay_reconciles_to_the_fen(demo: Database) -> None:
    report = replay(demo, SYSTEM, PARK, date(2024, 3, 4), date(2024, 3, 8), default_forecaster())
    assert [d.day for d in report.days] == [4, 5, 6, 7, 8] and not report.skipped
    with demo.transaction() as conn:
        spec = ParkRepository(conn, SYSTEM).export(PARK)
    prices, _labels, demand_charge = grid_prices(spec, report.hours_s)
    for name in STRATEGIES:
        settled = report.settlements[name]
        imports = report.import_kw[name]
        assert settled.energy_cny == _fen(float(np.sum(imports * prices)))
        assert settled.demand_charge_cny == _fen(float(imports.max()) * demand_charge)
        assert report.saving_cny(name) == (
            report.settlements["baseline"].total_cny - settled.total_cny
        )
    # The plans and the perfect-foresight bound save money; under the peak guard the forecast
    # plans set no monthly peak above the no-dispatch baseline's.
    assert report.saving_cny("perfect") > 0 and report.saving_cny("optimised") > 0
    assert report.import_kw["optimised"].max() <= report.import_kw["baseline"].max() + 1e-6
    capture = report.capture()
    assert capture is not None and 0 < capture <= 1.0 + 1e-9


def test_days_without_complete_data_are_named_not_filled(demo: Database) -> None:
    report = replay(demo, SYSTEM, PARK, date(2024, 12, 30), date(2025, 1, 2), default_forecaster())
    assert [d.isoformat() for d in report.days] == ["2024-12-30", "2024-12-31"]
    assert [d.isoformat() for d, _reason in report.skipped] == ["2025-01-01", "2025-01-02"]


@pytest.mark.requires_mqtt
def test_the_plan_goes_out_and_its_delivery_is_recorded(demo: Database) -> None:
    need_service("Mosquitto", "127.0.0.1", 1883)
    plan_day(demo, SYSTEM, PARK, date(2024, 6, 5), default_forecaster(), demo.clock)
    deliveries = publish_plan(
        demo, SYSTEM, PARK, "2024-06-05", demo.clock, mqtt_host="127.0.0.1", mqtt_port=1883
    )
    assert [(d.asset_id, d.channel, d.ok) for d in deliveries] == [("bess", "mqtt", True)]
    view = plan_view(demo, SYSTEM, PARK, date(2024, 6, 5))
    assert [(d["asset_id"], d["ok"]) for d in view["deliveries"]] == [("bess", True)]


def test_the_api_serves_plans_and_forecasts_by_role(demo: Database) -> None:
    from fastapi.testclient import TestClient

    from zeropark.api import create_app
    from zeropark.config import load_settings
    from zeropark.service.auth import ensure_demo_accounts

    accounts = ensure_demo_accounts(demo, PARK)
    app = create_app(load_settings(db_url=demo.url, lang="en"), demo)
    with TestClient(app) as client:

        def login(role: str) -> dict[str, str]:
            email, _role, _tenant, password = next(a for a in accounts if a[1] == role)
            token = client.post(
                "/api/v1/auth/login", json={"email": email, "password": password}
            ).json()["token"]
            return {"Authorization": f"Bearer {token}"}

        admin, auditor, tenant = login("park_admin"), login("auditor"), login("tenant")
        base = f"/api/v1/parks/{PARK}"
        made = client.post(f"{base}/dispatch/plans/2024-06-06", headers=admin)
        assert made.status_code == 200, made.text
        assert made.json()["plan_date"] == "2024-06-06" and made.json()["actual"]["demand_kw"]
        listed = client.get(
            f"{base}/dispatch/plans?start=2024-06-01&end=2024-06-30", headers=auditor
        )
        assert listed.status_code == 200 and "2024-06-06" in [p["plan_date"] for p in listed.json()]
        # A tenant reads no park dispatch and cannot make one; the auditor cannot write.
        assert client.get(f"{base}/dispatch/plans/2024-06-06", headers=tenant).status_code == 404
        assert client.post(f"{base}/dispatch/plans/2024-06-07", headers=tenant).status_code == 403
        assert client.post(f"{base}/dispatch/plans/2024-06-07", headers=auditor).status_code == 403
        too_long = client.get(
            f"{base}/dispatch/replay?start=2024-01-01&end=2024-03-01", headers=admin
        )
        assert too_long.status_code == 422
        forecast = client.post(
            f"{base}/forecasts/grid_main?origin=2024-06-10T00:00:00%2B08:00", headers=admin
        )
        assert forecast.status_code == 200, forecast.text
        body = forecast.json()
        assert len(body["values"]) == 24 and body["hours"][0] == "2024-06-10T00:00:00+08:00"
        assert all(v is not None for v in body["actual"])  # June 10 is measured in the demo
        assert sum(bool(s.get("chosen")) for s in body["scores"]) == 1
        assert body["model"] in {s["model"] for s in body["scores"]}
