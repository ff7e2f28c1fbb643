"""Dispatch (源网荷储协同调度): plans, their publication to devices, replays of past periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from zeropark.api.caching import cached_json
from zeropark.api.deps import DbDep, PrincipalDep
from zeropark.api.dispatch_schemas import (
    DeliveryPublic,
    ForecastPublic,
    PlanPublic,
    PlanSummaryPublic,
    ReplayPublic,
)
from zeropark.api.guard import write_gate
from zeropark.domain.access import Principal
from zeropark.errors import InputError, NotFound
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.dispatch.forecasters import default_forecaster
from zeropark.service.dispatch.plan import plan_day
from zeropark.service.dispatch.publish import publish_plan
from zeropark.service.dispatch.replay import replay
from zeropark.service.dispatch.views import plan_summaries, plan_view, replay_view
from zeropark.service.forecasting import forecast_meter, stored_forecast
from zeropark.service.readings_query import local_iso
from zeropark.store.dispatch import forecast_series_list, scores
from zeropark.store.parks import ParkRepository
from zeropark.store.scope import require

router = APIRouter(tags=["dispatch"])

Day = Annotated[date, Path(description="park-local day, YYYY-MM-DD")]
#: The longest replay the API runs (the CLI runs up to a year).
MAX_API_REPLAY_DAYS = 31


@router.get("/parks/{park_id}/dispatch/plans", response_model=list[PlanSummaryPublic])
def list_dispatch_plans(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    start: Annotated[date, Query(description="first park-local day")],
    end: Annotated[date, Query(description="last park-local day (inclusive)")],
) -> list[PlanSummaryPublic]:
    """The plans in force for the days ``start`` … ``end`` (park admins and auditors)."""
    rows = plan_summaries(db, principal, park_id, start, end)
    return [PlanSummaryPublic.model_validate(r) for r in rows]


@router.get("/parks/{park_id}/dispatch/plans/{plan_date}", response_model=PlanPublic)
def get_dispatch_plan(
    park_id: str,
    plan_date: Day,
    db: DbDep,
    principal: PrincipalDep,
    version: Annotated[int | None, Query(ge=1, description="a version (default: in force)")] = None,
) -> PlanPublic:
    """One plan: schedules, inputs, the day's measured balance and the deliveries."""
    return PlanPublic.model_validate(plan_view(db, principal, park_id, plan_date, version))


@router.post("/parks/{park_id}/dispatch/plans/{plan_date}", response_model=PlanPublic)
@write_gate(Principal.can_configure)
def make_dispatch_plan(
    park_id: str, plan_date: Day, db: DbDep, principal: PrincipalDep
) -> PlanPublic:
    """Plan a day from forecasts of the stored history and store it as its next version."""
    plan_day(db, principal, park_id, plan_date, default_forecaster(), db.clock)
    return PlanPublic.model_validate(plan_view(db, principal, park_id, plan_date))


@router.post(
    "/parks/{park_id}/dispatch/plans/{plan_date}/publish", response_model=list[DeliveryPublic]
)
@write_gate(Principal.can_configure)
def publish_dispatch_plan(
    park_id: str, plan_date: Day, request: Request, db: DbDep, principal: PrincipalDep
) -> list[DeliveryPublic]:
    """Send the plan in force to the devices (MQTT schedule, Modbus setpoint in force)."""
    settings = request.app.state.settings
    deliveries = publish_plan(
        db, principal, park_id, plan_date.isoformat(), db.clock,
        mqtt_host=settings.mqtt_host, mqtt_port=settings.mqtt_port,
    )  # fmt: skip
    at = db.clock.now().isoformat()
    return [
        DeliveryPublic(
            asset_id=d.asset_id, channel=d.channel, target=d.target, ok=d.ok, error=d.error, at=at
        )
        for d in deliveries
    ]


@router.get("/parks/{park_id}/dispatch/replay", response_model=ReplayPublic)
async def get_dispatch_replay(
    park_id: str,
    db: DbDep,
    principal: PrincipalDep,
    start: Annotated[date, Query(description="first park-local day")],
    end: Annotated[date, Query(description="last park-local day (inclusive)")],
) -> Response:
    """What the optimiser with day-ahead forecasts would have saved over a past period (park
    admins; at most 31 days here, a year with ``zeropark dispatch replay``)."""
    require(principal.can_configure(park_id), principal, f"replay dispatch in {park_id!r}")
    if not 0 <= (end - start).days < MAX_API_REPLAY_DAYS:
        raise InputError(
            t(
                f"接口推演区间为 1 至 {MAX_API_REPLAY_DAYS} 天；更长请用 zeropark dispatch replay",
                f"the API replays 1 to {MAX_API_REPLAY_DAYS} days; use zeropark dispatch replay "
                "for longer periods",
            ),
            field="end",
        )

    def compute() -> dict[str, Any]:
        report = replay(db, principal, park_id, start, end, default_forecaster())
        return ReplayPublic.model_validate(replay_view(report)).model_dump(mode="json")

    key = ("dispatch_replay", start.isoformat(), end.isoformat())
    return await cached_json(db, principal, park_id, key, compute)


def _forecast_public(
    db: Database, principal: Principal, park_id: str, series: str
) -> ForecastPublic:
    found = stored_forecast(db, principal, park_id, series)
    if found is None:
        raise NotFound(t(f"{series} 还没有预测", f"no forecast of {series} yet"))
    forecast, actual = found
    with db.transaction() as conn:
        timezone = ParkRepository(conn, principal).get_park(park_id).timezone
        rows = scores(conn, principal, park_id, series)
    hours = [local_iso(forecast.origin_s + i * forecast.interval_s, timezone)
             for i in range(len(forecast.values))]  # fmt: skip
    return ForecastPublic(
        park_id=park_id, series=series, unit=forecast.unit, model=forecast.model,
        origin=hours[0] if hours else "", interval_s=forecast.interval_s, hours=hours,
        values=forecast.values, quantiles=forecast.quantiles, actual=actual,
        created_at=forecast.created_at.isoformat(),
        scores=[
            {k: (v if not isinstance(v, datetime) else v.isoformat()) for k, v in r.items()
             if k in ("model", "mape", "mase", "nmae", "origins", "chosen") and v is not None}
            for r in rows
        ],
    )  # fmt: skip


@router.get("/parks/{park_id}/forecasts", response_model=list[str])
def list_forecast_series(park_id: str, db: DbDep, principal: PrincipalDep) -> list[str]:
    """The meters and virtual meters with a stored forecast the caller may read."""
    with db.transaction() as conn:
        ParkRepository(conn, principal).get_park(park_id)
        return forecast_series_list(conn, principal, park_id)


@router.get("/parks/{park_id}/forecasts/{series}", response_model=ForecastPublic)
def get_forecast(park_id: str, series: str, db: DbDep, principal: PrincipalDep) -> ForecastPublic:
    """The newest stored forecast of a meter or virtual meter against what was measured."""
    return _forecast_public(db, principal, park_id, series)


@router.post("/parks/{park_id}/forecasts/{series}", response_model=ForecastPublic)
@write_gate(Principal.can_configure)
def make_forecast(
    park_id: str,
    series: str,
    db: DbDep,
    principal: PrincipalDep,
    horizon: Annotated[str, Query(pattern="^(1d|7d)$")] = "1d",
    origin: Annotated[datetime | None, Query(description="ISO time with offset")] = None,
    day: Annotated[date | None, Query(description="or a park-local day (from its 00:00)")] = None,
) -> ForecastPublic:
    """Forecast a series with the model its backtest chooses and store it (park admins)."""
    forecast_meter(db, principal, park_id, series, horizon, origin or day)
    return _forecast_public(db, principal, park_id, series)
