"""``zeropark monitor run``: evaluate the alert rules and send notifications, on a schedule;
``zeropark monitor backfill``: what the rules would have raised over a past period.

``run`` is long-running by default: one pass every ``--every`` seconds (default 300) over every
park (or ``--park``), each followed by the due deliveries. ``--once`` runs one pass and exits.
Stop it with Ctrl-C (SIGINT) or SIGTERM; a pass in progress finishes first.
"""

from __future__ import annotations

import signal
import threading
from typing import Annotated, Any

import typer
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.i18n import t
from zeropark.service.database import Database, open_database
from zeropark.service.monitor.backfill import back_evaluate
from zeropark.service.monitor.deliveries import deliver_due
from zeropark.service.monitor.engine import run_pass
from zeropark.service.park_views import get_park, list_parks
from zeropark.service.parks import resolve_park
from zeropark.service.readings_query import local_iso, parse_local_time

__all__ = ["monitor_app"]

monitor_app = typer.Typer(help="Alert rules and notifications (监测预警).", no_args_is_help=True)
app.add_typer(monitor_app, name="monitor")


def _one_pass(db: Database, principal: Principal, parks: list[str]) -> None:
    for park_id in parks:
        result = run_pass(db, principal, park_id)
        sent = deliver_due(db, principal, park_id)
        console.print(
            t(
                f"{park_id}: 规则 {result.rules}，观测 {result.observations}，新告警 "
                f"{len(result.raised)}，已恢复 {len(result.recovered)}；"
                f"通知 已发 {len(sent.sent)}、"
                f"待重试 {len(sent.retrying)}、失败 {len(sent.failed)}",
                f"{park_id}: {result.rules} rules, {result.observations} observations, "
                f"{len(result.raised)} raised, {len(result.recovered)} recovered; notifications "
                f"{len(sent.sent)} sent, {len(sent.retrying)} to retry, {len(sent.failed)} failed",
            )
        )


@monitor_app.command("run")
@handle_errors
def run(
    park: Annotated[str | None, typer.Option("--park", help="one park (default: all)")] = None,
    once: Annotated[bool, typer.Option("--once", help="one pass, then exit")] = False,
    every: Annotated[
        float, typer.Option("--every", min=5.0, help="seconds between passes")
    ] = 300.0,
) -> None:
    """Evaluate alert rules and send notifications (one pass with --once)."""
    db = open_database(settings())
    principal = Principal.system("monitor")
    parks = (
        [resolve_park(db, principal, park)]
        if park
        else [p["id"] for p in list_parks(db, principal)]
    )
    if not parks:
        console.print(t("没有园区：无规则可评估", "no park: there are no rules to evaluate"))
        return
    if once:
        _one_pass(db, principal, parks)
        return
    stop = threading.Event()

    def _stop(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    console.print(
        t(
            f"监测运行中，每 {every:g} 秒一轮（Ctrl-C 停止）",
            f"monitor running, one pass every {every:g} s (Ctrl-C stops)",
        )
    )
    while not stop.is_set():
        _one_pass(db, principal, parks)
        stop.wait(every)


@monitor_app.command("backfill")
@handle_errors
def backfill(
    start: Annotated[str, typer.Option("--from", help="park-local date or time, e.g. 2024-01-01")],
    end: Annotated[str, typer.Option("--to", help="park-local date or time (exclusive)")],
    park: ParkOption = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="only these rules")] = None,
) -> None:
    """What the rules would have raised over a past period (nothing is written)."""
    db = open_database(settings())
    principal = Principal.system("monitor")
    park_id = resolve_park(db, principal, park)
    timezone = get_park(db, principal, park_id)["timezone"]
    lo_s, hi_s = parse_local_time(start, timezone), parse_local_time(end, timezone)
    result = back_evaluate(db, principal, park_id, lo_s, hi_s, rule_ids=rule or None)
    table = Table(
        t("规则", "rule"), t("对象", "subject"), t("告警", "raised"), t("恢复", "recovered")
    )
    for (rule_id, subject), events in sorted(result.events.items()):
        raised = [local_iso(at, timezone)[:16] for at, e in events if e == "raise"]
        recovered = [local_iso(at, timezone)[:16] for at, e in events if e == "recover"]
        table.add_row(rule_id, subject, "\n".join(raised), "\n".join(recovered))
    console.print(
        t(
            f"{result.rules} 条规则 × {result.hours} 小时：将产生 {result.raised} 条告警",
            f"{result.rules} rules x {result.hours} hours: "
            f"{result.raised} alert(s) would be raised",
        )
    )
    if result.events:
        console.print(table)
