"""Alert rules evaluated after each live batch, end to end: readings published to the real
Mosquitto and stored by the MQTT worker, and registers read by the Modbus poller from a real
pymodbus TCP server, cross a threshold rule of the park file; the monitor's hook raises the alert
right after the batch (no scheduled pass) and recovers it per the rule's hysteresis.

The rule: e1 above 150 kWh/h (the latest park-local hour's mean), clear margin 50 (clears only
below 100), two clean evaluations and 15 quiet minutes to recover. The database's clock is set
to each batch's time (the hook evaluates at ``db.clock``), so times are exact.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pymodbus.client import ModbusTcpClient
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock

from tests.conftest import need_service
from tests.ingest import PARK_YAML, modbus_tcp_server, wait_until
from tests.ingest.test_mqtt import HOST, PORT, publish, publisher, running_worker
from zeropark.clock import FixedClock
from zeropark.domain.access import Principal
from zeropark.ingest.mqtt import park_topic
from zeropark.service import alerts
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport
from zeropark.service.live_ingest import poll_modbus_once
from zeropark.service.park_file import parse_park_text
from zeropark.service.parks import apply_park

SYSTEM = Principal.system("test-live-alerts")
ZONE = ZoneInfo("Asia/Shanghai")

RULES = """\
alert_rules:
  - id: e1_peak
    kind: threshold
    target: {meter: e1}
    params: {limit: 150, clear_margin: 50}
    severity: critical
    clear_after: 2
    quiet_period_min: 15
"""


def _park(db: Database, prefix: str, e1: str) -> str:
    """A park (Asia/Shanghai) whose meter e1 is ``e1`` (a flow mapping's inner text), another
    meter c1 no rule watches, and the rule ``e1_peak``; returns its id."""
    park = f"{prefix}{uuid.uuid4().hex[:10]}"
    meters = (
        f"  - {{id: e1, carrier: electricity, unit: kWh, {e1}}}\n"
        "  - {id: c1, carrier: electricity, unit: kWh, kind: cumulative, register_max: 1000000}\n"
    )
    text = PARK_YAML.format(park=park, meters=meters) + RULES
    apply_park(db, SYSTEM, parse_park_text(text, "park.yaml"))
    return park


def _local(hour: int, minute: int) -> datetime:
    return datetime(2024, 3, 1, hour, minute, tzinfo=ZONE)


def _at(db: Database, hour: int, minute: int) -> str:
    """Set the database's clock to 2024-03-01 hour:minute park time; that time, ISO."""
    db.clock = FixedClock(_local(hour, minute))
    return _local(hour, minute).isoformat()


def _alerts(db: Database, park: str) -> list[dict[str, Any]]:
    rows, _ = alerts.list_alerts(db, SYSTEM, park, rule_id="e1_peak")
    return rows


def _assert_raised_then_recovered(
    db: Database, park: str, raised: str, recovered: str | None
) -> dict[str, Any]:
    """The one alert of ``e1_peak``: raised at ``raised`` (park time, ISO), open or recovered
    by the monitor at ``recovered``."""
    rows = _alerts(db, park)
    assert len(rows) == 1, rows
    alert = rows[0]
    assert (alert["rule_id"], alert["meter_id"], alert["kind"]) == ("e1_peak", "e1", "threshold")
    assert alert["severity"] == "critical"
    assert alert["raised_at_local"] == raised
    assert alert["details"]["value"] == 800.0 and alert["details"]["limit"] == 150.0
    assert "800 kWh/h" in alert["message_en"] and "限值 150" in alert["message_zh"]
    if recovered is None:
        assert alert["status"] == "open" and alert["resolved_at_local"] is None
    else:
        assert (alert["status"], alert["resolved_by"]) == ("resolved", "monitor")
        assert alert["resolved_at_local"] == recovered
    return alert


# --- MQTT -------------------------------------------------------------------------------------


@pytest.mark.requires_mqtt
def test_mqtt_batch_over_a_threshold_raises_and_recovers_with_hysteresis(db: Database) -> None:
    need_service("Mosquitto", HOST, PORT)
    park = _park(db, "mqa", "kind: interval, interval_s: 900")
    # A gateway bound to e1 sends the readings; the hook acts as the monitor, not as the sender.
    gateway = Principal("gw-1", "gateway", frozenset({park}), meter_ids=frozenset({"e1"}))
    reports: list[IngestReport] = []
    topic = park_topic(park, "e1")

    def send(records: list[tuple[int, int, float]], batches: int) -> None:
        """Publish e1's readings as one message; wait until the worker stored it (and the hook
        ran: ``on_batch`` comes after both)."""
        payload = [{"ts": _local(h, m).isoformat(), "value": v} for h, m, v in records]
        publish(pub, topic, payload)
        assert wait_until(lambda: len(reports) == batches, 10), reports
        assert reports[-1].accepted == len(records), reports[-1].as_dict()

    with (
        running_worker(db, park, principal=gateway, on_batch=reports.append) as worker,
        publisher() as pub,
    ):
        # 200 kWh per 15 min in hour 10: 800 kWh/h, over the limit of 150.
        raised = _at(db, 10, 30)
        send([(10, 15, 200.0), (10, 30, 200.0)], 1)
        _assert_raised_then_recovered(db, park, raised, None)
        # Hour 11 at 120 kWh/h: under the limit but not under limit − margin (100): still open.
        _at(db, 11, 15)
        send([(10, 45, 25.0), (11, 0, 25.0), (11, 15, 30.0)], 2)
        _assert_raised_then_recovered(db, park, raised, None)
        # Hour 11 at 70 kWh/h: clean once; the rule wants two clean evaluations 15 min apart.
        _at(db, 11, 30)
        send([(11, 30, 5.0)], 3)
        _assert_raised_then_recovered(db, park, raised, None)
        # Hour 11 at 53 kWh/h: clean again, 15 min after the first clean one: recovered.
        recovered = _at(db, 11, 45)
        send([(11, 45, 5.0)], 4)
        _assert_raised_then_recovered(db, park, raised, recovered)
    assert not worker.error


# --- Modbus -----------------------------------------------------------------------------------


@pytest.fixture
def meter_device() -> Iterator[int]:
    """A pymodbus TCP server (unit 1) whose holding registers 0-1 hold e1's register; yields
    the port."""
    device = ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, [0] * 8))  # type: ignore[no-untyped-call]
    with modbus_tcp_server({1: device}) as port:
        yield port


def _set_register(port: int, value: int) -> None:
    """Write e1's register (uint32, high word first) to the device, as the meter would count."""
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=2, retries=0)
    try:
        assert client.connect()  # type: ignore[no-untyped-call]
        response = client.write_registers(0, [value >> 16, value & 0xFFFF], device_id=1)
        assert not response.isError(), response
    finally:
        client.close()  # type: ignore[no-untyped-call]


def test_modbus_poll_over_a_threshold_raises_and_recovers_with_hysteresis(
    db: Database, meter_device: int
) -> None:
    modbus = f"host: 127.0.0.1, port: {meter_device}, address: 0, data_type: uint32, poll_s: 900"
    park = _park(db, "mba", f"kind: cumulative, register_max: 1000000, modbus: {{{modbus}}}")

    def poll(hour: int, minute: int, register: int) -> str:
        """One polling round at park time hour:minute with the meter's register at ``register``;
        the round's time, ISO."""
        _set_register(meter_device, register)
        at = _at(db, hour, minute)
        result = poll_modbus_once(db, SYSTEM, park, timeout_s=2)
        assert result.poll.failures == []
        assert [(v.meter_id, v.value) for v in result.poll.values] == [("e1", float(register))]
        assert result.report.accepted == 1, result.report.as_dict()
        return at

    poll(10, 0, 1000)
    assert _alerts(db, park) == []  # one register reading: no interval yet
    # 200 kWh in 10:00-10:15: 800 kWh/h in hour 10.
    raised = poll(10, 15, 1200)
    _assert_raised_then_recovered(db, park, raised, None)
    for minute, register in ((30, 1210), (45, 1220), (60, 1230)):  # hour 10 stays hot
        poll(10 + minute // 60, minute % 60, register)
    _assert_raised_then_recovered(db, park, raised, None)  # one alert, not one per round
    poll(11, 15, 1260)  # hour 11 at 120 kWh/h: inside the clear margin, still open
    _assert_raised_then_recovered(db, park, raised, None)
    poll(11, 30, 1265)  # 70 kWh/h: the first clean evaluation
    _assert_raised_then_recovered(db, park, raised, None)
    recovered = poll(11, 45, 1270)  # 53 kWh/h: the second, 15 min later: recovered
    _assert_raised_then_recovered(db, park, raised, recovered)
