"""Carbon instruments (碳资产品种) and green-certificate ids.

An instrument is written as a code, the key of every balance and movement:

- ``CEA:<vintage>`` — national allowance (全国碳排放配额), by vintage year, in tCO2e;
- ``CCER:<project>:<vintage>`` — China certified emission reduction (国家核证自愿减排量), in tCO2e;
- ``PILOT:<region>:<vintage>`` — a local pilot market's allowance (地方试点配额), in tCO2e;
- ``GEC:<project17>:<YYYY-MM>`` — green electricity certificates (绿证) of one project and
  production month, 1 certificate = 1 MWh (发改能源〔2023〕1044号), held as serial ranges.

GEC ids have 32 digits: 17 for the project, then 15 for production date, sequence, electricity
class and trade class (reference/carbon_markets.md §2, SINGLE-SECONDARY). The layout of the 15
was not verified, so :func:`validate_gec_id` checks length, digits and the project prefix only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from zeropark.domain.issues import Issue

__all__ = [
    "GEC_ID_DIGITS",
    "GEC_PROJECT_DIGITS",
    "INSTRUMENT_KINDS",
    "Instrument",
    "InstrumentKind",
    "gec_project",
    "parse_instrument",
    "validate_gec_id",
]

InstrumentKind = Literal["CEA", "CCER", "PILOT", "GEC"]
INSTRUMENT_KINDS: tuple[InstrumentKind, ...] = ("CEA", "CCER", "PILOT", "GEC")
GEC_ID_DIGITS = 32
GEC_PROJECT_DIGITS = 17
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_TOKEN = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Instrument:
    """One fungible instrument: kind, vintage year, project or region, production month."""

    kind: InstrumentKind
    vintage: int
    project: str | None = None
    month: str | None = None

    @property
    def code(self) -> str:
        """The instrument's code (its key)."""
        if self.kind == "CEA":
            return f"CEA:{self.vintage}"
        if self.kind == "GEC":
            return f"GEC:{self.project}:{self.month}"
        return f"{self.kind}:{self.project}:{self.vintage}"

    @property
    def unit(self) -> str:
        """The unit of one unit of quantity: tCO2e, or MWh for certificates."""
        return "MWh" if self.kind == "GEC" else "tCO2e"

    @property
    def serial(self) -> bool:
        """Whether the instrument is held as serial ranges (certificates)."""
        return self.kind == "GEC"

    @property
    def market(self) -> str:
        """The price series an instrument is valued at: CEA, CCER, GEC, or PILOT:<region>."""
        return f"PILOT:{self.project}" if self.kind == "PILOT" else self.kind

    def quantum(self) -> Decimal:
        """The smallest quantity: one certificate, or 0.001 t (tonnes are traded whole but
        registries keep three decimals for split transfers)."""
        return Decimal(1) if self.kind == "GEC" else Decimal("0.001")


def _bad(value: str, detail: str) -> Issue:
    return Issue("bad_instrument", params={"instrument": value, "detail": detail}, value=value)


@lru_cache(maxsize=4096)
def parse_instrument(code: str) -> Instrument | Issue:
    """The instrument of ``code``, or the issue saying why it is not one (cached: a ledger
    names few instruments)."""
    parts = code.strip().split(":")
    kind = parts[0].upper()
    if kind == "CEA" and len(parts) == 2 and parts[1].isdigit() and len(parts[1]) == 4:
        return Instrument("CEA", int(parts[1]))
    if (
        kind in ("CCER", "PILOT")
        and len(parts) == 3
        and _TOKEN.match(parts[1])
        and parts[2].isdigit()
        and len(parts[2]) == 4
    ):
        return Instrument(kind, int(parts[2]), parts[1])  # type: ignore[arg-type]
    if kind == "GEC" and len(parts) == 3:
        match = _MONTH.match(parts[2])
        if len(parts[1]) == GEC_PROJECT_DIGITS and parts[1].isdigit() and match:
            return Instrument("GEC", int(match.group(1)), parts[1], parts[2])
    return _bad(
        code,
        "use CEA:<year>, CCER:<project>:<year>, PILOT:<region>:<year> or "
        "GEC:<17-digit project>:<YYYY-MM>",
    )


def gec_project(gec_id: str) -> str:
    """The 17-digit project part of a (valid) certificate id."""
    return gec_id[:GEC_PROJECT_DIGITS]


def validate_gec_id(gec_id: str, project: str | None = None) -> Issue | None:
    """None if ``gec_id`` is a 32-digit certificate id (of ``project`` when given), else the
    issue. Only length, digits and the 17-digit project prefix are checked (the layout of the
    other 15 digits is not verified; docs/carbon-assets.md)."""
    if len(gec_id) != GEC_ID_DIGITS or not gec_id.isdigit():
        return Issue(
            "bad_gec_id",
            params={"id": gec_id, "length": len(gec_id)},
            field="serial",
            value=gec_id,
        )
    if project is not None and gec_project(gec_id) != project:
        return Issue(
            "gec_other_project",
            params={"id": gec_id, "project": project},
            field="serial",
            value=gec_id,
        )
    return None
