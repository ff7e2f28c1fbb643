"""Validation of a park document: issues as data, each naming the path inside the document.

:func:`validate_park_document` turns a parsed park file (plain dicts and lists) into a
:class:`~zeropark.domain.park.ParkSpec` and the list of every problem found, in the manner of Home
Assistant's energy validation: nothing raises, every issue has a stable ``code``, the ``path``
inside the document (``meters[3].unit``) and a readable reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from zeropark.domain.asset_types import AssetTypeAttributes
from zeropark.domain.billing.rules import check_tariffs
from zeropark.domain.carriers import CARRIERS, dimension_params
from zeropark.domain.categories import CATEGORIES, SECTORS
from zeropark.domain.issue_messages import MESSAGES, render
from zeropark.domain.issues import Issue, ParamValue
from zeropark.domain.monitoring.entries import channel_problems, rule_from_entry
from zeropark.domain.park import Meter, ParkSpec, TouSeason
from zeropark.domain.regions import find_province
from zeropark.domain.timeseries import parse_expression
from zeropark.errors import InputError, UnitError
from zeropark.units import dimension_of

__all__ = [
    "ValidationIssue",
    "park_issue",
    "schema_reason",
    "validate_park_document",
    "validate_spec",
]

_SPEC_ADAPTER: TypeAdapter[ParkSpec] = TypeAdapter(ParkSpec)


#: The one issue type (:class:`~zeropark.domain.issues.Issue`), under the name park-file
#: callers know; :func:`park_issue` makes one.
ValidationIssue = Issue


def park_issue(
    code: str,
    path: str,
    message: str,
    source: str | None = None,
    line: int | None = None,
    *,
    reason_code: str | None = None,
    param_map: Mapping[str, ParamValue] | None = None,
    **params: ParamValue,
) -> Issue:
    """An issue of a park document: ``path`` inside it (``meters[3].unit``) is the location.

    With ``params`` (keywords, and those of ``param_map``) or a ``reason_code`` the reason is
    the catalogue's ``reason_code`` (default: ``code``) filled with the params, whose English
    text is ``message``; without either, the message itself (kept under the catalogue's
    ``park_rule``, English in a Chinese reason too: every rule gives its reason as data).
    ``message`` stays as the ``detail`` fallback either way.
    """
    params = {**(param_map or {}), **params}
    if not params and reason_code is None:
        return Issue(
            code, "park_rule", {"detail": message}, source=source, location=path, line=line
        )
    return Issue(
        code,
        reason_code or code,
        {**params, "detail": message},
        source=source,
        location=path,
        line=line,
    )


def _schema_params(ctx: Mapping[str, Any] | None) -> dict[str, Any]:
    """The context of a pydantic error (``gt``, ``expected``…) as text parameters, with a
    Chinese form of those pydantic writes in English words (``expected_zh``, ``length_zh``)."""
    ctx = ctx or {}
    params: dict[str, Any] = {
        # A whole float bound reads as pydantic writes it: "greater than 0", not "0.0".
        k: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        for k, v in ctx.items()
        if k not in ("error", "line", "source")
    }
    error = ctx.get("error")
    if isinstance(error, InputError) and error.reason_code:
        params.update(error.params)  # a validator's reason as data (zeropark.domain.park)
    if "expected" in params:  # "'a', 'b' or 'c'"
        head, _, last = params["expected"].rpartition(" or ")
        params["expected_zh"] = "、".join([*(head.split(", ") if head else []), last])
    for bound in ("min_length", "max_length"):
        if bound in ctx:
            n = int(ctx[bound])
            params["length_zh"] = f"{n} 个字符"
            params["length_en"] = f"{n} character{'' if n == 1 else 's'}"
    return params


def _schema_reason(error_type: str, ctx: Mapping[str, Any] | None) -> str:
    """The catalogue code of a pydantic error type (``park_schema`` when it has none); for a
    ``value_error``, the code of the validator's :class:`InputError` when it has one."""
    error = (ctx or {}).get("error")
    if error_type == "value_error" and isinstance(error, InputError) and error.reason_code:
        code = error.reason_code
    else:
        code = f"park_schema_{error_type}"
    return code if code in MESSAGES else "park_schema"


def schema_reason(error: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The catalogue code and parameters of a pydantic error (``type``, ``msg``, ``ctx``):
    ``park_schema_<type>`` when catalogued, else ``park_schema`` (pydantic's English ``msg``
    as ``schema``, Chinese only in part)."""
    params = {"schema": str(error.get("msg", "")), **_schema_params(error.get("ctx"))}
    return _schema_reason(str(error.get("type", "")), error.get("ctx")), params


def _path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def validate_park_document(
    doc: object, *, asset_types: Mapping[str, AssetTypeAttributes]
) -> tuple[ParkSpec | None, list[ValidationIssue]]:
    """Parse and validate a park document; return the spec (None if unusable) and all issues.

    ``asset_types`` is the asset-type table (:func:`zeropark.data.asset_types.load_asset_types`)
    the assets' parameters are checked against.
    """
    if not isinstance(doc, Mapping):
        message = "the park file must be a mapping"
        return None, [
            park_issue(
                "not_a_mapping",
                "(document)",
                message,
                reason_code="not_a_mapping",
                kind=type(doc).__name__,
            )
        ]
    try:
        spec = _SPEC_ADAPTER.validate_python(dict(doc))
    except PydanticValidationError as exc:
        issues = []
        for err in exc.errors():
            reason_code, params = schema_reason(err)
            path = _path(loc for loc in err["loc"] if not str(loc).startswith("function-"))
            issues.append(
                park_issue(
                    f"schema_{err['type']}", path, err["msg"], reason_code=reason_code, **params
                )
            )
        return None, issues
    return spec, validate_spec(spec, asset_types=asset_types)


def validate_spec(
    spec: ParkSpec, *, asset_types: Mapping[str, AssetTypeAttributes]
) -> list[ValidationIssue]:
    """Every cross-reference and domain rule of a park spec, as a list of issues.

    Asset parameters are checked against ``asset_types`` (the asset-type table).
    """
    issues: list[ValidationIssue] = []
    issues += _check_park(spec)
    issues += _check_duplicates(spec)
    issues += _check_owners(spec)
    issues += _check_meters(spec)
    issues += _check_meter_tree(spec)
    issues += _check_virtual_meters(spec)
    issues += _check_assets(spec, asset_types)
    issues += _check_sinks(spec)
    issues += _check_time_of_use(spec)
    issues += check_tariffs(spec)
    issues += _check_alert_settings(spec)
    return issues


def _check_alert_settings(spec: ParkSpec) -> list[ValidationIssue]:
    """The ``alert_rules`` and ``notification_channels`` sections (docs/monitoring.md)."""
    issues: list[ValidationIssue] = []
    seen: dict[str, set[str]] = {"alert_rules": set(), "notification_channels": set()}
    sections = (
        ("alert_rules", spec.alert_rules, lambda e: rule_from_entry(e)[1]),
        ("notification_channels", spec.notification_channels, channel_problems),
    )
    for name, entries, check in sections:
        for i, entry in enumerate(entries):
            ident = str(entry.get("id", i))
            problems = list(check(entry))
            if ident in seen[name]:
                problems.append(("id", f"编号 {ident} 重复", f"duplicate id {ident}"))
            seen[name].add(ident)
            for field, zh, en in problems:
                issues.append(_alert_issue(f"{name}[{i}].{field}", ident, zh, en))
    channels = {str(c.get("id")) for c in spec.notification_channels}
    for i, entry in enumerate(spec.alert_rules):
        for channel in entry.get("channels") or []:
            if str(channel) not in channels:
                issues.append(
                    _alert_issue(
                        f"alert_rules[{i}].channels",
                        str(entry.get("id")),
                        f"未知的通知渠道 {channel}",
                        f"unknown channel {channel}",
                    )
                )
    return issues


def _alert_issue(path: str, ident: str, zh: str, en: str) -> ValidationIssue:
    """An ``alert_rule_invalid`` issue: the rule or channel ``ident`` and the checker's reason
    in both languages (the monitoring checks word their reasons in both)."""
    return park_issue(
        "alert_rule_invalid", path, f"{ident}: {en}", rule=ident, reason_zh=zh, reason_en=en
    )


def _check_park(spec: ParkSpec) -> list[ValidationIssue]:
    issues = []
    if find_province(spec.park.province) is None:
        issues.append(
            park_issue(
                "unknown_province",
                "park.province",
                f"unknown province {spec.park.province!r}",
                province=spec.park.province,
            )
        )
    try:
        ZoneInfo(spec.park.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        issues.append(
            park_issue(
                "unknown_timezone",
                "park.timezone",
                f"unknown time zone {spec.park.timezone!r}",
                timezone=spec.park.timezone,
            )
        )
    return issues


def _check_duplicates(spec: ParkSpec) -> list[ValidationIssue]:
    issues = []
    groups: dict[str, list[tuple[str, int, str]]] = {
        "tenants": [("tenants", i, x.id) for i, x in enumerate(spec.tenants)],
        "buildings": [("buildings", i, x.id) for i, x in enumerate(spec.buildings)],
        # Meters and virtual meters share one namespace: expressions name either.
        "meters": [("meters", i, x.id) for i, x in enumerate(spec.meters)]
        + [("virtual_meters", i, x.id) for i, x in enumerate(spec.virtual_meters)],
        "assets": [("assets", i, x.id) for i, x in enumerate(spec.assets)],
        "sinks": [("sinks", i, x.id) for i, x in enumerate(spec.sinks)],
    }
    for entries in groups.values():
        counts = Counter(ident for _, _, ident in entries)
        seen: set[str] = set()
        for section, index, ident in entries:
            if counts[ident] > 1:
                if ident in seen:
                    issues.append(
                        park_issue(
                            "duplicate_id",
                            f"{section}[{index}].id",
                            f"id {ident!r} is used more than once",
                            id=ident,
                        )
                    )
                seen.add(ident)
    return issues


def _check_owners(spec: ParkSpec) -> list[ValidationIssue]:
    tenants = {t.id for t in spec.tenants}
    buildings = {b.id: b for b in spec.buildings}
    issues = []

    def ref(path: str, tenant: str | None, building: str | None = None) -> None:
        if tenant is not None and tenant not in tenants:
            issues.append(
                park_issue(
                    "unknown_tenant", f"{path}.tenant", f"no tenant {tenant!r}", tenant=tenant
                )
            )
        if building is not None:
            if building not in buildings:
                issues.append(
                    park_issue(
                        "unknown_building",
                        f"{path}.building",
                        f"no building {building!r}",
                        building=building,
                    )
                )
            elif tenant and buildings[building].tenant not in (None, tenant):
                issues.append(
                    park_issue(
                        "building_of_other_tenant",
                        f"{path}.building",
                        f"building {building!r} belongs to tenant "
                        f"{buildings[building].tenant!r}, not {tenant!r}",
                        building=building,
                        owner=buildings[building].tenant,
                        tenant=tenant,
                    )
                )

    for i, b in enumerate(spec.buildings):
        ref(f"buildings[{i}]", b.tenant)
    for i, m in enumerate(spec.meters):
        ref(f"meters[{i}]", m.tenant, m.building)
    for i, v in enumerate(spec.virtual_meters):
        ref(f"virtual_meters[{i}]", v.tenant)
    for i, a in enumerate(spec.assets):
        ref(f"assets[{i}]", a.tenant, a.building)
    return issues


def _unit_issue(path: str, carrier_code: str, unit: str, kind: str) -> ValidationIssue | None:
    carrier = CARRIERS.get(carrier_code)
    if carrier is None:
        return park_issue(
            "unknown_carrier",
            f"{path}.carrier",
            f"unknown carrier {carrier_code!r}; known: {', '.join(sorted(CARRIERS))}",
            carrier=carrier_code,
            known=", ".join(sorted(CARRIERS)),
        )
    try:
        dimension = dimension_of(unit)
    except UnitError as exc:
        return _unit_refused(f"{path}.unit", exc)
    if kind == "instantaneous":
        if "energy" not in carrier.dimensions or dimension != "power":
            return park_issue(
                "unit_not_power",
                f"{path}.unit",
                f"an instantaneous {carrier_code} meter must measure power (kW), not {unit!r}",
                carrier=carrier_code,
                unit=unit,
            )
        return None
    if dimension not in carrier.dimensions:
        return park_issue(
            "unit_carrier_mismatch",
            f"{path}.unit",
            f"unit {unit!r} ({dimension}) does not fit carrier {carrier_code!r}, "
            f"which is measured in {' or '.join(carrier.dimensions)}",
            unit=unit,
            carrier=carrier_code,
            param_map=dimension_params(dimension, carrier.dimensions),
        )
    return None


def _mapping_issues(path: str, mapping: Any) -> list[ValidationIssue]:
    if mapping is None:
        return []
    issues = []
    category = CATEGORIES.get(mapping.category)
    if category is None:
        issues.append(
            park_issue(
                "unknown_category",
                f"{path}.accounting.category",
                f"unknown category {mapping.category!r}; known: {', '.join(CATEGORIES)}",
                reason_code="park_unknown_category",
                category=mapping.category,
                known=", ".join(CATEGORIES),
            )
        )
    elif mapping.scope is not None and str(mapping.scope) != category.scope:
        issues.append(
            park_issue(
                "scope_mismatch",
                f"{path}.accounting.scope",
                f"category {category.code!r} is scope {category.scope}, not {mapping.scope}",
                category=category.code,
                scope=category.scope,
                given=str(mapping.scope),
            )
        )
    if mapping.sector not in SECTORS:
        issues.append(
            park_issue(
                "unknown_sector",
                f"{path}.accounting.sector",
                f"unknown sector {mapping.sector!r}; known: {', '.join(SECTORS)}",
                reason_code="park_unknown_sector",
                sector=mapping.sector,
                known=", ".join(SECTORS),
            )
        )
    return issues


def _check_meters(spec: ParkSpec) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    for i, m in enumerate(spec.meters):
        path = f"meters[{i}]"
        unit_issue = _unit_issue(path, m.carrier, m.unit, m.kind)
        if unit_issue:
            issues.append(unit_issue)
        if m.kind == "interval" and m.interval_s is None:
            issues.append(
                park_issue(
                    "missing_interval",
                    f"{path}.interval_s",
                    "an interval meter must declare its interval in seconds",
                    kind=m.kind,
                )
            )
        if m.kind != "cumulative" and m.register_max is not None:
            issues.append(
                park_issue(
                    "register_max_not_cumulative",
                    f"{path}.register_max",
                    f"only cumulative registers roll over; this meter is {m.kind}",
                    kind=m.kind,
                )
            )
        issues += _mapping_issues(path, m.accounting)
    for i, v in enumerate(spec.virtual_meters):
        path = f"virtual_meters[{i}]"
        unit_issue = _unit_issue(path, v.carrier, v.unit, "interval")
        if unit_issue:
            issues.append(unit_issue)
        issues += _mapping_issues(path, v.accounting)
    return issues


def _check_meter_tree(spec: ParkSpec) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    meters: dict[str, tuple[int, Meter]] = {}
    for i, m in enumerate(spec.meters):
        meters.setdefault(m.id, (i, m))
    virtual = {v.id for v in spec.virtual_meters}
    for i, m in enumerate(spec.meters):
        if m.parent is None:
            continue
        path = f"meters[{i}].parent"
        if m.parent not in meters:
            if m.parent in virtual:
                reason = (
                    f"parent {m.parent!r} is a virtual meter; sub-metering needs a physical parent"
                )
                issues.append(
                    park_issue(
                        "unknown_parent",
                        path,
                        reason,
                        reason_code="parent_is_virtual",
                        parent=m.parent,
                    )
                )
            else:
                reason = f"no meter {m.parent!r}"
                issues.append(park_issue("unknown_parent", path, reason, parent=m.parent))
            continue
        parent = meters[m.parent][1]
        if parent.carrier != m.carrier:
            issues.append(
                park_issue(
                    "parent_carrier_mismatch",
                    path,
                    f"parent {parent.id!r} measures {parent.carrier}, this meter {m.carrier}",
                    parent=parent.id,
                    parent_carrier=parent.carrier,
                    carrier=m.carrier,
                )
            )
        if parent.tenant is not None and m.tenant != parent.tenant:
            issues.append(
                park_issue(
                    "submeter_other_tenant",
                    f"meters[{i}].tenant",
                    f"sub-meter of {parent.id!r} (tenant {parent.tenant!r}) belongs to "
                    f"{m.tenant!r}: a tenant's sub-metering tree cannot hold another's meters",
                    parent=parent.id,
                    parent_tenant=parent.tenant,
                    tenant=repr(m.tenant),
                )
            )
    reported: set[str] = set()
    for start in meters:
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in meters and current not in chain:
            chain.append(current)
            current = meters[current][1].parent
        if current is not None and current in chain:
            cycle = chain[chain.index(current) :]
            key = min(cycle)
            if key not in reported:
                reported.add(key)
                index = meters[key][0]
                loop = " → ".join([*cycle[cycle.index(key) :], *cycle[: cycle.index(key)], key])
                issues.append(
                    park_issue(
                        "parent_cycle",
                        f"meters[{index}].parent",
                        f"parent meters form a cycle: {loop}",
                        loop=loop,
                    )
                )
    return issues


def _check_virtual_meters(spec: ParkSpec) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    known = {m.id for m in spec.meters} | {v.id for v in spec.virtual_meters}
    for i, v in enumerate(spec.virtual_meters):
        path = f"virtual_meters[{i}].expression"
        try:
            names = set(parse_expression(v.expression).names)
        except InputError as exc:
            issues.append(_expression_issue(path, v.expression, exc))
            continue
        for name in sorted(names - known):
            issues.append(
                park_issue(
                    "unknown_meter_in_expression", path, f"names no meter {name!r}", name=name
                )
            )
        if v.id in names:
            issues.append(
                park_issue("self_reference", path, "the expression names itself", meter=v.id)
            )
    return issues


def _expression_issue(path: str, expression: str, exc: InputError) -> ValidationIssue:
    """A ``bad_expression`` issue: the expression, the column when known, and the parser's
    reason in both languages (from its catalogue code)."""
    where = f" at {exc.location}" if exc.location else ""
    message = f"{expression!r}{where}: {exc.reason}"
    reason = {"reason_zh": exc.reason, "reason_en": exc.reason}
    if exc.reason_code and exc.reason_code in MESSAGES:
        reason["reason_zh"] = render(exc.reason_code, exc.params, "zh")
    column = exc.params.get("column")
    if exc.location and column is not None:
        return park_issue(
            "bad_expression",
            path,
            message,
            reason_code="bad_expression_at",
            expression=repr(expression),
            column=column,
            param_map=reason,
        )
    return park_issue(
        "bad_expression", path, message, expression=repr(expression), param_map=reason
    )


def _unit_refused(path: str, exc: UnitError) -> ValidationIssue:
    """An ``unknown_unit`` issue of a unit the unit parser refused, with the parser's reason as
    data (its catalogue code and parameters)."""
    return park_issue(
        "unknown_unit",
        path,
        exc.reason,
        reason_code=exc.reason_code or "park_rule",
        param_map=exc.params,
    )


def _check_assets(
    spec: ParkSpec, asset_types: Mapping[str, AssetTypeAttributes]
) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    meters = {m.id for m in spec.meters} | {v.id for v in spec.virtual_meters}
    for i, a in enumerate(spec.assets):
        path = f"assets[{i}]"
        kind = asset_types.get(a.type)
        if kind is None:
            issues.append(
                park_issue(
                    "unknown_asset_type",
                    f"{path}.type",
                    f"no asset type {a.type!r} in the table",
                    type=a.type,
                )
            )
        else:
            issues += _asset_params(path, a.type, a.params, kind)
        if a.meter is not None and a.meter not in meters:
            issues.append(
                park_issue(
                    "unknown_meter",
                    f"{path}.meter",
                    f"no meter {a.meter!r}",
                    reason_code="park_unknown_meter",
                    meter=a.meter,
                )
            )
    return issues


def _asset_params(
    path: str, asset_type: str, params: Mapping[str, Any], kind: AssetTypeAttributes
) -> list[ValidationIssue]:
    """Parameters against the asset-type table: required, known, of their type, within bounds."""
    issues = [
        park_issue(
            "missing_parameter",
            f"{path}.params.{name}",
            f"a {asset_type} asset needs {name!r}",
            reason_code="missing_asset_parameter",
            asset_type=asset_type,
            name=name,
        )
        for name in kind.required
        if name not in params
    ]
    for name, value in params.items():
        attr = kind.get(name)
        if attr is None:
            known = ", ".join(a.attribute for a in kind.attributes)
            issues.append(
                park_issue(
                    "unknown_parameter",
                    f"{path}.params.{name}",
                    f"a {asset_type} asset has no parameter {name!r} (it has {known})",
                    asset_type=asset_type,
                    name=name,
                    known=known,
                )
            )
            continue
        problem = attr.problem(value)
        if problem is not None:
            issues.append(
                park_issue(
                    problem.code,
                    f"{path}.params.{name}",
                    problem.reason,
                    reason_code=problem.reason_code,
                    name=name,
                    param_map=problem.params,
                )
            )
    if asset_type == "battery" and not issues:
        full = kind.with_defaults(params)
        low, high = full.get("soc_min"), full.get("soc_max")
        if isinstance(low, int | float) and isinstance(high, int | float) and low >= high:
            issues.append(
                park_issue(
                    "parameter_out_of_range",
                    f"{path}.params.soc_min",
                    f"soc_min {low:g} must be below soc_max {high:g}",
                    reason_code="soc_window",
                    low=f"{low:g}",
                    high=f"{high:g}",
                )
            )
    return issues


def _check_sinks(spec: ParkSpec) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    for i, s in enumerate(spec.sinks):
        if s.type == "ccus" and s.stored_t_per_year is None:
            issues.append(
                park_issue(
                    "missing_parameter",
                    f"sinks[{i}].stored_t_per_year",
                    "a CCUS sink needs the tonnes of CO2 stored per year",
                    reason_code="ccus_needs_storage",
                    type=s.type,
                )
            )
        if s.type != "ccus" and s.area_m2 is None:
            issues.append(
                park_issue(
                    "missing_parameter",
                    f"sinks[{i}].area_m2",
                    f"a {s.type} sink needs its area",
                    reason_code="sink_needs_area",
                    type=s.type,
                )
            )
    return issues


def _check_time_of_use(spec: ParkSpec) -> list[ValidationIssue]:
    """Each season's hours cover each day exactly once; each month is in at most one season."""
    schedule = spec.park.time_of_use
    if schedule is None:
        return []
    base = "park.time_of_use.periods"
    if not schedule.periods:
        message = "a time-of-use schedule needs a season"
        return [park_issue("tou_empty", base, message, reason_code="tou_empty", seasons=0)]
    issues: list[ValidationIssue] = []
    month_owner: dict[int, int] = {}
    for i, season in enumerate(schedule.periods):
        path = f"{base}[{i}]"
        if not season.months:
            issues.append(
                park_issue(
                    "tou_bad_month",
                    f"{path}.months",
                    "no months listed",
                    reason_code="tou_no_months",
                    season=i,
                )
            )
        for j, month in enumerate(season.months):
            if not 1 <= month <= 12:
                issues.append(
                    park_issue(
                        "tou_bad_month",
                        f"{path}.months[{j}]",
                        f"{month} is not a month 1-12",
                        month=month,
                    )
                )
            elif month in month_owner:
                issues.append(
                    park_issue(
                        "tou_month_overlap",
                        f"{path}.months[{j}]",
                        f"month {month} is already in {base}[{month_owner[month]}]",
                        month=month,
                        other=f"{base}[{month_owner[month]}]",
                    )
                )
            else:
                month_owner[month] = i
        issues += _season_hours(path, season)
    return issues


def _season_hours(path: str, season: TouSeason) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    owner: dict[int, str] = {}
    named = {
        "critical_peak": season.critical_peak,
        "peak": season.peak,
        "flat": season.flat or [],
        "valley": season.valley,
    }
    for code, ranges in named.items():
        for k, hours in enumerate(ranges):
            where = f"{path}.{code}[{k}]"
            if len(hours) != 2 or not 0 <= hours[0] < hours[1] <= 24:
                issues.append(
                    park_issue(
                        "tou_bad_range",
                        where,
                        f"{hours!r} is not [start, end) in whole hours, 0 <= start < end <= 24",
                        hours=repr(hours),
                    )
                )
                continue
            taken = sorted({owner[h] for h in range(hours[0], hours[1]) if h in owner})
            if taken:
                issues.append(
                    park_issue(
                        "tou_overlap",
                        where,
                        f"hours {hours[0]}-{hours[1]} overlap {', '.join(taken)}: "
                        "each hour of a day belongs to exactly one period",
                        start=hours[0],
                        end=hours[1],
                        taken=", ".join(taken),
                    )
                )
            for h in range(hours[0], hours[1]):
                owner.setdefault(h, where)
    if season.flat is not None:
        missing = [h for h in range(24) if h not in owner]
        if missing:
            issues.append(
                park_issue(
                    "tou_gap",
                    f"{path}.flat",
                    f"hours {_spans(missing)} are in no period; with flat listed, "
                    "the periods must cover the whole day (or leave flat out: the rest is flat)",
                    spans=_spans(missing),
                )
            )
    return issues


def _spans(hours: list[int]) -> str:
    """``[3, 4, 5, 9]`` → ``"3-6, 9-10"`` (half-open hour ranges)."""
    spans: list[list[int]] = []
    for h in hours:
        if spans and spans[-1][1] == h:
            spans[-1][1] = h + 1
        else:
            spans.append([h, h + 1])
    return ", ".join(f"{a}-{b}" for a, b in spans)
