"""``zeropark demo``: the main job — build the demo park and show what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zeropark.cli.base import app, console, handle_errors, settings
from zeropark.cli.serve import run_server
from zeropark.domain.carriers import CARRIERS
from zeropark.domain.categories import CATEGORIES
from zeropark.i18n import get_lang, t
from zeropark.service.auth import ensure_demo_accounts
from zeropark.service.database import open_database
from zeropark.service.demo import load_demo
from zeropark.service.summary import ParkSummary


def _carrier_name(code: str) -> str:
    carrier = CARRIERS.get(code)
    if carrier is None:
        return code
    return carrier.name_zh if get_lang() == "zh" else carrier.name_en


def _category_name(code: str) -> str:
    category = CATEGORIES.get(code)
    if category is None:
        return code
    return category.name_zh if get_lang() == "zh" else category.name_en


def print_summary(summary: ParkSummary) -> None:
    """Print a park summary: energy by carrier and source, PV, data coverage."""
    console.print(
        f"[bold]{summary.park_name}[/bold] ({summary.park_id}) — {summary.year}: "
        + t(
            f"{summary.tenants} 家企业, {summary.meters} 块表计, "
            f"{summary.virtual_meters} 个虚拟表, {summary.readings:,} 条读数",
            f"{summary.tenants} tenants, {summary.meters} meters, "
            f"{summary.virtual_meters} virtual meters, {summary.readings:,} readings",
        )
    )
    table = Table(title=t("年度能源 (总表, 不含分表)", "Energy in the year (top-level meters)"))
    table.add_column(t("能源品种", "carrier"))
    table.add_column(t("类别", "category"))
    table.add_column(t("数量", "quantity"), justify="right")
    table.add_column(t("单位", "unit"))
    table.add_column(t("表计数", "meters"), justify="right")
    for row in summary.totals:
        table.add_row(
            _carrier_name(row.carrier),
            _category_name(row.category),
            f"{row.quantity:,.1f}",
            row.unit,
            str(row.meters),
        )
    console.print(table)
    specific = summary.pv_yield_kwh_per_kwp
    if specific is not None:
        console.print(
            t(
                f"光伏发电 {summary.pv_kwh / 1000:,.1f} MWh, "
                f"装机 {summary.pv_capacity_kwp:,.0f} kWp, 年等效利用 {specific:,.0f} kWh/kWp",
                f"PV generation {summary.pv_kwh / 1000:,.1f} MWh from "
                f"{summary.pv_capacity_kwp:,.0f} kWp: {specific:,.0f} kWh/kWp",
            )
        )
    console.print(
        t(
            f"数据覆盖率 {summary.coverage:.2%}, 估算占比 {summary.estimated_share:.3%}, "
            f"待处理隔离记录 {summary.open_quarantine} 条",
            f"data coverage {summary.coverage:.2%}, estimated share "
            f"{summary.estimated_share:.3%}, open quarantine records {summary.open_quarantine}",
        )
    )


@app.command()
@handle_errors
def demo(
    year: Annotated[int, typer.Option(help="year of demo data")] = 2024,
    files: Annotated[
        Path, typer.Option(help="where to write the demo's park.yaml and activities.csv")
    ] = Path("zeropark-demo"),
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="serve the park afterwards (default)")
    ] = True,
    host: Annotated[str, typer.Option(help="address to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to serve on")] = 8000,
) -> None:
    """Build the demo park, print its summary and demo accounts, then serve it (演示园区)."""
    db = open_database(settings())
    console.print(t("正在生成演示园区…", "Building the demo park…") + f" ({db.url})")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(t("导入读数", "loading readings"), total=None)

        def advance(meter_id: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=meter_id.ljust(18))

        result = load_demo(db, year=year, files_dir=files, on_meter=advance)
    report = result.ingest
    console.print(
        t(
            f"读数: 接收 {report.received:,}, 新增 {report.accepted:,}, "
            f"重复 {report.duplicates:,}, 隔离 {report.rejected:,}, "
            f"估算区间 {report.estimated_intervals:,}; "
            f"活动数据 {result.activities} 条",
            f"readings: received {report.received:,}, new {report.accepted:,}, duplicate "
            f"{report.duplicates:,}, quarantined {report.rejected:,}, estimated intervals "
            f"{report.estimated_intervals:,}; activity records {result.activities}",
        )
    )
    print_summary(result.summary)
    if result.files:
        console.print(
            t("示例文件: ", "Files to try the other commands with: ")
            + ", ".join(str(p) for p in result.files.values())
        )
    accounts = ensure_demo_accounts(db, result.summary.park_id)
    table = Table(title=t("演示账户 (仅供演示)", "Demo accounts (for the demo only)"))
    for column in (
        t("邮箱", "email"),
        t("角色", "role"),
        t("企业", "tenant"),
        t("密码", "password"),
    ):
        table.add_column(column)
    for email, role, tenant, password in accounts:
        table.add_row(email, role, tenant or "", password)
    console.print(table)
    if serve:
        run_server(settings(), host, port)
