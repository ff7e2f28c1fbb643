"""ETS compliance (履约/清缴) of a covered tenant in the national carbon market.

Sources (reference/carbon_markets.md §1):

- coverage: power, and since the MEE's 2025 expansion steel, cement and electrolytic aluminium,
  for entities with **≥ 26,000 tCO2e a year of direct emissions** (SECONDARY-CONSISTENT);
- obligation: the allowances to surrender equal the verified emissions of the compliance year
  (for the expanded sectors' 2024 allocation, allowances equal verified emissions;
  SINGLE-SECONDARY) — allocation is entered as issued, never computed here (the benchmark
  values were not verified);
- CCER may offset **at most 5 %** of the allowances a unit must surrender (MEE Order No. 19,
  2021; SECONDARY-CONSISTENT).

Quantities are :class:`~decimal.Decimal` tonnes. Allowances of a vintage later than the
compliance year are not usable for it (no borrowing); earlier vintages are (banking).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CCER_CAP_SHARE",
    "COVERAGE_THRESHOLD_T",
    "COVERED_SECTORS",
    "CompliancePosition",
    "ccer_cap_t",
    "compliance_position",
    "is_covered",
]

#: Sectors of the national market and their Chinese names.
COVERED_SECTORS: dict[str, str] = {
    "power": "发电",
    "steel": "钢铁",
    "cement": "水泥",
    "aluminium": "电解铝",
}
COVERAGE_THRESHOLD_T = Decimal(26_000)
CCER_CAP_SHARE = Decimal("0.05")


def is_covered(sector: str | None, direct_emissions_t: Decimal) -> bool:
    """Whether an entity of ``sector`` with ``direct_emissions_t`` a year is covered
    (sector in :data:`COVERED_SECTORS` and emissions ≥ 26,000 tCO2e)."""
    return sector in COVERED_SECTORS and direct_emissions_t >= COVERAGE_THRESHOLD_T


def ccer_cap_t(obligation_t: Decimal) -> Decimal:
    """The most CCER [t] usable against ``obligation_t``: 5 % of it, to three decimals, down."""
    return (obligation_t * CCER_CAP_SHARE).quantize(Decimal("0.001"), rounding="ROUND_DOWN")


@dataclass(frozen=True, slots=True)
class CompliancePosition:
    """A covered tenant's surrender position for one compliance year [tCO2e, CNY]."""

    tenant_id: str
    year: int
    sector: str | None
    emissions_t: Decimal
    covered: bool
    obligation_t: Decimal
    allocated_t: Decimal
    cea_held_t: Decimal
    ccer_held_t: Decimal
    ccer_cap_t: Decimal
    ccer_usable_t: Decimal
    ccer_unusable_t: Decimal
    surrendered_cea_t: Decimal
    surrendered_ccer_t: Decimal
    remaining_t: Decimal
    gap_t: Decimal
    surplus_t: Decimal
    price_cny_per_t: Decimal | None
    gap_value_cny: Decimal | None
    deadline: str | None

    @property
    def status(self) -> str:
        """``fulfilled`` (nothing left to surrender), ``covered`` (enough held), ``gap``, or
        ``not_covered``."""
        if not self.covered:
            return "not_covered"
        if self.remaining_t <= 0:
            return "fulfilled"
        return "gap" if self.gap_t > 0 else "covered"


def compliance_position(
    *,
    tenant_id: str,
    year: int,
    sector: str | None,
    emissions_t: Decimal,
    allocated_t: Decimal,
    cea_held_t: Decimal,
    ccer_held_t: Decimal,
    surrendered_cea_t: Decimal,
    surrendered_ccer_t: Decimal,
    price_cny_per_t: Decimal | None = None,
    deadline: str | None = None,
    listed: bool = False,
) -> CompliancePosition:
    """The surrender position: what remains to surrender, what is held to cover it, the gap.

    ``emissions_t`` are the verified emissions (the obligation when covered). ``listed``: the
    entity is on the key emitting units list (重点排放单位名录) whatever the screening rule says
    (the list, published by the provincial authority, is what obliges it). CCER count up to
    the 5 % cap less what was already surrendered; the rest of the CCER held is unusable for
    compliance. ``gap_t = max(0, remaining − CEA held − CCER usable)`` and
    ``surplus_t = max(0, CEA held − remaining)``; the gap is valued at ``price_cny_per_t``.
    """
    zero = Decimal(0)
    covered = listed or is_covered(sector, emissions_t)
    obligation = emissions_t if covered else zero
    cap = ccer_cap_t(obligation)
    remaining = max(zero, obligation - surrendered_cea_t - surrendered_ccer_t)
    room = max(zero, cap - surrendered_ccer_t)
    usable = min(ccer_held_t, room, remaining)
    gap = max(zero, remaining - cea_held_t - usable)
    surplus = max(zero, cea_held_t - remaining)
    value = None if price_cny_per_t is None else (gap * price_cny_per_t).quantize(Decimal("0.01"))
    return CompliancePosition(
        tenant_id=tenant_id,
        year=year,
        sector=sector,
        emissions_t=emissions_t,
        covered=covered,
        obligation_t=obligation,
        allocated_t=allocated_t,
        cea_held_t=cea_held_t,
        ccer_held_t=ccer_held_t,
        ccer_cap_t=cap,
        ccer_usable_t=usable,
        ccer_unusable_t=ccer_held_t - usable,
        surrendered_cea_t=surrendered_cea_t,
        surrendered_ccer_t=surrendered_ccer_t,
        remaining_t=remaining,
        gap_t=gap,
        surplus_t=surplus,
        price_cny_per_t=price_cny_per_t,
        gap_value_cny=value,
        deadline=deadline,
    )
