"""``zeropark bill``: a tenant's monthly energy bill (月度账单) as PDF, xlsx, JSON or a table.

Computed from the stored rollups and the park's tariffs (``park.tariffs``) by
:mod:`zeropark.service.billing`; the text follows ``--lang`` / ``ZEROPARK_LANG``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zeropark.cli.base import ParkOption, app, console, handle_errors, settings
from zeropark.domain.access import Principal
from zeropark.i18n import get_lang, t
from zeropark.service.billing.compute import month_bills
from zeropark.service.billing.render import write_bill
from zeropark.service.billing.views import bill_to_dict, readable_bill
from zeropark.service.database import open_database
from zeropark.service.parks import resolve_park

__all__ = ["bill"]


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
    month: Annotated[str, typer.Option("--month", help="park-local month YYYY-MM")],
    bill_format: Annotated[
        BillFormat, typer.Option("--format", "-f", help="pdf, xlsx, json or table")
    ] = BillFormat.table,
    park: ParkOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="output file")] = None,
) -> None:
    """A tenant's monthly energy bill (月度账单): TOU bands, PV share, common costs, VAT."""
    db = open_database(settings())
    principal = Principal.system()
    park_id = resolve_park(db, principal, park)
    view = month_bills(db, principal, park_id, month)
    doc = bill_to_dict(view, readable_bill(view, principal, tenant))
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
        return
    path = out or Path(f"bill_{tenant}_{view.month}.{bill_format.value}")
    write_bill(doc, path, bill_format.value, get_lang())  # type: ignore[arg-type]
    console.print(t(f"已写入 {path}", f"written {path}"), highlight=False)
