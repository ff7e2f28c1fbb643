"""Rules of the park file's tariffs (``park.tariffs``): each problem is an issue with its path.

Run by :func:`zeropark.domain.park_rules.validate_spec` after the time-of-use rules. Reasons
are catalogued in :mod:`zeropark.domain.issue_messages` (Chinese and English), so the CLI, the
API and the dashboard show them in the reader's language.
"""

from __future__ import annotations

from zeropark.domain.billing.tariff_spec import BAND_CODES, Tariffs
from zeropark.domain.carriers import CARRIERS, dimension_params
from zeropark.domain.energy.tariffs import month_table
from zeropark.domain.issues import Issue
from zeropark.domain.park import TOU_PERIODS, ParkSpec
from zeropark.errors import UnitError
from zeropark.units import dimension_of

__all__ = ["SHARE_TOLERANCE", "check_tariffs"]

#: How far fixed shares may be from summing to 1.
SHARE_TOLERANCE = 1e-6
_BASE = "park.tariffs"


def _issue(code: str, path: str, detail: str, **params: str | int | float) -> Issue:
    return Issue(code, code, {**params, "detail": detail}, location=path)


def check_tariffs(spec: ParkSpec) -> list[Issue]:
    """Every rule of ``spec.park.tariffs`` (none when the park has no tariffs)."""
    tariffs = spec.park.tariffs
    if tariffs is None:
        return []
    return [*_electricity(spec, tariffs), *_others(tariffs), *_common(spec, tariffs)]


def _electricity(spec: ParkSpec, tariffs: Tariffs) -> list[Issue]:
    tariff = tariffs.electricity
    if tariff is None:
        return []
    base = f"{_BASE}.electricity"
    issues: list[Issue] = []
    schedule = spec.park.time_of_use
    if schedule is None:
        issues.append(
            _issue(
                "tariff_no_schedule",
                base,
                "electricity band prices need the park's time-of-use hours (park.time_of_use)",
            )
        )
    table = month_table(schedule) if schedule is not None else {}
    if not tariff.seasons:
        issues.append(_issue("tariff_no_season", f"{base}.seasons", "no season listed"))
    owner: dict[int, int] = {}
    for i, season in enumerate(tariff.seasons):
        path = f"{base}.seasons[{i}]"
        for band in season.prices_cny_per_kwh:
            if band not in BAND_CODES:
                issues.append(
                    _issue(
                        "tariff_unknown_band",
                        f"{path}.prices_cny_per_kwh.{band}",
                        f"unknown band {band!r}; use {', '.join(BAND_CODES)}",
                        band=band,
                        known=", ".join(BAND_CODES),
                    )
                )
        for j, month in enumerate(season.months):
            where = f"{path}.months[{j}]"
            if not 1 <= month <= 12:
                issues.append(
                    _issue("tou_bad_month", where, f"{month} is not a month 1-12", month=month)
                )
                continue
            if month in owner:
                other = f"{base}.seasons[{owner[month]}]"
                issues.append(
                    _issue(
                        "tou_month_overlap",
                        where,
                        f"month {month} is already in {other}",
                        month=month,
                        other=other,
                    )
                )
                continue
            owner[month] = i
            if schedule is None:
                continue
            if month not in table:
                issues.append(
                    _issue(
                        "tariff_month_unscheduled",
                        where,
                        f"month {month} has prices but no time-of-use hours in park.time_of_use",
                        month=month,
                    )
                )
                continue
            used = sorted({b for b in table[month] if b}, key=BAND_CODES.index)
            missing = [b for b in used if b not in season.prices_cny_per_kwh]
            bands = ", ".join(f"{b} ({TOU_PERIODS[b][0]})" for b in missing)
            if missing:
                issues.append(
                    _issue(
                        "tariff_missing_price",
                        f"{path}.prices_cny_per_kwh",
                        f"month {month} has {bands} hours but no price for them",
                        month=month,
                        bands=bands,
                    )
                )
    for month in sorted(set(table) - set(owner)):
        issues.append(
            _issue(
                "tariff_month_unpriced",
                f"{base}.seasons",
                f"month {month} has time-of-use hours but no season of prices",
                month=month,
            )
        )
    issues += _demand_and_pv(base, tariffs)
    return issues


def _demand_and_pv(base: str, tariffs: Tariffs) -> list[Issue]:
    tariff = tariffs.electricity
    assert tariff is not None
    issues: list[Issue] = []
    demand = tariff.demand
    if demand is not None:
        if demand.basis == "max_demand" and demand.price_cny_per_kw_month is None:
            issues.append(
                _issue(
                    "tariff_demand_incomplete",
                    f"{base}.demand",
                    "a demand or capacity charge needs price_cny_per_kw_month",
                    needs="price_cny_per_kw_month",
                )
            )
        if demand.basis == "capacity" and (
            demand.price_cny_per_kva_month is None or demand.capacity_kva is None
        ):
            issues.append(
                _issue(
                    "tariff_demand_incomplete",
                    f"{base}.demand",
                    "a demand or capacity charge needs price_cny_per_kva_month, capacity_kva",
                    needs="price_cny_per_kva_month, capacity_kva",
                )
            )
    pv = tariff.onsite_pv
    if pv is not None and (pv.price_factor is None) == (pv.price_cny_per_kwh is None):
        issues.append(
            _issue(
                "tariff_pv_price",
                f"{base}.onsite_pv",
                "give either price_factor or price_cny_per_kwh for on-site PV",
            )
        )
    return issues


def _others(tariffs: Tariffs) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for i, other in enumerate(tariffs.others):
        path = f"{_BASE}.others[{i}]"
        carrier = CARRIERS.get(other.carrier)
        if carrier is None or other.carrier == "electricity":
            known = ", ".join(sorted(c for c in CARRIERS if c != "electricity"))
            issues.append(
                _issue(
                    "unknown_carrier",
                    f"{path}.carrier",
                    f"unknown carrier {other.carrier!r}; known: {known}",
                    carrier=other.carrier,
                    known=known,
                )
            )
            continue
        if other.carrier in seen:
            issues.append(
                _issue(
                    "tariff_duplicate_carrier",
                    f"{path}.carrier",
                    f"{other.carrier} is already priced in {_BASE}.others[{seen[other.carrier]}]",
                    carrier=other.carrier,
                    other=f"{_BASE}.others[{seen[other.carrier]}]",
                )
            )
        seen.setdefault(other.carrier, i)
        try:
            dimension = dimension_of(other.unit)
        except UnitError as exc:
            # The unit parser's reason as data (its catalogue code and parameters).
            params = {"unit": other.unit, **exc.params, "detail": exc.reason}
            issues.append(
                Issue(
                    "unknown_unit",
                    exc.reason_code or "unknown_unit",
                    params,
                    location=f"{path}.unit",
                )
            )
            continue
        if dimension not in carrier.dimensions:
            issues.append(
                _issue(
                    "unit_carrier_mismatch",
                    f"{path}.unit",
                    f"unit {other.unit!r} ({dimension}) does not fit carrier "
                    f"{other.carrier!r}, which is measured in {' or '.join(carrier.dimensions)}",
                    unit=other.unit,
                    carrier=other.carrier,
                    **dimension_params(dimension, carrier.dimensions),
                )
            )
    return issues


def _common(spec: ParkSpec, tariffs: Tariffs) -> list[Issue]:
    common = tariffs.common_costs
    path = f"{_BASE}.common_costs"
    if common.key != "fixed":
        if common.shares is not None:
            return [
                _issue(
                    "tariff_shares_unused",
                    f"{path}.shares",
                    f"shares are read only with key fixed, not {common.key}",
                    key=common.key,
                )
            ]
        return []
    if not common.shares:
        return [_issue("tariff_shares_missing", f"{path}.shares", "key fixed needs shares")]
    issues: list[Issue] = []
    tenants = {t.id for t in spec.tenants}
    for name in common.shares:
        if name != "park" and name not in tenants:
            issues.append(
                _issue(
                    "unknown_tenant", f"{path}.shares.{name}", f"no tenant {name!r}", tenant=name
                )
            )
    total = sum(common.shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        issues.append(
            _issue(
                "tariff_shares_sum",
                f"{path}.shares",
                f"the shares sum to {total:g}, not 1",
                total=f"{total:g}",
            )
        )
    return issues
