"""The zero-carbon park core indicator 单位能耗碳排放 (tCO2/tce), 发改环资〔2025〕910号 附件3.

I = park CO2 (energy activities + industrial processes, 附件4 boundary) / comprehensive energy
consumption [tce]. National thresholds: ≤ 0.20 for 20–100万 tce/yr, ≤ 0.30 for ≥ 100万 tce/yr; no
national threshold below 20万 tce ("undetermined"). A provincial system has its own energy bands
and staged values (:mod:`.systems`). The attachment puts electricity in the denominator at the
equal value (等价值); when the run uses the equivalent value (当量值), the result is flagged.
Sinks and offsets are never deducted (``reference/zero_carbon_park_standard.md`` §5 items 5-6).

Moved here from ``domain/accounting/indicator.py`` (which re-exports it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NATIONAL_BANDS", "Band", "ParkIndicator", "band_threshold", "park_indicator"]

#: (lowest energy [tce/yr] inclusive, highest exclusive, threshold [tCO2/tce]).
Band = tuple[float, float, float]
#: The national bands of 附件3 (trial).
NATIONAL_BANDS: tuple[Band, ...] = (
    (200_000.0, 1_000_000.0, 0.20),
    (1_000_000.0, float("inf"), 0.30),
)


@dataclass(frozen=True, slots=True)
class ParkIndicator:
    """The core indicator, its threshold for the energy band and the gap [tCO2/yr]."""

    co2_t: float
    energy_tce: float
    intensity_tco2_per_tce: float | None
    threshold_tco2_per_tce: float | None
    gap_t: float | None
    meets: bool | None
    electricity_basis: str
    notes: tuple[str, ...]
    notes_zh: tuple[str, ...] = ()


def band_threshold(energy_tce: float, bands: Sequence[Band] = NATIONAL_BANDS) -> float | None:
    """The threshold [tCO2/tce] of the band ``energy_tce`` [tce/yr] falls in; None below all."""
    return next((t for low, high, t in bands if low <= energy_tce < high), None)


def park_indicator(
    co2_t: float,
    energy_tce: float,
    electricity_basis: str,
    bands: Sequence[Band] = NATIONAL_BANDS,
) -> ParkIndicator:
    """Evaluate the core indicator for a year's park CO2 [t] and energy [tce]."""
    notes: list[str] = []
    notes_zh: list[str] = []
    if electricity_basis != "equal_value":
        notes.append(
            "denominator uses electricity at the equivalent value (当量值); Annex 4 (附件4) asks "
            "for the "
            "equal value (等价值) — rerun with it for the official indicator"
        )
        notes_zh.append("分母中电力按当量值折算；附件4 要求按等价值折算 — 正式指标请按等价值重算")
    intensity = co2_t / energy_tce if energy_tce > 0 else None
    threshold = band_threshold(energy_tce, bands)
    if threshold is None:
        low = min(b[0] for b in bands)
        which = "national " if tuple(bands) == NATIONAL_BANDS else ""
        notes.append(
            f"no {which}threshold below {low:,.0f} tce/yr (undetermined)".replace(",", " ")
        )
        notes_zh.append(
            f"综合能耗低于 {low / 1e4:g} 万 tce/年 时无{'国家' if which else ''}阈值（无法判定）"
        )
    gap = max(0.0, co2_t - threshold * energy_tce) if threshold is not None else None
    meets = None if intensity is None or threshold is None else intensity <= threshold
    return ParkIndicator(
        co2_t=co2_t,
        energy_tce=energy_tce,
        intensity_tco2_per_tce=intensity,
        threshold_tco2_per_tce=threshold,
        gap_t=gap,
        meets=meets,
        electricity_basis=electricity_basis,
        notes=tuple(notes),
        notes_zh=tuple(notes_zh),
    )
