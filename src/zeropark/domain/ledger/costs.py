"""Cost basis of traded holdings: moving average or FIFO, realised and unrealised profit.

Legs are taken in date order (ties in the given order): ``buy`` adds a lot at its price
(an allocation, issuance or transfer in is a buy at 0: free allocation carries no cost);
``use`` takes quantity out at cost without realising anything (surrender, retirement, transfer
out, expiry). A sale realises
``quantity × (price − unit cost)`` where the unit cost is the running average (``avg``) or the
cost of the oldest lots first (``fifo``). Holdings left are valued at a market price:
``unrealised = held × price − cost of what is held``. Money in CNY as Decimal, rounded to fen
only when shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

__all__ = ["CostMethod", "CostPosition", "Lot", "TradeLeg", "cost_position"]

CostMethod = Literal["avg", "fifo"]


@dataclass(frozen=True, slots=True)
class TradeLeg:
    """One leg of an instrument: ``buy``, ``sell`` or ``use``, quantity and unit price [CNY]."""

    on: str
    side: Literal["buy", "sell", "use"]
    quantity: Decimal
    price_cny: Decimal


@dataclass(frozen=True, slots=True)
class Lot:
    """Quantity bought together at one unit cost [CNY]."""

    on: str
    quantity: Decimal
    unit_cost_cny: Decimal


@dataclass(frozen=True, slots=True)
class CostPosition:
    """What is held, at what cost, and the profit realised and (at ``price``) unrealised."""

    method: CostMethod
    held: Decimal
    cost_cny: Decimal
    realised_cny: Decimal
    lots: tuple[Lot, ...] = field(default=())
    price_cny: Decimal | None = None

    @property
    def unit_cost_cny(self) -> Decimal | None:
        """Average unit cost of what is held (None when nothing is)."""
        return self.cost_cny / self.held if self.held else None

    @property
    def market_value_cny(self) -> Decimal | None:
        """Held × price (None without a price)."""
        return None if self.price_cny is None else self.held * self.price_cny

    @property
    def unrealised_cny(self) -> Decimal | None:
        """Market value − cost of what is held (None without a price)."""
        value = self.market_value_cny
        return None if value is None else value - self.cost_cny


def cost_position(
    trades: Iterable[TradeLeg], method: CostMethod, price_cny: Decimal | None = None
) -> CostPosition:
    """Replay ``trades`` under ``method``; ValueError when a sale exceeds what is held."""
    lots: list[Lot] = []
    realised = Decimal(0)
    for trade in sorted(trades, key=lambda t: t.on):
        if trade.side == "buy":
            lots.append(Lot(trade.on, trade.quantity, trade.price_cny))
            if method == "avg":
                held = sum((lot.quantity for lot in lots), Decimal(0))
                cost = sum((lot.quantity * lot.unit_cost_cny for lot in lots), Decimal(0))
                lots = [Lot(trade.on, held, cost / held)]
            continue
        left = trade.quantity
        held = sum((lot.quantity for lot in lots), Decimal(0))
        if left > held:
            raise ValueError(f"sale of {left} on {trade.on} exceeds the {held} held")
        while left > 0:
            lot = lots[0]
            used = min(left, lot.quantity)
            if trade.side == "sell":
                realised += used * (trade.price_cny - lot.unit_cost_cny)
            left -= used
            if used == lot.quantity:
                lots.pop(0)
            else:
                lots[0] = Lot(lot.on, lot.quantity - used, lot.unit_cost_cny)
    held = sum((lot.quantity for lot in lots), Decimal(0))
    cost = sum((lot.quantity * lot.unit_cost_cny for lot in lots), Decimal(0))
    return CostPosition(method, held, cost, realised, tuple(lots), price_cny)
