"""The gap to a threshold in physical terms ("needs 12.4 GWh more green electricity, or 9,800
tCO2 less"): each way of closing it is a :class:`Gap`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Gap", "gap_text"]


@dataclass(frozen=True, slots=True)
class Gap:
    """One way to close a gap: ``quantity`` [``unit``] ``more`` or less of ``what``."""

    what: str
    what_zh: str
    quantity: float
    unit: str
    more: bool


def _amount(quantity: float, unit: str) -> tuple[float, str]:
    """A readable magnitude: MWh → GWh above 10,000 MWh."""
    if unit == "MWh" and abs(quantity) >= 10_000:
        return quantity / 1000.0, "GWh"
    return quantity, unit


def gap_text(gaps: tuple[Gap, ...], lang: str) -> str:
    """The gaps joined in one sentence: ``needs 12.4 GWh more green electricity, or 9,800
    tCO2 less`` / ``还需 …，或 …``."""
    parts = []
    for g in gaps:
        value, unit = _amount(g.quantity, g.unit)
        number = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
        if lang == "zh":
            parts.append(f"{'增加' if g.more else '减少'}{g.what_zh} {number} {unit}")
        else:
            parts.append(f"{number} {unit} {'more' if g.more else 'less'} {g.what}")
    if not parts:
        return ""
    if lang == "zh":
        return "还需" + "，或".join(parts)
    return "needs " + ", or ".join(parts)
