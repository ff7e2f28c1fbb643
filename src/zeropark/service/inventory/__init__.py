"""Inventories from stored data: compute (:mod:`.compute`), publish and list versions
(:mod:`.publish`), the monthly trend (:mod:`.monthly`), and the park-level indicators a
regulator reads (:mod:`.indicators`)."""

from zeropark.service.inventory.compute import (
    DEFAULT_ITEMS,
    Boundary,
    BoundaryMeter,
    MeterRole,
    StoredInventory,
    account_stored,
    compute_inventory,
    compute_stored,
    meter_roles,
    period_bounds_s,
    read_boundary,
    stored_inventory_to_dict,
    stored_records,
)
from zeropark.service.inventory.guiding import (
    CLEAN_ENERGY_DEFINITIONS,
    GUIDING_INDICATORS,
    GuidingIndicator,
    guiding_indicators,
)
from zeropark.service.inventory.indicators import (
    ParkIndicators,
    park_indicators,
    park_indicators_to_dict,
)
from zeropark.service.inventory.monthly import (
    MonthlyTrend,
    monthly_inventory,
    monthly_trend_to_dict,
)
from zeropark.service.inventory.publish import Publication, inventory_versions, publish_inventory

__all__ = [
    "CLEAN_ENERGY_DEFINITIONS",
    "DEFAULT_ITEMS",
    "GUIDING_INDICATORS",
    "Boundary",
    "BoundaryMeter",
    "GuidingIndicator",
    "MeterRole",
    "MonthlyTrend",
    "ParkIndicators",
    "Publication",
    "StoredInventory",
    "account_stored",
    "compute_inventory",
    "compute_stored",
    "guiding_indicators",
    "inventory_versions",
    "meter_roles",
    "monthly_inventory",
    "monthly_trend_to_dict",
    "park_indicators",
    "park_indicators_to_dict",
    "period_bounds_s",
    "publish_inventory",
    "read_boundary",
    "stored_inventory_to_dict",
    "stored_records",
]
