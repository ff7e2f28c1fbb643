"""Response schemas of the factor library and the asset views (admin screens)."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = [
    "AssetParamPublic",
    "AssetTypePublic",
    "AssetViewPublic",
    "FactorDatasetPublic",
    "FactorPublic",
    "FactorSetsPublic",
]

Value = float | int | bool | str


class FactorDatasetPublic(BaseModel):
    """One dataset of the library: its file, version, title, role and number of factors."""

    dataset: str
    file: str
    version: str
    title: str
    role: str
    factors: int


class FactorSetsPublic(BaseModel):
    """The library's datasets and the active set (``packaged``, or the park's pinned version)."""

    active: str
    pinned_version: str | None
    factors: int
    datasets: list[FactorDatasetPublic]


class FactorPublic(BaseModel):
    """One factor: value and unit with its provenance (source document, clause, verification)."""

    code: str
    parameter: str
    variant: str
    name_zh: str
    name_en: str
    value: float
    unit: str
    year: int
    region: str
    dataset: str
    version: str
    source: str
    clause: str
    verification: str
    note: str


class AssetParamPublic(BaseModel):
    """One typed parameter: its value, unit, range and whether the park file gave it."""

    attribute: str
    type: str
    unit: str
    default: Value | None
    range: str | None
    required: bool
    name_zh: str
    description: str
    value: Value | None = None
    source: str | None = None


class AssetTypePublic(BaseModel):
    """An asset type and its parameters."""

    asset_type: str
    attributes: list[AssetParamPublic]


class AssetViewPublic(BaseModel):
    """An asset of the park with its typed parameters."""

    id: str
    type: str | None
    name: str | None
    tenant_id: str | None
    building_id: str | None
    meter_id: str | None
    params: list[AssetParamPublic]
