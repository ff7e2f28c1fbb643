"""Modbus TCP at the edge: read a meter's registers and decode them into a value in its unit.

A meter's register map is its :class:`~zeropark.domain.park.ModbusPoint` (park file): device
``host``/``port``/``unit_id``, the first register ``address`` (0-based, as on the wire), the
``function`` (holding or input registers), the ``data_type`` (16, 32 or 64 bit), the
``word_order`` of multi-register values (``big``: most significant register first; bytes within
a register are always big-endian, as the Modbus standard says) and a ``scale`` that turns the raw
number into the meter's declared unit (value = raw × scale).

:class:`ModbusPoller` keeps one pymodbus TCP client per device, decodes with pymodbus's own
``convert_from_registers`` and turns every failure (refused, timeout, exception response) into a
:class:`DeviceFailure` instead of an exception, so one dead device never stops a polling loop.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusException

from zeropark.domain.park import ModbusPoint

__all__ = [
    "DeviceFailure",
    "ModbusPoller",
    "PollResult",
    "PolledValue",
    "decode_registers",
    "encode_registers",
    "register_count",
]

_DATATYPES = {
    "uint16": ModbusTcpClient.DATATYPE.UINT16,
    "int16": ModbusTcpClient.DATATYPE.INT16,
    "uint32": ModbusTcpClient.DATATYPE.UINT32,
    "int32": ModbusTcpClient.DATATYPE.INT32,
    "float32": ModbusTcpClient.DATATYPE.FLOAT32,
    "uint64": ModbusTcpClient.DATATYPE.UINT64,
    "float64": ModbusTcpClient.DATATYPE.FLOAT64,
}


def register_count(data_type: str) -> int:
    """How many 16-bit registers a value of ``data_type`` occupies."""
    return int(_DATATYPES[data_type].value[1])


def decode_registers(registers: Sequence[int], point: ModbusPoint) -> float:
    """The value of ``registers`` per the point's data type and word order, times its scale."""
    raw = ModbusTcpClient.convert_from_registers(
        list(registers), _DATATYPES[point.data_type], word_order=point.word_order
    )
    assert isinstance(raw, int | float)
    return float(raw) * point.scale


_INTEGER_RANGES = {
    "uint16": (0, 2**16 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "uint32": (0, 2**32 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "uint64": (0, 2**64 - 1),
}


def encode_registers(value: float, point: ModbusPoint) -> list[int]:
    """The registers that hold ``value`` (raw = value / scale) per the point's data type and
    word order: the inverse of :func:`decode_registers`. An integer type takes the nearest
    whole raw number; :class:`ValueError` when it does not fit the type."""
    raw: float | int = value / point.scale
    bounds = _INTEGER_RANGES.get(point.data_type)
    if bounds is not None:
        raw = round(raw)
        if not bounds[0] <= raw <= bounds[1]:
            raise ValueError(
                f"{value:g} / scale {point.scale:g} = {raw} does not fit a {point.data_type}"
            )
    registers = ModbusTcpClient.convert_to_registers(
        raw, _DATATYPES[point.data_type], word_order=point.word_order
    )
    return list(registers)


@dataclass(frozen=True, slots=True)
class PolledValue:
    """A meter's decoded value [its unit] and the poll time [s since epoch, UTC, whole second]."""

    meter_id: str
    ts_s: int
    value: float


@dataclass(frozen=True, slots=True)
class DeviceFailure:
    """A device that did not answer (or answered an error) and the meters it left unread."""

    host: str
    port: int
    meter_ids: tuple[str, ...]
    reason: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({', '.join(self.meter_ids)}): {self.reason}"


@dataclass
class PollResult:
    """What one polling round read, and which devices failed."""

    values: list[PolledValue] = field(default_factory=list)
    failures: list[DeviceFailure] = field(default_factory=list)


class _ReadError(Exception):
    def __init__(self, reason: str, *, device_down: bool) -> None:
        super().__init__(reason)
        self.device_down = device_down


class ModbusPoller:
    """Reads :class:`ModbusPoint` s, one TCP client per device (``timeout_s`` [s] per request)."""

    def __init__(self, *, timeout_s: float = 2.0, retries: int = 1) -> None:
        self.timeout_s = timeout_s
        self.retries = retries
        self._clients: dict[tuple[str, int], ModbusTcpClient] = {}

    def _client(self, host: str, port: int) -> ModbusTcpClient:
        client = self._clients.get((host, port))
        if client is None:
            client = ModbusTcpClient(host, port=port, timeout=self.timeout_s, retries=self.retries)
            self._clients[(host, port)] = client
        if not client.connected and not client.connect():  # type: ignore[no-untyped-call]
            raise _ReadError("connection refused or timed out", device_down=True)
        return client

    def read(self, point: ModbusPoint) -> float:
        """Read and decode one point; raises on any failure (see :meth:`poll`)."""
        client = self._client(point.host, point.port)
        count = register_count(point.data_type)
        reader = (
            client.read_holding_registers
            if point.function == "holding"
            else client.read_input_registers
        )
        try:
            response = reader(point.address, count=count, device_id=point.unit_id)
        except ModbusException as exc:
            client.close()  # type: ignore[no-untyped-call]
            raise _ReadError(str(exc), device_down=True) from None
        if response.isError():
            raise _ReadError(f"device answered with an exception: {response}", device_down=False)
        value = decode_registers(response.registers, point)
        if not math.isfinite(value):
            raise _ReadError(
                f"register value at {point.address} is not a finite number", device_down=False
            )
        return value

    def poll(self, points: Mapping[str, ModbusPoint], now_s: float) -> PollResult:
        """Read every point once; values stamped with ``now_s`` rounded to the second.

        Once a device is unreachable its remaining points are skipped this round, so a dead
        device costs one timeout per round; they are all named in its failure. A point the
        device answers with an error fails alone.
        """
        result = PollResult()
        ts_s = round(now_s)
        down: dict[tuple[str, int], tuple[list[str], str]] = {}
        for meter_id, point in points.items():
            device = (point.host, point.port)
            if device in down:
                down[device][0].append(meter_id)
                continue
            try:
                result.values.append(PolledValue(meter_id, ts_s, self.read(point)))
            except _ReadError as exc:
                if exc.device_down:
                    down[device] = ([meter_id], str(exc))
                else:
                    result.failures.append(DeviceFailure(*device, (meter_id,), str(exc)))
            except (ModbusException, OSError) as exc:
                down[device] = ([meter_id], str(exc) or type(exc).__name__)
        result.failures += [
            DeviceFailure(host, port, tuple(ids), reason)
            for (host, port), (ids, reason) in down.items()
        ]
        return result

    def close(self) -> None:
        """Close every device connection."""
        for client in self._clients.values():
            client.close()  # type: ignore[no-untyped-call]
        self._clients.clear()
