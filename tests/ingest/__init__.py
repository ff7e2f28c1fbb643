"""Tests of the live ingest paths (MQTT, Modbus) against real servers; shared helpers."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from zeropark.domain.access import Principal
from zeropark.service.database import Database
from zeropark.service.park_file import parse_park_text
from zeropark.store.parks import ParkRepository

PARK_YAML = """\
version: 1
park: {{id: {park}, name: Live test park, type: manufacturing, province: 江苏,
        timezone: Asia/Shanghai}}
meters:
{meters}
"""

DEFAULT_METERS = """\
  - {id: e1, carrier: electricity, unit: kWh, kind: interval, interval_s: 900}
  - {id: c1, carrier: electricity, unit: kWh, kind: cumulative, register_max: 1000000}
"""


def make_park(db: Database, park: str, meters: str = DEFAULT_METERS) -> str:
    """Apply a small park (interval meter e1, cumulative meter c1 by default); return its id."""
    spec = parse_park_text(PARK_YAML.format(park=park, meters=meters), "test.yaml")
    with db.transaction() as conn:
        ParkRepository(conn, Principal.system()).apply(spec)
    return park


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout_s: float = 10.0, step_s: float = 0.05) -> bool:
    """Poll ``check`` until it is true or ``timeout_s`` passed; returns the last result."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step_s)
    return check()


@contextmanager
def modbus_tcp_server(devices: dict[int, object]) -> Iterator[int]:
    """A real pymodbus TCP server with ``devices`` (unit id → ModbusDeviceContext) on a free
    loopback port, in a thread; yields the port."""
    import asyncio
    import threading

    from pymodbus.client import ModbusTcpClient
    from pymodbus.datastore import ModbusServerContext
    from pymodbus.server import ModbusTcpServer

    def listening(port: int) -> bool:
        client = ModbusTcpClient("127.0.0.1", port=port, timeout=0.2, retries=0)
        try:
            return bool(client.connect())  # type: ignore[no-untyped-call]
        finally:
            client.close()  # type: ignore[no-untyped-call]

    port = free_port()
    context = ModbusServerContext(devices=devices, single=False)  # type: ignore[arg-type]
    loop = asyncio.new_event_loop()
    server: list[ModbusTcpServer] = []

    async def serve() -> None:
        server.append(ModbusTcpServer(context, address=("127.0.0.1", port)))
        await server[0].serve_forever()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert wait_until(lambda: listening(port), 5)
    try:
        yield port
    finally:
        asyncio.run_coroutine_threadsafe(server[0].shutdown(), loop).result(5)
        thread.join(5)
        loop.close()
