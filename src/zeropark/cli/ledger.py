"""``zeropark ledger ...``: the carbon-asset ledger (碳资产台账) from the command line.

``accounts``, ``balances``, ``movements``, ``compliance --year``, ``trades``, ``import FILE``
(exchange statement CSV), ``statement --year --format pdf|xlsx``, ``export`` (for a verifier),
``price`` and ``obligation`` (enter a price point or a compliance year). Text in ``--lang``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.domain.ledger import COVERED_SECTORS
from zeropark.i18n import get_lang, t
from zeropark.service.carbon_assets.export import export_ledger_csv
from zeropark.service.carbon_assets.importer import import_statement
from zeropark.service.carbon_assets.positions import (
    compliance_positions,
    holdings,
    trade_positions,
)
from zeropark.service.carbon_assets.statements import write_statement
from zeropark.service.database import Database, open_database
from zeropark.service.parks import resolve_park
from zeropark.store import ledger as store

__all__ = ["ledger_app"]

ledger_app = typer.Typer(
    help="Carbon assets: allowances, CCER, green certificates (碳资产台账).", no_args_is_help=True
)
app.add_typer(ledger_app, name="ledger")
Year = Annotated[int, typer.Option("--year", help="compliance year (履约年度)")]


class StatementFormat(StrEnum):
    """File formats of ``ledger statement``."""

    pdf = "pdf"
    xlsx = "xlsx"


def _open(park: str | None) -> tuple[Database, Principal, str]:
    db = open_database(settings())
    principal = Principal.system()
    return db, principal, resolve_park(db, principal, park)


def _n(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.3f}".rstrip("0").rstrip(".")


@ledger_app.command("accounts")
@handle_errors
def accounts(park: ParkOption = None) -> None:
    """List the ledger's accounts (账户)."""
    db, principal, park_id = _open(park)
    with db.transaction() as conn:
        found = store.accounts(conn, principal, park_id)
    table = Table(title=t("账户", "Accounts"))
    for h in (t("账户", "account"), t("类型", "kind"), t("企业", "tenant"), t("名称", "name")):
        table.add_column(h)
    for a in found.values():
        table.add_row(a.id, a.kind, a.tenant_id or "—", escape(a.name))
    console.print(table)


@ledger_app.command("balances")
@handle_errors
def balances(park: ParkOption = None) -> None:
    """Holdings per account and instrument, serial ranges and value (持有情况)."""
    db, principal, park_id = _open(park)
    table = Table(title=t("持有情况", "Holdings"))
    for h in (
        t("账户", "account"),
        t("品种", "instrument"),
        t("数量", "quantity"),
        t("序列号段", "serial ranges"),
        t("市值 元", "value CNY"),
    ):
        table.add_column(h, justify="right" if h in ("数量", "quantity") else "left")
    rows = holdings(db, principal, park_id)
    for row in rows:
        table.add_row(
            row.account, row.instrument, f"{_n(row.quantity)} {row.unit}",
            "\n".join(row.serials) or "—", _n(row.value_cny),
        )  # fmt: skip
    console.print(table if rows else t("暂无数据", "No data"))


@ledger_app.command("movements")
@handle_errors
def movements(park: ParkOption = None) -> None:
    """Every movement in order, with its evidence (台账明细)."""
    db, principal, park_id = _open(park)
    with db.transaction() as conn:
        found = store.list_movements(conn, principal, park_id)
    table = Table(title=t("台账变动", "Ledger movements"))
    headers = (
        "id", t("日期", "date"), t("类型", "kind"), t("品种", "instrument"),
        t("数量", "quantity"), t("转出", "from"), t("转入", "to"), t("凭证", "evidence"),
    )  # fmt: skip
    for h in headers:
        table.add_column(h)
    for s in found:
        m = s.movement
        table.add_row(
            str(s.id), m.occurred_on, m.kind, m.instrument, _n(m.quantity), m.from_account,
            m.to_account, escape(f"{m.evidence} {m.reference}"),
        )  # fmt: skip
    console.print(table if found else t("暂无数据", "No data"))


@ledger_app.command("compliance")
@handle_errors
def compliance(year: Year, park: ParkOption = None) -> None:
    """Surrender positions of covered tenants (履约清缴情况): CCER ≤ 5 %, gap and its value."""
    db, principal, park_id = _open(park)
    positions = compliance_positions(db, principal, park_id, year)
    if not positions:
        console.print(t("暂无数据", "No data"))
        return
    status = {
        "fulfilled": t("已完成清缴", "fulfilled"),
        "covered": t("持有量足以清缴", "covered by holdings"),
        "gap": t("存在缺口", "gap"),
        "not_covered": t("未纳入", "not covered"),
    }
    for p in positions:
        zh_sector = COVERED_SECTORS.get(p.sector or "")
        sector = t(zh_sector, p.sector or "") if zh_sector else p.sector
        console.print(
            f"[bold]{p.tenant_id}[/bold] {year} ({sector}): {status[p.status]}",
            highlight=False,
        )
        for zh, en, value in (
            ("核查排放/应清缴", "verified emissions = obligation", p.obligation_t),
            ("配额分配", "allocated", p.allocated_t),
            ("已清缴 CEA", "surrendered CEA", p.surrendered_cea_t),
            ("已清缴 CCER", "surrendered CCER", p.surrendered_ccer_t),
            ("待清缴", "remaining", p.remaining_t),
            ("持有 CEA", "CEA held", p.cea_held_t),
            ("CCER 上限 (5%)", "CCER cap (5 %)", p.ccer_cap_t),
            ("可用 CCER", "CCER usable", p.ccer_usable_t),
            ("不可用 CCER", "CCER unusable", p.ccer_unusable_t),
            ("缺口", "gap", p.gap_t),
            ("富余", "surplus", p.surplus_t),
        ):
            console.print(f"  {t(zh, en)}: {_n(value)} t", highlight=False)
        console.print(
            f"  {t('缺口金额（最新价）', 'gap at the latest price')}: {_n(p.gap_value_cny)} "
            f"{t('元', 'CNY')} ({_n(p.price_cny_per_t)} {t('元/吨', 'CNY/t')}); "
            f"{t('截止日期', 'deadline')} {p.deadline}",
            highlight=False,
        )


@ledger_app.command("trades")
@handle_errors
def trades(park: ParkOption = None) -> None:
    """Traded holdings: cost (avg or FIFO setting), realised and unrealised profit (交易损益)."""
    db, principal, park_id = _open(park)
    found = trade_positions(db, principal, park_id)
    table = Table(title=t("交易与损益", "Trades and profit"))
    for h in (t("账户", "account"), t("品种", "instrument"), t("成本法", "method"),
              t("持有", "held"), t("成本 元", "cost CNY"), t("已实现 元", "realised CNY"),
              t("未实现 元", "unrealised CNY")):  # fmt: skip
        table.add_column(h)
    for account, code, c in found:
        table.add_row(account, code, c.method, _n(c.held), _n(c.cost_cny), _n(c.realised_cny),
                      _n(c.unrealised_cny))  # fmt: skip
    console.print(table if found else t("暂无数据", "No data"))


@ledger_app.command("import")
@handle_errors
def import_file(
    file: Annotated[Path, typer.Argument(help="exchange statement CSV (成交单)")],
    market: Annotated[str, typer.Option("--market", help="counterparty account of the trades")],
    park: ParkOption = None,
) -> None:
    """Import an exchange statement; bad rows go to quarantine (导入成交单)."""
    db, principal, park_id = _open(park)
    text = file.read_text(encoding="utf-8-sig")
    result = import_statement(db, principal, park_id, text, source=file.name, market_account=market)
    console.print(
        t(f"已记账 {len(result.recorded)} 笔，隔离 {result.quarantined} 行，"
          f"重复 {len(result.duplicates)} 行",
          f"{len(result.recorded)} trade(s) recorded, {result.quarantined} row(s) quarantined, "
          f"{len(result.duplicates)} already recorded"),
        highlight=False,
    )  # fmt: skip
    for issue in result.issues:
        console.print(f"[red]✗[/red] {escape(issue.describe(get_lang()))}", highlight=False)
    if result.issues:
        raise typer.Exit(1)


@ledger_app.command("statement")
@handle_errors
def statement(
    year: Year,
    out: Annotated[Path, typer.Option("--out", help="file to write")],
    output_format: Annotated[
        StatementFormat, typer.Option("--format", "-f", help="pdf or xlsx")
    ] = StatementFormat.pdf,
    tenant: Annotated[str | None, typer.Option("--tenant", help="one tenant")] = None,
    park: ParkOption = None,
) -> None:
    """Holdings and compliance statement, PDF or xlsx, in --lang (碳资产报表)."""
    db, principal, park_id = _open(park)
    path = write_statement(
        db, principal, park_id, year, out, output_format.value, tenant_id=tenant, lang=get_lang()
    )
    console.print(t(f"已写入 {path}", f"written {path}"), highlight=False)


@ledger_app.command("export")
@handle_errors
def export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write")],
    park: ParkOption = None,
) -> None:
    """The ledger for a verifier: every movement, evidence, audit entry, hash (核查导出)."""
    db, principal, park_id = _open(park)
    out.write_text(export_ledger_csv(db, principal, park_id), encoding="utf-8")
    console.print(t(f"已写入 {out}", f"written {out}"), highlight=False)


@ledger_app.command("price")
@handle_errors
def price(
    market: Annotated[str, typer.Argument(help="CEA, CCER, GEC or PILOT:<region>")],
    on: Annotated[str, typer.Argument(help="date YYYY-MM-DD")],
    cny: Annotated[str, typer.Argument(help="price in CNY per unit")],
    source: Annotated[str, typer.Option("--source", help="where the price comes from")],
    park: ParkOption = None,
) -> None:
    """Enter a price point of a market (录入价格)."""
    db, principal, park_id = _open(park)
    with db.transaction() as conn:
        store.put_prices(conn, principal, park_id, [(market, on, Decimal(cny), source)])
    console.print(t("已录入", "entered"), highlight=False)
