"""``zeropark inventory compute | publish | versions`` and ``zeropark report inventory``.

Inventories from stored data (rollups of mapped meters + stored activity records) for the park
or one tenant; ``--format json`` prints :func:`zeropark.service.inventory.stored_inventory_to_dict`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zeropark.cli.account import print_tables
from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.i18n import t
from zeropark.service.database import open_database
from zeropark.service.inventory import (
    StoredInventory,
    compute_inventory,
    inventory_versions,
    publish_inventory,
    stored_inventory_to_dict,
)
from zeropark.service.parks import resolve_park
from zeropark.service.reports import inventory_report

__all__ = ["compute", "publish", "report_inventory", "versions"]

inventory_app = typer.Typer(
    help="Carbon inventories from stored data (碳排放清单).", no_args_is_help=True
)
report_app = typer.Typer(help="Reports (报告): Excel and PDF.", no_args_is_help=True)
app.add_typer(inventory_app, name="inventory")
app.add_typer(report_app, name="report")

Year = Annotated[int, typer.Option("--year", help="reporting year (park-local calendar)")]
TenantOpt = Annotated[
    str | None, typer.Option("--tenant", help="tenant id (default: the whole park)")
]
ParkOpt = ParkOption
FactorsOpt = Annotated[
    Path | None, typer.Option("--factors", help="custom factor CSV (wins over defaults)")
]


class ComputeFormat(StrEnum):
    """Output formats of ``inventory compute``."""

    json = "json"
    table = "table"


class ReportFormat(StrEnum):
    """File formats of ``report inventory``."""

    xlsx = "xlsx"
    pdf = "pdf"


def _compute(
    year: int, tenant: str | None, park: str | None, factors: Path | None
) -> StoredInventory:
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    return compute_inventory(db, principal, park_id, year, tenant_id=tenant, custom_factors=factors)


@inventory_app.command("compute")
@handle_errors
def compute(
    year: Year,
    tenant: TenantOpt = None,
    park: ParkOpt = None,
    factors: FactorsOpt = None,
    output_format: Annotated[
        ComputeFormat, typer.Option("--format", "-f", help="json or table")
    ] = ComputeFormat.table,
) -> None:
    """Compute the inventory from stored data (按存储数据核算清单), not stored."""
    stored = _compute(year, tenant, park, factors)
    if output_format is ComputeFormat.json:
        typer.echo(json.dumps(stored_inventory_to_dict(stored), ensure_ascii=False, indent=2))
        return
    console.print(
        f"[bold]{stored.tenant.name if stored.tenant else stored.park.name}[/bold] {year}: "
        + t(
            f"计入表计 {sum(m.role == 'counted' for m in stored.meters)} 块, "
            f"活动数据 {stored.records} 条, 数据覆盖率 {stored.coverage:.1%}",
            f"{sum(m.role == 'counted' for m in stored.meters)} meters counted, "
            f"{stored.records} activity records, coverage {stored.coverage:.1%}",
        )
    )
    print_tables(stored.inventory)


@inventory_app.command("publish")
@handle_errors
def publish(
    year: Year, tenant: TenantOpt = None, park: ParkOpt = None, factors: FactorsOpt = None
) -> None:
    """Publish the inventory as a new version, or return the unchanged one (发布清单)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    outcome = publish_inventory(
        db, principal, park_id, year, tenant_id=tenant, custom_factors=factors
    )
    rec = outcome.record
    state = (
        t("已发布新版本", "published new version")
        if outcome.created
        else t("输入未变, 沿用版本", "inputs unchanged, existing version")
    )
    console.print(f"{state} {rec.entity} {rec.period} v{rec.version}", highlight=False)
    console.print(f"input sha256 {rec.input_hash}", highlight=False)
    console.print(f"result sha256 {rec.result_sha256}", highlight=False)


@inventory_app.command("versions")
@handle_errors
def versions(tenant: TenantOpt = None, park: ParkOpt = None) -> None:
    """List published inventory versions (已发布清单版本)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    table = Table(title=t("已发布清单", "Published inventories"))
    for header in (
        t("主体", "entity"),
        t("期间", "period"),
        t("版本", "version"),
        t("国家方法 tCO2e", "national tCO2e"),
        t("输入哈希", "input hash"),
        t("发布时间", "published at"),
        t("发布人", "by"),
        t("状态", "status"),
    ):
        table.add_column(header)
    for rec in inventory_versions(db, principal, park_id, tenant_id=tenant):
        national = rec.result["methods"]["cn_national"]["gross_tco2e"]
        table.add_row(
            rec.entity,
            rec.period,
            str(rec.version),
            f"{national:,.3f}",
            rec.input_hash[:12],
            rec.published_at.isoformat(timespec="seconds"),
            rec.published_by,
            t("已被取代", "superseded") if rec.superseded else t("当前", "current"),
        )
    console.print(table)


@report_app.command("inventory")
@handle_errors
def report_inventory(
    year: Year,
    report_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="xlsx or pdf")],
    tenant: TenantOpt = None,
    park: ParkOpt = None,
    factors: FactorsOpt = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="output file")] = None,
) -> None:
    """Write the bilingual inventory report (温室气体排放报告) as xlsx or pdf."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    path = out or Path(f"inventory_{tenant or park_id}_{year}.{report_format.value}")
    inventory_report(
        db,
        principal,
        park_id,
        year,
        path,
        report_format.value,
        tenant_id=tenant,
        custom_factors=factors,
    )
    console.print(t(f"已写入 {path}", f"written {path}"), highlight=False)
