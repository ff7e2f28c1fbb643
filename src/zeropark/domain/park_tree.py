"""The meter tree (sub-metering) and the rule of which meters count, written once.

Meters form a forest by their ``parent`` (``docs/methodology.md``, "Meter hierarchy"): a child
measures part of what its parent measures. A quantity must be counted once, so of a set of
*members* only the topmost count — those none of whose ancestors is a member
(:func:`topmost`). Every use of the tree is that rule over a different member set:

- an inventory (:func:`meter_roles`): members are the mapped meters inside the boundary (the
  park's, or one tenant's); a mapped meter below a counted one is a ``sub_meter``, a meter
  without an accounting mapping is ``unmapped``;
- the energy balance by carrier (:func:`carrier_meters`): members are all mapped meters; exports
  count negatively, so the sum is what the park consumed of each carrier;
- energy by tenant or building (:func:`group_meters`): members are each group's mapped
  *consumption* meters (not generation, export or storage charging); a meter of no group counts
  only when no grouped meter sits beneath it, so the park intake is never added on top of the
  tenants it feeds, while the common meters under that intake do count.

The functions take plain mappings (meter id → parent id, category, group), so the service layer
calls them with store rows or park-file dicts alike. Ancestors are followed through every meter
given, inside the members or not; a cycle (refused by the park rules) stops the walk.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Literal

__all__ = [
    "GENERATION_CATEGORIES",
    "MeterRole",
    "ancestors",
    "carrier_meters",
    "group_meters",
    "meter_roles",
    "topmost",
]

MeterRole = Literal["counted", "sub_meter", "unmapped"]
#: Categories of electricity or heat the park produces or sends out, not consumption.
GENERATION_CATEGORIES = ("onsite_renewable", "exported_electricity", "exported_heat")


def ancestors(meter_id: str, parent_of: Mapping[str, str | None]) -> list[str]:
    """The parent, grandparent, ... of ``meter_id`` among the meters of ``parent_of``."""
    chain: list[str] = []
    seen, parent = {meter_id}, parent_of.get(meter_id)
    while parent is not None and parent in parent_of and parent not in seen:
        seen.add(parent)
        chain.append(parent)
        parent = parent_of[parent]
    return chain


def topmost(members: Iterable[str], parent_of: Mapping[str, str | None]) -> list[str]:
    """The members none of whose ancestors is a member, in the members' order."""
    ordered = list(members)
    inside = set(ordered)
    return [m for m in ordered if not any(a in inside for a in ancestors(m, parent_of))]


def meter_roles(
    parent_of: Mapping[str, str | None],
    category_of: Mapping[str, str | None],
    boundary: Collection[str] | None = None,
) -> dict[str, MeterRole]:
    """Each boundary meter's role: ``counted``, ``sub_meter`` (a mapped ancestor in the boundary
    counts it) or ``unmapped`` (no category).

    ``boundary``: the meters of the reporting entity (None: every meter of ``parent_of``). The
    result follows the order of ``parent_of``.
    """
    inside = [m for m in parent_of if boundary is None or m in boundary]
    mapped = [m for m in inside if category_of.get(m) is not None]
    counted = set(topmost(mapped, parent_of))
    return {
        m: "unmapped" if category_of.get(m) is None else "counted" if m in counted else "sub_meter"
        for m in inside
    }


def carrier_meters(
    parent_of: Mapping[str, str | None], category_of: Mapping[str, str | None]
) -> dict[str, float]:
    """The topmost mapped meters, each with its sign: −1 for exports, +1 otherwise."""
    mapped = [m for m in parent_of if category_of.get(m)]
    return {
        m: -1.0 if str(category_of[m]).startswith("exported_") else 1.0
        for m in topmost(mapped, parent_of)
    }


def group_meters(
    parent_of: Mapping[str, str | None],
    category_of: Mapping[str, str | None],
    group_of: Mapping[str, str | None],
    storage: Collection[str] = (),
) -> dict[str, str | None]:
    """The consumption meters that make up each group (a tenant, a building), with the group.

    Consumption meters are the mapped meters that are neither generation or export nor the
    charging of storage (``storage``: a battery's charge is no use; its round-trip loss is shown
    apart). A meter counts for its group unless a *counted* ancestor of the same group holds it;
    a meter of no group (None: common loads) counts only when no grouped consumption meter sits
    beneath it, so the park intake is never added on top of the tenants it feeds — but the common
    meters beside the tenants under that intake do count.
    """
    consumption = [
        m
        for m in parent_of
        if category_of.get(m) and category_of[m] not in GENERATION_CATEGORIES and m not in storage
    ]
    owned_below = {
        a for m in consumption if group_of.get(m) is not None for a in ancestors(m, parent_of)
    }
    counted: dict[str, str | None] = {}
    # Ancestors first, so "a counted ancestor" is decided before its descendants.
    for m in sorted(consumption, key=lambda m: len(ancestors(m, parent_of))):
        group = group_of.get(m)
        same_above = any(a in counted and counted[a] == group for a in ancestors(m, parent_of))
        if same_above or (group is None and m in owned_below):
            continue
        counted[m] = group
    return {m: counted[m] for m in consumption if m in counted}
