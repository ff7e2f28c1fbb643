"""Response and request schemas of the carbon-asset endpoints (``/parks/{id}/carbon-assets``).

Quantities and money are exact decimal text (the ledger keeps Decimal; DESIGN.md §4).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
    "AccountPublic",
    "AggregatedPositionsPublic",
    "CompliancePublic",
    "HoldingPublic",
    "ImportResultPublic",
    "MovementCreate",
    "MovementPublic",
    "RecordedPublic",
    "TradePositionPublic",
]

Decimal = str


class AccountPublic(BaseModel):
    """A ledger account."""

    id: str
    kind: str
    tenant_id: str | None
    name: str


class HoldingPublic(BaseModel):
    """What an account holds of one instrument."""

    account: str
    tenant_id: str | None
    instrument: str
    unit: str
    quantity: Decimal
    serials: list[str]
    price_cny: Decimal | None
    value_cny: Decimal | None


class MovementPublic(BaseModel):
    """A recorded movement with its evidence and audit entry."""

    id: int
    audit_seq: int
    kind: str
    instrument: str
    quantity: Decimal
    from_account: str
    to_account: str
    serial_start: str | None
    serial_end: str | None
    beneficiary: str | None
    period: str | None
    compliance_year: int | None
    price_cny: Decimal | None
    counterparty: str | None
    exchange: str | None
    occurred_on: str
    evidence: str
    reference: str


class MovementCreate(BaseModel):
    """A movement to record (park admins)."""

    kind: str = Field(description="allocation, issuance, purchase, sale, transfer, surrender, …")
    instrument: str = Field(description="CEA:2024, CCER:<project>:<year>, GEC:<project>:<YYYY-MM>")
    quantity: Decimal
    from_account: str
    to_account: str
    occurred_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    evidence: str = Field(min_length=1, max_length=2000)
    reference: str = Field(min_length=1, max_length=200)
    serial_start: str | None = None
    serial_end: str | None = None
    beneficiary: str | None = None
    period: str | None = None
    compliance_year: int | None = None
    price_cny: Decimal | None = None
    counterparty: str | None = None
    exchange: str | None = None


class RecordedPublic(BaseModel):
    """Ids of the movements recorded."""

    ids: list[int]


class CompliancePublic(BaseModel):
    """A covered tenant's surrender position for one year (tonnes, CNY)."""

    tenant_id: str
    year: int
    sector: str | None
    status: str
    covered: bool
    obligation_t: Decimal
    allocated_t: Decimal
    surrendered_cea_t: Decimal
    surrendered_ccer_t: Decimal
    remaining_t: Decimal
    cea_held_t: Decimal
    ccer_held_t: Decimal
    ccer_cap_t: Decimal
    ccer_usable_t: Decimal
    ccer_unusable_t: Decimal
    gap_t: Decimal
    surplus_t: Decimal
    price_cny_per_t: Decimal | None
    gap_value_cny: Decimal | None
    deadline: str | None


class AggregatedPositionsPublic(BaseModel):
    """Park-wide compliance totals (what a regulator reads)."""

    year: int
    covered_entities: int
    obligation_t: Decimal
    surrendered_t: Decimal
    gap_t: Decimal
    surplus_t: Decimal
    entities_with_gap: int


class TradePositionPublic(BaseModel):
    """Cost and profit of a traded instrument in an account."""

    account: str
    instrument: str
    method: str
    held: Decimal
    cost_cny: Decimal
    realised_cny: Decimal
    unrealised_cny: Decimal | None
    price_cny: Decimal | None


class ImportResultPublic(BaseModel):
    """What an exchange-statement import did; issues rendered in the request's language."""

    recorded: list[int]
    quarantined: int
    duplicates: int
    issues: list[dict[str, object]]
