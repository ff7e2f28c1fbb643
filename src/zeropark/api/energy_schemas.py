"""Response schemas of energy by group and period (``GET /parks/{id}/energy``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from zeropark.api.schema_types import LocalTime
from zeropark.service.energy_groups import EnergyAggregate
from zeropark.service.readings_query import local_iso

__all__ = ["EnergyGroupPublic", "EnergyPeriodPublic", "EnergyPublic"]


class EnergyPeriodPublic(BaseModel):
    """A group's quantity over ``[start, end)`` in the group's unit.

    ``estimated``: the part flagged estimated; ``missing_meters``: the group's meters with no
    data in the period (counted as zero).
    """

    start: LocalTime
    end: LocalTime
    quantity: float
    estimated: float
    missing_meters: int


class EnergyGroupPublic(BaseModel):
    """One tenant, building or carrier (``group`` null: meters of no tenant or building)."""

    group: str | None
    unit: str
    rows: list[EnergyPeriodPublic]


class EnergyPublic(BaseModel):
    """Energy by park-local period (``interval``) and group (``group_by``), each quantity
    counted once (the meter hierarchy rule)."""

    park_id: str
    timezone: str
    interval: Literal["hour", "day", "month"]
    group_by: Literal["tenant", "building", "carrier"]
    groups: list[EnergyGroupPublic]

    @classmethod
    def of(cls, energy: EnergyAggregate) -> EnergyPublic:
        """The answer of the service's aggregate (times park-local)."""
        tz = energy.timezone
        return cls(
            park_id=energy.park_id,
            timezone=tz,
            interval=energy.interval,
            group_by=energy.group_by,
            groups=[
                EnergyGroupPublic(
                    group=g.group,
                    unit=g.unit,
                    rows=[
                        EnergyPeriodPublic(
                            start=local_iso(r.start_s, tz),
                            end=local_iso(r.end_s, tz),
                            quantity=r.quantity,
                            estimated=r.estimated,
                            missing_meters=r.missing_meters,
                        )
                        for r in g.rows
                    ],
                )
                for g in energy.groups
            ],
        )
