"""Forecasts of a park's meters, virtual meters and the site (``zeropark forecast``, the API).

:func:`forecast_meter` reads the series' hourly quantities (rollups; a virtual meter's
expression evaluated on them) for :data:`HISTORY_DAYS` days before the origin, forecasts the
horizon with the model its own rolling-origin backtest chooses
(:func:`zeropark.forecast.forecast_series`; PV meters with the PV models), and stores the
forecast (point and quantiles) and every candidate's backtest scores (MAPE, MASE, nMAE), so the
choice can be read back and checked. The origin defaults to the start of the current park-local
day (from the clock); a forecast never sees data at or after its origin.

Horizons: ``1d`` (24 hours) or ``7d`` (168 hours), hourly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from zeropark.domain.access import Principal
from zeropark.errors import InputError
from zeropark.forecast.series import Kind, forecast_series
from zeropark.i18n import t
from zeropark.service.database import Database
from zeropark.service.dispatch.forecasters import MIN_HISTORY_DAYS, regular_history
from zeropark.service.readings_query import hourly_series
from zeropark.store.dispatch import StoredForecast, latest_forecast, save_backtests, save_forecast
from zeropark.store.parks import ParkRepository
from zeropark.store.readings import meter_refs

__all__ = ["HISTORY_DAYS", "HORIZONS", "ForecastRun", "forecast_meter", "stored_forecast"]

HISTORY_DAYS = 120
HORIZONS = {"1d": 24, "7d": 168}
HOUR_S = 3600


@dataclass(frozen=True, slots=True)
class ForecastRun:
    """A stored forecast and the backtest that chose its model (one row per candidate)."""

    forecast: StoredForecast
    scores: list[dict[str, float | str]]


def _origin(db: Database, timezone: str, origin: datetime | date | None) -> int:
    """The origin [UTC epoch s]: a time's hour, a park-local day's 00:00, else today's."""
    zone = ZoneInfo(timezone)
    if isinstance(origin, datetime):
        return int(origin.astimezone(zone).replace(minute=0, second=0, microsecond=0).timestamp())
    day = origin if origin is not None else db.clock.now().astimezone(zone).date()
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def forecast_meter(
    db: Database,
    principal: Principal,
    park_id: str,
    series: str,
    horizon: str = "1d",
    origin: datetime | date | None = None,
) -> ForecastRun:
    """Forecast ``series`` (a meter or virtual meter id) ``horizon`` ahead and store it.

    ``origin``: a time (its hour), a park-local day (its 00:00), or None (today 00:00).
    """
    if horizon not in HORIZONS:
        raise InputError(
            t(
                f"预测时长须为 {'、'.join(HORIZONS)}",
                f"horizon must be one of {', '.join(HORIZONS)}",
            ),
            field="horizon",
        )
    steps = HORIZONS[horizon]
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        start = _origin(db, park.timezone, origin)
        refs = meter_refs(conn, principal, park_id)
        virtual = {v["id"]: v for v in repo.section(park_id, "virtual_meters", park_read=True)}
        if series in refs:
            expression, unit, tenant = series, refs[series].unit, refs[series].tenant_id
        elif series in virtual:
            v = virtual[series]
            expression, unit, tenant = str(v["expression"]), str(v["unit"]), v.get("tenant")
        else:
            raise InputError(
                t(f"没有可读的表计 {series!r}", f"no meter {series!r} you may read"),
                field="series",
            )
        pv_meters = {a["meter"] for a in repo.section(park_id, "assets", park_read=True)
                     if a.get("type") == "pv" and a.get("meter")}  # fmt: skip
        kind: Kind = "pv" if series in pv_meters else "load"
        rollup = hourly_series(
            conn, principal, refs, expression, start - HISTORY_DAYS * 86400, start, park.timezone
        )
        grid, values = regular_history(
            np.asarray(rollup.hour_start_s, np.int64), np.asarray(rollup.quantity), start
        )
        if np.isfinite(values).sum() < 21 * 24 or grid.size < MIN_HISTORY_DAYS * 24:
            raise InputError(
                t(
                    f"{series} 在预测起点前实测不足（需 {MIN_HISTORY_DAYS} 天历史、"
                    "其中三周有实测），无法预测",
                    f"{series} has too little history before the origin to forecast from "
                    f"({MIN_HISTORY_DAYS} days, three weeks of them measured)",
                ),
                field="series",
            )
        instants = pd.to_datetime(grid, unit="s", utc=True)
        result = forecast_series(
            values, instants, steps, kind=kind, holidays="cn", timezone=park.timezone, n_origins=7
        )
        now = db.clock.now()
        forecast_id = save_forecast(
            conn, principal, park_id=park_id, tenant_id=tenant, series=series, unit=unit,
            model=result.model, origin_s=start, interval_s=HOUR_S,
            values=result.point.tolist(),
            quantiles={f"{q:g}": v.tolist() for q, v in result.quantiles.items()},
            created_at=now,
        )  # fmt: skip
        scores = [
            {"series": series, "model": s.name, "horizon": steps, "interval_s": HOUR_S,
             "origins": len(result.backtest.origins), "mape": _finite(s.mape),
             "mase": _finite(s.mase), "nmae": _finite(s.nmae), "chosen": s.name == result.model}
            for s in result.backtest.scores.values()
        ]  # fmt: skip
        save_backtests(conn, principal, park_id, scores, now)
        stored = latest_forecast(conn, principal, park_id, series, start)
    assert stored is not None and stored.id == forecast_id
    return ForecastRun(stored, [{k: v for k, v in s.items() if v is not None} for s in scores])


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def stored_forecast(
    db: Database, principal: Principal, park_id: str, series: str
) -> tuple[StoredForecast, list[float | None]] | None:
    """The newest stored forecast of ``series`` and the measured values over its horizon
    (None where not measured yet)."""
    with db.transaction() as conn:
        repo = ParkRepository(conn, principal)
        park = repo.get_park(park_id)
        found = latest_forecast(conn, principal, park_id, series)
        if found is None:
            return None
        refs = meter_refs(conn, principal, park_id)
        virtual = {v["id"]: v for v in repo.section(park_id, "virtual_meters", park_read=True)}
        expression = (
            series if series in refs else str(virtual.get(series, {}).get("expression", ""))
        )
        hours = found.origin_s + HOUR_S * np.arange(len(found.values), dtype=np.int64)
        actual: list[float | None] = [None] * hours.size
        if expression:
            rollup = hourly_series(
                conn, principal, refs, expression, int(hours[0]), int(hours[-1]) + HOUR_S,
                park.timezone,
            )  # fmt: skip
            measured = dict(
                zip(rollup.hour_start_s.tolist(), rollup.quantity.tolist(), strict=True)
            )
            actual = [
                float(measured[h]) if h in measured and np.isfinite(measured[h]) else None
                for h in hours.tolist()
            ]
    return found, actual
