"""``zeropark doctor``: is everything in place?"""

from __future__ import annotations

import typer
from rich.table import Table

from zeropark.cli.base import app, console, handle_errors, settings
from zeropark.i18n import t
from zeropark.service.doctor import run_checks

_MARKS = {
    "ok": "[green]✓[/green]",
    "warn": "[yellow]![/yellow]",
    "fail": "[red]✗[/red]",
    "skip": "[dim]–[/dim]",
}


@app.command()
@handle_errors
def doctor() -> None:
    """Check the installation, the database and the optional servers (环境检查)."""
    checks = run_checks(settings())
    table = Table(title=t("zeropark 环境检查", "zeropark doctor"))
    table.add_column("")
    table.add_column(t("检查项", "check"))
    table.add_column(t("详情", "detail"))
    for check in checks:
        table.add_row(_MARKS[check.status], check.name, check.detail)
    console.print(table)
    if any(c.status == "fail" for c in checks):
        raise typer.Exit(1)
