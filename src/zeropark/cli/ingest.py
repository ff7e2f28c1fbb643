"""``zeropark ingest mqtt | modbus``: the long-running live-data workers on the command line."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated

import typer
from rich.markup import escape

from zeropark.cli.base import ParkOption, app, console, err_console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.i18n import get_lang, t
from zeropark.service.database import open_database
from zeropark.service.ingest import IngestReport
from zeropark.service.live_ingest import (
    ModbusRound,
    MqttOptions,
    WorkerStats,
    modbus_points,
    poll_modbus_once,
    run_modbus_worker,
    run_mqtt_worker,
)
from zeropark.service.parks import resolve_park

ingest_app = typer.Typer(
    help="Live data workers: MQTT and Modbus TCP (实时数据接入).", no_args_is_help=True
)
app.add_typer(ingest_app, name="ingest")

#: Exit code of a worker with nothing to do (sysexits EX_CONFIG: a configuration is missing).
NOTHING_TO_DO = 78
_METERS_HELP = "write as a gateway bound to these meter ids (comma-separated); default: operator"


def _principal(park: str, meters: str | None) -> Principal:
    if not meters:
        return Principal.system()
    ids = frozenset(m.strip() for m in meters.split(",") if m.strip())
    return Principal(f"gateway:{park}", "gateway", frozenset({park}), meter_ids=ids)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _print_batch(report: IngestReport) -> None:
    console.print(
        t(
            f"批次: 收到 {report.received}, 接受 {report.accepted}, 重复 {report.duplicates}, "
            f"隔离 {report.rejected}",
            f"batch: received {report.received}, accepted {report.accepted}, "
            f"duplicates {report.duplicates}, quarantined {report.rejected}",
        ),
        highlight=False,
    )
    for issue in report.issues[:5]:
        err_console.print(
            f"[yellow]![/yellow] {escape(issue.describe(get_lang()))}", highlight=False
        )


def _print_totals(stats: WorkerStats) -> None:
    console.print(
        t(
            f"合计: {stats.batches} 批, 接受 {stats.accepted}, 重复 {stats.duplicates}, "
            f"隔离 {stats.rejected}, 设备故障 {stats.failures}, 重试 {stats.retries}",
            f"total: {stats.batches} batches, accepted {stats.accepted}, duplicates "
            f"{stats.duplicates}, quarantined {stats.rejected}, device failures "
            f"{stats.failures}, retries {stats.retries}",
        ),
        highlight=False,
    )


@ingest_app.command("mqtt")
@handle_errors
def mqtt(
    park: ParkOption = None,
    group: Annotated[
        str | None, typer.Option("--group", help="shared-subscription group ($share/<group>/…)")
    ] = None,
    batch_ms: Annotated[
        int, typer.Option("--batch-ms", min=1, help="longest wait to fill a batch [ms]")
    ] = 200,
    max_readings: Annotated[
        int, typer.Option("--max-readings", min=1, help="readings that close a batch")
    ] = 10_000,
    client_id: Annotated[
        str | None, typer.Option("--client-id", help="MQTT client id (keeps the session)")
    ] = None,
    meters: Annotated[str | None, typer.Option("--gateway-meters", help=_METERS_HELP)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no line per batch")] = False,
) -> None:
    """Store readings published on zeropark/<park>/<meter> until Ctrl-C (MQTT 订阅入库)."""
    cfg = settings()
    park = resolve_park(open_database(cfg), Principal.system(), park)
    options = MqttOptions(
        host=cfg.mqtt_host,
        port=cfg.mqtt_port,
        group=group,
        client_id=client_id,
        batch_ms=batch_ms,
        max_readings=max_readings,
    )
    console.print(
        t(
            f"订阅 {cfg.mqtt_host}:{cfg.mqtt_port} 园区 {park}; Ctrl-C 停止",
            f"subscribing on {cfg.mqtt_host}:{cfg.mqtt_port} for park {park}; Ctrl-C stops",
        )
    )
    stats = run_mqtt_worker(
        open_database(cfg),
        _principal(park, meters),
        park,
        options=options,
        stop=_stop_on_signals(),
        on_batch=None if quiet else _print_batch,
    )
    _print_totals(stats)


def _print_round(result: ModbusRound) -> None:
    for value in result.poll.values:
        console.print(f"  {value.meter_id}: {value.value:g}", highlight=False)
    for failure in result.poll.failures:
        err_console.print(
            f"[red]✗[/red] {t('设备无响应', 'device failed')}: {failure}", highlight=False
        )
    if result.poll.values:
        _print_batch(result.report)


@ingest_app.command("modbus")
@handle_errors
def modbus(
    park: ParkOption = None,
    once: Annotated[bool, typer.Option("--once", help="poll every meter once and exit")] = False,
    timeout_s: Annotated[
        float, typer.Option("--timeout", min=0.1, help="per-request timeout [s]")
    ] = 2.0,
    meters: Annotated[str | None, typer.Option("--gateway-meters", help=_METERS_HELP)] = None,
) -> None:
    """Poll the Modbus TCP register maps declared on the park's meters (Modbus 轮询采集).

    With --once the exit code is 69 when a device failed; 78 (nothing to do) when no meter of
    the park declares a Modbus point.
    """
    logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
    db = open_database(settings())
    park = resolve_park(db, Principal.system(), park)
    principal = _principal(park, meters)
    points = modbus_points(db, principal, park)
    if not points:
        # Nothing to poll: say why and stop, instead of polling nothing until Ctrl-C.
        err_console.print(
            t(
                f"园区 {park} 没有可轮询的 Modbus 表计：园区配置文件中没有任何启用的表计声明 "
                "modbus（host、port、unit、register…，见 docs/live-data.md），或 "
                "--gateway-meters 所列表计都没有声明。没有可做的事，退出。",
                f"park {park} has no Modbus meter to poll: no active meter of the park file "
                "declares a modbus point (host, port, unit, register…; see docs/live-data.md), "
                "or none of the --gateway-meters does. Nothing to do; exiting.",
            ),
            highlight=False,
        )
        raise typer.Exit(NOTHING_TO_DO)
    console.print(
        t(
            f"园区 {park}: {len(points)} 块 Modbus 表计",
            f"park {park}: {len(points)} Modbus meter(s)",
        ),
        highlight=False,
    )
    if once:
        result = poll_modbus_once(db, principal, park, timeout_s=timeout_s)
        _print_round(result)
        if result.poll.failures:
            raise typer.Exit(69)
        return
    console.print(t(f"轮询园区 {park}; Ctrl-C 停止", f"polling park {park}; Ctrl-C stops"))
    stats = run_modbus_worker(
        db, principal, park, stop=_stop_on_signals(), on_round=_print_round, timeout_s=timeout_s
    )
    _print_totals(stats)
