"""Product unit energy against the GB unit-energy limit standards (单位产品能耗限额).

A ``product_output`` record gives a tenant's output of one product in physical units, optionally
with the product's limit standard (code, grade 1/2/3 values and their unit, e.g. kgce/t) and the
energy the product used. Unit energy = product energy ÷ output, in the limit's unit. Without a
product energy, a tenant with exactly one product is charged its whole 综合能耗 (the product is
then the tenant's output); with several products and no per-product energy the value is
undetermined. The guiding indicator asks for grade 2 (二级) or better (附件3).

Shipped limit values (:data:`PRODUCT_LIMITS`) are only those whose standard, table and row we
could cite: GB 21340-2019 《平板玻璃单位产品能源消耗限额》 表1 (flat glass by line capacity,
kgce/重量箱) and 表4 (photovoltaic rolled glass, kgce/t), as transcribed from the standard's text
in a public energy-limit rule project (`uebench`, GB 21340-2019 rebuild script, "pages 2-4",
marked ``requires_independent_review``; SINGLE-SECONDARY). Any other product: the user enters
the standard's code and grade values on the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zeropark.errors import UnitError
from zeropark.units import conversion_factor

__all__ = [
    "PRODUCT_LIMITS",
    "ProductLimit",
    "ProductResult",
    "find_limit",
    "grade_of",
    "product_results",
]

_SOURCE = (
    "GB 21340-2019 《平板玻璃单位产品能源消耗限额》, transcribed in the public `uebench` rule "
    "project (GB 21340-2019 rebuild from the standard's tables; SINGLE-SECONDARY)"
)


@dataclass(frozen=True, slots=True)
class ProductLimit:
    """One row of a limit standard: grade 1/2/3 values [``unit``]; None where the table has —."""

    standard: str
    product_zh: str
    product_en: str
    unit: str
    grade1: float | None
    grade2: float | None
    grade3: float | None
    table: str = ""
    row: str = ""
    source: str = "entered by the user"


PRODUCT_LIMITS: tuple[ProductLimit, ...] = (
    ProductLimit(
        "GB 21340-2019",
        "平板玻璃（生产线设计生产能力＞800 t/d）",
        "flat glass (line capacity > 800 t/d)",
        "kgce/重量箱",
        8.0,
        10.0,
        12.0,
        "表1",
        "> 800 t/d",
        _SOURCE,
    ),
    ProductLimit(
        "GB 21340-2019",
        "平板玻璃（500 t/d＜生产线设计生产能力≤800 t/d）",
        "flat glass (500 < line capacity ≤ 800 t/d)",
        "kgce/重量箱",
        9.5,
        11.5,
        13.5,
        "表1",
        "500-800 t/d",
        _SOURCE,
    ),
    ProductLimit(
        "GB 21340-2019",
        "平板玻璃（生产线设计生产能力≤500 t/d）",
        "flat glass (line capacity ≤ 500 t/d)",
        "kgce/重量箱",
        None,
        None,
        14.0,
        "表1",
        "≤ 500 t/d (grades 1 and 2: —)",
        _SOURCE,
    ),
    ProductLimit(
        "GB 21340-2019",
        "光伏压延玻璃（生产线设计生产能力≤300 t/d）",
        "photovoltaic rolled glass (line capacity ≤ 300 t/d)",
        "kgce/t",
        300.0,
        300.0,
        400.0,
        "表4",
        "≤ 300 t/d",
        _SOURCE,
    ),
    ProductLimit(
        "GB 21340-2019",
        "光伏压延玻璃（生产线设计生产能力＞300 t/d）",
        "photovoltaic rolled glass (line capacity > 300 t/d)",
        "kgce/t",
        260.0,
        260.0,
        370.0,
        "表4",
        "> 300 t/d",
        _SOURCE,
    ),
)


def find_limit(product: str) -> ProductLimit | None:
    """The shipped limit row of ``product`` (its Chinese or English name), or None."""
    key = product.strip().casefold()
    for row in PRODUCT_LIMITS:
        if key in (row.product_zh.casefold(), row.product_en.casefold()):
            return row
    return None


def grade_of(unit_energy: float, limit: ProductLimit) -> int | None:
    """The best grade (1, 2, 3) ``unit_energy`` reaches; None when worse than grade 3."""
    for grade, value in ((1, limit.grade1), (2, limit.grade2), (3, limit.grade3)):
        if value is not None and unit_energy <= value:
            return grade
    return None


@dataclass(frozen=True, slots=True)
class ProductResult:
    """One product of one entity over the period: output, energy, unit energy and grade.

    ``unit_energy`` is in ``limit.unit``; ``energy_tce`` the energy charged to the product;
    ``reason`` says why a value is missing (``no_limit``, ``no_energy``, ``unit_mismatch``).
    """

    entity: str
    product: str
    output: float
    output_unit: str
    energy_tce: float | None
    limit: ProductLimit | None
    unit_energy: float | None
    grade: int | None
    reason: str | None = None

    def required(self, grade: int) -> float | None:
        """The limit value of ``grade`` [limit unit] (None where the table has —)."""
        if self.limit is None:
            return None
        return (self.limit.grade1, self.limit.grade2, self.limit.grade3)[grade - 1]

    def excess_tce(self, grade: int) -> float | None:
        """Energy [tce] to save to reach ``grade``: (unit energy − limit) × output, ≥ 0."""
        need = self.required(grade)
        if need is None or self.unit_energy is None or self.limit is None:
            return None
        energy_unit, product_unit = self.limit.unit.split("/", 1)
        per_output = _factor(self.output_unit, product_unit)
        excess = max(0.0, self.unit_energy - need) * self.output * per_output
        return excess * conversion_factor(energy_unit, "tce")


def _factor(unit: str, target: str) -> float:
    """Multiplier from ``unit`` to ``target``; 1 for the same text (件, 重量箱: not in pint)."""
    if unit.strip() == target.strip():
        return 1.0
    return conversion_factor(unit, target)


def _user_limit(product: str, params: Mapping[str, Any]) -> ProductLimit | None:
    grades = [params.get(f"limit_grade{i}") for i in (1, 2, 3)]
    if not any(g is not None for g in grades) or not params.get("limit_unit"):
        return None
    g1, g2, g3 = (None if g is None else float(g) for g in grades)
    return ProductLimit(
        str(params.get("limit_standard") or ""),
        product,
        product,
        str(params["limit_unit"]),
        g1,
        g2,
        g3,
    )


def _unit_energy(energy_tce: float, output: float, output_unit: str, limit: ProductLimit) -> float:
    energy_unit, product_unit = limit.unit.split("/", 1)
    amount = output * _factor(output_unit, product_unit)
    return energy_tce * conversion_factor("tce", energy_unit) / amount


def product_results(
    rows: Iterable[tuple[str, str, float, str, Mapping[str, Any]]],
    entity_energy_tce: Mapping[str, float],
) -> list[ProductResult]:
    """Products of ``rows`` (entity, product, output, unit, params) summed over the period.

    ``entity_energy_tce``: each entity's 综合能耗 [tce], charged to its product when it has
    exactly one and the rows give no product energy.
    """
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, product, output, unit, params in rows:
        acc = totals.setdefault(
            (entity, product), {"output": 0.0, "unit": unit, "energy": None, "params": {}}
        )
        acc["output"] += output
        acc["params"].update({k: v for k, v in params.items() if v is not None})
        if params.get("product_energy") is not None:
            tce = float(params["product_energy"]) * conversion_factor(
                str(params.get("product_energy_unit") or "tce"), "tce"
            )
            acc["energy"] = (acc["energy"] or 0.0) + tce
    per_entity: dict[str, int] = {}
    for entity, _ in totals:
        per_entity[entity] = per_entity.get(entity, 0) + 1
    out = []
    for (entity, product), acc in sorted(totals.items()):
        limit = _user_limit(product, acc["params"]) or find_limit(product)
        energy = acc["energy"]
        if energy is None and per_entity[entity] == 1:
            energy = entity_energy_tce.get(entity)
        reason, unit_energy, grade = None, None, None
        if limit is None:
            reason = "no_limit"
        elif energy is None:
            reason = "no_energy"
        elif acc["output"] <= 0:
            reason = "no_output"
        else:
            try:
                unit_energy = _unit_energy(energy, acc["output"], acc["unit"], limit)
            except (UnitError, ValueError):
                reason = "unit_mismatch"
            else:
                grade = grade_of(unit_energy, limit)
        out.append(
            ProductResult(
                entity,
                product,
                acc["output"],
                acc["unit"],
                energy,
                limit,
                unit_energy,
                grade,
                reason,
            )
        )
    return out
