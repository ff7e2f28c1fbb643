"""Live data over the one readings pipeline: HTTP batches, the MQTT worker, the Modbus poller.

All three end in :func:`zeropark.service.ingest.ingest_parsed`, one transaction per batch, so
validation, idempotent storage, rollups, quarantine, audit and the gateway's meter binding are
exactly those of a file import.

- :func:`ingest_records`: a JSON list of readings (the HTTP batch endpoint).
- :func:`run_mqtt_worker`: subscribes to ``zeropark/<park>/#`` (or a shared subscription), groups
  messages for up to ``batch_ms`` [ms] or ``max_readings`` readings, stores the batch and only
  then acknowledges its messages. A crash before the commit means the broker delivers them again;
  delivering again is harmless because ingest is idempotent. A database error keeps the batch and
  retries it. A malformed message is quarantined with its topic as source; a rejected reading
  (unparsable, unknown meter, set aside by normalisation …) with its topic and record number.
- :func:`poll_modbus_once` / :func:`run_modbus_worker`: read every meter's Modbus point on its
  ``poll_s``, stamp values with the poll time (UTC, whole second), store each round as a batch; a
  device that is down is reported and retried at the meter's next poll.

Batching waits and polling schedules are durations, measured on ``time.monotonic``; the times
written (a message's receipt, a poll's stamp, the plausibility check) come from ``db.clock``.
"""

from __future__ import annotations

import logging
import math
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
from pydantic import TypeAdapter

from zeropark.domain.access import Principal
from zeropark.domain.park import ModbusPoint
from zeropark.domain.timeseries import TimeWindowRules
from zeropark.ingest.modbus import ModbusPoller, PollResult
from zeropark.ingest.mqtt import (
    Message,
    MqttSubscriber,
    PayloadError,
    decode_message,
    park_topic,
    subscription_filter,
)
from zeropark.ingest.readings_format import ParsedReadings, parse_records
from zeropark.service.database import Database
from zeropark.service.ingest import (
    IngestReport,
    display_name,
    ingest_parsed,
    park_timezone,
    time_check,
    time_rules,
)
from zeropark.service.monitor.hook import after_batch
from zeropark.store.engine import DatabaseError
from zeropark.store.parks import ParkRepository
from zeropark.store.quarantine import QuarantineRecord, add_records
from zeropark.store.readings import meter_refs

__all__ = [
    "ModbusRound",
    "MqttOptions",
    "WorkerStats",
    "ingest_records",
    "modbus_points",
    "poll_modbus_once",
    "run_modbus_worker",
    "run_mqtt_worker",
]

log = logging.getLogger(__name__)


def _iso_ms(ts_s: float) -> str:
    return (
        datetime.fromtimestamp(ts_s, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def ingest_records(
    db: Database,
    principal: Principal,
    park_id: str,
    records: list[dict[str, object]],
    *,
    source: str,
    now_s: float | None = None,
    rules: TimeWindowRules | None = None,
) -> IngestReport:
    """Ingest a list of reading records (``meter, ts, value[, quality]``) in one transaction.

    ``now_s`` and ``rules`` set the plausibility check of reading times (default: the database's
    clock, ``db.clock``, and the environment's ``ZEROPARK_READINGS_*`` settings).
    """
    name = display_name(source)
    report = IngestReport(name)
    times = time_check(db.clock.now_s() if now_s is None else now_s, rules)
    with db.transaction() as conn:
        timezone = park_timezone(conn, principal, park_id)
        parsed = parse_records(records, source=name, timezone=timezone)
        ingest_parsed(
            conn, principal, park_id, timezone, parsed, report, times=times, refuse_foreign=True
        )
    report.committed(parsed)
    after_batch(db, park_id, set(parsed.meter.tolist()))
    return report


# --- MQTT -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MqttOptions:
    """How the MQTT worker connects and batches.

    ``batch_ms`` [ms]: longest wait for more messages before a batch is stored;
    ``max_readings``: readings that close a batch early; ``db_retry_s`` [s]: wait before a batch
    whose transaction failed is tried again; the rest are :class:`MqttSubscriber`'s parameters.
    """

    host: str = "127.0.0.1"
    port: int = 1883
    group: str | None = None
    client_id: str | None = None
    batch_ms: int = 200
    max_readings: int = 10_000
    session_expiry_s: int = 3600
    reconnect_min_s: int = 1
    reconnect_max_s: int = 30
    db_retry_s: float = 2.0


@dataclass
class WorkerStats:
    """Running totals of a worker: batches, messages, readings by outcome, devices failed."""

    batches: int = 0
    messages: int = 0
    received: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    failures: int = 0
    retries: int = 0

    def add(self, report: IngestReport, messages: int = 0) -> None:
        """Count one stored batch."""
        self.batches += 1
        self.messages += messages
        self.received += report.received
        self.accepted += report.accepted
        self.duplicates += report.duplicates
        self.rejected += report.rejected


@dataclass
class _Batch:
    messages: list[Message] = field(default_factory=list)
    records: list[dict[str, object]] = field(default_factory=list)
    origin: list[tuple[int, int]] = field(default_factory=list)  # (message index, record no.)
    malformed: list[QuarantineRecord] = field(default_factory=list)


def _collect(
    sub: MqttSubscriber, park_id: str, options: MqttOptions, stop: threading.Event
) -> _Batch:
    """Messages for one batch: wait for the first, then up to ``batch_ms`` or ``max_readings``."""
    batch = _Batch()
    first = sub.get(0.2)
    if first is None:
        return batch
    deadline = time.monotonic() + options.batch_ms / 1000
    msg: Message | None = first
    while msg is not None:
        index = len(batch.messages)
        batch.messages.append(msg)
        try:
            records = decode_message(park_id, msg.topic, msg.payload)
        except PayloadError as exc:
            batch.malformed.append(
                QuarantineRecord(
                    source=msg.topic,
                    code=exc.code,
                    reason=exc.reason,
                    location=f"received {_iso_ms(msg.received_s)}",
                    value=msg.payload[:500].decode("utf-8", errors="replace"),
                    reason_code=exc.reason_code,
                    params=exc.params,
                )
            )
            records = []
        batch.records += records
        batch.origin += [(index, k) for k in range(1, len(records) + 1)]
        if len(batch.records) >= options.max_readings or stop.is_set():
            break
        msg = sub.get(deadline - time.monotonic())
    return batch


def _store_batch(
    db: Database,
    principal: Principal,
    park_id: str,
    timezone: str,
    batch: _Batch,
    rules: TimeWindowRules | None = None,
) -> IngestReport:
    """Parse and store one batch in one transaction; every rejected reading names its message's
    topic and its record number in the message."""
    first = batch.messages[0].received_s
    report = IngestReport(f"mqtt:{park_topic(park_id)}@{_iso_ms(first)}")
    # The parser numbers the batch's records 1, 2, … (its rows); ``origin`` maps them back.
    parsed = parse_records(batch.records, source=report.source, timezone=timezone)

    def locate(row: int) -> tuple[str, str]:
        msg_index, number = batch.origin[row - 1]
        msg = batch.messages[msg_index]
        return msg.topic, f"received {_iso_ms(msg.received_s)}, record {number}"

    quarantined = list(batch.malformed)
    for rej in parsed.rejections:
        topic, location = locate(rej.row or 1)
        issue = rej.issue().at(source=topic, location=location)
        quarantined.append(QuarantineRecord.of_issue(issue, reason=rej.reason))
    clean = replace(parsed, rejections=[])
    with db.transaction() as conn:
        times = time_check(db.clock.now_s(), rules)
        ingest_parsed(conn, principal, park_id, timezone, clean, report, times=times, locate=locate)
        add_records(conn, park_id, quarantined, sent_by=principal.subject)
    after_batch(db, park_id, set(clean.meter.tolist()))
    report.received += len(quarantined)
    for record in quarantined:
        report.reject(record)
    return report


def _default_client_id(park_id: str, group: str | None) -> str:
    """Stable across restarts on one host (so the session resumes), distinct across hosts."""
    return f"zeropark-{park_id}-{group or 'worker'}-{socket.gethostname()}"[:64]


def run_mqtt_worker(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    options: MqttOptions,
    stop: threading.Event,
    on_batch: Callable[[IngestReport], None] | None = None,
    subscriber: MqttSubscriber | None = None,
    rules: TimeWindowRules | None = None,
) -> WorkerStats:
    """Store a park's MQTT readings until ``stop`` is set; returns the worker's totals.

    ``principal`` is the writer: a gateway principal may only write its bound meters (others are
    quarantined by the pipeline). ``subscriber`` replaces the default one (tests, tuning).
    Reading times are checked against ``rules`` (default: the environment's) at each batch.
    """
    rules = rules if rules is not None else time_rules()
    with db.transaction() as conn:
        timezone = park_timezone(conn, principal, park_id)
    sub = subscriber or MqttSubscriber(
        host=options.host,
        port=options.port,
        topic=subscription_filter(park_id, options.group),
        client_id=options.client_id or _default_client_id(park_id, options.group),
        session_expiry_s=options.session_expiry_s,
        reconnect_min_s=options.reconnect_min_s,
        reconnect_max_s=options.reconnect_max_s,
        clock=db.clock,
    )
    stats = WorkerStats()
    sub.start()
    try:
        while not stop.is_set():
            batch = _collect(sub, park_id, options, stop)
            while batch.messages:  # the batch in hand is stored even when asked to stop
                try:
                    report = _store_batch(db, principal, park_id, timezone, batch, rules)
                except DatabaseError as exc:  # database down or busy: keep the batch, retry
                    stats.retries += 1
                    log.warning("MQTT batch not stored, retrying: %s", exc)
                    if stop.wait(options.db_retry_s):
                        break  # unacknowledged: the broker delivers it again
                    continue
                sub.ack(batch.messages)
                stats.add(report, len(batch.messages))
                if on_batch:
                    on_batch(report)
                break
    finally:
        sub.stop()
    return stats


# --- Modbus ---------------------------------------------------------------------------------


def modbus_points(db: Database, principal: Principal, park_id: str) -> dict[str, ModbusPoint]:
    """The Modbus points of the park's active meters that ``principal`` may write, by meter id."""
    return _modbus_setup(db, principal, park_id)[1]


def _modbus_setup(
    db: Database, principal: Principal, park_id: str
) -> tuple[str, dict[str, ModbusPoint]]:
    """The park's timezone and :func:`modbus_points`, read in one transaction."""
    adapter = TypeAdapter(ModbusPoint)
    with db.transaction() as conn:
        timezone = park_timezone(conn, principal, park_id)
        # The register map is configuration; a gateway may not read it, but it may poll the
        # meters it writes, so the map is read as the system and filtered to those meters.
        specs = ParkRepository(conn, Principal.system("modbus-poller")).section(park_id, "meters")
        refs = meter_refs(conn, principal, park_id)
    return timezone, {
        doc["id"]: adapter.validate_python(doc["modbus"])
        for doc in specs
        if doc.get("modbus")
        and doc["id"] in refs
        and refs[doc["id"]].active
        and principal.can_write_reading(park_id, doc["id"])
    }


@dataclass
class ModbusRound:
    """One polling round: what was read, which devices failed, what the pipeline did."""

    poll: PollResult
    report: IngestReport


def _store_round(
    db: Database,
    principal: Principal,
    park_id: str,
    timezone: str,
    poll: PollResult,
    now_s: float,
    rules: TimeWindowRules | None = None,
) -> IngestReport:
    report = IngestReport(f"modbus:{park_id}@{_iso_ms(now_s)}")
    if not poll.values:
        return report
    parsed = ParsedReadings(
        meter=np.array([v.meter_id for v in poll.values], dtype=object),
        ts_s=np.array([v.ts_s for v in poll.values], dtype=np.int64),
        value=np.array([v.value for v in poll.values], dtype=np.float64),
        quality=np.zeros(len(poll.values), np.uint8),
        row=np.full(len(poll.values), -1, np.int64),
    )
    with db.transaction() as conn:
        ingest_parsed(
            conn, principal, park_id, timezone, parsed, report, times=time_check(now_s, rules)
        )
    after_batch(db, park_id, set(parsed.meter.tolist()))
    return report


def poll_modbus_once(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    poller: ModbusPoller | None = None,
    now_s: float | None = None,
    timeout_s: float = 2.0,
    rules: TimeWindowRules | None = None,
) -> ModbusRound:
    """Poll every Modbus meter of the park once and store the values as one batch."""
    timezone, points = _modbus_setup(db, principal, park_id)
    own = poller is None
    poller = poller or ModbusPoller(timeout_s=timeout_s)
    try:
        now = db.clock.now_s() if now_s is None else now_s
        poll = poller.poll(points, now)
    finally:
        if own:
            poller.close()
    return ModbusRound(poll, _store_round(db, principal, park_id, timezone, poll, now, rules))


def run_modbus_worker(
    db: Database,
    principal: Principal,
    park_id: str,
    *,
    stop: threading.Event,
    on_round: Callable[[ModbusRound], None] | None = None,
    timeout_s: float = 2.0,
    rules: TimeWindowRules | None = None,
) -> WorkerStats:
    """Poll each meter on its ``poll_s`` [s] (at least 1 s) until ``stop`` is set."""
    rules = rules if rules is not None else time_rules()
    timezone, points = _modbus_setup(db, principal, park_id)
    poller = ModbusPoller(timeout_s=timeout_s)
    stats = WorkerStats()
    due = dict.fromkeys(points, time.monotonic())
    try:
        while points and not stop.is_set():
            tick = time.monotonic()
            now = {m: p for m, p in points.items() if due[m] <= tick}
            for meter_id in now:
                period = max(points[meter_id].poll_s, 1.0)
                due[meter_id] += period * max(1, math.floor((tick - due[meter_id]) / period) + 1)
            if now:
                wall = db.clock.now_s()
                poll = poller.poll(now, wall)
                stats.failures += len(poll.failures)
                for failure in poll.failures:
                    log.warning("Modbus device failed: %s", failure)
                try:
                    report = _store_round(db, principal, park_id, timezone, poll, wall, rules)
                except DatabaseError as exc:
                    log.warning("Modbus round not stored: %s", exc)
                    report = IngestReport("modbus:not-stored")
                    stats.retries += 1
                stats.add(report)
                if on_round:
                    on_round(ModbusRound(poll, report))
            stop.wait(max(0.0, min(due.values()) - time.monotonic()))
    finally:
        poller.close()
    return stats
