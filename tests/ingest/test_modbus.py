"""Modbus TCP polling against a real pymodbus TCP server on a free loopback port."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from pymodbus.client import ModbusTcpClient
from pymodbus.datastore import (
    ModbusDeviceContext,
    ModbusSequentialDataBlock,
)
from typer.testing import CliRunner

from tests.ingest import free_port, make_park, modbus_tcp_server, wait_until
from zeropark.cli import app
from zeropark.domain.access import Principal
from zeropark.domain.park import ModbusPoint
from zeropark.ingest.modbus import decode_registers
from zeropark.service.database import Database
from zeropark.service.live_ingest import poll_modbus_once, run_modbus_worker
from zeropark.store.readings import meter_refs, readings_between

logging.getLogger("pymodbus").setLevel(logging.CRITICAL)

DT = ModbusTcpClient.DATATYPE
NOW = 1717200000.4  # 2024-06-01T00:00:00.4Z: stamped as ...00Z


def _regs(value: float | int, data_type: DT, word_order: str = "big") -> list[int]:
    regs = ModbusTcpClient.convert_to_registers(value, data_type, word_order=word_order)  # type: ignore[arg-type]
    return list(regs)


def _holding() -> list[int]:
    regs = [0] * 64
    regs[0:2] = _regs(230.5, DT.FLOAT32, "big")
    regs[10:12] = _regs(1234.25, DT.FLOAT32, "little")
    regs[20:22] = _regs(70000, DT.UINT32, "big")
    regs[30:31] = _regs(-125, DT.INT16)
    regs[40:44] = _regs(123456789012, DT.UINT64, "little")
    return regs


def _input() -> list[int]:
    regs = [0] * 16
    regs[4:6] = _regs(-7, DT.INT32, "little")
    return regs


@pytest.fixture
def modbus_server() -> Iterator[int]:
    """A pymodbus TCP server (unit 1) on a free port in a thread; yields the port."""
    device = ModbusDeviceContext(
        # The sequential block's first address is 1-based: register 0 on the wire is values[0].
        hr=ModbusSequentialDataBlock(1, _holding()),
        ir=ModbusSequentialDataBlock(1, _input()),
    )
    with modbus_tcp_server({1: device}) as port:
        yield port


def _listening(port: int) -> bool:
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=0.2, retries=0)
    try:
        return bool(client.connect())
    finally:
        client.close()


def _meters(port: int, down_port: int | None = None) -> str:
    m = f"host: 127.0.0.1, port: {port}"
    lines = [
        f"  - {{id: p_big, carrier: electricity, unit: kW, kind: instantaneous,"
        f" modbus: {{{m}, address: 0, data_type: float32, word_order: big}}}}",
        f"  - {{id: c_little, carrier: electricity, unit: kWh, kind: cumulative,"
        f" register_max: 1000000, modbus: {{{m}, address: 10, word_order: little}}}}",
        f"  - {{id: c_u32, carrier: electricity, unit: kWh, kind: cumulative,"
        f" register_max: 10000000, modbus: {{{m}, address: 20, data_type: uint32}}}}",
        f"  - {{id: p_i16, carrier: electricity, unit: kW, kind: instantaneous,"
        f" modbus: {{{m}, address: 30, data_type: int16, scale: 0.1}}}}",
        f"  - {{id: c_u64, carrier: water, unit: m3, kind: cumulative, register_max: 1.0e15,"
        f" modbus: {{{m}, address: 40, data_type: uint64, word_order: little, scale: 0.001}}}}",
        f"  - {{id: p_in, carrier: heat, unit: kW, kind: instantaneous,"
        f" modbus: {{{m}, address: 4, function: input, data_type: int32, word_order: little}}}}",
        "  - {id: no_map, carrier: electricity, unit: kWh, kind: interval, interval_s: 900}",
    ]
    if down_port is not None:
        lines.append(
            f"  - {{id: dead, carrier: electricity, unit: kW, kind: instantaneous,"
            f" modbus: {{host: 127.0.0.1, port: {down_port}, address: 0}}}}"
        )
    return "\n".join(lines) + "\n"


EXPECTED = {
    "p_big": 230.5,
    "c_little": 1234.25,
    "c_u32": 70000.0,
    "p_i16": -12.5,
    "c_u64": 123456789.012,
    "p_in": -7.0,
}


def _stored(db: Database, park: str) -> dict[str, list[tuple[int, float]]]:
    out = {}
    with db.transaction() as conn:
        for meter, ref in meter_refs(conn, Principal.system(), park).items():
            ts, value, _ = readings_between(conn, Principal.system(), ref, 0, 2**40)
            if ts.size:
                out[meter] = list(zip(ts.tolist(), value.tolist(), strict=True))
    return out


def test_decode_word_orders_and_scale() -> None:
    point = ModbusPoint(host="h", address=0, data_type="float32", word_order="little")
    assert decode_registers(_regs(1234.25, DT.FLOAT32, "little"), point) == 1234.25
    point = ModbusPoint(host="h", address=0, data_type="int16", scale=0.5)
    assert decode_registers([0xFFFE], point) == -1.0
    point = ModbusPoint(host="h", address=0, data_type="uint32", word_order="big")
    assert decode_registers([0x0001, 0x0000], point) == 65536.0
    point = ModbusPoint(host="h", address=0, data_type="uint32", word_order="little")
    assert decode_registers([0x0001, 0x0000], point) == 1.0


def test_poll_once_stores_decoded_values(db: Database, modbus_server: int) -> None:
    park = make_park(db, f"mb{uuid.uuid4().hex[:8]}", _meters(modbus_server))
    result = poll_modbus_once(db, Principal.system(), park, now_s=NOW, timeout_s=1)
    assert result.poll.failures == []
    assert {v.meter_id: v.value for v in result.poll.values} == pytest.approx(EXPECTED)
    assert result.report.accepted == len(EXPECTED)
    stored = _stored(db, park)
    assert set(stored) == set(EXPECTED)
    for meter, value in EXPECTED.items():
        assert stored[meter] == [(1717200000, pytest.approx(value))]
    again = poll_modbus_once(db, Principal.system(), park, now_s=NOW, timeout_s=1)
    assert (again.report.accepted, again.report.duplicates) == (0, len(EXPECTED))


def test_down_device_is_reported_and_others_stored(sqlite_db: Database, modbus_server: int) -> None:
    down = free_port()
    park = make_park(sqlite_db, f"mb{uuid.uuid4().hex[:8]}", _meters(modbus_server, down))
    started = time.monotonic()
    result = poll_modbus_once(sqlite_db, Principal.system(), park, now_s=NOW, timeout_s=0.5)
    assert time.monotonic() - started < 5
    assert len(result.poll.failures) == 1
    failure = result.poll.failures[0]
    assert (failure.port, failure.meter_ids) == (down, ("dead",))
    assert "connect" in failure.reason
    assert set(_stored(sqlite_db, park)) == set(EXPECTED)


def test_gateway_polls_only_its_meters(sqlite_db: Database, modbus_server: int) -> None:
    park = make_park(sqlite_db, f"mb{uuid.uuid4().hex[:8]}", _meters(modbus_server))
    gateway = Principal("gw", "gateway", frozenset({park}), meter_ids=frozenset({"p_big"}))
    result = poll_modbus_once(sqlite_db, gateway, park, now_s=NOW, timeout_s=1)
    assert [v.meter_id for v in result.poll.values] == ["p_big"]
    assert set(_stored(sqlite_db, park)) == {"p_big"}


def test_worker_loop_polls_until_stopped(sqlite_db: Database, modbus_server: int) -> None:
    down = free_port()
    park = make_park(sqlite_db, f"mb{uuid.uuid4().hex[:8]}", _meters(modbus_server, down))
    stop = threading.Event()
    rounds: list[object] = []
    thread = threading.Thread(
        target=run_modbus_worker,
        args=(sqlite_db, Principal.system(), park),
        kwargs={"stop": stop, "on_round": rounds.append, "timeout_s": 0.3},
        daemon=True,
    )
    thread.start()
    try:
        assert wait_until(lambda: set(_stored(sqlite_db, park)) == set(EXPECTED), 5)
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert rounds


def test_cli_modbus_once(sqlite_db: Database, modbus_server: int) -> None:
    down = free_port()
    park = make_park(sqlite_db, f"mb{uuid.uuid4().hex[:8]}", _meters(modbus_server, down))
    runner = CliRunner()
    result = runner.invoke(
        app, ["--lang", "en", "--db", sqlite_db.url, "ingest", "modbus", "--park", park, "--once"]
    )
    assert result.exit_code == 69, result.output
    assert "p_big: 230.5" in result.output
    assert "device failed" in result.output
    assert "dead" in result.output
    assert set(_stored(sqlite_db, park)) == set(EXPECTED)
