"""Setpoints out: MQTT command topics on the real Mosquitto, Modbus writes to a real server.

The Modbus server is pymodbus's TCP server on a free loopback port; what it holds after a write is
read back with a separate client and decoded with ingest's own decoder (the inverse path).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from pymodbus.client import ModbusTcpClient
from pymodbus.datastore import ModbusDeviceContext, ModbusSequentialDataBlock

from tests.conftest import need_service
from tests.ingest import free_port, modbus_tcp_server, wait_until
from zeropark.domain.park import ModbusPoint
from zeropark.ingest.modbus import decode_registers
from zeropark.service.dispatch.setpoints import (
    SetpointSchedule,
    command_topic,
    publish_schedules,
    write_setpoint,
)

logging.getLogger("pymodbus").setLevel(logging.CRITICAL)

START = 1717171200  # 2024-06-01T00:00:00+08:00 = 2024-05-31T16:00:00Z


def _schedule(park: str, asset: str, version: int = 1) -> SetpointSchedule:
    return SetpointSchedule(park, asset, "2024-06-01", version, START, 3600, (-250.0, 0.0, 480.5))


def test_a_schedule_gives_the_setpoint_in_force() -> None:
    schedule = _schedule("p", "bess")
    assert schedule.at(START - 1) is None
    assert schedule.at(START) == -250.0
    assert schedule.at(START + 3599.9) == -250.0
    assert schedule.at(START + 7200) == 480.5
    assert schedule.at(schedule.end_s) is None


@pytest.mark.requires_mqtt
def test_schedules_reach_a_subscriber_retained_on_their_command_topics() -> None:
    need_service("Mosquitto", "127.0.0.1", 1883)
    park = f"sp{uuid.uuid4().hex[:8]}"
    schedules = [_schedule(park, "bess"), _schedule(park, "ev_hub", version=3)]
    results = publish_schedules(schedules, "127.0.0.1", 1883)
    assert [(r.asset_id, r.ok, r.target) for r in results] == [
        ("bess", True, command_topic(park, "bess")),
        ("ev_hub", True, command_topic(park, "ev_hub")),
    ]
    # A device subscribing afterwards still gets its plan: the messages are retained.
    got: dict[str, dict] = {}
    client = paho.Client(CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
    client.on_message = lambda _c, _u, msg: got.__setitem__(msg.topic, json.loads(msg.payload))
    client.connect("127.0.0.1", 1883)
    client.subscribe(f"zeropark-control/{park}/+/setpoints", qos=1)
    client.loop_start()
    try:
        assert wait_until(lambda: len(got) == 2, 5), got
    finally:
        client.loop_stop()
        for schedule in schedules:  # clear the retained messages
            client.publish(command_topic(park, schedule.asset_id), b"", qos=1, retain=True)
        client.disconnect()
    bess = got[command_topic(park, "bess")]
    assert bess["plan"] == "2024-06-01" and bess["version"] == 1
    assert bess["start"] == "2024-05-31T16:00:00Z" and bess["interval_s"] == 3600
    assert bess["setpoints"] == [-250.0, 0.0, 480.5] and bess["unit"] == "kW"
    assert got[command_topic(park, "ev_hub")]["version"] == 3
    # The command root is not under the readings root an ingest worker subscribes to.
    assert not command_topic(park, "bess").startswith(f"zeropark/{park}/")


def test_a_broker_that_is_down_fails_each_delivery_with_its_reason() -> None:
    port = free_port()  # nothing listens there
    results = publish_schedules([_schedule("p", "bess")], "127.0.0.1", port, timeout_s=1)
    assert [r.ok for r in results] == [False]
    assert f"127.0.0.1:{port}" in (results[0].error or "")


@pytest.fixture
def modbus_device() -> Iterator[int]:
    """A pymodbus TCP server (unit 3, 32 holding registers) on a free port; yields the port."""
    with modbus_tcp_server(
        {3: ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, [0] * 32))}
    ) as port:
        yield port


def _read_back(port: int, point: ModbusPoint, count: int) -> float:
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=2, retries=0)
    try:
        assert client.connect()  # type: ignore[no-untyped-call]
        response = client.read_holding_registers(point.address, count=count, device_id=3)
        return decode_registers(response.registers, point)
    finally:
        client.close()  # type: ignore[no-untyped-call]


@pytest.mark.parametrize(
    ("data_type", "word_order", "scale", "count", "value", "expected"),
    [
        ("float32", "big", 1.0, 2, -250.5, -250.5),
        ("float32", "little", 1.0, 2, 480.25, 480.25),
        ("int16", "big", 0.1, 1, -125.04, -125.0),  # raw -1250.4 → -1250 → × 0.1
        ("int32", "little", 1.0, 2, -70000.0, -70000.0),
    ],
)
def test_a_setpoint_written_to_a_device_reads_back(
    modbus_device: int,
    data_type: str,
    word_order: str,
    scale: float,
    count: int,
    value: float,
    expected: float,
) -> None:
    point = ModbusPoint(
        host="127.0.0.1", port=modbus_device, unit_id=3, address=10,
        data_type=data_type, word_order=word_order, scale=scale,  # type: ignore[arg-type]
    )  # fmt: skip
    result = write_setpoint("bess", value, point)
    assert result.ok, result.error
    assert _read_back(modbus_device, point, count) == pytest.approx(expected, abs=1e-9)


def test_writes_that_cannot_be_made_are_reported_not_raised(modbus_device: int) -> None:
    small = ModbusPoint(host="127.0.0.1", port=modbus_device, unit_id=3, address=0,
                        data_type="uint16")  # fmt: skip
    assert "does not fit" in (write_setpoint("bess", -5.0, small).error or "")
    read_only = ModbusPoint(host="127.0.0.1", port=modbus_device, unit_id=3, address=0,
                            function="input")  # fmt: skip
    assert "holding" in (write_setpoint("bess", 1.0, read_only).error or "")
    gone = ModbusPoint(host="127.0.0.1", port=free_port(), unit_id=3, address=0)
    result = write_setpoint("bess", 1.0, gone, timeout_s=0.5)
    assert not result.ok and result.error == "device unreachable"
