"""Carbon-asset ledger: record 1,000,000 movements through the rules, then a full balance and
verification pass, against a plain insert of the same rows measured in the same run (#14).

1. baseline: the same movement rows inserted with plain executemany (no rules, no hashing, no
   audit) into a fresh database;
2. the ledger: :func:`zeropark.service.carbon_assets.movements.record_movements` in batches of
   ``--batch`` (balances loaded and every movement checked by the domain rules, ids assigned,
   rows inserted, one ``ledger.movements`` audit entry per batch with every movement's hash);
3. a full balance pass (:func:`zeropark.store.ledger.load_state` over every instrument) and
   ``zeropark verify`` (:func:`zeropark.service.audit_verify.verify_database`: the chain, every
   movement's hash against its entry, the whole ledger replayed through the rules).

Movements: an allocation, then transfers of CEA between three holding accounts and, every
tenth, a certificate issuance (serial ranges of 10). Prints movements per second for both and
the ratio, the balance pass and the verification time.

    .venv/bin/python benchmarks/ledger.py [--movements 1000000] [--batch 10000] [--db-dir /tmp]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from zeropark.domain.access import Principal
from zeropark.domain.ledger import Account, Movement
from zeropark.service.audit_verify import verify_database
from zeropark.service.carbon_assets.movements import open_accounts, record_movements
from zeropark.service.database import Database
from zeropark.service.park_file import park_template, parse_park_text
from zeropark.store import ledger as store
from zeropark.store.ledger_schema import ledger_movements
from zeropark.store.parks import ParkRepository

SYSTEM = Principal.system("benchmark")
PROJECT = "32010000000000017"
EV = {"occurred_on": "2024-05-01", "evidence": "bench", "reference": "B"}
HOLDERS = ("park", "t_a", "t_b")


def _database(path: Path) -> tuple[Database, str]:
    db = Database(f"sqlite:///{path}")
    spec = parse_park_text(park_template("mixed"), "mixed.yaml")
    with db.transaction() as conn:
        ParkRepository(conn, SYSTEM).apply(spec)
    park = spec.park.id
    open_accounts(db, SYSTEM, park, [
        Account("park", "holding"), Account("t_a", "holding", "t_chem"),
        Account("t_b", "holding", "t_mall"), Account("registry", "issuer"),
    ])  # fmt: skip
    return db, park


def _movements(n: int) -> list[Movement]:
    out = [
        Movement("allocation", "CEA:2024", Decimal(10**9), "registry", "park", **EV),
        Movement("transfer", "CEA:2024", Decimal(10**8), "park", "t_a", **EV),
        Movement("transfer", "CEA:2024", Decimal(10**8), "park", "t_b", **EV),
    ]
    for i in range(3, n):
        if i % 10 == 0:
            start = i * 10
            out.append(
                Movement(
                    "issuance", f"GEC:{PROJECT}:2024-{1 + (i // 10) % 12:02d}", Decimal(10),
                    "registry", HOLDERS[i % 3],
                    serial_start=f"{PROJECT}{start:015d}", serial_end=f"{PROJECT}{start + 9:015d}",
                    **EV,
                )
            )  # fmt: skip
        else:
            a, b = HOLDERS[i % 3], HOLDERS[(i + 1) % 3]
            out.append(Movement("transfer", "CEA:2024", Decimal("0.5"), a, b, **EV))
    return out


def _rows(park: str, movements: list[Movement]) -> list[dict[str, object]]:
    return [
        {
            "id": n + 1, "park_id": park, "kind": m.kind, "instrument": m.instrument,
            "quantity_milli": int(m.quantity * 1000), "from_account": m.from_account,
            "to_account": m.to_account, "from_tenant": None, "to_tenant": None,
            "serial_start": m.serial_start, "serial_end": m.serial_end, "beneficiary": None,
            "period": None, "compliance_year": None, "price_cny": None, "counterparty": None,
            "exchange": None, "occurred_on": m.occurred_on, "evidence": m.evidence,
            "reference": m.reference, "created_by": "bench", "audit_seq": 0,
        }
        for n, m in enumerate(movements)
    ]  # fmt: skip


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movements", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--db-dir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    movements = _movements(args.movements)
    n = len(movements)
    stamp = int(time.time() * 1000)

    base_db, park = _database(args.db_dir / f"ledger-bench-plain-{stamp}.db")
    rows = _rows(park, movements)
    t0 = time.perf_counter()
    with base_db.transaction() as conn:
        for i in range(0, n, args.batch):
            conn.execute(ledger_movements.insert(), rows[i : i + args.batch])
    plain_s = time.perf_counter() - t0
    del rows
    base_db.dispose()

    db, park = _database(args.db_dir / f"ledger-bench-{stamp}.db")
    t0 = time.perf_counter()
    for i in range(0, n, args.batch):
        record_movements(db, SYSTEM, park, movements[i : i + args.batch])
    ledger_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    with db.transaction() as conn:
        instruments = {m.instrument for m in movements}
        state = store.load_state(conn, SYSTEM, park, instruments)
    balance_s = time.perf_counter() - t0
    total = sum(q for (a, i), q in state.balances.items() if i == "CEA:2024" and a in HOLDERS)
    assert total == Decimal(10**9), total

    t0 = time.perf_counter()
    report = verify_database(db, SYSTEM)
    verify_s = time.perf_counter() - t0
    assert report.ok and report.ledger_movements == n, report.failures[:3]
    db.dispose()

    print(f"movements                      {n:>12,}")
    print(f"plain insert (baseline)        {n / plain_s:>12,.0f} movements/s  ({plain_s:.1f} s)")
    print(f"ledger (rules + hashes + audit){n / ledger_s:>12,.0f} movements/s  ({ledger_s:.1f} s)")
    print(f"ledger / plain time            {ledger_s / plain_s:>12.2f} x")
    print(f"full balance pass              {balance_s:>12.2f} s")
    print(
        f"verification (zeropark verify) {verify_s:>12.2f} s  = "
        f"{verify_s / plain_s:.2f} x plain insert"
    )


if __name__ == "__main__":
    main()
