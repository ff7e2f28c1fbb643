"""Setpoints out to devices: a dispatch plan's schedule per asset, over MQTT or Modbus TCP.

A :class:`SetpointSchedule` is one asset's power over consecutive equal intervals from
``start_s`` [UTC epoch s], as a stored, versioned dispatch plan gives it. Sign convention:
positive power is delivered to the site (a battery discharging, a generator running), negative
power is drawn from it (a battery charging, a charger charging vehicles) [kW].

- **MQTT** (:func:`publish_schedules`): the whole schedule of an asset as one JSON message on its
  command topic ``zeropark-control/<park>/<asset>/setpoints`` (a root apart from the readings
  topics ``zeropark/<park>/…``, so no ingest worker ever takes a command for a reading), QoS 1 and
  retained, so a device that reconnects gets the plan in force. The message carries the plan id
  and version: a device keeps the highest version of a plan.
- **Modbus TCP** (:func:`write_setpoint`): the value in force now, written to the holding
  registers of the asset's write map (a :class:`~zeropark.domain.park.ModbusPoint`: register
  address, data type, word order; raw = value / scale). The model-predictive loop writes it each
  interval.

Every failure (broker or device unreachable, refused write) comes back as a result with its
reason, never an exception, so one dead device does not stop the others.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusException

from zeropark.domain.park import ModbusPoint
from zeropark.ingest.modbus import encode_registers

__all__ = [
    "CONTROL_ROOT",
    "Delivery",
    "SetpointSchedule",
    "command_topic",
    "publish_schedules",
    "schedule_payload",
    "write_setpoint",
]

CONTROL_ROOT = "zeropark-control"


@dataclass(frozen=True, slots=True)
class SetpointSchedule:
    """One asset's setpoints [kW] over equal intervals of ``interval_s`` from ``start_s``."""

    park_id: str
    asset_id: str
    plan_id: str
    version: int
    start_s: int
    interval_s: int
    power_kw: tuple[float, ...]

    def __post_init__(self) -> None:
        if self.interval_s <= 0:
            raise ValueError("interval_s must be positive")
        if not all(math.isfinite(p) for p in self.power_kw):
            raise ValueError(f"the setpoints of {self.asset_id} hold a value that is not finite")

    @property
    def end_s(self) -> int:
        """End of the last interval [UTC epoch s] (exclusive)."""
        return self.start_s + self.interval_s * len(self.power_kw)

    def at(self, moment_s: float) -> float | None:
        """The setpoint in force at ``moment_s``; None outside the schedule."""
        if not self.start_s <= moment_s < self.end_s:
            return None
        return self.power_kw[int((moment_s - self.start_s) // self.interval_s)]


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of one setpoint message or write: ``ok``, else ``error`` says why."""

    asset_id: str
    channel: str  # "mqtt" or "modbus"
    target: str  # the topic, or host:port/unit/address
    ok: bool
    error: str | None = None


def command_topic(park_id: str, asset_id: str) -> str:
    """The MQTT topic an asset's device subscribes to for its setpoints."""
    return f"{CONTROL_ROOT}/{park_id}/{asset_id}/setpoints"


def _iso(ts_s: int) -> str:
    return datetime.fromtimestamp(ts_s, UTC).isoformat().replace("+00:00", "Z")


def schedule_payload(schedule: SetpointSchedule) -> bytes:
    """The JSON message of a schedule (UTF-8)."""
    doc = {
        "park": schedule.park_id,
        "asset": schedule.asset_id,
        "plan": schedule.plan_id,
        "version": schedule.version,
        "start": _iso(schedule.start_s),
        "interval_s": schedule.interval_s,
        "unit": "kW",
        "sign": "positive: power delivered to the site; negative: power drawn from it",
        "setpoints": [round(p, 6) for p in schedule.power_kw],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def publish_schedules(
    schedules: Sequence[SetpointSchedule],
    host: str,
    port: int,
    *,
    timeout_s: float = 5.0,
    client_id: str | None = None,
) -> list[Delivery]:
    """Publish each schedule on its command topic (QoS 1, retained); one result per schedule.

    A broker that cannot be reached fails every delivery with its reason; a message the broker
    does not acknowledge within ``timeout_s`` fails alone.
    """
    client = paho.Client(
        CallbackAPIVersion.VERSION2, client_id=client_id or "", protocol=paho.MQTTv5
    )
    topics = [command_topic(s.park_id, s.asset_id) for s in schedules]
    try:
        client.connect(host, port, keepalive=30)
    except OSError as exc:
        reason = f"MQTT broker {host}:{port} unreachable: {exc}"
        pairs = zip(schedules, topics, strict=True)
        return [Delivery(s.asset_id, "mqtt", topic, False, reason) for s, topic in pairs]
    client.loop_start()
    out: list[Delivery] = []
    try:
        for schedule, topic in zip(schedules, topics, strict=True):
            info = client.publish(topic, schedule_payload(schedule), qos=1, retain=True)
            try:
                info.wait_for_publish(timeout=timeout_s)
            except (RuntimeError, ValueError) as exc:
                out.append(Delivery(schedule.asset_id, "mqtt", topic, False, str(exc)))
                continue
            if info.is_published():
                out.append(Delivery(schedule.asset_id, "mqtt", topic, True))
            else:
                reason = f"not acknowledged by the broker within {timeout_s:g} s"
                out.append(Delivery(schedule.asset_id, "mqtt", topic, False, reason))
    finally:
        client.disconnect()
        client.loop_stop()
    return out


def write_setpoint(
    asset_id: str, value: float, point: ModbusPoint, *, timeout_s: float = 3.0
) -> Delivery:
    """Write ``value`` (the asset's unit, e.g. kW) to the holding registers of ``point``."""
    target = f"{point.host}:{point.port}/{point.unit_id}/{point.address}"
    if point.function != "holding":
        return Delivery(asset_id, "modbus", target, False, "only holding registers can be written")
    try:
        registers = encode_registers(value, point)
    except ValueError as exc:
        return Delivery(asset_id, "modbus", target, False, str(exc))
    client = ModbusTcpClient(point.host, port=point.port, timeout=timeout_s, retries=0)
    try:
        if not client.connect():  # type: ignore[no-untyped-call]
            return Delivery(asset_id, "modbus", target, False, "device unreachable")
        response = client.write_registers(point.address, registers, device_id=point.unit_id)
        if response.isError():
            return Delivery(
                asset_id, "modbus", target, False, f"device refused the write: {response}"
            )
        return Delivery(asset_id, "modbus", target, True)
    except ModbusException as exc:
        return Delivery(asset_id, "modbus", target, False, str(exc))
    finally:
        client.close()  # type: ignore[no-untyped-call]
