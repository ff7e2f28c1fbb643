"""``zeropark account ACTIVITIES.csv``: account activity records and print the inventory.

Stable contract (DESIGN.md section 9): ``--format json`` prints the JSON of
:func:`zeropark.service.accounting.inventory_to_dict`; ``--format table`` prints rich tables.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zeropark.cli.base import app, console, handle_errors
from zeropark.domain.accounting import METHOD_LABELS, AccountingOptions, Inventory
from zeropark.domain.categories import CATEGORIES
from zeropark.i18n import get_lang, t
from zeropark.service.accounting import account_activities, inventory_to_json

__all__ = ["account", "print_tables"]


class OutputFormat(StrEnum):
    """Output formats of ``zeropark account``."""

    json = "json"
    table = "table"


class GwpSet(StrEnum):
    """Selectable 100-year GWP sets."""

    SAR = "SAR"
    AR4 = "AR4"
    AR5 = "AR5"
    AR6 = "AR6"


@app.command()
@handle_errors
def account(
    activities: Annotated[
        Path, typer.Argument(help="activities CSV (docs/activities-csv.md)", show_default=False)
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json or table")
    ] = OutputFormat.table,
    year: Annotated[
        int | None, typer.Option("--year", help="reporting year (default: each line's year)")
    ] = None,
    province: Annotated[
        str, typer.Option("--province", help="province or grid region for grid factors")
    ] = "全国",
    gwp: Annotated[GwpSet, typer.Option("--gwp", help="GWP set, 100-year")] = GwpSet.AR5,
    factors: Annotated[
        Path | None, typer.Option("--factors", help="custom factor CSV (wins over defaults)")
    ] = None,
    granularity: Annotated[
        str, typer.Option("--period", help="aggregate by month, quarter or year")
    ] = "year",
    equal_value: Annotated[
        float | None,
        typer.Option(
            "--equal-value-kgce-per-kwh",
            help="electricity at the equal value (等价值) with this coefficient [kgce/kWh]",
        ),
    ] = None,
) -> None:
    """Account an activities CSV (核算活动数据): totals by scope, category, gas and entity."""
    if granularity not in ("month", "quarter", "year"):
        raise typer.BadParameter("--period must be month, quarter or year")
    options = AccountingOptions(
        reporting_year=year,
        region=province,
        gwp_set=gwp.value,
        granularity=granularity,  # type: ignore[arg-type]
        electricity_basis="equal_value" if equal_value else "equivalent",
        equal_value_kgce_per_kwh=equal_value,
    )
    inventory = account_activities(activities, options, custom_factors=factors)
    if output_format is OutputFormat.json:
        typer.echo(inventory_to_json(inventory))
    else:
        print_tables(inventory)


def _number(value: float) -> str:
    return f"{value:,.3f}"


def _breakdown(title: str, rows: dict[str, float], name: Callable[[str], str] = str) -> Table:
    table = Table(title=title)
    table.add_column(t("项目", "key"))
    table.add_column("tCO2e", justify="right")
    for key, value in rows.items():
        table.add_row(name(key), _number(value))
    return table


def category_name(code: str) -> str:
    """A source category's name in the CLI's language (the code when it is not catalogued)."""
    category = CATEGORIES.get(code)
    if category is None:
        return code
    return t(category.name_zh, category.name_en)


def _location(ref: str) -> str:
    """``activities.csv row 4`` → ``activities.csv 第 4 行`` in Chinese."""
    head, sep, number = ref.rpartition(" row ")
    return f"{head} {t(f'第 {number} 行', f'row {number}')}" if sep and number.isdigit() else ref


#: What the engine says a line without a factor needs, in Chinese (its English as it is).
_NO_FACTOR_ZH = (
    "缺少排放因子：在该行填写 emission_factor 和 ef_unit，或用自定义因子库（--factors）"
    "为此品种提供参数 'ef'"
)


def print_tables(inventory: Inventory) -> None:
    """Print an inventory as rich tables: methods, scopes, categories, gases, entities, energy,
    the park indicator, lines not quantified (count and the first few) and the warnings."""
    methods = Table(title=t("排放总量（按方法）", "Totals by method"))
    for header in (
        t("方法", "method"),
        t("总排放 tCO2e", "gross tCO2e"),
        t("清除 tCO2e", "removals tCO2e"),
        t("抵消 tCO2e", "offsets tCO2e"),
        t("净排放 tCO2e", "net tCO2e"),
    ):
        methods.add_column(header, justify="right" if "tCO2e" in header else "left")
    for method, totals in inventory.totals.items():
        zh, en = METHOD_LABELS[method]
        methods.add_row(
            t(zh, en),
            *(_number(v) for v in (totals.gross_t, totals.removals_t, totals.offsets_t)),
            _number(totals.net_t),
        )
    console.print(methods)
    location, market = inventory.totals["ghg_location"], inventory.totals["ghg_market"]
    scopes = {
        t("范围一", "scope 1"): location.by_scope.get("1", 0.0),
        t("范围二（基于位置）", "scope 2 location-based"): location.by_scope.get("2", 0.0),
        t("范围二（基于市场）", "scope 2 market-based"): market.by_scope.get("2", 0.0),
        t("范围三", "scope 3"): location.by_scope.get("3", 0.0),
    }
    console.print(_breakdown(t("按范围", "By scope"), scopes))
    console.print(
        _breakdown(
            t("按类别（基于位置）", "By category (location)"), location.by_category, category_name
        )
    )
    console.print(_breakdown(t("按气体", "By gas"), location.by_gas))
    console.print(_breakdown(t("按主体", "By entity"), location.by_entity))
    energy = inventory.energy
    table = Table(title=t("综合能耗", "Comprehensive energy consumption"))
    table.add_column(t("项目", "key"))
    table.add_column("tce", justify="right")
    for label, value in (
        (t("合计", "total"), energy.total_tce),
        (t("化石燃料", "fossil fuels"), energy.fossil_fuel_tce),
        (t("电网电力（净）", "grid electricity (net)"), energy.grid_electricity_tce),
        (t("热力", "heat"), energy.heat_tce),
        (t("自发自用可再生电力", "on-site renewable"), energy.onsite_renewable_tce),
        (t("其中绿电", "of which green electricity"), energy.green_electricity_tce),
    ):
        table.add_row(label, _number(value))
    console.print(table)
    park = inventory.park
    if park.intensity_tco2_per_tce is not None:
        console.print(
            t("零碳园区单位能耗碳排放", "zero-carbon park CO2 per tce")
            + f": {park.intensity_tco2_per_tce:.4f} tCO2/tce"
        )
    _print_not_quantified(inventory)
    issued = {issue.message for issue in inventory.issues}
    for warning in inventory.warnings:
        if "not quantified for want of an emission factor" in warning:
            continue  # said above, in the reader's language
        if warning not in issued:
            console.print(f"[yellow]![/yellow] {warning}", highlight=False)
    for issue in inventory.issues:  # catalogued: in the reader's language
        console.print(f"[yellow]![/yellow] {escape(issue.reason(get_lang()))}", highlight=False)
    console.print(f"input sha256 {inventory.input_hash}", highlight=False)


_SHOWN = 5


def _print_not_quantified(inventory: Inventory) -> None:
    aside = inventory.not_quantified
    if not aside:
        return
    console.print(
        t(
            f"未量化的范围三数据 {len(aside)} 条（缺排放因子，未计入任何合计）:",
            f"{len(aside)} scope-3 line(s) not quantified (no emission factor; in no total):",
        ),
        highlight=False,
    )
    for n in aside[:_SHOWN]:
        console.print(
            f"  - {_location(n.ref) if n.ref else n.entity}: {category_name(n.category)} "
            f"{n.item} {n.quantity:g} {n.unit} ({n.period})",
            highlight=False,
        )
    if len(aside) > _SHOWN:
        console.print(
            t(f"  ……另有 {len(aside) - _SHOWN} 条", f"  ... and {len(aside) - _SHOWN} more"),
            highlight=False,
        )
    supply = aside[0].supply
    if supply.startswith("no emission factor"):
        supply = t(_NO_FACTOR_ZH, supply)
    console.print(f"  → {supply}", highlight=False)
