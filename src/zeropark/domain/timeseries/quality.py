"""Quality flags of derived quantities, and the records of what normalisation rejected or noticed.

A derived interval carries a :class:`Quality` bit set (stored as ``uint8``): ``MEASURED`` (no bit)
means the quantity comes straight from the meter; ``ESTIMATED`` that it was apportioned (an outage
spread over slots, a reset interval, a filled power gap); ``CORRECTED`` and ``MANUAL`` are set by
later edits, never by this package. Bits combine: ``ESTIMATED | MANUAL``.

A :class:`Rejection` is a reading that goes to quarantine, with a code and a readable reason (also
as data: a reason code of :mod:`zeropark.domain.issue_messages` and its parameters); an
:class:`Event` is something accepted but worth flagging (a rollover, a reset, an outage spread).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntFlag, StrEnum

__all__ = ["Event", "EventCode", "Quality", "RejectCode", "Rejection", "iso_utc"]


class Quality(IntFlag):
    """Bit flags describing how a derived quantity was obtained (DESIGN.md section 5)."""

    MEASURED = 0
    ESTIMATED = 1
    CORRECTED = 2
    MANUAL = 4


class RejectCode(StrEnum):
    """Why a reading went to quarantine."""

    NOT_FINITE = "not_finite"
    DUPLICATE_TS = "duplicate_ts"
    OUT_OF_RANGE = "out_of_range"
    NEGATIVE = "negative"
    MISALIGNED = "misaligned"
    SPIKE = "spike"
    DROP = "drop"
    JUMP = "jump"


class EventCode(StrEnum):
    """What normalisation noticed and flagged without rejecting."""

    ROLLOVER = "rollover"
    RESET = "reset"
    OUTAGE = "outage"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Rejection:
    """One quarantined reading.

    ``index`` is the reading's position in the caller's input arrays; ``value`` the raw value
    (register reading, power or interval quantity); ``quarantined_quantity`` the derived quantity
    withheld with it (non-zero only for a register ``jump``, whose whole delta is withheld) in the
    output's unit (register unit × multiplier).
    """

    index: int
    ts_s: int
    value: float
    code: RejectCode
    reason: str
    quarantined_quantity: float = 0.0
    reason_code: str = ""
    """The reason as data: a code of the issue message catalogue whose English is ``reason``."""
    params: Mapping[str, str] = field(default_factory=dict, hash=False)
    """The parameters of ``reason_code`` (numbers and times as the reason writes them)."""


@dataclass(frozen=True, slots=True)
class Event:
    """A flagged happening over ``[start_s, end_s]``; ``index`` is the input position of the
    reading that revealed it (-1 when none did)."""

    code: EventCode
    index: int
    start_s: int
    end_s: int
    detail: str


def iso_utc(ts_s: int) -> str:
    """Format epoch seconds as an ISO 8601 UTC string for reasons and details."""
    return datetime.fromtimestamp(int(ts_s), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
