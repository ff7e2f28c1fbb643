"""MQTT worker end to end against the real Mosquitto (and a private one for broker restarts)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from tests.conftest import need_service
from tests.ingest import free_port, make_park, wait_until
from zeropark.domain.access import Principal
from zeropark.ingest.mqtt import (
    MqttSubscriber,
    PayloadError,
    decode_message,
    park_topic,
    subscription_filter,
)
from zeropark.service.database import Database
from zeropark.service.ingest import IngestReport
from zeropark.service.live_ingest import MqttOptions, WorkerStats, ingest_records, run_mqtt_worker
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import list_records
from zeropark.store.readings import count_readings, meter_refs, read_rollups, readings_between

HOST, PORT = "127.0.0.1", 1883
T0 = 1709251200  # 2024-03-01T00:00:00Z


def _iso(ts_s: int) -> str:
    return datetime.fromtimestamp(ts_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Worker:
    stop: threading.Event
    thread: threading.Thread
    subscriber: MqttSubscriber
    stats: list[WorkerStats] = field(default_factory=list)
    error: list[BaseException] = field(default_factory=list)


@contextmanager
def running_worker(
    db: Any,
    park: str,
    *,
    principal: Principal | None = None,
    port: int = PORT,
    group: str | None = None,
    client_id: str | None = None,
    wait_ready: bool = True,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> Iterator[Worker]:
    """The park's MQTT worker in a thread; ``on_batch`` gets each stored batch's report (called
    after the batch committed and the alert rules ran, as in the worker)."""
    options = MqttOptions(
        host=HOST,
        port=port,
        group=group,
        batch_ms=50,
        session_expiry_s=30,
        reconnect_min_s=1,
        reconnect_max_s=1,
        db_retry_s=0.2,
    )
    sub = MqttSubscriber(
        host=HOST,
        port=port,
        topic=subscription_filter(park, group),
        client_id=client_id or f"zp-test-{uuid.uuid4().hex[:10]}",
        session_expiry_s=30,
        reconnect_min_s=1,
        reconnect_max_s=1,
    )
    stop = threading.Event()
    worker = Worker(stop, threading.Thread(daemon=True), sub)

    def run() -> None:
        try:
            worker.stats.append(
                run_mqtt_worker(
                    db,
                    principal or Principal.system(),
                    park,
                    options=options,
                    stop=stop,
                    subscriber=sub,
                    on_batch=on_batch,
                )
            )
        except BaseException as exc:
            worker.error.append(exc)

    worker.thread = threading.Thread(target=run, daemon=True)
    worker.thread.start()
    try:
        if wait_ready:
            assert sub.ready.wait(5), sub.last_error
        yield worker
    finally:
        stop.set()
        worker.thread.join(5)
        assert not worker.thread.is_alive()


@contextmanager
def publisher(port: int = PORT) -> Iterator[paho.Client]:
    client = paho.Client(CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
    client.connect(HOST, port)
    client.loop_start()
    try:
        yield client
    finally:
        client.disconnect()
        client.loop_stop()


def publish(client: paho.Client, topic: str, payload: object | bytes) -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    info = client.publish(topic, data, qos=1)
    info.wait_for_publish(5)
    assert info.is_published()


def _stored(db: Database, park: str, meter: str) -> list[tuple[int, float]]:
    with db.transaction() as conn:
        ref = meter_refs(conn, Principal.system(), park, [meter])[meter]
        ts, value, _ = readings_between(conn, Principal.system(), ref, 0, 2**40)
    return list(zip(ts.tolist(), value.tolist(), strict=True))


def _count(db: Database, park: str) -> int:
    with db.transaction() as conn:
        keys = list(ParkRepository(conn, Principal.system()).meter_keys(park).values())
        return count_readings(conn, Principal.system(), keys)


def _rollups(db: Database, park: str, meter: str) -> list[tuple[int, float]]:
    with db.transaction() as conn:
        key = ParkRepository(conn, Principal.system()).meter_keys(park)[meter]
        rows = read_rollups(conn, Principal.system(), [key])
    return list(zip(rows.hour_s.tolist(), rows.quantity.tolist(), strict=True))


def _quarantine(db: Database, park: str) -> list[dict[str, Any]]:
    with db.transaction() as conn:
        rows, _ = list_records(conn, Principal.system(), park)
    return rows


# --- pure decoding ----------------------------------------------------------------------------


def test_decode_single_batch_and_multi_meter() -> None:
    one = decode_message("p", "zeropark/p/e1", b'{"ts": "2024-03-01T00:15:00Z", "value": 1.5}')
    assert one == [{"meter": "e1", "ts": "2024-03-01T00:15:00Z", "value": 1.5, "quality": None}]
    many = decode_message("p", "zeropark/p", b'[{"meter": "a", "ts": "t", "value": 1}]')
    assert many[0]["meter"] == "a"
    assert subscription_filter("p") == "zeropark/p/#"
    assert subscription_filter("p", "g") == "$share/g/zeropark/p/#"


@pytest.mark.parametrize(
    ("topic", "payload", "code"),
    [
        ("zeropark/p/e1", b"{not json", "bad_json"),
        ("zeropark/p/e1", b"\xff\xfe", "bad_json"),
        ("zeropark/p/e1", b"42", "bad_payload"),
        ("zeropark/p/e1", b"[1, 2]", "bad_payload"),
        ("zeropark/p/e1/extra", b"{}", "bad_topic"),
        ("zeropark/q/e1", b"{}", "bad_topic"),
        ("zeropark/p/e1", b'{"meter": "c1", "ts": "x", "value": 1}', "meter_mismatch"),
    ],
)
def test_decode_rejects_absurd_messages(topic: str, payload: bytes, code: str) -> None:
    with pytest.raises(PayloadError) as info:
        decode_message("p", topic, payload)
    assert info.value.code == code


def test_ingest_records_http_batch(db: Database) -> None:
    park = make_park(db, "httpbatch")
    records: list[dict[str, object]] = [
        {"meter": "e1", "ts": _iso(T0 + 900 * k), "value": float(k)} for k in range(1, 5)
    ]
    records.append({"meter": "e1", "ts": "yesterday", "value": 1})
    report = ingest_records(db, Principal.system(), park, records, source="http:test")
    assert (report.accepted, report.rejected) == (4, 1)
    again = ingest_records(db, Principal.system(), park, records[:4], source="http:test")
    assert (again.accepted, again.duplicates) == (0, 4)
    assert _rollups(db, park, "e1") == [(T0, 10.0)]


# --- against the real broker -----------------------------------------------------------------


@pytest.mark.requires_mqtt
def test_mqtt_end_to_end_readings_and_rollups(db: Database) -> None:
    need_service("Mosquitto", HOST, PORT)
    park = make_park(db, f"mq{uuid.uuid4().hex[:10]}")
    with running_worker(db, park) as worker, publisher() as pub:
        publish(pub, park_topic(park, "e1"), {"ts": _iso(T0 + 900), "value": 1.0})
        publish(
            pub,
            park_topic(park, "e1"),
            [{"ts": _iso(T0 + 900 * k), "value": float(k)} for k in (2, 3, 4)],
        )
        publish(
            pub,
            park_topic(park),
            [
                {"meter": "c1", "ts": _iso(T0), "value": 100.0},
                {"meter": "c1", "ts": _iso(T0 + 1800), "value": 110.0, "quality": "measured"},
                {"meter": "c1", "ts": _iso(T0 + 3600), "value": 130.0},
            ],
        )
        assert wait_until(lambda: _count(db, park) == 7, 10)
    assert not worker.error
    assert _stored(db, park, "e1") == [(T0 + 900 * k, float(k)) for k in (1, 2, 3, 4)]
    assert _stored(db, park, "c1") == [(T0, 100.0), (T0 + 1800, 110.0), (T0 + 3600, 130.0)]
    assert _rollups(db, park, "e1") == [(T0, 10.0)]
    assert _rollups(db, park, "c1") == [(T0, 30.0)]
    assert worker.stats[0].accepted == 7


@pytest.mark.requires_mqtt
def test_mqtt_malformed_is_quarantined_and_gateway_is_bound(db: Database) -> None:
    need_service("Mosquitto", HOST, PORT)
    park = make_park(db, f"mq{uuid.uuid4().hex[:10]}")
    gateway = Principal("gw-1", "gateway", frozenset({park}), meter_ids=frozenset({"e1"}))
    with running_worker(db, park, principal=gateway) as worker, publisher() as pub:
        publish(pub, park_topic(park, "e1"), b"{not json")
        publish(pub, park_topic(park, "e1"), {"ts": "not a time", "value": 1})
        publish(pub, park_topic(park, "c1"), {"ts": _iso(T0), "value": 5})
        publish(pub, park_topic(park, "e1"), {"ts": _iso(T0 + 900), "value": 2.5})
        assert wait_until(lambda: _count(db, park) == 1 and len(_quarantine(db, park)) == 3)
    assert not worker.error
    assert _stored(db, park, "e1") == [(T0 + 900, 2.5)]
    by_code = {row["code"]: row for row in _quarantine(db, park)}
    assert set(by_code) == {"bad_json", "bad_timestamp", "unknown_meter"}
    assert by_code["bad_json"]["source"] == park_topic(park, "e1")
    assert by_code["bad_json"]["value"] == "{not json"
    assert by_code["bad_timestamp"]["source"] == park_topic(park, "e1")
    assert by_code["bad_timestamp"]["location"].endswith("record 1")
    assert by_code["unknown_meter"]["payload"]["meter"] == "c1"
    # Rejected by the pipeline rather than the parser, it names its message all the same.
    assert by_code["unknown_meter"]["source"] == park_topic(park, "c1")
    assert by_code["unknown_meter"]["location"].endswith("record 1")
    assert worker.stats[0].rejected == 3


@pytest.mark.requires_mqtt
def test_mqtt_reading_set_aside_by_normalisation_names_its_message(db: Database) -> None:
    need_service("Mosquitto", HOST, PORT)
    park = make_park(db, f"mq{uuid.uuid4().hex[:10]}")
    reports: list[IngestReport] = []
    records = [
        {"ts": _iso(T0), "value": 100.0},
        {"ts": _iso(T0 + 900), "value": 2_000_000.0},  # past c1's register_max (1 000 000)
        {"ts": _iso(T0 + 1800), "value": 110.0},
    ]
    with running_worker(db, park, on_batch=reports.append) as worker, publisher() as pub:
        publish(pub, park_topic(park, "c1"), records)
        assert wait_until(lambda: len(reports) == 1, 10)
    assert not worker.error
    assert (reports[0].accepted, reports[0].rejected) == (2, 1), reports[0].as_dict()
    (issue,) = reports[0].issues
    assert (issue.code, issue.reason_code) == ("out_of_range", "reading_excluded_because")
    assert issue.source == park_topic(park, "c1")
    assert issue.location is not None and issue.location.endswith(", record 2")
    (stored,) = _quarantine(db, park)
    assert (stored["code"], stored["source"]) == ("out_of_range", park_topic(park, "c1"))
    assert stored["location"] == issue.location
    assert stored["location"].startswith("received ")
    assert stored["reason_code"] == "reading_excluded_because"
    assert stored["params"]["meter"] == "c1"


@pytest.mark.requires_mqtt
def test_mqtt_spike_sent_one_message_per_batch_ends_as_a_spike(db: Database) -> None:
    # c2 may rise at most 40 kWh per hour (10 per 15 min). 100, then 600 (a jump while nothing
    # follows it), then 102: the 600 was a transient spike, as the three in one batch say.
    need_service("Mosquitto", HOST, PORT)
    meters = (
        "  - {id: c2, carrier: electricity, unit: kWh, kind: cumulative, register_max: 1000000,\n"
        "     interval_s: 900, max_power: 40}\n"
    )
    park = make_park(db, f"mq{uuid.uuid4().hex[:10]}", meters)
    values = [100.0, 600.0, 102.0]
    reports: list[IngestReport] = []
    with running_worker(db, park, on_batch=reports.append) as worker, publisher() as pub:
        for k, value in enumerate(values):
            publish(pub, park_topic(park, "c2"), {"ts": _iso(T0 + 900 * k), "value": value})
            assert wait_until(lambda n=k + 1: len(reports) == n, 10)
    assert not worker.error
    codes = [r.as_dict()["rejected_by_code"] for r in reports]
    assert codes == [{}, {"jump": 1}, {"jump": -1, "spike": 1}]
    assert [r.quarantined_quantity for r in reports] == [0.0, 500.0, -500.0]
    (spike,) = _quarantine(db, park)  # the open records
    assert (spike["code"], spike["source"]) == ("spike", park_topic(park, "c2"))
    assert spike["location"] == reports[1].issues[0].location  # the spike's own message
    with db.transaction() as conn:
        closed, _ = list_records(conn, Principal.system(), park, status="reclassified")
    assert [(r["code"], r["payload"]["quarantined_quantity"]) for r in closed] == [("jump", 500.0)]
    # The same readings in one batch: the same rollups and the same judgement.
    one = make_park(db, f"mq{uuid.uuid4().hex[:10]}", meters)
    records: list[dict[str, object]] = [
        {"meter": "c2", "ts": _iso(T0 + 900 * k), "value": v} for k, v in enumerate(values)
    ]
    report = ingest_records(db, Principal.system(), one, records, source="one")
    assert report.as_dict()["rejected_by_code"] == {"spike": 1}
    assert _rollups(db, park, "c2") == _rollups(db, one, "c2") == [(T0, 2.0)]
    (same,) = _quarantine(db, one)
    assert (same["reason"], same["params"]) == (spike["reason"], spike["params"])


@pytest.mark.requires_mqtt
def test_mqtt_shared_subscription_stores_every_reading_once(sqlite_db: Database) -> None:
    need_service("Mosquitto", HOST, PORT)
    park = make_park(sqlite_db, f"mq{uuid.uuid4().hex[:10]}")
    group = f"g{uuid.uuid4().hex[:8]}"
    n = 200
    with (
        running_worker(sqlite_db, park, group=group) as first,
        running_worker(sqlite_db, park, group=group) as second,
        publisher() as pub,
    ):
        for k in range(1, n + 1):
            publish(pub, park_topic(park, "e1"), {"ts": _iso(T0 + 900 * k), "value": 1.0})
        assert wait_until(lambda: _count(sqlite_db, park) == n, 15)
    stats = first.stats + second.stats
    assert sum(s.messages for s in stats) == n
    assert sum(s.accepted for s in stats) == n
    assert all(s.messages > 0 for s in stats)


class _CrashOnce:
    """A database whose first batch transaction dies, as if the worker crashed before commit."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.calls = 0

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        self.calls += 1
        if self.calls == 2:
            raise RuntimeError("simulated crash before commit")
        with self.db.transaction() as conn:
            yield conn


@pytest.mark.requires_mqtt
def test_mqtt_unacknowledged_batch_is_redelivered_after_a_crash(sqlite_db: Database) -> None:
    need_service("Mosquitto", HOST, PORT)
    park = make_park(sqlite_db, f"mq{uuid.uuid4().hex[:10]}")
    client_id = f"zp-test-{uuid.uuid4().hex[:10]}"
    crashing = _CrashOnce(sqlite_db)
    with running_worker(crashing, park, client_id=client_id) as worker, publisher() as pub:
        publish(pub, park_topic(park, "e1"), {"ts": _iso(T0 + 900), "value": 1.0})
        assert wait_until(lambda: bool(worker.error), 5)
    assert _count(sqlite_db, park) == 0
    with running_worker(sqlite_db, park, client_id=client_id):
        assert wait_until(lambda: _count(sqlite_db, park) == 1, 10)
    assert _stored(sqlite_db, park, "e1") == [(T0 + 900, 1.0)]


@contextmanager
def private_broker(port: int) -> Iterator[subprocess.Popen[bytes]]:
    binary = shutil.which("mosquitto")
    if binary is None:
        need_service("mosquitto binary", "0.0.0.0", 1)  # skips (or fails in CI)
    proc = subprocess.Popen(
        [str(binary), "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert wait_until(lambda: _port_open(port), 5)
        yield proc
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)


def _port_open(port: int) -> bool:
    import socket

    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.mark.requires_mqtt
def test_mqtt_worker_survives_broker_restart(sqlite_db: Database) -> None:
    port = free_port()
    park = make_park(sqlite_db, f"mq{uuid.uuid4().hex[:10]}")
    with private_broker(port) as broker:
        worker_cm = running_worker(sqlite_db, park, port=port)
        worker = worker_cm.__enter__()
        try:
            with publisher(port) as pub:
                publish(pub, park_topic(park, "e1"), {"ts": _iso(T0 + 900), "value": 1.0})
            assert wait_until(lambda: _count(sqlite_db, park) == 1, 5)
            broker.send_signal(signal.SIGKILL)
            broker.wait(5)
            assert wait_until(lambda: not worker.subscriber.ready.is_set(), 5)
            with private_broker(port):
                assert worker.subscriber.ready.wait(10), worker.subscriber.last_error
                with publisher(port) as pub:
                    for k in (2, 3, 4):
                        publish(pub, park_topic(park, "e1"), {"ts": _iso(T0 + 900 * k), "value": k})
                assert wait_until(lambda: _count(sqlite_db, park) == 4, 10)
        finally:
            worker_cm.__exit__(None, None, None)
    assert not worker.error
    assert worker.subscriber.connects >= 2
    assert _rollups(sqlite_db, park, "e1") == [(T0, 10.0)]
