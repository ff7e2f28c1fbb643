"""Hand-checked rules: GEC ids, serial ranges, compliance positions, cost basis (#14).

Sources: reference/carbon_markets.md — 26,000 tCO2e threshold (MEE 2025 expansion,
SECONDARY-CONSISTENT); CCER ≤ 5 % of the surrender obligation (MEE Order No. 19, 2021,
SECONDARY-CONSISTENT); GEC ids 32 digits, 17 for the project (SINGLE-SECONDARY).
"""

from __future__ import annotations

import itertools
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zeropark.domain.ledger import (
    SerialRange,
    TradeLeg,
    add_range,
    compliance_position,
    cost_position,
    is_covered,
    parse_instrument,
    take_range,
    validate_gec_id,
)


def test_gec_ids() -> None:
    good = "1234567890123456720240300000001"
    assert validate_gec_id(good + "2") is None
    assert validate_gec_id(good).code == "bad_gec_id"  # type: ignore[union-attr]
    assert validate_gec_id(good + "x").code == "bad_gec_id"  # type: ignore[union-attr]
    assert validate_gec_id(good + "2", "99999999999999999").code == "gec_other_project"  # type: ignore[union-attr]
    assert parse_instrument("GEC:12345678901234567:2024-03").unit == "MWh"  # type: ignore[union-attr]
    assert parse_instrument("CCER:CCER-14-2024-001:2024").code == "CCER:CCER-14-2024-001:2024"  # type: ignore[union-attr]
    assert parse_instrument("GEC:123:2024-03").code == "bad_instrument"  # type: ignore[union-attr]


def test_ranges_split_and_merge_exactly() -> None:
    held = [SerialRange(100, 199)]
    held = take_range(held, SerialRange(120, 129))
    assert held == [SerialRange(100, 119), SerialRange(130, 199)]
    held = add_range(held, SerialRange(120, 129))
    assert held == [SerialRange(100, 199)]
    with pytest.raises(ValueError):
        add_range(held, SerialRange(199, 205))
    with pytest.raises(ValueError):
        take_range(held, SerialRange(150, 250))


def test_threshold_edge() -> None:
    assert not is_covered("cement", D(25_999))
    assert is_covered("cement", D(26_000))
    assert not is_covered("glass", D(90_000))  # flat glass is not in the 2025 sectors


def _position(**kw: object):  # type: ignore[no-untyped-def]
    base = {
        "tenant_id": "t",
        "year": 2024,
        "sector": "steel",
        "emissions_t": D(100_000),
        "allocated_t": D(95_000),
        "cea_held_t": D(0),
        "ccer_held_t": D(0),
        "surrendered_cea_t": D(0),
        "surrendered_ccer_t": D(0),
        "price_cny_per_t": D("92.50"),
        "deadline": "2025-12-31",
    }
    return compliance_position(**{**base, **kw})  # type: ignore[arg-type]


def test_surplus() -> None:
    # 100,000 t verified, 104,000 CEA held: nothing missing, 4,000 t surplus.
    p = _position(cea_held_t=D(104_000))
    assert (p.gap_t, p.surplus_t, p.status) == (0, D(4000), "covered")


def test_gap_partly_covered_by_ccer_within_the_cap() -> None:
    # 100,000 t; 95,000 CEA + 3,000 CCER (cap 5,000): gap 2,000 t × 92.50 = 185,000.00 CNY.
    p = _position(cea_held_t=D(95_000), ccer_held_t=D(3_000))
    assert p.ccer_cap_t == D(5_000)
    assert (p.ccer_usable_t, p.ccer_unusable_t) == (D(3_000), D(0))
    assert p.gap_t == D(2_000)
    assert p.gap_value_cny == D("185000.00")


def test_ccer_beyond_the_cap_is_unusable() -> None:
    # 100,000 t; 90,000 CEA + 8,000 CCER: only 5,000 CCER usable, 3,000 not; gap 5,000 t.
    p = _position(cea_held_t=D(90_000), ccer_held_t=D(8_000))
    assert (p.ccer_usable_t, p.ccer_unusable_t, p.gap_t) == (D(5_000), D(3_000), D(5_000))
    # 4,000 CCER already surrendered: 1,000 more usable.
    q = _position(cea_held_t=D(0), ccer_held_t=D(8_000), surrendered_ccer_t=D(4_000))
    assert q.ccer_usable_t == D(1_000) and q.remaining_t == D(96_000) and q.gap_t == D(95_000)


def test_below_threshold_has_no_obligation() -> None:
    p = _position(emissions_t=D(25_999), cea_held_t=D(10))
    assert (p.covered, p.obligation_t, p.status) == (False, 0, "not_covered")
    assert _position(emissions_t=D(26_000)).obligation_t == D(26_000)


def test_cost_basis_avg_and_fifo() -> None:
    trades = [
        TradeLeg("2024-01-10", "buy", D(1000), D(80)),
        TradeLeg("2024-02-10", "buy", D(1000), D(100)),
        TradeLeg("2024-03-10", "sell", D(1500), D(110)),
    ]
    fifo = cost_position(trades, "fifo", D(95))
    # FIFO: 1000×(110−80) + 500×(110−100) = 35,000; 500 left at 100 → unrealised 500×(95−100).
    assert (fifo.realised_cny, fifo.held, fifo.cost_cny) == (D(35_000), D(500), D(50_000))
    assert fifo.unrealised_cny == D(-2_500)
    avg = cost_position(trades, "avg", D(95))
    # Average cost 90: realised 1500×20 = 30,000; 500 left at 90 → unrealised 2,500.
    assert (avg.realised_cny, avg.cost_cny, avg.unrealised_cny) == (D(30_000), D(45_000), D(2_500))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 200), st.integers(0, 30)), max_size=60))
def test_ranges_equal_a_set_of_serials(operations: list[tuple[bool, int, int]]) -> None:
    """add_range/take_range (bisection) agree with a plain set of serials, and keep ranges
    sorted, disjoint and non-adjacent."""
    held: list[SerialRange] = []
    model: set[int] = set()
    for adding, start, size in operations:
        r = SerialRange(start, start + size)
        serials = set(range(r.start, r.end + 1))
        if adding:
            if serials & model:
                with pytest.raises(ValueError):
                    add_range(held, r)
                continue
            held = add_range(held, r)
            model |= serials
        else:
            if not serials <= model:
                with pytest.raises(ValueError):
                    take_range(held, r)
                continue
            held = take_range(held, r)
            model -= serials
        assert {s for h in held for s in range(h.start, h.end + 1)} == model
        assert all(a.end + 1 < b.start for a, b in itertools.pairwise(held))
