"""Holdings and compliance statement (碳资产持有与履约报表), PDF or xlsx, in Chinese or English
(#14): holdings with serial ranges and value at the latest price, the compliance positions
(CCER within 5 %, gap at the latest price, deadline), the certificates retired per consumer and
period (the green-electricity statement), and trades with avg/FIFO profit. Built on the report
kit of :mod:`zeropark.service.reports` (fonts embedded)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from zeropark.domain.access import Principal
from zeropark.domain.ledger import COVERED_SECTORS
from zeropark.errors import NotFound, PermissionDenied
from zeropark.i18n import Lang, t, use_lang
from zeropark.service.carbon_assets.green import retirement_ref
from zeropark.service.carbon_assets.positions import (
    compliance_positions,
    holdings,
    trade_positions,
)
from zeropark.service.database import Database
from zeropark.service.energy.headline import park_headline
from zeropark.service.reports.content import Cell, Report, Section, SignOff, Table
from zeropark.service.reports.pdf import write_pdf
from zeropark.service.reports.xlsx import write_xlsx
from zeropark.store import ledger as store
from zeropark.store.ledger import StoredMovement

__all__ = ["build_statement", "write_statement"]


def _sector(code: str | None) -> str:
    zh = COVERED_SECTORS.get(code or "")
    return t(zh, code or "") if zh else (code or "—")


def _f(value: object) -> float | None:
    return None if value is None else float(str(value))


def _green_balance(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    tenant_id: str | None,
    retired: list[StoredMovement],
) -> list[Table]:
    """The green-electricity statement of the boundary: grid purchase, on-site PV consumed on
    site, certificates retired (this ledger), green-power trades and other green electricity
    in the inventory, and the renewable share by its one definition
    (:func:`~zeropark.service.energy.headline.park_headline`). Empty when the caller may not
    read the boundary's inventory."""
    try:
        figures = park_headline(db, principal, park_id, year, tenant_id=tenant_id)
    except (PermissionDenied, NotFound):
        return []
    e = figures.electricity
    certificates_mwh = sum((float(s.movement.quantity) for s in retired), 0.0)
    self_consumed_mwh = max(e.onsite_generation_kwh - e.grid_export_kwh, 0.0) / 1000
    other_green_mwh = max(e.green_kwh / 1000 - certificates_mwh, 0.0)
    share = figures.renewable_share
    rows: list[list[Cell]] = [
        [t("电网购电", "Grid electricity purchased"), e.grid_import_kwh / 1000],
        [t("园区光伏自发自用", "On-site PV consumed on site"), self_consumed_mwh],
        [t("绿证注销（本台账）", "Certificates retired (this ledger)"), certificates_mwh],
        [t("绿电交易及其他绿电", "Green-power trades, other green electricity"), other_green_mwh],
        [t("用电量", "Electricity consumed"), figures.electricity_consumed_kwh / 1000],
        [
            t("可再生电力占比 (%)", "Renewable share of electricity (%)"),
            None if share is None else round(share * 100, 2),
        ],
    ]
    return [
        Table(
            [t("绿电声明", "Green electricity statement"), "MWh"],
            rows,
            weights=[4, 1.5],
            title=t(f"{year} 年绿电声明", f"Green electricity statement {year}"),
        )
    ]


def build_statement(
    db: Database, principal: Principal, park_id: str, year: int, *, tenant_id: str | None = None
) -> Report:
    """The statement of the park (or of ``tenant_id``) in the current language."""
    held = [
        h for h in holdings(db, principal, park_id) if tenant_id is None or h.tenant_id == tenant_id
    ]
    positions = [
        p
        for p in compliance_positions(db, principal, park_id, year)
        if tenant_id is None or p.tenant_id == tenant_id
    ]
    with db.transaction() as conn:
        retired = store.retirements(conn, principal, park_id, str(year))
    retired = [s for s in retired if tenant_id is None or s.movement.beneficiary == tenant_id]
    trades = trade_positions(db, principal, park_id)
    sections = [
        Section(
            t("持有情况", "Holdings"),
            t("持有", "Holdings"),
            tables=[
                Table(
                    [
                        t("账户", "Account"),
                        t("品种", "Instrument"),
                        t("数量", "Quantity"),
                        t("单位", "Unit"),
                        t("序列号段", "Serial ranges"),
                        t("最新价格 (元)", "Latest price (CNY)"),
                        t("市值 (元)", "Value (CNY)"),
                    ],
                    [
                        [
                            h.account,
                            h.instrument,
                            _f(h.quantity),
                            h.unit,
                            "; ".join(h.serials) or "—",
                            _f(h.price_cny),
                            _f(h.value_cny),
                        ]
                        for h in held
                    ],
                    weights=[1, 2.2, 1, 0.6, 4, 1, 1.2],
                )
            ],
            paragraphs=[] if held else [t("暂无数据", "No data")],
        ),
        Section(
            t(f"{year} 年度履约（清缴）", f"Compliance {year} (surrender)"),
            t("履约", "Compliance"),
            paragraphs=[
                t(
                    "CCER 抵销不超过应清缴配额的 5%（《碳排放权交易管理办法（试行）》）；"
                    "覆盖行业门槛 2.6 万吨 CO2e/年。",
                    "CCER may cover at most 5 % of the obligation (MEE Order No. 19, 2021); "
                    "coverage threshold 26,000 tCO2e a year.",
                )
            ],
            tables=[
                Table(
                    [
                        t("企业", "Tenant"),
                        t("行业", "Sector"),
                        t("核查排放 t", "Verified t"),
                        t("配额分配 t", "Allocated t"),
                        t("已清缴 t", "Surrendered t"),
                        t("持有配额 t", "CEA held t"),
                        t("可用 CCER t", "CCER usable t"),
                        t("不可用 CCER t", "CCER unusable t"),
                        t("缺口 t", "Gap t"),
                        t("缺口金额 元", "Gap CNY"),
                        t("截止日期", "Deadline"),
                    ],
                    [
                        [
                            p.tenant_id,
                            _sector(p.sector),
                            _f(p.emissions_t),
                            _f(p.allocated_t),
                            _f(p.surrendered_cea_t + p.surrendered_ccer_t),
                            _f(p.cea_held_t),
                            _f(p.ccer_usable_t),
                            _f(p.ccer_unusable_t),
                            _f(p.gap_t),
                            _f(p.gap_value_cny),
                            p.deadline,
                        ]
                        for p in positions
                    ],
                )
            ],
        ),
        Section(
            t("绿证注销（绿电声明）", "Certificates retired (green electricity)"),
            t("绿电", "Green electricity"),
            tables=[
                *_green_balance(db, principal, park_id, year, tenant_id, retired),
                Table(
                    [
                        t("使用方", "Consumer"),
                        t("期间", "Period"),
                        "MWh",
                        t("证书与变动", "Certificates and movement"),
                    ],
                    [
                        [
                            s.movement.beneficiary,
                            s.movement.period,
                            _f(s.movement.quantity),
                            retirement_ref(s),
                        ]
                        for s in retired
                    ],
                    weights=[1, 0.8, 0.8, 5],
                ),
            ],
        ),
        Section(
            t("交易与损益", "Trades and profit"),
            t("交易", "Trades"),
            tables=[
                Table(
                    [
                        t("账户", "Account"),
                        t("品种", "Instrument"),
                        t("成本法", "Method"),
                        t("持有", "Held"),
                        t("成本 元", "Cost CNY"),
                        t("已实现 元", "Realised CNY"),
                        t("未实现 元", "Unrealised CNY"),
                    ],
                    [
                        [
                            a,
                            i,
                            c.method,
                            _f(c.held),
                            _f(c.cost_cny),
                            _f(c.realised_cny),
                            _f(c.unrealised_cny),
                        ]
                        for a, i, c in trades
                        if tenant_id is None or a == tenant_id
                    ],
                )
            ],
        ),
    ]
    who = tenant_id or park_id
    return Report(
        lang="zh" if t("中", "en") == "中" else "en",
        title=t("碳资产持有与履约报表", "Carbon assets: holdings and compliance statement"),
        subtitle=f"{who} · {year}",
        cover=[(t("主体", "Entity"), who), (t("年度", "Year"), str(year))],
        contents_title=t("目录", "Contents"),
        sections=sections,
        sign_off=SignOff(
            t("声明", "Declaration"),
            t("声明", "Declaration"),
            t(
                "本报表由 zeropark 碳资产台账生成，每笔变动均记入哈希链审计日志。",
                "Generated from the zeropark carbon-asset ledger; every movement is in the "
                "hash-chained audit log.",
            ),
            [(t("编制", "Prepared by"), [(t("签字", "Signature"), ""), (t("日期", "Date"), "")])],
        ),
        footer="zeropark",
    )


def write_statement(
    db: Database,
    principal: Principal,
    park_id: str,
    year: int,
    path: Path,
    fmt: Literal["pdf", "xlsx"],
    *,
    tenant_id: str | None = None,
    lang: Lang | None = None,
) -> Path:
    """Write the statement to ``path`` as PDF or xlsx in ``lang``."""
    with use_lang(lang):
        report = build_statement(db, principal, park_id, year, tenant_id=tenant_id)
    return write_pdf(report, path) if fmt == "pdf" else write_xlsx(report, path)
