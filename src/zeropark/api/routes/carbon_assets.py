"""Carbon assets (碳资产): accounts, holdings, movements, compliance, trades, import, statements
and the verifier's export. Tenants see their own accounts; regulators the aggregated positions;
auditors read the ledger and its evidence; park admins record (docs/carbon-assets.md)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zeropark.api.carbon_asset_schemas import (
    AccountPublic,
    AggregatedPositionsPublic,
    CompliancePublic,
    HoldingPublic,
    ImportResultPublic,
    MovementCreate,
    MovementPublic,
    RecordedPublic,
    TradePositionPublic,
)
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.downloads import attachment
from zeropark.api.routes.parks import Year
from zeropark.domain.ledger import Movement
from zeropark.errors import InputError
from zeropark.i18n import get_lang
from zeropark.service.carbon_assets.export import export_ledger_csv
from zeropark.service.carbon_assets.importer import import_statement
from zeropark.service.carbon_assets.movements import record_movements
from zeropark.service.carbon_assets.positions import (
    aggregated_positions,
    compliance_positions,
    holdings,
    trade_positions,
)
from zeropark.service.carbon_assets.statements import write_statement
from zeropark.store import ledger as store

router = APIRouter(tags=["carbon-assets"])
_BASE = "/parks/{park_id}/carbon-assets"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _dec(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except ArithmeticError:
        raise InputError(f"{name} {value!r} is not a number", field=name) from None


@router.get(f"{_BASE}/accounts", response_model=list[AccountPublic])
def list_accounts(park_id: str, db: DbDep, principal: PrincipalDep) -> list[AccountPublic]:
    """Accounts the caller may read (a tenant: its own and the outside accounts)."""
    with db.transaction() as conn:
        found = store.accounts(conn, principal, park_id)
    return [
        AccountPublic(id=a.id, kind=a.kind, tenant_id=a.tenant_id, name=a.name)
        for a in found.values()
    ]


@router.get(f"{_BASE}/holdings", response_model=list[HoldingPublic])
def list_holdings(park_id: str, db: DbDep, principal: PrincipalDep) -> list[HoldingPublic]:
    """Holdings with serial ranges and value at the latest price (none for a regulator)."""
    return [
        HoldingPublic(
            account=h.account, tenant_id=h.tenant_id, instrument=h.instrument, unit=h.unit,
            quantity=_text(h.quantity) or "0", serials=list(h.serials),
            price_cny=_text(h.price_cny), value_cny=_text(h.value_cny),
        )
        for h in holdings(db, principal, park_id)
    ]  # fmt: skip


def _public(s: store.StoredMovement) -> MovementPublic:
    c = s.movement.canonical()
    return MovementPublic(id=s.id, audit_seq=s.audit_seq, **c)


@router.get(f"{_BASE}/movements", response_model=list[MovementPublic])
def list_movements(park_id: str, db: DbDep, principal: PrincipalDep) -> list[MovementPublic]:
    """Movements the caller may read, with evidence (auditors and admins: all)."""
    with db.transaction() as conn:
        return [_public(s) for s in store.list_movements(conn, principal, park_id)]


@router.post(f"{_BASE}/movements", response_model=RecordedPublic, status_code=201)
def post_movements(
    park_id: str, db: DbDep, principal: PrincipalDep, body: list[MovementCreate]
) -> RecordedPublic:
    """Record movements, all or none (park admins); refusals are problem+json issues."""
    movements = [
        Movement(
            kind=m.kind, instrument=m.instrument,
            quantity=_dec(m.quantity, "quantity") or Decimal(0),
            from_account=m.from_account, to_account=m.to_account, occurred_on=m.occurred_on,
            evidence=m.evidence, reference=m.reference, serial_start=m.serial_start,
            serial_end=m.serial_end, beneficiary=m.beneficiary, period=m.period,
            compliance_year=m.compliance_year, price_cny=_dec(m.price_cny, "price_cny"),
            counterparty=m.counterparty, exchange=m.exchange,
        )
        for m in body
    ]  # fmt: skip
    return RecordedPublic(ids=record_movements(db, principal, park_id, movements))


@router.get(f"{_BASE}/compliance", response_model=list[CompliancePublic])
def get_compliance(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year
) -> list[CompliancePublic]:
    """Surrender positions of covered tenants (a tenant: its own; not for regulators)."""
    out = []
    for p in compliance_positions(db, principal, park_id, year):
        out.append(
            CompliancePublic(
                tenant_id=p.tenant_id, year=p.year, sector=p.sector, status=p.status,
                covered=p.covered, obligation_t=_text(p.obligation_t) or "0",
                allocated_t=_text(p.allocated_t) or "0",
                surrendered_cea_t=_text(p.surrendered_cea_t) or "0",
                surrendered_ccer_t=_text(p.surrendered_ccer_t) or "0",
                remaining_t=_text(p.remaining_t) or "0", cea_held_t=_text(p.cea_held_t) or "0",
                ccer_held_t=_text(p.ccer_held_t) or "0", ccer_cap_t=_text(p.ccer_cap_t) or "0",
                ccer_usable_t=_text(p.ccer_usable_t) or "0",
                ccer_unusable_t=_text(p.ccer_unusable_t) or "0", gap_t=_text(p.gap_t) or "0",
                surplus_t=_text(p.surplus_t) or "0", price_cny_per_t=_text(p.price_cny_per_t),
                gap_value_cny=_text(p.gap_value_cny), deadline=p.deadline,
            )
        )  # fmt: skip
    return out


@router.get(f"{_BASE}/positions", response_model=AggregatedPositionsPublic)
def get_positions(
    park_id: str, db: DbDep, principal: PrincipalDep, year: Year
) -> AggregatedPositionsPublic:
    """Park-wide compliance totals (regulators, admins, auditors): no tenant row."""
    return AggregatedPositionsPublic.model_validate(
        aggregated_positions(db, principal, park_id, year)
    )


@router.get(f"{_BASE}/trades", response_model=list[TradePositionPublic])
def get_trades(park_id: str, db: DbDep, principal: PrincipalDep) -> list[TradePositionPublic]:
    """Cost (avg or FIFO setting), realised and unrealised profit per traded instrument."""
    return [
        TradePositionPublic(
            account=a, instrument=i, method=c.method, held=_text(c.held) or "0",
            cost_cny=_text(c.cost_cny) or "0", realised_cny=_text(c.realised_cny) or "0",
            unrealised_cny=_text(c.unrealised_cny), price_cny=_text(c.price_cny),
        )
        for a, i, c in trade_positions(db, principal, park_id)
    ]  # fmt: skip


@router.post(f"{_BASE}/imports", response_model=ImportResultPublic)
async def post_import(
    park_id: str,
    request: Request,
    db: DbDep,
    principal: PrincipalDep,
    market_account: Annotated[str, Query(max_length=80)],
    source: Annotated[str, Query(max_length=200)] = "upload.csv",
) -> ImportResultPublic:
    """Import an exchange statement (CSV body, UTF-8); bad rows are quarantined."""
    body = (await request.body()).decode("utf-8-sig", errors="replace")
    result = import_statement(
        db, principal, park_id, body, source=source, market_account=market_account
    )
    return ImportResultPublic(
        recorded=result.recorded, quarantined=result.quarantined, duplicates=len(result.duplicates),
        issues=[i.as_dict(get_lang()) for i in result.issues],
    )  # fmt: skip


_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get(
    f"{_BASE}/statement",
    response_class=Response,
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def get_statement(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    year: Year,
    fmt: Annotated[Literal["pdf", "xlsx"], Query(alias="format")] = "pdf",
    tenant_id: Annotated[
        str | None, Query(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
    ] = None,
) -> Response:
    """The holdings and compliance statement in the request's language (a tenant: its own).

    ``tenant_id`` is a park-file id (ASCII), so it can name the downloaded file."""
    if principal.role == "tenant":
        tenant_id = principal.tenant_id
    with tempfile.TemporaryDirectory() as tmp:
        path = write_statement(
            db, principal, park_id, year, Path(tmp) / f"statement.{fmt}", fmt,
            tenant_id=tenant_id, lang=get_lang(),
        )  # fmt: skip
        content = path.read_bytes()
    name = f"carbon-assets-{tenant_id or park_id}-{year}.{fmt}"
    return Response(
        content,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": attachment(name)},
    )


@router.get(
    f"{_BASE}/export", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def get_export(park_id: str, db: DbDep, principal: PrincipalDep) -> Response:
    """The ledger for a verifier: every movement, evidence, audit entry and hash (CSV)."""
    return Response(export_ledger_csv(db, principal, park_id), media_type="text/csv; charset=utf-8")
