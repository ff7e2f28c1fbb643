"""``zeropark bill``: a tenant's monthly energy bill (月度账单) as PDF, xlsx, JSON or a table;
``zeropark bills issue|list``: issue (freeze) a month's bills and list their status.

Computed from the stored rollups and the park's tariffs (``park.tariffs``) by
:mod:`zeropark.service.billing`; an issued bill is shown as it was issued, with the bill
recomputed now and the difference beside it. The text follows ``--lang`` / ``ZEROPARK_LANG``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.i18n import get_lang, t
from zeropark.service.billing.issued import issue_bills, month_billing, tenant_bill
from zeropark.service.billing.render import issued_at_text, write_bill
from zeropark.service.database import open_database
from zeropark.service.parks import resolve_park

__all__ = ["bill", "bills_app", "issue", "list_bills"]

bills_app = typer.Typer(
    help="Issue (freeze) a month's tenant bills and list their status (出具账单).",
    no_args_is_help=True,
)
app.add_typer(bills_app, name="bills")

MonthOpt = Annotated[str, typer.Option("--month", help="park-local month YYYY-MM")]


class BillFormat(StrEnum):
    """Output formats of ``zeropark bill``."""

    pdf = "pdf"
    xlsx = "xlsx"
    json = "json"
    table = "table"


@app.command("bill")
@handle_errors
def bill(
    tenant: Annotated[str, typer.Option("--tenant", help="tenant id (企业)")],
    month: MonthOpt,
    bill_format: Annotated[
        BillFormat, typer.Option("--format", "-f", help="pdf, xlsx, json or table")
    ] = BillFormat.table,
    park: ParkOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="output file")] = None,
) -> None:
    """A tenant's monthly energy bill (月度账单): TOU bands, PV share, common costs, VAT.

    An issued bill is shown as issued (version, when, by whom), with the difference to the bill
    recomputed from today's data; a bill not issued is a draft computed now.
    """
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    doc = tenant_bill(db, principal, park_id, month, tenant)
    if bill_format is BillFormat.json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if bill_format is BillFormat.table:
        zh = get_lang() == "zh"
        name = doc["tenant_name"] if zh else doc["tenant_name_en"] or doc["tenant_name"]
        table = Table(title=t(f"{name} {doc['month']} 月度账单", f"{name} bill {doc['month']}"))
        for col in (t("项目", "Item"), t("数量", "Quantity"), t("单位", "Unit"),
                    t("单价（元）", "Price (CNY)"), t("金额（元）", "Amount (CNY)")):  # fmt: skip
            table.add_column(col, justify="left" if col in ("项目", "Item") else "right")
        for line in doc["lines"]:
            table.add_row(
                line["label_zh"] if zh else line["label_en"],
                "" if line["quantity"] is None else f"{line['quantity']:,.1f}",
                line["unit"] or "",
                "" if line["price_cny"] is None else f"{line['price_cny']:.4f}",
                f"{line['amount_cny']:,.2f}",
            )
        for s in doc["sections"]:
            table.add_row(
                t(f"{s['label_zh']} 增值税 {s['vat_rate']:.0%}",
                  f"{s['label_en']} VAT {s['vat_rate']:.0%}"),
                "", "", "", f"{s['vat_cny']:,.2f}",
            )  # fmt: skip
        table.add_row(t("价税合计", "Total incl. VAT"), "", "", "", f"{doc['total_cny']:,.2f}")
        console.print(table)
        for line in status_lines(doc):
            console.print(line, highlight=False)
        return
    path = out or Path(f"bill_{tenant}_{doc['month']}.{bill_format.value}")
    write_bill(doc, path, bill_format.value, get_lang())  # type: ignore[arg-type]
    console.print(t(f"已写入 {path}", f"written {path}"), highlight=False)
    for line in status_lines(doc):
        console.print(line, highlight=False)


def status_lines(doc: dict[str, Any]) -> list[str]:
    """A bill's status in the CLI's language: issued (version, when, by whom, why) and the
    difference to the bill recomputed now, or draft."""
    issue = doc.get("issue")
    if issue is None:
        return [t("状态：草稿（按当前数据计算，尚未出具）", "status: draft (computed from the "
                  "current data, not issued)")]  # fmt: skip
    lines = [
        t(
            f"状态：已出具，第 {issue['version']} 版，{issued_at_text(issue)}，出具人 "
            f"{issue['issued_by']}",
            f"status: issued, version {issue['version']}, {issued_at_text(issue)}, by "
            f"{issue['issued_by']}",
        )
    ]
    if issue.get("reason"):
        lines.append(
            t(f"重新出具原因：{issue['reason']}", f"reason for re-issue: {issue['reason']}")
        )
    lines.append(drift_line(issue))
    return lines


def drift_line(issue: dict[str, Any]) -> str:
    """The issued amount against the bill recomputed now ("recomputed now: X, differs by Y")."""
    now, diff = issue.get("recomputed_total_cny"), issue.get("difference_cny")
    if now is None:
        return t(
            "按当前数据已无法重算该账单（企业已不在园区配置中）",
            "the bill cannot be recomputed now (the tenant is no longer in the park)",
        )
    if diff:
        return t(
            f"数据已变化：按当前数据重算为 {now:,.2f} 元，与已出具金额 {issue['total_cny']:,.2f} 元"
            f"相差 {diff:+,.2f} 元（已出具账单不变）",
            f"data changed since: recomputed now {now:,.2f} CNY, differs by {diff:+,.2f} CNY "
            f"from the issued {issue['total_cny']:,.2f} CNY (the issued bill is unchanged)",
        )
    if issue.get("changed"):
        return t(
            "按当前数据重算金额相同，明细有变化", "recomputed now: the same amount, other details"
        )
    return t("按当前数据重算结果相同", "recomputed now: unchanged")


@bills_app.command("issue")
@handle_errors
def issue(
    month: MonthOpt,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="only this tenant (default: every tenant)")
    ] = None,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="issue again as a new version (needs --reason)")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="why it is issued again")] = None,
    park: ParkOption = None,
) -> None:
    """Issue (freeze) the month's bills as computed now; re-issuing needs --reissue --reason."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    issued = issue_bills(
        db, principal, park_id, month, tenant_id=tenant, reissue=reissue, reason=reason
    )
    for b in issued:
        console.print(
            t(
                f"已出具 {b.tenant_id} {b.month} 第 {b.version} 版：{b.total_cny:,.2f} 元 "
                f"（内容哈希 {b.content_sha256[:16]}…）",
                f"issued {b.tenant_id} {b.month} version {b.version}: {b.total_cny:,.2f} CNY "
                f"(content sha256 {b.content_sha256[:16]}…)",
            ),
            highlight=False,
        )
    console.print(
        t(
            f"共出具 {len(issued)} 份账单，已封存于审计链",
            f"{len(issued)} bill(s) issued and sealed in the audit chain",
        ),
        highlight=False,
    )


@bills_app.command("list")
@handle_errors
def list_bills(
    month: MonthOpt,
    park: ParkOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The month's bills: issued (version, when) or draft, with the bill recomputed now and the
    difference (``--json``: every field, who issued them and why)."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    doc = month_billing(db, principal, park_id, month)
    if as_json:
        typer.echo(json.dumps(doc["tenants"], ensure_ascii=False, indent=2))
        return
    status = {"issued": t("已出具", "issued"), "partial": t("部分出具", "partly issued"),
              "draft": t("草稿", "draft")}  # fmt: skip
    table = Table(title=t(f"{doc['month']} 账单（{status[doc['status']]}）",
                          f"Bills {doc['month']} ({status[doc['status']]})"))  # fmt: skip
    for col in (t("企业", "Tenant"), t("状态", "Status"), t("出具日期", "Issued on"),
                t("金额（元）", "Amount (CNY)"), t("差额（元）", "Difference")):  # fmt: skip
        table.add_column(col, no_wrap=True)
    drifts = []
    for row in doc["tenants"]:
        issue = row["issue"]
        if issue is None:
            table.add_row(row["tenant_id"], status["draft"], "", f"{row['total_cny']:,.2f}", "")
            continue
        diff = issue["difference_cny"]
        if diff:
            drifts.append(f"{row['tenant_id']}: {drift_line(issue)}")
        table.add_row(
            row["tenant_id"],
            t(f"已出具 第{issue['version']}版", f"issued v{issue['version']}"),
            issue["issued_at"][:10],
            f"{row['total_cny']:,.2f}",
            "" if not diff else f"{diff:+,.2f}",
        )
    console.print(table)
    for line in drifts:
        console.print(line, highlight=False)
