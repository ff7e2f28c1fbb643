"""Request and response schemas of ``/api/v1``: one family per resource (…Create, …Public).

Times are ISO 8601 with an explicit offset, in and out: inputs without one are refused.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from zeropark.errors import InputError
from zeropark.service.credentials import (
    MAX_EMAIL,
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_password,
    normalise_email,
)

__all__ = [
    "DB_ID_MAX",
    "ActivityCreate",
    "AlertNote",
    "AlertPublic",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "AuditEntryPublic",
    "AuditHeadPublic",
    "CheckResultPublic",
    "IngestReportPublic",
    "IsoDateTime",
    "IssuePublic",
    "LoginRequest",
    "LoginResponse",
    "Me",
    "Page",
    "ParkPublic",
    "Problem",
    "QuarantineDismiss",
    "QuarantineResubmit",
    "ReadingIn",
    "ReadingsBatch",
    "ReadingsSeries",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
    "VerifyReportPublic",
]

#: The largest row id (PostgreSQL ``integer``): ids beyond it name no row.
DB_ID_MAX = 2**31 - 1
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_only(value: object) -> object:
    """Refuse numbers and number-like text: a time is ISO 8601 text, never epoch seconds."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_TIME.match(value):
        raise ValueError("expected an ISO 8601 date and time with an offset")
    return value


#: A time given as ISO 8601 text with an explicit offset (``2024-07-01T00:00:00+08:00``).
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_only)]
DbRowId = Annotated[int, Field(ge=1, le=DB_ID_MAX)]

T = TypeVar("T")


class IssuePublic(BaseModel):
    """One validation issue (problem+json ``errors``, ingest reports): what, where and why.

    ``code``: the class of problem (what quarantine stores and reports count); ``source``: the
    file, topic or request; ``location``: the row, record or path in it; ``line``: the line of
    a text document; ``field`` and ``value``: what failed; ``reason_code`` and ``params``: the
    reason as data, for a client to render in its language from the message catalogue
    (``/static/i18n/issues.json``); ``reason``: the same, rendered in the request's language
    (``Accept-Language`` or ``?lang=``).
    """

    model_config = ConfigDict(extra="allow")

    code: str
    source: str | None = None
    location: str | None = None
    line: int | None = None
    field: str | None = None
    value: str | None = None
    reason_code: str
    params: dict[str, str | int | float | bool | None] = {}
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem detail (``application/problem+json``); ``errors`` lists the issues."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str
    errors: list[IssuePublic] | None = None


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total count and the window asked for."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Record(BaseModel):
    """A resource whose fields follow the park file (extra fields kept)."""

    model_config = ConfigDict(extra="allow")

    id: str


class ParkPublic(BaseModel):
    """A park as listed."""

    model_config = ConfigDict(extra="allow")

    id: str
    name: str
    type: str
    province: str
    timezone: str


class LoginRequest(BaseModel):
    """Email and password."""

    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class UserPublic(BaseModel):
    """A user as shown (never the password hash)."""

    id: int
    email: str
    role: str
    park_id: str | None
    tenant_id: str | None
    active: bool
    locked_until: AwareDatetime | None = None
    created_at: AwareDatetime | None = None


class LoginResponse(BaseModel):
    """A bearer token (shown once) and when it expires."""

    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: AwareDatetime
    user: UserPublic


class Me(BaseModel):
    """The caller."""

    model_config = ConfigDict(extra="allow")

    email: str | None
    role: str
    park_id: str | None
    tenant_id: str | None
    meter_ids: list[str] = []


class UserCreate(BaseModel):
    """A new user of a park: an email address and a password that meet the account policy."""

    email: str = Field(max_length=MAX_EMAIL, description="login email, stored lowercase")
    password: str = Field(
        min_length=MIN_PASSWORD,
        max_length=MAX_PASSWORD,
        description=f"{MIN_PASSWORD}+ characters, not whitespace only, not one of the most "
        "common passwords, not the email address",
    )
    role: Literal["park_admin", "tenant", "regulator", "auditor"]
    park_id: str = Field(max_length=64)
    tenant_id: str | None = Field(default=None, max_length=64)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            return normalise_email(value)
        except InputError as exc:
            raise ValueError(exc.reason) from None

    @field_validator("password")
    @classmethod
    def _password(cls, value: str, info: ValidationInfo) -> str:
        try:
            check_password(value, email=info.data.get("email"))
        except InputError as exc:
            raise ValueError(exc.reason) from None
        return value


class UserUpdate(BaseModel):
    """Activate or deactivate a user, or change their role (both revoke their sessions).

    ``role`` with ``tenant_id`` (the company, for the tenant role only); at least one of
    ``active`` and ``role``.
    """

    active: bool | None = None
    role: Literal["park_admin", "tenant", "regulator", "auditor"] | None = None
    tenant_id: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _something(self) -> UserUpdate:
        if self.active is None and self.role is None:
            raise ValueError("give active, role or both")
        return self


class ApiKeyCreate(BaseModel):
    """A gateway key bound to meters of the park."""

    name: str = Field(min_length=1, max_length=200)
    meter_ids: list[str] = Field(min_length=1, max_length=10_000)


class ApiKeyPublic(BaseModel):
    """A gateway key as listed (never the secret)."""

    id: int
    name: str
    park_id: str
    meter_ids: list[str]
    revoked: bool
    created_by: str
    created_at: AwareDatetime | None = None


class ApiKeyCreated(ApiKeyPublic):
    """A new key: ``key`` is shown this once and never again."""

    key: str


class ReadingIn(BaseModel):
    """One reading: ``ts`` ISO 8601 with an offset (the canonical readings format)."""

    meter: str = Field(max_length=64)
    ts: IsoDateTime
    value: float
    quality: Literal["measured", "estimated", "corrected", "manual"] = "measured"


class ReadingsBatch(BaseModel):
    """A batch of readings (at most 10 000; send files for more)."""

    source: str = Field(default="http", max_length=200)
    readings: list[ReadingIn] = Field(max_length=10_000)


class IngestReportPublic(BaseModel):
    """What an ingest did (the same report as the CLI's)."""

    model_config = ConfigDict(extra="allow")

    source: str
    received: int
    accepted: int
    duplicates: int
    corrected: int
    rejected: int
    meters: list[str]
    rejected_by_code: dict[str, int]
    issues: list[IssuePublic] = []


class PeriodRowPublic(BaseModel):
    """A derived quantity over ``[start, end)``."""

    start: datetime
    end: datetime
    quantity: float | None
    estimated: float
    coverage: float
    quality: str


class ReadingsSeries(BaseModel):
    """A meter's derived quantities in its unit."""

    park_id: str
    meter_id: str
    unit: str
    interval: str
    timezone: str
    virtual: bool
    rows: list[PeriodRowPublic]


#: A number as JSON, or as the text a file cell holds (``1,234.5``, ``95%``): the activities
#: contract's parser reads both, so a JSON record and a file row are judged alike.
NumberOrText = float | Annotated[str, Field(max_length=64)]


class ActivityCreate(BaseModel):
    """One activity record: the columns of the activities contract (docs/activities-csv.md).

    Checked by the same parser as a file row: ``period`` in any form the contract reads
    (``2024-03``, ``2024/3``, ``2024年3月``, ``2024-Q1``, ``2024Q1``, ``2024年第1季度``, ``2024``);
    ``quantity`` a number (text as in a file is read too; a percentage is refused), negative
    only for exports; the measured parameters optional.
    """

    entity: str = Field(max_length=64)
    period: str = Field(max_length=16)
    category: str = Field(max_length=40)
    item: str = Field(max_length=80)
    quantity: NumberOrText
    unit: str = Field(max_length=32)
    evidence: str | None = Field(default=None, max_length=2000)
    ncv: NumberOrText | None = Field(default=None, description="measured net calorific value")
    ncv_unit: str | None = Field(default=None, max_length=32, description="e.g. GJ/t")
    carbon_content: NumberOrText | None = Field(default=None, description="tC/GJ")
    oxidation_rate: NumberOrText | None = Field(
        default=None, description="fraction, 0-1 (or a percentage, 95%)"
    )
    emission_factor: NumberOrText | None = Field(
        default=None, description="a measured or supplier EF"
    )
    ef_unit: str | None = Field(default=None, max_length=32, description="e.g. tCO2/MWh")
    sector: str | None = Field(
        default=None, max_length=40, description="energy, industry, transport, building, life"
    )
    origin: str | None = Field(default=None, max_length=16, description="record or meter")


class QuarantineDismiss(BaseModel):
    """Dismiss quarantined records with a reason."""

    ids: list[DbRowId] = Field(min_length=1, max_length=1000)
    reason: str = Field(min_length=1, max_length=2000)


class QuarantineResubmit(BaseModel):
    """Re-submit quarantined records with the failing field set to ``value``."""

    ids: list[DbRowId] = Field(min_length=1, max_length=1000)
    value: str = Field(max_length=200)


class AlertPublic(BaseModel):
    """An alert and its lifecycle."""

    id: int
    park_id: str
    tenant_id: str | None
    meter_id: str | None
    kind: str
    subject: str
    severity: str
    message: str = Field(description="the English message (same as message_en)")
    message_zh: str
    message_en: str
    details: dict[str, Any]
    status: str
    raised_at: AwareDatetime
    acknowledged_at: AwareDatetime | None
    acknowledged_by: str | None
    resolved_at: AwareDatetime | None
    resolved_by: str | None
    note: str | None


class AlertNote(BaseModel):
    """An optional note on acknowledging or resolving."""

    note: str | None = Field(default=None, max_length=2000)


class CheckResultPublic(BaseModel):
    """Alert ids a check raised and resolved."""

    raised: list[int]
    resolved: list[int]


class AuditEntryPublic(BaseModel):
    """One audit-log entry."""

    seq: int
    at: AwareDatetime
    actor: str
    park_id: str | None
    action: str
    entity: str | None
    payload: Any
    payload_sha256: str
    prev_sha256: str
    sha256: str


class MismatchPublic(BaseModel):
    """A record that does not match its audit entry (``table``/``key``/``field``: the row)."""

    seq: int | None
    action: str | None
    entity: str | None
    kind: str
    reason: str
    table: str | None = None
    key: str | None = None
    field: str | None = None


class VerifyReportPublic(BaseModel):
    """Outcome of verifying the audit chain and the rows it covers.

    ``chain_entries`` and ``head_*`` are chain-wide; every other count is of the parks in
    ``parks`` (the caller's; ``null`` for the local operator: the whole database).
    """

    ok: bool
    parks: list[str] | None
    entries: int
    chain_entries: int
    batches: int
    readings: int
    activities: int
    inventories: int
    issued_bills: int
    sealed_rows: int
    rollup_meters: int
    rollup_hours: int
    head_seq: int
    head_sha256: str
    head_at: str | None
    failure_count: int
    first_failure: MismatchPublic | None
    failures: list[MismatchPublic]


class AuditHeadPublic(BaseModel):
    """The head of the whole audit chain, signed (HMAC-SHA256 under the server's secret key):
    save it outside the database and check it later with ``zeropark verify --anchor FILE``."""

    format: str
    version: int
    seq: int
    sha256: str
    at: str | None
    entries: int
    anchored_at: str
    hmac: str
