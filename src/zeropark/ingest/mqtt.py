"""MQTT at the edge: topics, JSON payloads, and a subscriber that acknowledges only on request.

Topics (DESIGN.md §5):

- ``zeropark/<park>/<meter>``: one reading ``{"ts": "...", "value": 1.2, "quality": "measured"}``
  or a list of them; the meter comes from the topic.
- ``zeropark/<park>``: a list (or one) of readings that each name their ``meter``.

Payloads are UTF-8 JSON; ``ts`` and ``quality`` follow the canonical readings format
(:mod:`zeropark.ingest.readings_format`), which parses the records afterwards.

:class:`MqttSubscriber` wraps paho-mqtt (MQTT v5) with ``manual_ack=True``: messages are handed
out in arrival order and acknowledged (PUBACK) only when the caller says so, after its transaction
committed. Its session persists on the broker (fixed client id, ``clean_start`` false, a session
expiry), so a worker that crashes or loses the connection before acknowledging gets the messages
again. It reconnects by itself with exponential backoff and subscribes again on every connect.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from zeropark.clock import Clock, SystemClock
from zeropark.domain.issues import ParamValue

__all__ = [
    "TOPIC_ROOT",
    "Message",
    "MqttSubscriber",
    "PayloadError",
    "decode_message",
    "park_topic",
    "subscription_filter",
]

TOPIC_ROOT = "zeropark"
_FIELDS = ("ts", "value", "quality")


class PayloadError(ValueError):
    """A message that carries no readable readings: ``code`` and ``reason`` (English) for
    quarantine, and the reason as data: ``reason_code`` of the issue message catalogue and its
    ``params``."""

    def __init__(
        self, code: str, reason: str, reason_code: str, params: dict[str, ParamValue] | None = None
    ) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.reason_code = reason_code
        self.params: dict[str, ParamValue] = {**(params or {}), "detail": reason}


@dataclass(frozen=True, slots=True)
class Message:
    """One received message: topic, raw payload, packet id (for the ack), receive time [s]."""

    topic: str
    payload: bytes
    mid: int
    qos: int
    received_s: float


def park_topic(park_id: str, meter_id: str | None = None) -> str:
    """The topic to publish a park's (or one meter's) readings on."""
    return f"{TOPIC_ROOT}/{park_id}" + (f"/{meter_id}" if meter_id else "")


def subscription_filter(park_id: str, group: str | None = None) -> str:
    """The topic filter of a park's worker; with ``group``, an MQTT v5 shared subscription.

    ``zeropark/<park>/#`` also matches ``zeropark/<park>`` itself (multi-meter batches).
    """
    topic = f"{park_topic(park_id)}/#"
    return f"$share/{group}/{topic}" if group else topic


def _records_of(doc: Any) -> list[Any]:
    if isinstance(doc, dict):
        return [doc]
    if isinstance(doc, list):
        return doc
    raise PayloadError(
        "bad_payload",
        "the payload must be a JSON object or a list of objects",
        "mqtt_not_records",
    )


#: The json module's messages, in Chinese.
_JSON_PROBLEMS_ZH: dict[str, str] = {
    "Expecting value": "此处应有一个值",
    "Expecting property name enclosed in double quotes": "此处应有双引号括起的键名",
    "Expecting ':' delimiter": "此处应有冒号 :",
    "Expecting ',' delimiter": "此处应有逗号 ,",
    "Unterminated string starting at": "字符串的引号没有闭合",
    "Invalid control character at": "含有无效的控制字符",
    "Invalid \\escape": "无效的转义字符",
    "Invalid \\uXXXX escape": "无效的 \\uXXXX 转义",
    "Extra data": "JSON 之后有多余的内容",
    "Illegal trailing comma before end of object": "对象末尾有多余的逗号",
    "Illegal trailing comma before end of array": "数组末尾有多余的逗号",
}


def _json_problem_zh(exc: UnicodeDecodeError | json.JSONDecodeError) -> str:
    """What is wrong with a payload, in Chinese: where and why."""
    if isinstance(exc, UnicodeDecodeError):
        return f"第 {exc.start + 1} 个字节不是有效的 UTF-8"
    why = _JSON_PROBLEMS_ZH.get(exc.msg, "无法解析")
    return f"第 {exc.lineno} 行第 {exc.colno} 列（第 {exc.pos + 1} 个字符）: {why}"


def decode_message(park_id: str, topic: str, payload: bytes) -> list[dict[str, object]]:
    """The reading records of a message, each with ``meter``, ``ts``, ``value``, ``quality``.

    Raises :class:`PayloadError` for a payload that is not JSON, not an object or list of objects,
    or a topic outside ``zeropark/<park>[/<meter>]``. Field values are left for the parser.
    """
    parts = topic.split("/")
    if parts[:2] != [TOPIC_ROOT, park_id] or len(parts) > 3 or (len(parts) == 3 and not parts[2]):
        raise PayloadError(
            "bad_topic",
            f"topic {topic!r} is not zeropark/{park_id}[/<meter>]",
            "mqtt_bad_topic",
            {"topic": repr(topic), "park": park_id},
        )
    topic_meter = parts[2] if len(parts) == 3 else None
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(
            "bad_json",
            f"the payload is not UTF-8 JSON: {exc}",
            "mqtt_bad_json",
            {"problem_en": str(exc), "problem_zh": _json_problem_zh(exc)},
        ) from None
    out: list[dict[str, object]] = []
    for number, item in enumerate(_records_of(doc), start=1):
        if not isinstance(item, dict):
            raise PayloadError(
                "bad_payload",
                f"record {number} is not a JSON object",
                "mqtt_record_not_object",
                {"number": number},
            )
        record: dict[str, object] = {name: item.get(name) for name in _FIELDS}
        meter = item.get("meter", topic_meter)
        if topic_meter is not None and meter != topic_meter:
            raise PayloadError(
                "meter_mismatch",
                f"record {number} names meter {meter!r} on topic {topic!r}",
                "mqtt_meter_mismatch",
                {"number": number, "meter": repr(meter), "topic": repr(topic)},
            )
        record["meter"] = meter
        out.append(record)
    return out


class MqttSubscriber:
    """A persistent-session, manually acknowledging MQTT v5 subscription (module doc).

    Parameters: ``host``/``port`` of the broker, the topic filter, a stable ``client_id``,
    ``session_expiry_s`` [s] the broker keeps the session (and unacknowledged messages) after a
    disconnect, ``reconnect_min_s``/``reconnect_max_s`` [s] the backoff bounds,
    ``receive_maximum`` the number of unacknowledged messages the broker may have in flight to
    us. ``clock`` stamps each message's receipt (default: the system clock). ``ready`` is set
    while connected and subscribed.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        topic: str,
        client_id: str,
        qos: int = 1,
        keepalive_s: int = 30,
        session_expiry_s: int = 3600,
        reconnect_min_s: int = 1,
        reconnect_max_s: int = 30,
        receive_maximum: int = 1000,
        clock: Clock | None = None,
    ) -> None:
        self.host, self.port, self.topic, self.qos = host, port, topic, qos
        self.keepalive_s = keepalive_s
        self.session_expiry_s = session_expiry_s
        self.receive_maximum = receive_maximum
        self.ready = threading.Event()
        self.connects = 0
        self.last_error: str | None = None
        self._queue: queue.Queue[Message] = queue.Queue()
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._client = paho.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=paho.MQTTv5,
            manual_ack=True,
        )
        self._client.reconnect_delay_set(min_delay=reconnect_min_s, max_delay=reconnect_max_s)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._client.on_subscribe = self._on_subscribe

    # paho callbacks run on its network thread.
    def _on_connect(self, client: paho.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if getattr(reason, "is_failure", False):
            self.last_error = f"connect refused: {reason}"
            return
        self.connects += 1
        client.subscribe(self.topic, qos=self.qos)

    def _on_subscribe(self, _c: paho.Client, _u: Any, _mid: int, codes: Any, _p: Any) -> None:
        if all(not getattr(code, "is_failure", False) for code in codes):
            self.ready.set()
        else:
            self.last_error = f"subscription to {self.topic!r} refused: {codes}"

    def _on_disconnect(self, _c: paho.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        self.ready.clear()
        self.last_error = f"disconnected: {reason}"

    def _on_message(self, _c: paho.Client, _u: Any, msg: paho.MQTTMessage) -> None:
        stamp = self._clock.now_s()
        self._queue.put(Message(msg.topic, bytes(msg.payload), msg.mid, msg.qos, stamp))

    def start(self) -> None:
        """Connect in the background (retrying until the broker answers) and subscribe."""
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = self.session_expiry_s
        props.ReceiveMaximum = self.receive_maximum
        self._client.connect_async(
            self.host, self.port, keepalive=self.keepalive_s, clean_start=False, properties=props
        )
        self._client.loop_start()

    def get(self, timeout_s: float) -> Message | None:
        """The next message, waiting up to ``timeout_s`` [s]; None when none arrived."""
        try:
            return self._queue.get(timeout=max(timeout_s, 0.0))
        except queue.Empty:
            return None

    def ack(self, messages: list[Message]) -> None:
        """Acknowledge messages (in arrival order) once their batch is safely stored."""
        for msg in messages:
            if msg.qos > 0:
                self._client.ack(msg.mid, msg.qos)

    def stop(self) -> None:
        """Disconnect (the session, and any unacknowledged message, stays on the broker)."""
        self._client.disconnect()
        self._client.loop_stop()
