"""The monitor on stored data (SQLite and PostgreSQL): rules evaluated from rollups and reading
times, one alert per event, recovery, notifications delivered to loopback receivers with a
receiver that is down retried and recorded while the others go on."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from tests.notify.receivers import closed_port, http_receiver
from zeropark.clock import FixedClock
from zeropark.domain.access import Principal
from zeropark.domain.park import AccountingMapping, Meter, Park, ParkSpec, Tenant
from zeropark.ingest.readings_format import ParsedReadings
from zeropark.service import alerts
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport, ingest_parsed
from zeropark.service.monitor import rules_api
from zeropark.service.monitor.deliveries import MAX_ATTEMPTS, backoff_s, deliver_due
from zeropark.service.monitor.engine import run_pass
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("test-monitor")
PARK = "mp"
TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
DAY0 = datetime(2024, 9, 2, tzinfo=ZONE)  # Monday


def _at(day: int, hour: int, minute: int = 0) -> int:
    return int(DAY0.timestamp()) + day * 86400 + hour * 3600 + minute * 60


def _meter(ident: str, carrier: str, unit: str, tenant: str | None = None) -> Meter:
    category = "purchased_electricity" if carrier == "electricity" else None
    return Meter(
        id=ident,
        carrier=carrier,
        unit=unit,
        kind="interval",
        interval_s=900,
        tenant=tenant,
        accounting=AccountingMapping(category=category, sector="industry") if category else None,
    )


def _build(db: Database, days: int = 3) -> None:
    spec = ParkSpec(
        park=Park(id=PARK, name="监测园区", type="manufacturing", province="江苏"),
        tenants=[Tenant(id="t_a", name="甲公司")],
        meters=[_meter("e_main", "electricity", "kWh", "t_a"), _meter("w_main", "water", "m3")],
    )
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
    ts = np.arange(_at(0, 0, 15), _at(days, 0) + 1, 900, dtype=np.int64)
    _ingest(db, {"e_main": [(int(t), 25.0) for t in ts], "w_main": [(int(t), 1.0) for t in ts]})


def _ingest(db: Database, values: dict[str, list[tuple[int, float]]]) -> None:
    meters = [m for m, rows in values.items() for _ in rows]
    parsed = ParsedReadings(
        meter=np.array(meters, dtype=object),
        ts_s=np.array([ts for rows in values.values() for ts, _ in rows], np.int64),
        value=np.array([v for rows in values.values() for _, v in rows], np.float64),
        quality=np.zeros(len(meters), np.uint8),
        row=np.full(len(meters), -1, np.int64),
    )
    with db.transaction() as conn:
        ingest_parsed(conn, SYSTEM, PARK, TZ, parsed, IngestReport("test"))


def test_threshold_rule_on_stored_data_raises_once_and_recovers(db: Database) -> None:
    db.clock = FixedClock(datetime(2024, 9, 6, tzinfo=ZONE))
    _build(db)
    rules_api.save_rule(
        db,
        SYSTEM,
        PARK,
        {
            "id": "peak",
            "kind": "threshold",
            "target": {"meter": "e_main"},
            "params": {"limit": 150},
            "severity": "critical",
            "quiet_period_min": 0,
        },
    )
    # 25 kWh per 15 min = 100 kW: below 150 kW. Clean pass at day 3 00:00.
    clean = run_pass(db, SYSTEM, PARK, now_s=_at(3, 0), rule_ids=["peak"])
    assert clean.observations == 1 and clean.raised == []
    # A planted hour at 200 kWh per 15 min (800 kW) on day 3, 00:00-01:00 (intervals ending
    # 00:15 … 01:00 belong to hour 00).
    _ingest(db, {"e_main": [(_at(3, 0, 15 * k), 200.0) for k in range(1, 4)]})
    first = run_pass(db, SYSTEM, PARK, now_s=_at(3, 0, 45), rule_ids=["peak"])
    again = run_pass(db, SYSTEM, PARK, now_s=_at(3, 0, 50), rule_ids=["peak"])
    assert len(first.raised) == 1 and again.raised == [] and again.recovered == []
    rows, _ = alerts.list_alerts(db, SYSTEM, PARK, rule_id="peak")
    (alert,) = rows
    assert alert["status"] == "open" and alert["severity"] == "critical"
    assert alert["details"]["value"] == 800.0 and alert["details"]["limit"] == 150.0
    assert "800 kWh/h" in alert["message_en"] and "限值 150" in alert["message_zh"]
    assert alert["raised_at_local"].endswith("+08:00")
    # Back to 25 kWh per interval in the next hour: the rate of hour 01 is 100 kW.
    _ingest(db, {"e_main": [(_at(3, 0, 60), 25.0)] + [(_at(3, 1, 15 * k), 25.0) for k in (1, 2)]})
    done = run_pass(db, SYSTEM, PARK, now_s=_at(3, 1, 30), rule_ids=["peak"])
    assert done.recovered == [alert["id"]]
    rows, _ = alerts.list_alerts(db, SYSTEM, PARK, rule_id="peak")
    assert rows[0]["status"] == "resolved" and rows[0]["resolved_by"] == "monitor"


def test_no_data_names_the_carrier_and_tenants_see_their_own(db: Database) -> None:
    db.clock = FixedClock(datetime(2024, 9, 6, tzinfo=ZONE))
    _build(db, days=2)
    rules_api.save_rule(
        db, SYSTEM, PARK,
        {"id": "silent", "kind": "no_data", "target": "park", "params": {"minutes": 60}},
    )  # fmt: skip
    # Only the electricity meter keeps sending on day 2.
    _ingest(db, {"e_main": [(_at(2, 0, 15 * k), 25.0) for k in range(1, 9)]})
    result = run_pass(db, SYSTEM, PARK, now_s=_at(2, 2), rule_ids=["silent"])
    assert len(result.raised) == 1
    rows, _ = alerts.list_alerts(db, SYSTEM, PARK, rule_id="silent")
    (water,) = rows
    assert water["kind"] == "silent_meter" and water["meter_id"] == "w_main"
    assert "（水表）" in water["message_zh"] and "(water)" in water["message_en"]
    assert "2024-09-04 00:00 +08:00" in water["message_en"]  # last reading, park time
    tenant = Principal(subject="a@t", role="tenant", park_ids=frozenset({PARK}), tenant_id="t_a")
    seen, total = alerts.list_alerts(db, tenant, PARK)
    assert total == 0 and seen == []  # the water meter is the park's, not tenant t_a's


def test_deliveries_go_on_while_a_receiver_is_down(db: Database) -> None:
    db.clock = FixedClock(datetime(2024, 9, 6, tzinfo=ZONE))
    _build(db, days=1)
    down = f"http://127.0.0.1:{closed_port()}/hook"
    with http_receiver() as rx:
        rules_api.save_channel(
            db, SYSTEM, PARK, {"id": "up", "kind": "webhook", "url": rx.url, "secret": "k"}
        )
        rules_api.save_channel(db, SYSTEM, PARK, {"id": "down", "kind": "webhook", "url": down})
        rules_api.save_channel(
            db,
            SYSTEM,
            PARK,
            {"id": "wx", "kind": "wecom", "url": rx.url + "/cgi-bin/webhook/send?key=x"},
        )
        rules_api.save_rule(
            db,
            SYSTEM,
            PARK,
            {
                "id": "silent",
                "kind": "no_data",
                "target": {"meter": "w_main"},
                "params": {"minutes": 60},
                "channels": ["down", "up", "wx"],
                "quiet_period_min": 0,
            },
        )
        now = _at(1, 3)
        raised = run_pass(db, SYSTEM, PARK, now_s=now, rule_ids=["silent"])
        assert len(raised.raised) == 1 and raised.queued == 3
        sent = deliver_due(db, SYSTEM, PARK, now_s=now)
        assert len(sent.sent) == 2 and len(sent.retrying) == 1
        assert [r.path for r in rx.received] == ["/", "/cgi-bin/webhook/send?key=x"]
        assert json.loads(rx.received[0].body)["event"] == "alert.raised"
        rows, _ = alerts.list_alerts(db, SYSTEM, PARK, rule_id="silent", deliveries=True)
        by_channel = {d["channel_id"]: d for d in rows[0]["deliveries"]}
        assert by_channel["up"]["status"] == "sent" and by_channel["wx"]["status"] == "sent"
        failed = by_channel["down"]
        assert failed["status"] == "pending" and failed["attempts"] == 1
        assert "connection failed" in failed["last_error"]
        # Not due again before its backoff; retried at each due time until it gives up.
        assert deliver_due(db, SYSTEM, PARK, now_s=now + 1).retrying == []
        at, attempts = now, 1
        while attempts < MAX_ATTEMPTS:
            at += backoff_s(attempts)
            outcome = deliver_due(db, SYSTEM, PARK, now_s=at)
            attempts += 1
        assert outcome.failed and len(rx.received) == 2
        rows, _ = alerts.list_alerts(db, SYSTEM, PARK, rule_id="silent", deliveries=True)
        down_row = next(d for d in rows[0]["deliveries"] if d["channel_id"] == "down")
        assert down_row["status"] == "failed" and down_row["attempts"] == MAX_ATTEMPTS


def test_rules_are_audited_and_tenants_edit_only_their_own(db: Database) -> None:
    import pytest

    from zeropark.errors import PermissionDenied

    db.clock = FixedClock(datetime(2024, 9, 6, tzinfo=ZONE))
    _build(db, days=1)
    tenant = Principal(subject="a@t", role="tenant", park_ids=frozenset({PARK}), tenant_id="t_a")
    own = {"id": "mine", "kind": "threshold", "target": {"meter": "e_main"}, "params": {"limit": 5}}
    rules_api.save_rule(db, tenant, PARK, own)  # the tenant's own (tenant: t_a)
    rules_api.save_rule(db, SYSTEM, PARK, {**own, "id": "park_rule"})
    with pytest.raises(PermissionDenied):  # a park rule is not the tenant's to edit
        rules_api.save_rule(db, tenant, PARK, {**own, "id": "park_rule"})
    with pytest.raises(PermissionDenied):  # nor may it watch the park's water meter
        rules_api.save_rule(db, tenant, PARK, {**own, "target": {"meter": "w_main"}})
    mine = rules_api.list_rules(db, tenant, PARK)
    assert [(r["id"], r["tenant"]) for r in mine] == [("mine", "t_a")]
    muted = rules_api.mute_rule(db, tenant, PARK, "mine", until_s=_at(5, 0))
    assert muted["muted_until_s"] == _at(5, 0)
    actions = rules_api.audit_actions(db, SYSTEM, PARK)
    assert actions.count("alert_rule.save") == 2 and actions.count("alert_rule.mute") == 1


def test_recovery_notice_is_delivered_and_a_muted_rule_sends_nothing(db: Database) -> None:
    db.clock = FixedClock(datetime(2024, 9, 6, tzinfo=ZONE))
    _build(db, days=1)
    with http_receiver() as rx:
        rules_api.save_channel(db, SYSTEM, PARK, {"id": "up", "kind": "webhook", "url": rx.url})
        silent = {"kind": "no_data", "params": {"minutes": 60}, "channels": ["up"]}
        rules_api.save_rule(
            db,
            SYSTEM,
            PARK,
            {"id": "w", "target": {"meter": "w_main"}, "quiet_period_min": 0, **silent},
        )
        rules_api.save_rule(db, SYSTEM, PARK, {"id": "e", "target": {"meter": "e_main"}, **silent})
        rules_api.mute_rule(db, SYSTEM, PARK, "e", until_s=_at(5, 0))
        now = _at(1, 3)
        raised = run_pass(db, SYSTEM, PARK, now_s=now, rule_ids=["w", "e"])
        assert len(raised.raised) == 2 and raised.queued == 1  # the muted rule's alert: no notice
        _ingest(db, {"w_main": [(_at(1, 3), 1.0)]})
        recovered = run_pass(db, SYSTEM, PARK, now_s=now + 60, rule_ids=["w"])
        assert len(recovered.recovered) == 1 and recovered.queued == 1
        assert len(deliver_due(db, SYSTEM, PARK, now_s=now + 60).sent) == 2
    events = [json.loads(r.body)["event"] for r in rx.received]
    assert events == ["alert.raised", "alert.recovered"]
    recovery = json.loads(rx.received[1].body)
    assert recovery["body"]["en"].endswith("(condition cleared)") and recovery["rule_id"] == "w"


def test_monitoring_tables_match_their_migration(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from zeropark.store.schema import metadata

    db.ensure_schema()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if "alert" in str(d)] == []
