"""Response schemas of energy cost and tenant bills (``routes/billing.py``).

Amounts are CNY rounded to the fen; ``*_cny`` excludes VAT where it says ``subtotal``.
A bill's ``status`` is ``issued`` (the stored document as it was issued, with ``issue``) or
``draft`` (computed on demand); a month's is ``issued``, ``partial`` or ``draft``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BandCostPublic",
    "BillIssuePublic",
    "BillLinePublic",
    "BillPublic",
    "BillingMonthPublic",
    "IssueBillsIn",
    "IssuedBillPublic",
    "ReconciliationPublic",
    "SectionPublic",
    "SupplierPublic",
    "TenantCostPublic",
]


class BandCostPublic(BaseModel):
    """Electricity of one time-of-use band: kWh × price (excl. VAT)."""

    band: str
    label_zh: str
    label_en: str
    kwh: float
    price_cny: float | None
    amount_cny: float | None


class BillLinePublic(BaseModel):
    """A line: ``quantity`` [``unit``] × ``price_cny``, or ``share`` of a pool."""

    section: str
    kind: str
    label_zh: str
    label_en: str
    band: str | None
    quantity: float | None
    unit: str | None
    price_cny: float | None
    share: float | None
    amount_cny: float


class SectionPublic(BaseModel):
    """A carrier's subtotal (excl. VAT), VAT rate, VAT and total."""

    section: str
    label_zh: str
    label_en: str
    subtotal_cny: float
    vat_rate: float
    vat_cny: float
    total_cny: float


class SupplierPublic(SectionPublic):
    """What the park pays one supplier, with its lines."""

    lines: list[BillLinePublic]
    max_demand_kw: float | None


class BillIssuePublic(BaseModel):
    """How an issued bill was issued, and the bill recomputed now from the current data.

    ``issued_at`` is park-local ISO 8601 with its offset. ``difference_cny`` is recomputed
    minus issued (0 when the data did not change the amount; None when the tenant has no bill
    any more); ``changed`` is true when recomputing now gives another document at all.
    """

    version: int
    issued_at: str
    issued_by: str
    reason: str | None
    content_sha256: str
    total_cny: float
    recomputed_total_cny: float | None
    difference_cny: float | None
    changed: bool


BillStatus = Literal["issued", "draft"]


class TenantCostPublic(BaseModel):
    """A tenant's cost in the month (park roles only): the issued bill's figures when it is
    issued, else computed now."""

    tenant_id: str
    name: str
    name_en: str | None
    electricity_kwh: float
    sections: list[SectionPublic]
    total_cny: float
    status: BillStatus
    issue: BillIssuePublic | None


class ReconciliationPublic(BaseModel):
    """Supplier cost = Σ tenants' supplier lines + park-retained cost (difference 0)."""

    supplier_total_cny: float
    tenants_total_cny: float
    retained_total_cny: float
    difference_cny: float
    pv_sales_cny: float


class BillPublic(BaseModel):
    """One tenant's monthly bill (月度账单)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    park_id: str
    park_name: str
    park_name_en: str | None
    month: str
    currency: str
    tenant_id: str
    tenant_name: str
    tenant_name_en: str | None
    floor_area_m2: float
    lines: list[BillLinePublic]
    sections: list[SectionPublic]
    by_band: list[BandCostPublic]
    pv_kwh_by_band: dict[str, float]
    common_pool_cny: dict[str, float]
    common_key: str | None
    park_max_demand_kw: float | None
    subtotal_cny: float
    vat_cny: float
    total_cny: float
    note: str | None
    note_en: str | None
    status: BillStatus
    issue: BillIssuePublic | None


class BillingMonthPublic(BaseModel):
    """A month's energy cost for the caller: ``scope`` park (everything), tenant (its own bill)
    or aggregate (a regulator: no tenant figures)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    park_id: str
    month: str
    currency: str
    scope: str
    has_data: bool
    note: str | None
    note_en: str | None
    common_key: str | None
    by_band: list[BandCostPublic]
    suppliers: list[SupplierPublic]
    tenants: list[TenantCostPublic]
    retained: list[SectionPublic]
    reconciliation: ReconciliationPublic | None
    bill: BillPublic | None
    status: Literal["issued", "partial", "draft"]


class IssueBillsIn(BaseModel):
    """Issue the month's bills: of every tenant, or of ``tenant_id``. Issuing a bill that is
    issued already is refused (409) unless ``reissue`` with a ``reason`` (a new version; the old
    ones are kept)."""

    model_config = ConfigDict(extra="forbid")

    tenant_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    reissue: bool = False
    reason: Annotated[str, Field(max_length=2000)] | None = None


class IssuedBillPublic(BaseModel):
    """A bill version just issued: tenant, month, version, when, by whom, amount, hash."""

    tenant_id: str
    month: str
    version: int
    issued_at: str
    issued_by: str
    reason: str | None
    total_cny: float
    content_sha256: str
