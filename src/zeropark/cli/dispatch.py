"""``zeropark dispatch plan | publish | run | replay``: day-ahead plans, setpoints, the loop and
the replay of a past period (源网荷储协同调度); ``zeropark forecast SERIES``: a stored forecast."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.i18n import t
from zeropark.service.database import open_database
from zeropark.service.dispatch.forecasters import default_forecaster
from zeropark.service.dispatch.plan import plan_day
from zeropark.service.dispatch.publish import publish_plan, run_once
from zeropark.service.dispatch.replay import STRATEGIES, replay
from zeropark.service.dispatch.views import plan_view, replay_view
from zeropark.service.forecasting import forecast_meter
from zeropark.service.parks import resolve_park
from zeropark.store.parks import ParkRepository
from zeropark.web.dispatch_report import dispatch_report_html

__all__ = ["forecast", "plan", "publish", "replay_period", "report", "run"]

dispatch_app = typer.Typer(
    help="Dispatch of PV, storage and flexible loads (源网荷储协同调度).", no_args_is_help=True
)
app.add_typer(dispatch_app, name="dispatch")

DateOpt = Annotated[str, typer.Option("--date", help="park-local day, YYYY-MM-DD")]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            t(f"{text!r} 不是日期 (YYYY-MM-DD)", f"{text!r} is not a date (YYYY-MM-DD)")
        ) from None


def _strategy_name(name: str) -> str:
    return {
        "baseline": t("不调度（基准）", "no dispatch (baseline)"),
        "as_operated": t("实际运行", "as operated"),
        "optimised": t("优化（预测）", "optimised (forecasts)"),
        "perfect": t("优化（完美预见）", "optimised (perfect foresight)"),
    }[name]


@dispatch_app.command("plan")
@handle_errors
def plan(day: DateOpt, park: ParkOption = None) -> None:
    """Plan a day from forecasts and store the plan as its next version (日前计划)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    stored = plan_day(db, principal, park_id, _day(day), default_forecaster(), db.clock)
    k = stored.kpis
    console.print(
        t(
            f"{stored.plan_date} 调度计划 v{stored.version}：预计电费 {k['cost_cny']:,.2f} 元，"
            f"较不调度节省 {k['cost_saved_cny']:,.2f} 元，峰值降低 {k['peak_reduced_kw']:,.1f} kW",
            f"dispatch plan {stored.plan_date} v{stored.version}: expected cost "
            f"{k['cost_cny']:,.2f} CNY, {k['cost_saved_cny']:,.2f} CNY saved against no dispatch, "
            f"peak reduced by {k['peak_reduced_kw']:,.1f} kW",
        ),
        highlight=False,
    )


@dispatch_app.command("publish")
@handle_errors
def publish(day: DateOpt, park: ParkOption = None) -> None:
    """Send the plan in force for a day to the devices (MQTT, Modbus) (下发设定值)."""
    s = settings()
    db = open_database(s)
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    deliveries = publish_plan(
        db, principal, park_id, _day(day).isoformat(), db.clock,
        mqtt_host=s.mqtt_host, mqtt_port=s.mqtt_port,
    )  # fmt: skip
    for d in deliveries:
        mark = "[green]✓[/green]" if d.ok else "[red]✗[/red]"
        console.print(
            f"{mark} {d.asset_id} {d.channel} {d.target} {d.error or ''}", highlight=False
        )
    if not any(d.ok for d in deliveries):
        raise typer.Exit(1)


@dispatch_app.command("run")
@handle_errors
def run(
    park: ParkOption = None,
    once: Annotated[bool, typer.Option("--once", help="one step, then exit")] = False,
    every_s: Annotated[
        float, typer.Option("--every", min=10, help="seconds between steps (default 900)")
    ] = 900.0,
) -> None:
    """The model-predictive loop: plan today and tomorrow from the latest data, publish today's
    plan, every ``--every`` seconds (滚动优化)."""
    s = settings()
    db = open_database(s)
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    forecaster = default_forecaster()
    while True:
        step = run_once(
            db,
            principal,
            park_id,
            db.clock,
            forecaster,
            mqtt_host=s.mqtt_host,
            mqtt_port=s.mqtt_port,
        )
        ok = sum(d.ok for d in step.deliveries)
        console.print(
            t(
                f"新计划 {len(step.planned)} 个；下发成功 {ok}/{len(step.deliveries)}",
                f"{len(step.planned)} new plan(s); "
                f"{ok}/{len(step.deliveries)} deliveries succeeded",
            ),
            highlight=False,
        )
        if once:
            return
        time.sleep(every_s)


@dispatch_app.command("replay")
@handle_errors
def replay_period(
    start: Annotated[str, typer.Option("--from", help="first park-local day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last park-local day, YYYY-MM-DD (inclusive)")],
    park: ParkOption = None,
) -> None:
    """Replay the optimiser over a past period with day-ahead forecasts, and what it saves
    (历史推演)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    first, last = _day(start), _day(end)
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task(t("推演", "replaying"), total=(last - first).days + 1)
        report = replay(
            db, principal, park_id, first, last, default_forecaster(),
            progress=lambda _day: bar.advance(task),
        )  # fmt: skip
    table = Table(title=t(f"推演 {first} 至 {last}", f"Replay {first} to {last}"))
    for header in (
        t("策略", "strategy"), t("电量电费 元", "energy CNY"), t("需量电费 元", "demand CNY"),
        t("合计 元", "total CNY"), t("较基准节省 元", "saved vs baseline CNY"),
    ):  # fmt: skip
        table.add_column(header)
    for name in STRATEGIES:
        s = report.settlements[name]
        table.add_row(
            _strategy_name(name), f"{s.energy_cny:,}", f"{s.demand_charge_cny:,}",
            f"{s.total_cny:,}", f"{report.saving_cny(name):,}",
        )  # fmt: skip
    console.print(table)
    capture = report.capture()
    if capture is not None:
        console.print(
            t(
                f"预测计划获得完美预见节省的 {capture:.1%}",
                f"forecast plans captured {capture:.1%} of the perfect-foresight saving",
            ),
            highlight=False,
        )
    for day, reason in report.skipped:
        console.print(f"[yellow]![/yellow] {day}: {reason}", highlight=False)


@app.command("forecast")
@handle_errors
def forecast(
    series: Annotated[str, typer.Argument(help="a meter or virtual meter id")],
    horizon: Annotated[str, typer.Option("--horizon", help="1d or 7d")] = "1d",
    origin: Annotated[
        str | None,
        typer.Option(
            "--origin", help="ISO time to forecast from (default: today 00:00, park time)"
        ),
    ] = None,
    park: ParkOption = None,
) -> None:
    """Forecast a meter ahead with the model its backtest chooses, and store it (负荷/光伏预测)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    start = datetime.fromisoformat(origin) if origin else None
    if start is not None and start.tzinfo is None:
        raise typer.BadParameter(
            t("起点须带时区，如 +08:00", "the origin needs an offset, e.g. +08:00")
        )
    run = forecast_meter(db, principal, park_id, series, horizon, start)
    table = Table(
        title=t(
            f"{series} 回测（选用 {run.forecast.model}）",
            f"{series} backtest (chosen: {run.forecast.model})",
        )
    )
    for header in (t("模型", "model"), "MAPE %", "MASE", "nMAE"):
        table.add_column(header)
    for s in run.scores:
        table.add_row(
            ("★ " if s.get("chosen") else "") + str(s["model"]),
            *(f"{float(s[k]):.3f}" if k in s else "—" for k in ("mape", "mase", "nmae")),
        )
    console.print(table)
    values = run.forecast.values
    console.print(
        t(
            f"已存储 {len(values)} 小时预测，合计 {sum(values):,.1f} {run.forecast.unit}，"
            f"峰值 {max(values):,.1f}",
            f"stored {len(values)} hours of forecast, total {sum(values):,.1f} "
            f"{run.forecast.unit}, peak {max(values):,.1f}",
        ),
        highlight=False,
    )


@dispatch_app.command("report")
@handle_errors
def report(
    day: DateOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="the HTML file to write")],
    replay_from: Annotated[
        str | None, typer.Option("--replay-from", help="also replay from this day")
    ] = None,
    replay_to: Annotated[str | None, typer.Option("--replay-to", help="… to this day")] = None,
    park: ParkOption = None,
) -> None:
    """Write the dispatch report of a day (and optionally a replay) as one HTML file that opens
    offline (调度报告)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    plan_doc = plan_view(db, principal, park_id, _day(day))
    replay_doc = None
    if replay_from and replay_to:
        result = replay(
            db, principal, park_id, _day(replay_from), _day(replay_to), default_forecaster()
        )
        replay_doc = replay_view(result)
    with db.transaction() as conn:
        name = ParkRepository(conn, principal).get_park(park_id).name
    out.write_text(dispatch_report_html(name, plan_doc, replay_doc), encoding="utf-8")
    console.print(t(f"已写出 {out}", f"wrote {out}"), highlight=False)
