"""``zeropark park new | validate | apply | export``: the park file on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zeropark.cli.base import ParkOption, app, console, err_console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.domain.park import PARK_TYPES
from zeropark.i18n import t
from zeropark.service.database import open_database
from zeropark.service.park_file import park_template
from zeropark.service.parks import apply_park_file, export_park, validate_park_file
from zeropark.store.parks import ApplyReport

park_app = typer.Typer(
    help="Describe the park in one YAML file (园区配置文件).", no_args_is_help=True
)
app.add_typer(park_app, name="park")

_TYPES = ", ".join(f"{code} ({zh})" for code, (zh, _) in PARK_TYPES.items())


@park_app.command("new")
@handle_errors
def new(
    park_type: Annotated[str, typer.Option("--type", help=f"park type: {_TYPES}")],
) -> None:
    """Print a starter park file for a park type (生成园区模板)."""
    typer.echo(park_template(park_type), nl=False)


@park_app.command("validate")
@handle_errors
def validate(path: Annotated[Path, typer.Argument(help="park file (YAML)")]) -> None:
    """Check a park file; every issue names the path inside the file, the line and the reason."""
    issues = validate_park_file(path)
    for issue in issues:
        err_console.print(f"[red]✗[/red] {issue}", highlight=False, soft_wrap=True)
    if issues:
        err_console.print(t(f"{path}: 共 {len(issues)} 个问题", f"{path}: {len(issues)} issue(s)"))
        raise typer.Exit(65)
    console.print(f"[green]✓[/green] {path}: " + t("园区文件有效", "park file is valid"))


def _print_report(report: ApplyReport) -> None:
    if report.is_noop:
        console.print(t(f"园区 {report.park_id}: 无变化", f"park {report.park_id}: no changes"))
        return
    labels = (
        (report.created, "green", t("新建", "created")),
        (report.changed, "yellow", t("修改", "changed")),
        (report.removed, "red", t("删除", "removed")),
    )
    for bucket, colour, label in labels:
        for section, ids in bucket.items():
            console.print(f"[{colour}]{label}[/{colour}] {section}: {', '.join(ids)}")
    if report.deactivated:
        console.print(
            t(
                "已停用 (保留其读数): ",
                "deactivated, readings kept: ",
            )
            + ", ".join(report.deactivated)
        )


@park_app.command("apply")
@handle_errors
def apply(path: Annotated[Path, typer.Argument(help="park file (YAML)")]) -> None:
    """Create or update the park in the database from its file; idempotent (应用园区配置)."""
    db = open_database(settings())
    _print_report(apply_park_file(db, Principal.system(), path))


@park_app.command("export")
@handle_errors
def export(
    park: ParkOption = None,
) -> None:
    """Print the stored park as a park file (导出园区配置)."""
    db = open_database(settings())
    typer.echo(export_park(db, Principal.system(), park), nl=False)
