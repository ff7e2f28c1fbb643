"""``zeropark report diagnosis``: the park diagnosis report (全局诊断), and ``zeropark
scorecard``: the zero-carbon scorecard in the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.cli.inventory import ReportFormat, report_app
from zeropark.domain.access import Principal
from zeropark.domain.indicators import SYSTEMS, gap_text
from zeropark.i18n import get_lang, t
from zeropark.service.database import open_database
from zeropark.service.parks import resolve_park
from zeropark.service.reports.diagnosis import Costs, diagnosis_report
from zeropark.service.scorecard import scorecard, scorecard_to_dict

__all__ = ["report_diagnosis", "show_scorecard"]


def _costs(prices: str | None) -> Costs:
    """``electricity=0.68,peak=1.05,valley=0.27,natural_gas=3.45,diesel=7.4`` → :class:`Costs`."""
    if not prices:
        return Costs()
    values: dict[str, float] = {}
    for part in prices.split(","):
        name, _, number = part.partition("=")
        name = name.strip()
        if name not in Costs.__dataclass_fields__:
            raise typer.BadParameter(
                t(f"未知价格 {name!r}", f"unknown price {name!r}")
                + f" ({', '.join(Costs.__dataclass_fields__)})"
            )
        try:
            values[name] = float(number)
        except ValueError:
            raise typer.BadParameter(
                t(f"价格 {part!r} 不是数字", f"price {part!r} is no number")
            ) from None
    return Costs(**values)


@report_app.command("diagnosis")
@handle_errors
def report_diagnosis(
    year: Annotated[int, typer.Option("--year", help="reporting year (park-local calendar)")],
    report_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="pdf or xlsx")],
    park: ParkOption = None,
    system: Annotated[
        str | None, typer.Option("--system", help=f"also a provincial system: {', '.join(SYSTEMS)}")
    ] = None,
    prices: Annotated[
        str | None,
        typer.Option(
            "--prices",
            help="CNY prices for the money column: electricity=0.68,peak=1.05,valley=0.27,"
            "natural_gas=3.45,diesel=7.4",
        ),
    ] = None,
    roof_area: Annotated[
        float | None, typer.Option("--roof-area", help="roof area for PV [m²]")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="output file")] = None,
) -> None:
    """Write the park diagnosis report (全局诊断) as pdf or xlsx, in the CLI's language."""
    if system is not None and system not in SYSTEMS:
        raise typer.BadParameter(f"--system: {', '.join(SYSTEMS)}")
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    path = out or Path(f"diagnosis_{park_id}_{year}.{report_format.value}")
    diagnosis_report(
        db,
        principal,
        park_id,
        year,
        path,
        report_format.value,
        system=system,
        costs=_costs(prices),
        roof_area_m2=roof_area,
    )
    console.print(t(f"已写入 {path}", f"written {path}"), highlight=False)


@app.command("scorecard")
@handle_errors
def show_scorecard(
    park: ParkOption = None,
    period: Annotated[
        str, typer.Option("--period", help="today, month, year, 2024, 2024-03 …")
    ] = "year",
    tenant: Annotated[str | None, typer.Option("--tenant", help="a tenant's scorecard")] = None,
    building: Annotated[str | None, typer.Option("--building", help="a building's")] = None,
    system: Annotated[str, typer.Option("--system", help=", ".join(SYSTEMS))] = "national",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Print the zero-carbon scorecard (零碳园区指标看板) of the park, a tenant or a building."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    card = scorecard(
        db, principal, park_id, period, tenant_id=tenant, building_id=building, system=system
    )
    data = scorecard_to_dict(card)
    if as_json:
        console.print_json(json.dumps(data, ensure_ascii=False))
        return
    zh = get_lang() == "zh"
    table = Table(title=f"{data['entity_name']} {data['period']['label']}")
    for col in (
        t("指标", "indicator"),
        t("数值", "value"),
        t("阈值", "threshold"),
        t("判定", "state"),
        t("差距", "gap"),
    ):
        table.add_column(col)
    states = {
        "pass": t("达标", "pass"),
        "fail": t("未达标", "fail"),
        "undetermined": t("无法判定", "undetermined"),
        None: "—",
    }
    for e in card.entries:
        pct = e.unit == "%"
        value = (
            "—"
            if e.value is None
            else (
                f"{e.value:.1%}"
                if pct
                else f"{e.value:,.0f} {e.unit}"
                if abs(e.value) >= 1000
                else f"{e.value:.4g} {e.unit}"
            )
        )
        limit = (
            "—"
            if e.threshold is None
            else (f"{e.comparison} {e.threshold:.0%}" if pct else f"{e.comparison} {e.threshold:g}")
        )
        table.add_row(
            e.label_zh if zh else e.label_en,
            value,
            limit,
            states[e.state],
            gap_text(e.gaps, "zh" if zh else "en") or "",
        )
    console.print(table)
