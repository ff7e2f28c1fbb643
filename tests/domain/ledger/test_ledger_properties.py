"""Property tests of the ledger's rules over random movement sequences (hypothesis, #14).

Whatever sequence is tried, every movement the rules accept keeps: each instrument conserved
(sum over all accounts is zero), no holding balance negative, certificate serial ranges disjoint
(no serial held by two accounts), a certificate's balance equal to the size of its ranges, and
a serial retired never moves again (never retired twice).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from zeropark.domain.ledger import Account, LedgerRefusal, LedgerState, Movement, SerialRange

PROJECT = "12345678901234567"
GEC = f"GEC:{PROJECT}:2024-03"
ACCOUNTS = {
    a.id: a
    for a in (
        Account("park", "holding"),
        Account("t_a", "holding", "t_a"),
        Account("t_b", "holding", "t_b"),
        Account("issuer", "issuer"),
        Account("market", "counterparty"),
        Account("surrendered", "surrender"),
        Account("retired", "retirement"),
    )
}
KINDS = ["allocation", "issuance", "purchase", "sale", "transfer", "surrender", "retirement"]
HOLDERS = ["park", "t_a", "t_b"]


def _gec(n: int) -> str:
    return f"{PROJECT}{n:015d}"


@st.composite
def movement(draw: st.DrawFn) -> Movement:
    kind = draw(st.sampled_from(KINDS))
    source = {
        "allocation": "issuer",
        "issuance": "issuer",
        "purchase": "market",
    }.get(kind) or draw(st.sampled_from(HOLDERS))
    target = {
        "sale": "market",
        "surrender": "surrendered",
        "retirement": "retired",
    }.get(kind) or draw(st.sampled_from(HOLDERS))
    certificate = kind in ("issuance", "retirement") or draw(st.booleans())
    common = {
        "kind": kind,
        "from_account": source,
        "to_account": target,
        "occurred_on": "2024-05-01",
        "evidence": "doc",
        "reference": "ref-1",
        "price_cny": Decimal("80") if kind in ("purchase", "sale") else None,
        "compliance_year": 2024 if kind == "surrender" else None,
        "beneficiary": "t_a" if kind == "retirement" else None,
        "period": "2024-03" if kind == "retirement" else None,
    }
    if certificate and kind != "allocation" and kind != "surrender":
        start = draw(st.integers(0, 60))
        size = draw(st.integers(1, 20))
        return Movement(
            instrument=GEC,
            quantity=Decimal(size),
            serial_start=_gec(start),
            serial_end=_gec(start + size - 1),
            **common,  # type: ignore[arg-type]
        )
    instrument = "CEA:2024"
    quantity = Decimal(draw(st.integers(1, 5000))) / 10
    return Movement(instrument=instrument, quantity=quantity, **common)  # type: ignore[arg-type]


def _check_invariants(state: LedgerState) -> None:
    totals: dict[str, Decimal] = {}
    for (account, instrument), q in state.balances.items():
        totals[instrument] = totals.get(instrument, Decimal(0)) + q
        if ACCOUNTS[account].kind not in ("issuer", "counterparty"):
            assert q >= 0, (account, instrument, q)
    assert all(t == 0 for t in totals.values()), totals
    seen: list[SerialRange] = []
    for (account, instrument), ranges in state.ranges.items():
        assert sum(r.size for r in ranges) == state.balance(account, instrument)
        for r in ranges:
            assert all(r.end < o.start or o.end < r.start for o in seen), "serial held twice"
            seen.append(r)


@settings(max_examples=200, deadline=None)
@given(st.lists(movement(), min_size=1, max_size=40))
def test_random_sequences_keep_the_invariants(movements: list[Movement]) -> None:
    state = LedgerState(dict(ACCOUNTS))
    retired: list[SerialRange] = []
    accepted = 0
    for m in movements:
        before = (dict(state.balances), {k: list(v) for k, v in state.ranges.items()})
        try:
            state.apply(m)
        except LedgerRefusal as refusal:
            assert refusal.issues  # a reason, as data
            assert (state.balances, state.ranges) == before  # nothing changed
            continue
        accepted += 1
        serials = m.serials
        if m.kind == "retirement" and serials is not None:
            assert all(serials.end < r.start or r.end < serials.start for r in retired)
            retired.append(serials)
        _check_invariants(state)
    # Retired serials are still in the retirement account, whole.
    assert sum(r.size for r in retired) == state.balance("retired", GEC)


def test_a_retired_certificate_cannot_be_retired_again() -> None:
    state = LedgerState(dict(ACCOUNTS))
    common = {"occurred_on": "2024-04-01", "evidence": "绿证交易凭证", "reference": "GEC-1"}
    state.apply(
        Movement(
            "issuance",
            GEC,
            Decimal(10),
            "issuer",
            "t_a",
            serial_start=_gec(0),
            serial_end=_gec(9),
            **common,
        )
    )
    retire = Movement(
        "retirement",
        GEC,
        Decimal(5),
        "t_a",
        "retired",
        serial_start=_gec(0),
        serial_end=_gec(4),
        beneficiary="t_a",
        period="2024-03",
        **common,
    )
    state.apply(retire)
    try:
        state.apply(retire)
    except LedgerRefusal as refusal:
        assert refusal.ledger_issues[0].code == "ledger_serials_not_held"
    else:
        raise AssertionError("retired twice")
    # Nor can the same serials be issued again into the ledger.
    again = Movement(
        "issuance",
        GEC,
        Decimal(5),
        "issuer",
        "t_b",
        serial_start=_gec(0),
        serial_end=_gec(4),
        **common,
    )
    assert [i.code for i in state.problems(again)] == ["ledger_serials_held"]
    assert state.ranges[("t_a", GEC)] == [SerialRange(int(_gec(5)), int(_gec(9)))]
