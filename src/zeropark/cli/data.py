"""Data integration on the command line: import, templates, quality, export, quarantine review.

``zeropark import readings|activities``, ``zeropark template activities``,
``zeropark data quality``, ``zeropark readings export`` and ``zeropark quarantine
list|resubmit|dismiss`` — thin wrappers over the service layer (docs/data-integration.md).
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, err_console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.domain.issue_messages import render
from zeropark.domain.spreadsheet import safe_cell
from zeropark.i18n import Lang, get_lang, t
from zeropark.ingest.files import DEFAULT_CHUNK_ROWS, progress_total
from zeropark.service.activities_io import import_activities_file, write_template
from zeropark.service.database import Database, open_database
from zeropark.service.ingest import IngestReport, ingest_readings_file
from zeropark.service.parks import rederive_rollups, resolve_park
from zeropark.service.quality import (
    QualitySummary,
    data_quality,
    needs_attention,
    summarise_quality,
)
from zeropark.service.quarantine_review import dismiss, list_quarantine, resubmit
from zeropark.service.readings_query import export_readings, local_iso

__all__ = ["import_app", "quarantine_app", "readings_app", "template_app"]

import_app = typer.Typer(help="Import readings or activity data (导入数据).", no_args_is_help=True)
template_app = typer.Typer(help="Fill-in templates (填报模板).", no_args_is_help=True)
data_app = typer.Typer(help="Data quality (数据质量).", no_args_is_help=True)
readings_app = typer.Typer(help="Derived meter quantities (表计数据).", no_args_is_help=True)
quarantine_app = typer.Typer(help="Review rejected records (隔离区).", no_args_is_help=True)
for _sub, _name in (
    (import_app, "import"),
    (template_app, "template"),
    (data_app, "data"),
    (readings_app, "readings"),
    (quarantine_app, "quarantine"),
):
    app.add_typer(_sub, name=_name)

MAX_SHOWN_ISSUES = 20
STRICT_EXIT = 65


class ReportFormat(StrEnum):
    """How import reports and quality tables are printed."""

    table = "table"
    json = "json"


class ExportFormat(StrEnum):
    """How exported quantities are printed."""

    csv = "csv"
    json = "json"


def _open(park: str | None) -> tuple[Database, Principal, str]:
    db = open_database(settings())
    principal = Principal.system()
    return db, principal, resolve_park(db, principal, park)


def _print_report(report: IngestReport, fmt: ReportFormat) -> None:
    """One report: counts, rejections by code, the first issues (file, row, field, reason)."""
    if fmt is ReportFormat.json:
        shown = report.issues[:MAX_SHOWN_ISSUES]
        data = {**report.as_dict(), "issues": [i.as_dict(get_lang()) for i in shown]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(
        f"[bold]{report.source}[/bold]: "
        + t(
            f"接收 {report.received:,}, 新增 {report.accepted:,}, 重复 {report.duplicates:,}, "
            f"更正 {report.corrected:,}, 估算区间 {report.estimated_intervals:,}, "
            f"隔离 {report.rejected:,} (隔离电量/数量 {report.quarantined_quantity:,.3f})",
            f"received {report.received:,}, accepted {report.accepted:,}, duplicate "
            f"{report.duplicates:,}, corrected {report.corrected:,}, estimated intervals "
            f"{report.estimated_intervals:,}, rejected {report.rejected:,} (quarantined "
            f"quantity {report.quarantined_quantity:,.3f})",
        ),
        highlight=False,
    )
    for code, count in sorted(report.rejected_by_code.items()):
        console.print(f"  [red]{code}[/red]: {count:,}", highlight=False)
    for issue in report.issues[:MAX_SHOWN_ISSUES]:
        line = escape(issue.describe(get_lang()))
        console.print(f"  [red]✗[/red] {line}", highlight=False, soft_wrap=True)
    if report.rejected > MAX_SHOWN_ISSUES:
        console.print(
            t(
                f"  … 其余 {report.rejected - MAX_SHOWN_ISSUES:,} 条见 zeropark quarantine list",
                f"  … {report.rejected - MAX_SHOWN_ISSUES:,} more: zeropark quarantine list",
            )
        )


def _finish(reports: list[IngestReport], fmt: ReportFormat, strict: bool) -> None:
    for report in reports:
        _print_report(report, fmt)
    if strict and any(r.rejected for r in reports):
        err_console.print(t("--strict: 存在问题, 以非零状态退出", "--strict: issues found"))
        raise typer.Exit(STRICT_EXIT)


@import_app.command("readings")
@handle_errors
def import_readings(
    files: Annotated[list[Path], typer.Argument(help="CSV or Excel files: meter, ts, value")],
    park: ParkOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="non-zero exit on any issue")] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json")] = (
        ReportFormat.table
    ),
    chunk_rows: Annotated[
        int, typer.Option("--chunk-rows", hidden=True, min=1, help="rows per transaction")
    ] = DEFAULT_CHUNK_ROWS,
) -> None:
    """Import meter readings files through the validation pipeline (导入读数)."""
    db, principal, park_id = _open(park)
    reports = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=fmt is ReportFormat.json,
    ) as progress:
        for path in files:
            task = progress.add_task(path.name, total=progress_total(path))

            def advance(done: int, task: TaskID = task) -> None:
                progress.update(task, completed=done)

            reports.append(
                ingest_readings_file(
                    db, principal, park_id, path, on_progress=advance, chunk_rows=chunk_rows
                )
            )
    _finish(reports, fmt, strict)


@import_app.command("activities")
@handle_errors
def import_activities(
    path: Annotated[Path, typer.Argument(help="activities file: the .xlsx template or .csv")],
    park: ParkOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="non-zero exit on any issue")] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json")] = (
        ReportFormat.table
    ),
) -> None:
    """Import activity data (fuel, process, refrigerant, waste, output, certificates)."""
    db, principal, park_id = _open(park)
    _finish([import_activities_file(db, principal, park_id, path)], fmt, strict)


@template_app.command("activities")
@handle_errors
def template_activities(
    park: ParkOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="file to write (.xlsx)")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en")] = None,
) -> None:
    """Write the park's Excel template for activity data (活动数据填报模板)."""
    db, principal, park_id = _open(park)
    chosen: Lang = "en" if (lang or get_lang()) == "en" else "zh"
    path = write_template(db, principal, park_id, out or Path(f"{park_id}-activities.xlsx"), chosen)
    console.print(t(f"已生成模板 {path}", f"template written to {path}"), highlight=False)


@data_app.command("rederive")
@handle_errors
def rederive(
    park: ParkOption = None,
    meters: Annotated[
        list[str] | None, typer.Option("--meter", help="only this meter (repeatable)")
    ] = None,
) -> None:
    """Derive the hourly rollups again from the stored readings (重新汇总小时数据).

    For rollups that `zeropark verify` names as not matching their readings (written by an
    older version); the readings are not changed.
    """
    db, principal, park_id = _open(park)
    done = rederive_rollups(db, principal, park_id, meters)
    console.print(
        t(
            f"已按读数重新汇总 {done['meters']} 块电表, 写入 {done['rollup_rows']:,} 个小时",
            f"derived {done['rollup_rows']:,} hourly rollups of {done['meters']} meters again "
            "from their readings",
        ),
        highlight=False,
    )


@data_app.command("quality")
@handle_errors
def quality(
    park: ParkOption = None,
    start: Annotated[str | None, typer.Option("--from", help="start, park-local ISO")] = None,
    end: Annotated[str | None, typer.Option("--to", help="end (exclusive), park-local")] = None,
    period: Annotated[str, typer.Option("--period", help="month or day")] = "month",
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json")] = (
        ReportFormat.table
    ),
    show_all: Annotated[
        bool, typer.Option("--all", help="list every meter and period, not only those to check")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="rows listed under the summary (default 20)")
    ] = 20,
) -> None:
    """Data quality: a summary first (coverage, estimated share, open quarantine, last
    reading), then the meters and periods that need a look (--all: every one; --format json:
    every row as data)."""
    db, principal, park_id = _open(park)
    report = data_quality(db, principal, park_id, start=start, end=end, period=period)
    rows = [
        {
            "meter": r.meter_id,
            "period_start": local_iso(r.start_s, report.timezone),
            "coverage": round(r.coverage, 6),
            "estimated_share": None if r.estimated_share is None else round(r.estimated_share, 6),
            "last_seen": None
            if r.last_seen_s is None
            else local_iso(r.last_seen_s, report.timezone),
            "open_quarantine": r.open_quarantine,
        }
        for r in report.rows
    ]
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    summary = summarise_quality(report)
    _print_quality_summary(park_id, summary, report.timezone)
    listed = [
        row for row, r in zip(rows, report.rows, strict=True) if show_all or needs_attention(r)
    ]
    listed = listed if show_all else listed[:limit]
    if not listed:
        return
    title = t("需要关注的表计与期间", "Meters and periods to check")
    if show_all:
        title = t(f"数据质量 — {park_id}", f"Data quality — {park_id}")
    table = Table(title=title)
    for label in (
        t("表计", "meter"),
        t("期间", "period"),
        t("覆盖率", "coverage"),
        t("估算占比", "estimated"),
        t("最新读数", "last seen"),
        t("待处理隔离", "open quarantine"),
    ):
        table.add_column(label)
    for row in listed:
        share = row["estimated_share"]
        table.add_row(
            str(row["meter"]),
            str(row["period_start"])[: 7 if period == "month" else 10],
            f"{row['coverage']:.1%}",
            "—" if share is None else f"{share:.2%}",
            str(row["last_seen"] or "—")[:16].replace("T", " "),
            str(row["open_quarantine"]),
        )
    console.print(table)
    hidden = summary.attention - len(listed) if not show_all else 0
    if hidden > 0:
        console.print(
            t(
                f"… 另有 {hidden:,} 行需要关注（--limit N 或 --all 列出）",
                f"… {hidden:,} more to check (--limit N, or --all)",
            ),
            highlight=False,
        )
    for meter, count in report.unplaced_quarantine.items():
        console.print(
            t(
                f"表计 {meter}: {count} 条待处理隔离记录时间无法识别，未计入任何期间",
                f"meter {meter}: {count} open quarantine record(s) with an unreadable time, "
                "in no period",
            )
        )


def _print_quality_summary(park_id: str, s: QualitySummary, timezone: str) -> None:
    """The summary block of ``zeropark data quality`` (figures first, in the CLI's language)."""

    def when(ts: int | None) -> str:
        return "—" if ts is None else local_iso(ts, timezone)[:16].replace("T", " ")

    pct = "—" if s.coverage is None else f"{s.coverage:.2%}"
    est = "—" if s.estimated_share is None else f"{s.estimated_share:.3%}"
    lowest = s.lowest
    low = (
        "—"
        if lowest is None
        else f"{lowest.meter_id} {local_iso(lowest.start_s, timezone)[:10]} {lowest.coverage:.1%}"
    )
    console.print(
        t(f"[bold]数据质量 — {park_id}[/bold]", f"[bold]Data quality — {park_id}[/bold]"),
        highlight=False,
    )
    lines = (
        (t("表计 × 期间", "meters × periods"), f"{s.meters:,} × {s.periods:,} = {s.rows:,}"),
        (t("平均覆盖率", "mean coverage"), pct),
        (t("最低覆盖率", "lowest coverage"), low),
        (t("平均估算占比", "mean estimated share"), est),
        (t("待处理隔离记录", "open quarantine records"), f"{s.open_quarantine:,}"),
        (
            t("需要关注", "to check"),
            t(
                f"{s.attention:,} 行（{s.meters_with_attention:,} 块表）",
                f"{s.attention:,} rows ({s.meters_with_attention:,} meters)",
            ),
        ),
        (
            t("最新读数", "last reading"),
            t(
                f"最落后 {when(s.last_seen_oldest_s)}，最新 {when(s.last_seen_newest_s)}"
                f"（{timezone}）",
                f"furthest behind {when(s.last_seen_oldest_s)}, newest "
                f"{when(s.last_seen_newest_s)} "
                f"({timezone})",
            ),
        ),
    )
    for name, value in lines:
        console.print(f"  {name}: {value}", highlight=False)


@readings_app.command("export")
@handle_errors
def export(
    meter: Annotated[str, typer.Option("--meter", help="meter or virtual meter id")],
    start: Annotated[str, typer.Option("--from", help="start, park-local ISO date or time")],
    end: Annotated[str, typer.Option("--to", help="end (exclusive), park-local")],
    interval: Annotated[str, typer.Option("--interval", help="15min, hour, day or month")] = (
        "hour"
    ),
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or json")] = ExportFormat.csv,
    park: ParkOption = None,
) -> None:
    """Print derived quantities of a meter with quality flags, in park-local time."""
    db, principal, park_id = _open(park)
    result = export_readings(db, principal, park_id, meter, start, end, interval)
    timezone = result.timezone
    records: list[dict[str, Any]] = [
        {
            "start": local_iso(r.start_s, timezone),
            "end": local_iso(r.end_s, timezone),
            "quantity": None if r.quantity is None else round(r.quantity, 6),
            "estimated": None if r.estimated is None else round(r.estimated, 6),
            "coverage": round(r.coverage, 6),
            "quality": r.quality,
        }
        for r in result.rows
    ]
    if fmt is ExportFormat.json:
        head = {"park": park_id, "meter": meter, "unit": result.unit, "interval": result.interval}
        typer.echo(json.dumps({**head, "timezone": timezone, "rows": records}, ensure_ascii=False))
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ["meter", "unit", *records[0]] if records else ["meter"])
    writer.writeheader()
    for record in records:
        quantity = record["quantity"]
        row = {**record, "meter": meter, "unit": result.unit, "quantity": _num(quantity)}
        writer.writerow({k: safe_cell(v) for k, v in row.items()})  # no cell becomes a formula
    typer.echo(buffer.getvalue(), nl=False)


def _num(value: float | None) -> str:
    """A quantity for CSV: rounded to 1e-6 of its unit (register arithmetic leaves float dust)."""
    return "" if value is None else repr(round(value, 6))


@quarantine_app.command("list")
@handle_errors
def quarantine_list(
    park: ParkOption = None,
    status: Annotated[
        str, typer.Option("--status", help="open, resubmitted, dismissed, reclassified, all")
    ] = "open",
) -> None:
    """List quarantined records: id, source, row, field, value, reason (隔离记录)."""
    db, principal, park_id = _open(park)
    rows, total = list_quarantine(
        db, principal, park_id, status=None if status == "all" else status
    )
    if not rows:
        console.print(
            t(f"园区 {park_id} 的隔离区没有记录", f"nothing in park {park_id}'s quarantine"),
            highlight=False,
        )
        return
    table = Table(title=t(f"隔离记录 ({total} 条)", f"Quarantine ({total} records)"))
    for label in ("id", t("来源", "source"), t("位置", "location"), t("字段", "field")):
        table.add_column(label)
    for label in (t("值", "value"), t("代码", "code"), t("原因", "reason"), t("状态", "status")):
        table.add_column(label)
    for r in rows:
        values = (r["id"], r["source"], r["location"], r["field"], r["value"], r["code"])
        reason = r["reason"]
        if r.get("reason_code") and r.get("params") is not None:
            # The reason in the reader's language, from the catalogue (the stored words else).
            shown = render(r["reason_code"], r["params"], get_lang())
            reason = reason if shown == r["reason_code"] else shown
        table.add_row(*("" if v is None else str(v) for v in values), reason, r["status"])
    console.print(table)


@quarantine_app.command("resubmit")
@handle_errors
def quarantine_resubmit(
    ids: Annotated[list[int], typer.Argument(help="quarantine record ids")],
    value: Annotated[str, typer.Option("--value", help="the corrected value")],
    park: ParkOption = None,
) -> None:
    """Re-submit records with a corrected value through the pipeline (重新提交)."""
    db, principal, park_id = _open(park)
    result = resubmit(db, principal, park_id, ids, value)
    _print_report(result.report, ReportFormat.table)
    console.print(t(f"已重新提交 {len(result.ids)} 条", f"resubmitted {len(result.ids)}"))


@quarantine_app.command("dismiss")
@handle_errors
def quarantine_dismiss(
    ids: Annotated[list[int], typer.Argument(help="quarantine record ids")],
    reason: Annotated[str, typer.Option("--reason", help="why the records are dismissed")],
    park: ParkOption = None,
) -> None:
    """Dismiss records with a reason; they stay visible and audited (驳回)."""
    db, principal, park_id = _open(park)
    count = dismiss(db, principal, park_id, ids, reason)
    console.print(t(f"已驳回 {count} 条", f"dismissed {count}"))
