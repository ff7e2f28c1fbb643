"""Builders shared by the accounting tests."""

from __future__ import annotations

from zeropark.data.factors import load_factors
from zeropark.domain.accounting import (
    AccountingContext,
    AccountingOptions,
    ActivityLine,
    LineResult,
    MeasuredParameters,
    account_line,
    parse_period,
)

FACTORS = load_factors()


def line(
    category: str,
    item: str,
    quantity: float,
    unit: str,
    *,
    period: str = "2023",
    entity: str = "A",
    measured: MeasuredParameters | None = None,
    origin: str = "record",
    ref: str = "",
) -> ActivityLine:
    return ActivityLine(
        entity=entity,
        period=parse_period(period),
        category=category,
        item=item,
        quantity=quantity,
        unit=unit,
        measured=measured or MeasuredParameters(),
        origin="meter" if origin == "meter" else "record",
        ref=ref,
    )


def run(activity: ActivityLine, **options: object) -> LineResult:
    ctx = AccountingContext(FACTORS, AccountingOptions(**options))  # type: ignore[arg-type]
    return account_line(activity, ctx)


def factor_roles(result: LineResult) -> dict[str, float]:
    return {f.role: f.value for f in result.factors}
