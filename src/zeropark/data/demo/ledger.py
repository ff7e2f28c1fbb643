"""The demo park's carbon-asset ledger (碳资产台账) for compliance year ``year``.

Illustrative, not market data: prices, project ids and certificate serials are made up in the
documented formats (CEA prices in the range the national market traded at in 2024-2025).

- The glass works (t_glass, ~28,000 t of direct emissions a year) is treated as a listed key
  emitting unit (重点排放单位) — flat glass is not among the 2025 sectors (power, steel, cement,
  aluminium; reference/carbon_markets.md §1), so the demo enters it as *listed*, the way a
  provincial list would. Allocation = 95 % of verified emissions (entered as issued); it buys
  1,400 t CEA in two trades, sells 100 t, buys 700 t CCER, and surrenders all but 150 t before
  the deadline (CCER within the 5 % cap).
- Green certificates (绿证) bought by the park from a wind farm on the trading platform cover the
  green electricity the electronics and pharmaceutical tenants claim (their activity rows):
  transferred to each tenant, then retired for the tenant and its consumption period (the
  pharmaceutical tenant's quarterly claims for the quarter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from zeropark.domain.ledger import Account, Movement

__all__ = ["DemoLedger", "demo_ledger"]

WIND_PROJECT = "32090200000000731"  # 17 digits, illustrative
CCER = "CCER:CCER-32-2024-0117:2024"
#: Illustrative monthly closing prices [CNY/t] of CEA, and CCER and GEC prices.
_CEA_PRICES = (
    ("2025-01-31", "96.50"),
    ("2025-03-31", "88.20"),
    ("2025-06-30", "92.00"),
    ("2025-09-30", "95.60"),
    ("2025-11-28", "97.40"),
)
_SOURCE = "illustrative demo price (not market data)"


@dataclass(frozen=True, slots=True)
class DemoLedger:
    """Accounts, obligation, prices and the movements in order."""

    accounts: tuple[Account, ...]
    obligation: dict[str, object]
    prices: tuple[tuple[str, str, Decimal, str], ...]
    movements: tuple[Movement, ...]


class _Evidence(TypedDict):
    occurred_on: str
    evidence: str
    reference: str


def _ev(on: str, evidence: str, reference: str) -> _Evidence:
    return {"occurred_on": on, "evidence": evidence, "reference": reference}


def _claims(rows: Iterable[Mapping[str, str]]) -> list[tuple[str, str, int, str]]:
    """(tenant, consumption period, MWh, production month) of the green-electricity rows."""
    out = []
    for row in rows:
        if row["category"] != "green_electricity":
            continue
        year, month = (int(x) for x in row["period"].split("-"))
        mwh = int(Decimal(row["quantity"]))
        period = row["period"] if row["entity"] != "t_pharma" else f"{year}-Q{(month - 1) // 3 + 1}"
        out.append((row["entity"], period, mwh, row["period"]))
    return out


def demo_ledger(
    year: int, verified_t: Decimal, activity_rows: Iterable[Mapping[str, str]]
) -> DemoLedger:
    """The demo ledger of ``year`` given the glass works' verified emissions [t]."""
    accounts = (
        Account("park", "holding", None, "园区运营方 Park operator"),
        Account("t_glass", "holding", "t_glass", "晶澄玻璃 Jingcheng Glass"),
        Account("t_elec", "holding", "t_elec"),
        Account("t_pharma", "holding", "t_pharma"),
        Account("registry", "issuer", None, "全国碳排放权注册登记系统 / 绿证核发 Registry"),
        Account("cneeex", "counterparty", None, "全国碳排放权交易系统 CEA market"),
        Account("ccer_seller", "counterparty", None, "CCER 项目业主 CCER project owner"),
        Account("wind_farm", "counterparty", None, "风电场 Wind farm (GEC seller)"),
        Account("surrendered", "surrender", None, "清缴 Surrendered"),
        Account("retired", "retirement", None, "绿证注销 Retired certificates"),
    )
    nxt = year + 1
    obligation_t = verified_t
    allocated = (verified_t * Decimal("0.95")).quantize(Decimal(1))
    cea = f"CEA:{year}"
    moves = [
        Movement(
            "allocation",
            cea,
            allocated,
            "registry",
            "t_glass",
            **_ev(f"{nxt}-01-20", "配额分配通知", f"CEA-ALLOC-{year}-0042"),
        ),
        Movement(
            "purchase",
            cea,
            Decimal(800),
            "cneeex",
            "t_glass",
            price_cny=Decimal("92.30"),
            counterparty="挂牌协议交易",
            exchange="上海环境能源交易所",
            **_ev(f"{nxt}-06-12", "成交单", "SEEE-20250612-118"),
        ),
        Movement(
            "purchase",
            CCER,
            Decimal(700),
            "ccer_seller",
            "t_glass",
            price_cny=Decimal("68.00"),
            counterparty="江苏某光伏电站项目业主",
            exchange="北京绿色交易所",
            **_ev(f"{nxt}-08-20", "CCER 成交单", "CBEEX-20250820-031"),
        ),
        Movement(
            "purchase",
            cea,
            Decimal(600),
            "cneeex",
            "t_glass",
            price_cny=Decimal("95.10"),
            counterparty="大宗协议交易",
            exchange="上海环境能源交易所",
            **_ev(f"{nxt}-09-03", "成交单", "SEEE-20250903-077"),
        ),
        Movement(
            "sale",
            cea,
            Decimal(100),
            "t_glass",
            "cneeex",
            price_cny=Decimal("98.00"),
            counterparty="挂牌协议交易",
            exchange="上海环境能源交易所",
            **_ev(f"{nxt}-10-15", "成交单", "SEEE-20251015-203"),
        ),
        Movement(
            "surrender",
            CCER,
            Decimal(700),
            "t_glass",
            "surrendered",
            compliance_year=year,
            **_ev(f"{nxt}-11-10", "清缴确认单", f"QJ-{year}-0042-1"),
        ),
        Movement(
            "surrender",
            cea,
            obligation_t - Decimal(700) - Decimal(150),
            "t_glass",
            "surrendered",
            compliance_year=year,
            **_ev(f"{nxt}-11-10", "清缴确认单", f"QJ-{year}-0042-2"),
        ),
    ]
    claims = _claims(activity_rows)
    by_month: dict[str, int] = {}
    for _, _, mwh, month in claims:
        by_month[month] = by_month.get(month, 0) + mwh
    next_serial: dict[str, int] = {}
    serials: dict[str, tuple[int, int]] = {}
    for month, mwh in sorted(by_month.items()):
        base = int(f"{WIND_PROJECT}{month.replace('-', '')}000000001")
        serials[month] = (base, base + mwh - 1)
        next_serial[month] = base
        moves.append(
            Movement(
                "purchase",
                f"GEC:{WIND_PROJECT}:{month}",
                Decimal(mwh),
                "wind_farm",
                "park",
                serial_start=f"{base:032d}",
                serial_end=f"{base + mwh - 1:032d}",
                price_cny=Decimal("5.20"),
                counterparty="如东海上风电场",
                exchange="绿证交易平台",
                **_ev(f"{month}-28", "绿证交易凭证", f"GEC-TRADE-{month}"),
            )
        )
    for tenant, period, mwh, month in claims:
        start = next_serial[month]
        next_serial[month] = start + mwh
        first, last = f"{start:032d}", f"{start + mwh - 1:032d}"
        instrument = f"GEC:{WIND_PROJECT}:{month}"
        moves.append(
            Movement(
                "transfer", instrument, Decimal(mwh), "park", tenant,
                serial_start=first, serial_end=last,
                **_ev(f"{month}-28", "绿证划转单", f"GEC-TR-{tenant}-{month}"),
            )
        )  # fmt: skip
        moves.append(
            Movement(
                "retirement", instrument, Decimal(mwh), tenant, "retired",
                serial_start=first, serial_end=last, beneficiary=tenant, period=period,
                **_ev(f"{month}-28", "绿证注销凭证", f"GEC-{month}-{tenant}"),
            )
        )  # fmt: skip
    prices = tuple(
        [("CEA", on, Decimal(p), _SOURCE) for on, p in _CEA_PRICES]
        + [
            ("CCER", f"{nxt}-09-30", Decimal("70.00"), _SOURCE),
            ("GEC", f"{nxt}-06-30", Decimal("5.50"), _SOURCE),
        ]
    )
    obligation = {
        "tenant_id": "t_glass",
        "year": year,
        "sector": "glass",
        "verified_t": verified_t,
        "deadline": f"{nxt}-12-31",
        "evidence": f"{year} 年度排放核查报告（示例）",
        "listed": True,
    }
    return DemoLedger(accounts, obligation, prices, tuple(moves))
