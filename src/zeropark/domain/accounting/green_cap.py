"""Green electricity counts only up to the purchased grid electricity it covers (#11, #14).

A green certificate or green-power trade (绿证/绿电) replaces grid electricity's attributes: it
lowers market-based scope 2 and the zero-carbon park method by the grid electricity it covers,
never below zero (GHG Protocol Scope 2 Guidance, market-based method: instruments apply to the
reporting entity's consumption; 910号 附件4 counts green electricity at 0 in place of grid
electricity). At the inventory's boundary, per calendar year, green MWh beyond the purchased
MWh are set aside: every green line of that year keeps ``purchased / green`` of its reduction
(and of its energy counted as green), and the inventory gets the issue
``green_exceeds_purchased`` naming the excess. The check is at the boundary, not per entity:
at park level a tenant's certificates cover grid power metered at the park's intake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from zeropark.domain.accounting.trace import LineResult
from zeropark.domain.issues import Issue

__all__ = ["cap_green"]

_EPS_MWH = 1e-9


def cap_green(
    results: Sequence[LineResult], boundary: str | None
) -> tuple[list[LineResult], list[Issue]]:
    """``results`` with green lines scaled to the year's purchased electricity, and the
    issues naming each year whose green electricity exceeds it."""
    purchased: dict[str, float] = {}
    green: dict[str, float] = {}
    for r in results:
        year = r.line.period.rolled_up("year").label
        if r.line.category == "purchased_electricity":
            purchased[year] = purchased.get(year, 0.0) + r.activity_value
        elif r.line.category == "green_electricity":
            green[year] = green.get(year, 0.0) + r.activity_value
    share: dict[str, float] = {}
    issues: list[Issue] = []
    for year, green_mwh in sorted(green.items()):
        grid_mwh = max(purchased.get(year, 0.0), 0.0)
        if green_mwh - grid_mwh > _EPS_MWH:
            share[year] = grid_mwh / green_mwh
            issues.append(
                Issue(
                    "green_exceeds_purchased",
                    params={
                        "boundary": boundary or "inventory",
                        "year": year,
                        "green": round(green_mwh, 6),
                        "grid": round(grid_mwh, 6),
                        "excess": round(green_mwh - grid_mwh, 6),
                    },
                )
            )
    if not share:
        return list(results), issues
    out: list[LineResult] = []
    for r in results:
        year = r.line.period.rolled_up("year").label
        if r.line.category != "green_electricity" or year not in share:
            out.append(r)
            continue
        f = share[year]
        note = (
            f"green electricity beyond purchased electricity: {f * r.activity_value:.6g} of "
            f"{r.activity_value:.6g} MWh count (share {f:.6g} of the year's purchase)"
        )
        out.append(
            replace(
                r,
                co2e_t={m: v * f for m, v in r.co2e_t.items()},
                gas_mass_t=r.gas_mass_t * f,
                energy_tce=r.energy_tce * f,
                warnings=(*r.warnings, note),
            )
        )
    return out, issues
