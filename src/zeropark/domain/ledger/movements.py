"""The double-entry ledger (复式记账): accounts, movements and the rules every movement obeys.

Every movement moves a positive quantity of one instrument from one account (credited, 贷) to
another (debited, 借): the sum over all accounts of every instrument is zero at all times
(conservation), because the registry's issuing account goes negative by what it issues and an
external counterparty's account by what it sells to us. Rules:

- holding accounts (the park's and each tenant's) never go negative;
- sink accounts (surrendered 清缴, retired 注销, expired, cancelled) only receive: nothing leaves
  them, so an instrument is surrendered or retired once;
- each movement kind links the account kinds it may link (:data:`KIND_RULES`);
- certificates (GEC) move as serial ranges of their project (the range's size is the quantity),
  other instruments as quantities without serials;
- a retirement names the consumer (beneficiary) and the consumption period it is claimed for;
  a surrender names the compliance year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from zeropark.domain.accounting.periods import parse_period
from zeropark.domain.issues import Issue
from zeropark.domain.ledger.instruments import (
    Instrument,
    gec_project,
    parse_instrument,
    validate_gec_id,
)
from zeropark.domain.ledger.serials import SerialRange, add_range, take_range
from zeropark.errors import InputError, ValidationFailed

__all__ = [
    "ACCOUNT_KINDS",
    "KIND_RULES",
    "MOVEMENT_KINDS",
    "SINK_KINDS",
    "Account",
    "AccountKind",
    "LedgerRefusal",
    "LedgerState",
    "Movement",
    "MovementKind",
    "check_movement",
]

AccountKind = Literal[
    "holding", "issuer", "counterparty", "surrender", "retirement", "expiry", "cancellation"
]
ACCOUNT_KINDS: tuple[AccountKind, ...] = (
    "holding",
    "issuer",
    "counterparty",
    "surrender",
    "retirement",
    "expiry",
    "cancellation",
)
SINK_KINDS = frozenset({"surrender", "retirement", "expiry", "cancellation"})
MovementKind = Literal[
    "allocation",
    "issuance",
    "purchase",
    "sale",
    "transfer",
    "surrender",
    "retirement",
    "expiry",
    "cancellation",
]
MOVEMENT_KINDS: tuple[MovementKind, ...] = (
    "allocation",
    "issuance",
    "purchase",
    "sale",
    "transfer",
    "surrender",
    "retirement",
    "expiry",
    "cancellation",
)
#: movement kind → (account kind it leaves, account kind it enters, instrument kinds allowed)
KIND_RULES: dict[str, tuple[str, str, frozenset[str]]] = {
    "allocation": ("issuer", "holding", frozenset({"CEA", "PILOT"})),
    "issuance": ("issuer", "holding", frozenset({"CCER", "GEC"})),
    "purchase": ("counterparty", "holding", frozenset({"CEA", "CCER", "PILOT", "GEC"})),
    "sale": ("holding", "counterparty", frozenset({"CEA", "CCER", "PILOT", "GEC"})),
    "transfer": ("holding", "holding", frozenset({"CEA", "CCER", "PILOT", "GEC"})),
    "surrender": ("holding", "surrender", frozenset({"CEA", "CCER", "PILOT"})),
    "retirement": ("holding", "retirement", frozenset({"CCER", "GEC"})),
    "expiry": ("holding", "expiry", frozenset({"CEA", "CCER", "PILOT", "GEC"})),
    "cancellation": ("holding", "cancellation", frozenset({"CEA", "CCER", "PILOT", "GEC"})),
}


@dataclass(frozen=True, slots=True)
class Account:
    """A ledger account: its id, kind and owning tenant (None: the park or the outside)."""

    id: str
    kind: AccountKind
    tenant_id: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class Movement:
    """One movement of ``quantity`` of ``instrument`` from ``from_account`` to ``to_account``.

    Certificates carry their serials (``serial_start``..``serial_end``, 32-digit ids);
    retirements the ``beneficiary`` and consumption ``period``; surrenders the
    ``compliance_year``; purchases and sales the unit ``price_cny``, ``counterparty`` and
    ``exchange``. ``evidence`` (document) and ``reference`` (its number) are required.
    """

    kind: str
    instrument: str
    quantity: Decimal
    from_account: str
    to_account: str
    occurred_on: str
    evidence: str
    reference: str
    serial_start: str | None = None
    serial_end: str | None = None
    beneficiary: str | None = None
    period: str | None = None
    compliance_year: int | None = None
    price_cny: Decimal | None = None
    counterparty: str | None = None
    exchange: str | None = None

    @property
    def serials(self) -> SerialRange | None:
        """The serial range moved (certificates), as integers."""
        if self.serial_start is None or self.serial_end is None:
            return None
        return SerialRange(int(self.serial_start), int(self.serial_end))

    def canonical(self) -> dict[str, str | int | None]:
        """Every field as plain JSON data (quantities and prices as exact decimal text)."""
        return {
            "kind": self.kind,
            "instrument": self.instrument,
            "quantity": _text(self.quantity),
            "from_account": self.from_account,
            "to_account": self.to_account,
            "occurred_on": self.occurred_on,
            "evidence": self.evidence,
            "reference": self.reference,
            "serial_start": self.serial_start,
            "serial_end": self.serial_end,
            "beneficiary": self.beneficiary,
            "period": self.period,
            "compliance_year": self.compliance_year,
            "price_cny": None if self.price_cny is None else _text(self.price_cny),
            "counterparty": self.counterparty,
            "exchange": self.exchange,
        }


def _text(value: Decimal) -> str:
    """Exact decimal text without exponent or trailing zeros (``1000``, ``0.5``)."""
    text = format(value.normalize(), "f")
    return text


def _issue(code: str, **params: str | int | float | None) -> Issue:
    return Issue(code, params=params)


def check_movement(m: Movement, accounts: Mapping[str, Account]) -> list[Issue]:
    """The static problems of ``m`` (without balances): kinds, accounts, serials, fields."""
    issues: list[Issue] = []
    rule = KIND_RULES.get(m.kind)
    if rule is None:
        return [_issue("ledger_bad_kind", kind=m.kind, choices=", ".join(MOVEMENT_KINDS))]
    parsed = parse_instrument(m.instrument)
    if isinstance(parsed, Issue):
        return [parsed]
    instrument: Instrument = parsed
    source, target = accounts.get(m.from_account), accounts.get(m.to_account)
    for name, acc in (("from_account", source), ("to_account", target)):
        if acc is None:
            issues.append(_issue("ledger_no_account", account=getattr(m, name)))
    if source is not None and target is not None:
        if m.from_account == m.to_account:
            issues.append(_issue("ledger_same_account", account=m.from_account))
        if source.kind != rule[0] or target.kind != rule[1]:
            issues.append(
                _issue(
                    "ledger_wrong_accounts",
                    kind=m.kind,
                    expected_from=rule[0],
                    expected_to=rule[1],
                    from_kind=source.kind,
                    to_kind=target.kind,
                )
            )
    if instrument.kind not in rule[2]:
        issues.append(_issue("ledger_kind_instrument", kind=m.kind, instrument=m.instrument))
    if m.quantity <= 0 or m.quantity != m.quantity.quantize(instrument.quantum()):
        issues.append(_issue("ledger_bad_quantity", quantity=str(m.quantity), unit=instrument.unit))
    if not m.evidence.strip() or not m.reference.strip():
        issues.append(_issue("ledger_no_evidence"))
    issues += _check_serials(m, instrument)
    if m.kind == "retirement" and (not m.beneficiary or not m.period):
        issues.append(_issue("ledger_retirement_claim"))
    elif m.period:
        try:
            label = parse_period(m.period).label
        except InputError:
            label = ""
        if label != m.period:  # claims use the canonical form: 2024, 2024-Q1, 2024-03
            issues.append(Issue("bad_period", params={"period": m.period}, field="period"))
    if m.kind == "surrender" and m.compliance_year is None:
        issues.append(_issue("ledger_surrender_year"))
    if m.kind in ("purchase", "sale") and (m.price_cny is None or m.price_cny < 0):
        issues.append(_issue("ledger_trade_price"))
    return issues


def _check_serials(m: Movement, instrument: Instrument) -> list[Issue]:
    if not instrument.serial:
        if m.serial_start or m.serial_end:
            return [_issue("ledger_serials_not_allowed", instrument=m.instrument)]
        return []
    if not m.serial_start or not m.serial_end:
        return [_issue("ledger_serials_required", instrument=m.instrument)]
    issues = [
        i
        for i in (
            validate_gec_id(m.serial_start, instrument.project),
            validate_gec_id(m.serial_end, instrument.project),
        )
        if i is not None
    ]
    if issues:
        return issues
    start, end = int(m.serial_start), int(m.serial_end)
    if end < start or end - start + 1 != m.quantity:
        return [
            _issue(
                "ledger_serial_count",
                start=m.serial_start,
                end=m.serial_end,
                quantity=str(m.quantity),
            )
        ]
    if gec_project(m.serial_start) != gec_project(m.serial_end):
        return [_issue("gec_other_project", id=m.serial_end, project=m.serial_start[:17])]
    return []


@dataclass
class LedgerState:
    """Balances and held serial ranges per (account, instrument), built by applying movements.

    ``apply`` checks a movement against the current state and applies it, or raises
    :class:`LedgerRefusal` with the issues; nothing changes on a refusal.
    """

    accounts: dict[str, Account]
    balances: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    ranges: dict[tuple[str, str], list[SerialRange]] = field(default_factory=dict)
    #: serials inside the ledger (held or in a sink) per instrument
    present: dict[str, list[SerialRange]] = field(default_factory=dict)

    def balance(self, account: str, instrument: str) -> Decimal:
        """The balance of ``account`` in ``instrument`` (0 when it never held any)."""
        return self.balances.get((account, instrument), Decimal(0))

    def problems(self, m: Movement) -> list[Issue]:
        """What refuses ``m`` in this state (empty: it may be applied)."""
        issues = check_movement(m, self.accounts)
        if issues:
            return issues
        source = self.accounts[m.from_account]
        if source.kind == "holding":
            held = self.balance(m.from_account, m.instrument)
            if held < m.quantity:
                return [
                    _issue(
                        "ledger_insufficient",
                        account=m.from_account,
                        instrument=m.instrument,
                        held=str(held),
                        quantity=str(m.quantity),
                    )
                ]
        serials = m.serials
        if serials is not None:
            key = (m.from_account, m.instrument)
            if source.kind == "holding":
                try:
                    take_range(self.ranges.get(key, []), serials)
                except ValueError:
                    return [
                        _issue(
                            "ledger_serials_not_held",
                            account=m.from_account,
                            range=serials.label(),
                        )
                    ]
            else:
                # Issued or bought from outside: no serial of it may already be in the ledger.
                present = self.present.get(m.instrument, [])
                try:
                    add_range(present, serials)
                except ValueError:
                    return [_issue("ledger_serials_held", range=serials.label())]
        return []

    def apply(self, m: Movement) -> None:
        """Apply ``m`` (raises :class:`LedgerRefusal` with the issues when refused)."""
        issues = self.problems(m)
        if issues:
            raise LedgerRefusal(issues)
        self.balances[(m.from_account, m.instrument)] = (
            self.balance(m.from_account, m.instrument) - m.quantity
        )
        self.balances[(m.to_account, m.instrument)] = (
            self.balance(m.to_account, m.instrument) + m.quantity
        )
        serials = m.serials
        if serials is not None:
            inside = frozenset({"holding"}) | SINK_KINDS
            src, dst = (m.from_account, m.instrument), (m.to_account, m.instrument)
            if self.accounts[m.from_account].kind in inside:
                self.ranges[src] = take_range(self.ranges.get(src, []), serials)
            else:
                self.present[m.instrument] = add_range(self.present.get(m.instrument, []), serials)
            if self.accounts[m.to_account].kind in inside:
                self.ranges[dst] = add_range(self.ranges.get(dst, []), serials)
            else:
                self.present[m.instrument] = take_range(self.present[m.instrument], serials)

    def apply_all(self, movements: Iterable[Movement]) -> None:
        """Apply movements in order (stops at the first refusal)."""
        for m in movements:
            self.apply(m)


class LedgerRefusal(ValidationFailed):
    """A movement the ledger's rules refuse, with the issues saying why."""

    def __init__(self, issues: list[Issue], *, source: str | None = None) -> None:
        super().__init__(issues, source=source)
        self.ledger_issues = issues
