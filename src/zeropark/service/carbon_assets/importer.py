"""Use case: import an exchange statement (交易所成交单) CSV into the ledger, with the same
validation and quarantine as other imports (docs/carbon-assets.md, "Exchange statement CSV").

Columns (UTF-8 or UTF-8 with BOM; header names as listed, Chinese aliases accepted):
``date`` (成交日期, YYYY-MM-DD), ``side`` (买卖方向: buy/买入, sell/卖出), ``instrument``
(品种: CEA:2024, CCER:<project>:<year>, GEC:<project>:<YYYY-MM>), ``quantity`` (数量),
``price_cny`` (成交价), ``counterparty`` (交易对手), ``exchange`` (交易所), ``reference``
(成交编号), ``account`` (账户: the holding account), optional ``serial_start``/``serial_end``
(certificates). Each row becomes a purchase (from the counterparty account ``market_account``
to ``account``) or a sale. A row with a problem — unreadable field, unknown account, a sale
beyond the balance, serials not held, a trade already recorded — is quarantined with its file,
row, field and reason; the good rows are recorded together with one audit entry. Re-importing
the same file records nothing twice (a trade's reference and account identify it).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from zeropark.domain.access import Principal
from zeropark.domain.issues import Issue
from zeropark.domain.ledger import LedgerRefusal, Movement
from zeropark.service.carbon_assets.movements import record_in
from zeropark.service.database import Database
from zeropark.store import ledger as store
from zeropark.store.quarantine import QuarantineRecord, add_records, new_records

__all__ = ["COLUMNS", "StatementImport", "import_statement"]

COLUMNS = (
    "date",
    "side",
    "instrument",
    "quantity",
    "price_cny",
    "counterparty",
    "exchange",
    "reference",
    "account",
)
_ALIASES = {
    "成交日期": "date",
    "买卖方向": "side",
    "品种": "instrument",
    "数量": "quantity",
    "成交价": "price_cny",
    "交易对手": "counterparty",
    "交易所": "exchange",
    "成交编号": "reference",
    "账户": "account",
    "起始序列号": "serial_start",
    "结束序列号": "serial_end",
}
_SIDES = {"buy": "purchase", "买入": "purchase", "sell": "sale", "卖出": "sale"}
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


@dataclass
class StatementImport:
    """What an import did: ids recorded, issues of the rows quarantined."""

    source: str
    recorded: list[int] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    quarantined: int = 0
    #: trades already in the ledger (a re-import): reported, neither recorded nor quarantined
    duplicates: list[Issue] = field(default_factory=list)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _row(row: dict[str, str], market: str, source: str, where: str) -> Movement | Issue:
    def bad(code: str, name: str, **params: str) -> Issue:
        return Issue(
            code, params=params, source=source, location=where, field=name, value=row.get(name, "")
        )

    for name in COLUMNS:
        if not (row.get(name) or "").strip():
            return bad("missing", name, field=name)
    if not _DATE.match(row["date"].strip()):
        return bad("ledger_bad_date", "date", text=row["date"])
    kind = _SIDES.get(row["side"].strip().lower())
    if kind is None:
        return bad("ledger_bad_side", "side", text=row["side"])
    quantity, price = _decimal(row["quantity"]), _decimal(row["price_cny"])
    if quantity is None:
        return bad("bad_number", "quantity", text=row["quantity"])
    if price is None:
        return bad("bad_number", "price_cny", text=row["price_cny"])
    account = row["account"].strip()
    return Movement(
        kind,
        row["instrument"].strip(),
        quantity,
        market if kind == "purchase" else account,
        account if kind == "purchase" else market,
        occurred_on=row["date"].strip(),
        evidence=f"{source} ({where})",
        reference=row["reference"].strip(),
        serial_start=(row.get("serial_start") or "").strip() or None,
        serial_end=(row.get("serial_end") or "").strip() or None,
        price_cny=price,
        counterparty=row["counterparty"].strip(),
        exchange=row["exchange"].strip(),
    )


def import_statement(
    db: Database, principal: Principal, park_id: str, text: str, *, source: str, market_account: str
) -> StatementImport:
    """Import the CSV ``text`` (named ``source``) of trades with ``market_account``."""
    result = StatementImport(source)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [_ALIASES.get((h or "").strip(), (h or "").strip()) for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.issues.append(
            Issue(
                "ledger_missing_columns",
                params={"columns": ", ".join(missing)},
                source=source,
                location="row 1",
            )
        )
        return result
    reader.fieldnames = header
    with db.transaction() as conn:
        known = {
            (s.movement.reference, s.movement.from_account, s.movement.to_account)
            for s in store.list_movements(conn, principal, park_id, kinds=["purchase", "sale"])
        }
        accepted: list[Movement] = []
        for number, raw in enumerate(reader, start=2):
            where = f"row {number}"
            parsed = _row({k: v or "" for k, v in raw.items() if k}, market_account, source, where)
            if isinstance(parsed, Issue):
                result.issues.append(parsed)
                continue
            if (parsed.reference, parsed.from_account, parsed.to_account) in known:
                result.duplicates.append(
                    Issue(
                        "ledger_duplicate_trade",
                        params={"reference": parsed.reference},
                        source=source,
                        location=where,
                        field="reference",
                        value=parsed.reference,
                    )
                )
                continue
            try:  # each row against the ledger as it would be with the rows before it
                record_in(
                    conn, principal, park_id, [*accepted, parsed], source=source, dry_run=True
                )
            except LedgerRefusal as refusal:
                result.issues += [
                    i.at(source=source, location=where) for i in refusal.ledger_issues
                ]
                continue
            accepted.append(parsed)
        if accepted:
            result.recorded = record_in(
                conn, principal, park_id, accepted, source=source, entity=f"import {source}"
            )
        fresh = new_records(conn, park_id, [QuarantineRecord.of_issue(i) for i in result.issues])
        result.quarantined = add_records(conn, park_id, fresh, sent_by=principal.subject)
    return result
