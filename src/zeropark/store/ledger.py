"""The carbon-asset ledger in the database: accounts, movements, prices, obligations (#14).

All SQL of the ledger lives here; the rules live in :mod:`zeropark.domain.ledger`. Movements are
append-only: :func:`append_movements` gives them the next ids (under the audit chain's lock),
inserts them and appends one ``ledger.movements`` audit entry recording every movement's content
hash (:func:`movement_sha256`), in the caller's transaction. Accounts, prices, obligations and
settings are sealed rows (:mod:`zeropark.store.seal`).

Who reads what: park admins, auditors and the local operator read the park's whole ledger; a
tenant reads its own accounts and the movements into or out of them; a regulator reads no row
(aggregated positions are computed for it by the service as the aggregator).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, true

from zeropark.domain.access import Principal
from zeropark.domain.accounting.periods import parse_period
from zeropark.domain.ledger.movements import Account, LedgerState, Movement
from zeropark.domain.ledger.serials import SerialRange, add_range, clip, take_range, union
from zeropark.store import audit, seal
from zeropark.store.ledger_schema import (
    ledger_accounts,
    ledger_movements,
    ledger_obligations,
    ledger_prices,
    ledger_settings,
)
from zeropark.store.scope import require, verifier_parks

__all__ = [
    "MOVEMENTS_ACTION",
    "Obligation",
    "StoredMovement",
    "accounts",
    "append_movements",
    "claimed_mwh",
    "get_setting",
    "list_movements",
    "load_state",
    "movement_rows_for_verify",
    "movement_sha256",
    "obligations",
    "prices",
    "put_accounts",
    "put_obligation",
    "put_prices",
    "put_setting",
    "retirements",
    "surrendered",
]

MOVEMENTS_ACTION = "ledger.movements"
_MILLI = Decimal(1000)


@dataclass(frozen=True, slots=True)
class StoredMovement:
    """A movement as stored: its id, park, audit entry and the movement."""

    id: int
    park_id: str
    audit_seq: int
    created_by: str
    movement: Movement


@dataclass(frozen=True, slots=True)
class Obligation:
    """A covered tenant's compliance year (entered from the verification report)."""

    id: int
    park_id: str
    tenant_id: str
    year: int
    sector: str
    verified_t: Decimal
    deadline: str
    evidence: str
    listed: bool = False


def movement_sha256(park_id: str, movement_id: int, m: Movement) -> str:
    """SHA-256 of a movement's content as canonical JSON (with its id and park)."""
    return audit.sha256_hex(
        audit.canonical_json({**m.canonical(), "id": movement_id, "park_id": park_id})
    )


def _to_milli(q: Decimal) -> int:
    return int((q * _MILLI).to_integral_exact())


def _movement(row: Any) -> Movement:
    r = row._mapping
    return Movement(
        kind=r["kind"],
        instrument=r["instrument"],
        quantity=Decimal(int(r["quantity_milli"])) / _MILLI,
        from_account=r["from_account"],
        to_account=r["to_account"],
        occurred_on=r["occurred_on"],
        evidence=r["evidence"],
        reference=r["reference"],
        serial_start=r["serial_start"],
        serial_end=r["serial_end"],
        beneficiary=r["beneficiary"],
        period=r["period"],
        compliance_year=r["compliance_year"],
        price_cny=None if r["price_cny"] is None else Decimal(r["price_cny"]),
        counterparty=r["counterparty"],
        exchange=r["exchange"],
    )


def _stored(row: Any) -> StoredMovement:
    r = row._mapping
    return StoredMovement(
        int(r["id"]), r["park_id"], int(r["audit_seq"]), r["created_by"], _movement(row)
    )


# -- accounts ----------------------------------------------------------------------------------


def accounts(conn: Connection, principal: Principal, park_id: str) -> dict[str, Account]:
    """The park's accounts the caller may read (a tenant: its own; the outside accounts —
    registry, market — to everyone who reads any)."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    cond = [ledger_accounts.c.park_id == park_id]
    if principal.role == "tenant":
        cond.append(
            or_(
                ledger_accounts.c.tenant_id == principal.tenant_id,
                ledger_accounts.c.kind != "holding",
            )
        )
    elif not principal.can_read_row(park_id, None):
        cond.append(ledger_accounts.c.kind != "holding")
    rows = conn.execute(select(ledger_accounts).where(*cond).order_by(ledger_accounts.c.id))
    return {r.id: Account(r.id, r.kind, r.tenant_id, r.name) for r in rows}


def _all_accounts(conn: Connection, park_id: str) -> dict[str, Account]:
    rows = conn.execute(select(ledger_accounts).where(ledger_accounts.c.park_id == park_id))
    return {r.id: Account(r.id, r.kind, r.tenant_id, r.name) for r in rows}


def put_accounts(
    conn: Connection, principal: Principal, park_id: str, new: Iterable[Account]
) -> list[str]:
    """Create accounts that do not exist yet (park admins); sealed. Returns the ids created."""
    require(principal.can_configure(park_id), principal, "open ledger accounts")
    existing = _all_accounts(conn, park_id)
    created = []
    for a in new:
        if a.id in existing:
            continue
        conn.execute(
            ledger_accounts.insert().values(
                park_id=park_id, id=a.id, kind=a.kind, tenant_id=a.tenant_id, name=a.name or a.id
            )
        )
        created.append(a.id)
    if created:
        keys = [seal.row_key("ledger_accounts", park_id, i) for i in created]
        seal.append_seal(
            conn,
            actor=principal.subject,
            sealed={"ledger_accounts": seal.seal_rows(conn, "ledger_accounts", keys)},
            park_id=park_id,
            entity=f"ledger accounts {', '.join(created)}",
            action="ledger.accounts",
        )
    return created


# -- movements ---------------------------------------------------------------------------------


def load_state(
    conn: Connection,
    principal: Principal,
    park_id: str,
    instruments: Iterable[str],
    windows: Mapping[str, Sequence[SerialRange]] | None = None,
) -> LedgerState:
    """The ledger state of ``instruments`` in the park: balances summed in SQL, certificate
    serial ranges replayed from the movements (rules were checked when they were written).

    ``windows`` (per certificate instrument) limits the serial state to those serials: only
    movements overlapping them are read, their ranges clipped to them — exact for every serial
    inside (all its history overlaps), nothing outside. Recording passes the ranges it moves.
    """
    require(principal.can_read_aggregates(park_id), principal, "read the ledger's balances")
    wanted = sorted(set(instruments))
    state = LedgerState(_all_accounts(conn, park_id))
    if not wanted:
        return state
    m = ledger_movements
    where = and_(m.c.park_id == park_id, m.c.instrument.in_(wanted))
    for side, sign in ((m.c.from_account, -1), (m.c.to_account, 1)):
        query = (
            select(side, m.c.instrument, func.sum(m.c.quantity_milli))
            .where(where)
            .group_by(side, m.c.instrument)
        )
        for account, instrument, total in conn.execute(query):
            key = (account, instrument)
            state.balances[key] = (
                state.balances.get(key, Decimal(0)) + sign * Decimal(int(total)) / _MILLI
            )
    inside = {a.id for a in state.accounts.values() if a.kind not in ("issuer", "counterparty")}
    for instrument in (i for i in wanted if i.startswith("GEC:")):
        cols = (m.c.id, m.c.from_account, m.c.to_account, m.c.serial_start, m.c.serial_end)
        base = [m.c.park_id == park_id, m.c.instrument == instrument]
        if windows is None or instrument not in windows:
            rows = list(conn.execute(select(*cols).where(*base).order_by(m.c.id)))
            limits = None
        else:
            limits = union(windows[instrument])
            # A movement overlapping [lo, hi] starts in [lo − longest + 1, hi]: an indexed range.
            longest = int(
                conn.execute(select(func.max(m.c.quantity_milli)).where(*base)).scalar() or 0
            ) // int(_MILLI)
            found: dict[int, Any] = {}
            for chunk in range(0, len(limits), 200):
                spans = [
                    and_(
                        m.c.serial_start >= f"{max(w.start - longest + 1, 0):032d}",
                        m.c.serial_start <= f"{w.end:032d}",
                        m.c.serial_end >= f"{w.start:032d}",
                    )
                    for w in limits[chunk : chunk + 200]
                ]
                query = select(*cols).where(*base, or_(*spans))
                found.update((row.id, row) for row in conn.execute(query))
            rows = [found[k] for k in sorted(found)]
        for row in rows:
            whole = SerialRange(int(row.serial_start), int(row.serial_end))
            for r in [whole] if limits is None else clip(whole, limits):
                _replay_serials(state, inside, instrument, row.from_account, row.to_account, r)
    return state


def _replay_serials(
    state: LedgerState, inside: set[str], instrument: str, src: str, dst: str, r: SerialRange
) -> None:
    if src in inside:
        state.ranges[(src, instrument)] = take_range(state.ranges.get((src, instrument), []), r)
    else:
        state.present[instrument] = add_range(state.present.get(instrument, []), r)
    if dst in inside:
        state.ranges[(dst, instrument)] = add_range(state.ranges.get((dst, instrument), []), r)
    else:
        state.present[instrument] = take_range(state.present[instrument], r)


def append_movements(
    conn: Connection,
    principal: Principal,
    park_id: str,
    movements: Sequence[Movement],
    *,
    entity: str | None = None,
) -> list[int]:
    """Insert ``movements`` (already checked by the caller against :func:`load_state`) with
    the next ids, and the ``ledger.movements`` audit entry recording their hashes."""
    require(principal.can_configure(park_id), principal, "record ledger movements")
    if not movements:
        return []
    seq = audit.reserve_seq(conn)  # takes the chain's lock: ids and entry in one order
    first = int(conn.execute(select(func.max(ledger_movements.c.id))).scalar() or 0) + 1
    owners = {a.id: a.tenant_id for a in _all_accounts(conn, park_id).values()}
    rows, shas = [], []
    for n, mv in enumerate(movements):
        ident = first + n
        rows.append(
            {
                "id": ident,
                "park_id": park_id,
                "kind": mv.kind,
                "instrument": mv.instrument,
                "quantity_milli": _to_milli(mv.quantity),
                "from_account": mv.from_account,
                "to_account": mv.to_account,
                "from_tenant": owners.get(mv.from_account),
                "to_tenant": owners.get(mv.to_account),
                "serial_start": mv.serial_start,
                "serial_end": mv.serial_end,
                "beneficiary": mv.beneficiary,
                "period": mv.period,
                "compliance_year": mv.compliance_year,
                "price_cny": mv.canonical()["price_cny"],
                "counterparty": mv.counterparty,
                "exchange": mv.exchange,
                "occurred_on": mv.occurred_on,
                "evidence": mv.evidence,
                "reference": mv.reference,
                "created_by": principal.subject,
                "audit_seq": seq,
            }
        )
        shas.append(movement_sha256(park_id, ident, mv))
    for start in range(0, len(rows), 5000):
        conn.execute(ledger_movements.insert(), rows[start : start + 5000])
    last = first + len(rows) - 1
    audit.append(
        conn,
        actor=principal.subject,
        action=MOVEMENTS_ACTION,
        park_id=park_id,
        entity=entity or (f"movement {first}" if first == last else f"movements {first}-{last}"),
        payload={"movements": {"first": first, "sha256": shas}},
    )
    return list(range(first, last + 1))


def _visible(principal: Principal, park_id: str) -> Any:
    m = ledger_movements
    if principal.role == "tenant":
        return and_(
            m.c.park_id == park_id,
            or_(m.c.from_tenant == principal.tenant_id, m.c.to_tenant == principal.tenant_id),
        )
    require(principal.can_read_row(park_id, None), principal, "read the ledger's movements")
    return m.c.park_id == park_id


def list_movements(
    conn: Connection,
    principal: Principal,
    park_id: str,
    *,
    instrument_prefix: str | None = None,
    kinds: Sequence[str] | None = None,
    tenant_id: str | None = None,
) -> list[StoredMovement]:
    """Movements the caller may read, in id order (filters: instrument prefix, kinds, tenant)."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    m = ledger_movements
    cond = [_visible(principal, park_id)]
    if instrument_prefix:
        cond.append(m.c.instrument.startswith(instrument_prefix))
    if kinds:
        cond.append(m.c.kind.in_(list(kinds)))
    if tenant_id:
        cond.append(or_(m.c.from_tenant == tenant_id, m.c.to_tenant == tenant_id))
    return [_stored(r) for r in conn.execute(select(m).where(*cond).order_by(m.c.id))]


def retirements(
    conn: Connection, principal: Principal, park_id: str, period_prefix: str
) -> list[StoredMovement]:
    """Certificate retirements claimed for periods starting with ``period_prefix`` whose
    consumer the caller may read (a tenant: claimed for itself; the park's readers: all)."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    m = ledger_movements
    cond = [
        m.c.park_id == park_id,
        m.c.kind == "retirement",
        m.c.instrument.startswith("GEC:"),
        m.c.period.startswith(period_prefix),
    ]
    if principal.role == "tenant":
        cond.append(m.c.beneficiary == principal.tenant_id)
    elif not principal.can_read_aggregates(park_id):
        return []
    return [_stored(r) for r in conn.execute(select(m).where(*cond).order_by(m.c.id))]


def claimed_mwh(
    conn: Connection, principal: Principal, park_id: str, beneficiary: str, period: str
) -> Decimal:
    """Certificates [MWh] retired for ``beneficiary`` for periods overlapping ``period``
    (``2024``, ``2024-Q1``, ``2024-03``): conservative, a year's claim counts against each of
    its months."""
    require(
        principal.can_read_row(park_id, beneficiary) or principal.can_read_aggregates(park_id),
        principal,
        "read certificate claims",
    )
    wanted = parse_period(period)
    m = ledger_movements
    query = select(m.c.period, m.c.quantity_milli).where(
        m.c.park_id == park_id,
        m.c.kind == "retirement",
        m.c.instrument.startswith("GEC:"),
        m.c.beneficiary == beneficiary,
        m.c.period.startswith(period[:4]),
    )
    total = sum(int(q) for p, q in conn.execute(query) if parse_period(str(p)).overlaps(wanted))
    return Decimal(total) / _MILLI


def surrendered(
    conn: Connection, principal: Principal, park_id: str, tenant_id: str, year: int
) -> dict[str, Decimal]:
    """Tonnes surrendered by the tenant for compliance ``year``, by instrument kind."""
    require(
        principal.can_read_row(park_id, tenant_id) or principal.can_read_aggregates(park_id),
        principal,
        "read surrenders",
    )
    m = ledger_movements
    query = (
        select(m.c.instrument, func.sum(m.c.quantity_milli))
        .where(
            m.c.park_id == park_id,
            m.c.kind == "surrender",
            m.c.from_tenant == tenant_id,
            m.c.compliance_year == year,
        )
        .group_by(m.c.instrument)
    )
    out: dict[str, Decimal] = {}
    for instrument, total in conn.execute(query):
        kind = str(instrument).split(":")[0]
        out[kind] = out.get(kind, Decimal(0)) + Decimal(int(total)) / _MILLI
    return out


def movement_rows_for_verify(conn: Connection, principal: Principal) -> Iterator[StoredMovement]:
    """Every movement of the verifier's parks (all, for the local operator), in id order."""
    parks = verifier_parks(principal)
    m = ledger_movements
    where = true() if parks is None else m.c.park_id.in_(sorted(parks))
    query = select(m).where(where).order_by(m.c.id).execution_options(yield_per=20_000)
    for row in conn.execute(query):
        yield _stored(row)


def accounts_for_verify(conn: Connection, principal: Principal) -> dict[str, dict[str, Account]]:
    """Accounts of the verifier's parks, by park."""
    parks = verifier_parks(principal)
    a = ledger_accounts
    where = true() if parks is None else a.c.park_id.in_(sorted(parks))
    out: dict[str, dict[str, Account]] = {}
    for r in conn.execute(select(a).where(where)):
        out.setdefault(r.park_id, {})[r.id] = Account(r.id, r.kind, r.tenant_id, r.name)
    return out


# -- prices, obligations, settings ---------------------------------------------------------------


def put_prices(
    conn: Connection,
    principal: Principal,
    park_id: str,
    points: Iterable[tuple[str, str, Decimal, str]],
) -> int:
    """Enter (market, date, CNY per unit, source) points, replacing a date's price; sealed."""
    require(principal.can_configure(park_id), principal, "enter carbon prices")
    p = ledger_prices
    ids = []
    for market, on_date, price, source in points:
        found = conn.execute(
            select(p.c.id).where(
                p.c.park_id == park_id, p.c.market == market, p.c.on_date == on_date
            )
        ).scalar()
        values = {"price_cny": format(price.normalize(), "f"), "source": source}
        if found is None:
            key = conn.execute(
                p.insert().values(park_id=park_id, market=market, on_date=on_date, **values)
            ).inserted_primary_key
            assert key is not None
            ids.append(int(key[0]))
        else:
            conn.execute(p.update().where(p.c.id == found).values(**values))
            ids.append(int(found))
    if ids:
        seal.append_seal(
            conn,
            actor=principal.subject,
            sealed={"ledger_prices": seal.seal_rows(conn, "ledger_prices", [str(i) for i in ids])},
            park_id=park_id,
            entity=f"{len(ids)} carbon price(s)",
            action="ledger.prices",
        )
    return len(ids)


def prices(
    conn: Connection, principal: Principal, park_id: str, market: str | None = None
) -> list[tuple[str, str, Decimal, str]]:
    """The price series (market, date, CNY per unit, source) in date order."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    p = ledger_prices
    cond = [p.c.park_id == park_id]
    if market:
        cond.append(p.c.market == market)
    rows = conn.execute(select(p).where(*cond).order_by(p.c.market, p.c.on_date))
    return [(r.market, r.on_date, Decimal(r.price_cny), r.source) for r in rows]


def put_obligation(
    conn: Connection,
    principal: Principal,
    park_id: str,
    *,
    tenant_id: str,
    year: int,
    sector: str,
    verified_t: Decimal,
    deadline: str,
    evidence: str,
    listed: bool = False,
) -> int:
    """Enter or replace a tenant's compliance year; sealed."""
    require(principal.can_configure(park_id), principal, "enter compliance obligations")
    o = ledger_obligations
    values = {
        "sector": sector,
        "verified_t": format(verified_t.normalize(), "f"),
        "deadline": deadline,
        "evidence": evidence,
        "listed": listed,
    }
    found = conn.execute(
        select(o.c.id).where(o.c.park_id == park_id, o.c.tenant_id == tenant_id, o.c.year == year)
    ).scalar()
    if found is None:
        key = conn.execute(
            o.insert().values(park_id=park_id, tenant_id=tenant_id, year=year, **values)
        ).inserted_primary_key
        assert key is not None
        ident = int(key[0])
    else:
        ident = int(found)
        conn.execute(o.update().where(o.c.id == ident).values(**values))
    seal.append_seal(
        conn,
        actor=principal.subject,
        sealed={"ledger_obligations": seal.seal_rows(conn, "ledger_obligations", [str(ident)])},
        park_id=park_id,
        entity=f"obligation {tenant_id} {year}",
        action="ledger.obligation",
    )
    return ident


def obligations(
    conn: Connection, principal: Principal, park_id: str, *, tenant_id: str | None = None
) -> list[Obligation]:
    """Compliance years the caller may read (a tenant: its own; regulators: all, aggregated
    by the service)."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    o = ledger_obligations
    cond = [o.c.park_id == park_id]
    if principal.role == "tenant":
        cond.append(o.c.tenant_id == principal.tenant_id)
    elif not principal.can_read_aggregates(park_id):
        return []
    if tenant_id:
        cond.append(o.c.tenant_id == tenant_id)
    rows = conn.execute(select(o).where(*cond).order_by(o.c.tenant_id, o.c.year))
    return [
        Obligation(
            r.id,
            r.park_id,
            r.tenant_id,
            r.year,
            r.sector,
            Decimal(r.verified_t),
            r.deadline,
            r.evidence,
            bool(r.listed),
        )
        for r in rows
    ]


def get_setting(
    conn: Connection, principal: Principal, park_id: str, key: str, default: str
) -> str:
    """A ledger setting of the park (e.g. ``cost_method``)."""
    require(principal.can_read_park(park_id), principal, f"park {park_id!r}", hide=True)
    s = ledger_settings
    found = conn.execute(select(s.c.value).where(s.c.park_id == park_id, s.c.id == key)).scalar()
    return default if found is None else str(found)


def put_setting(conn: Connection, principal: Principal, park_id: str, key: str, value: str) -> None:
    """Set a ledger setting (park admins); sealed."""
    require(principal.can_configure(park_id), principal, "change ledger settings")
    s = ledger_settings
    if conn.execute(select(s.c.value).where(s.c.park_id == park_id, s.c.id == key)).first():
        conn.execute(s.update().where(s.c.park_id == park_id, s.c.id == key).values(value=value))
    else:
        conn.execute(s.insert().values(park_id=park_id, id=key, value=value))
    seal.append_seal(
        conn,
        actor=principal.subject,
        sealed={
            "ledger_settings": seal.seal_rows(
                conn, "ledger_settings", [seal.row_key("ledger_settings", park_id, key)]
            )
        },
        park_id=park_id,
        entity=f"ledger setting {key}",
        action="ledger.settings",
    )
