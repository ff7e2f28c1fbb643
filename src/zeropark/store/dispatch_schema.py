"""Tables of forecasting and dispatch (#13): stored forecasts, backtest scores, dispatch plans
and setpoint deliveries. Created by migration 0011; registered on the one ``metadata`` of
:mod:`zeropark.store.schema`.

A dispatch plan is never changed once written: planning the same park and day again with other
inputs is version n+1, and only ``superseded`` of version n is set (as published inventories).
Plans are sealed (:mod:`zeropark.store.seal`): the setpoints sent to devices and the savings
reported are numbers ``zeropark verify`` covers.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from zeropark.store.schema import metadata

__all__ = ["backtest_scores", "dispatch_plans", "forecasts", "setpoint_deliveries"]

_ID = String(64)

forecasts = Table(
    "forecasts",
    metadata,
    # One forecast of one series from one origin: point values and quantiles over the horizon.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", _ID),
    Column("series", String(200), nullable=False),  # a meter, a virtual meter, or "park"
    Column("unit", String(32), nullable=False),
    Column("model", String(40), nullable=False),
    Column("origin_s", BigInteger, nullable=False),  # first interval's start [UTC epoch s]
    Column("interval_s", Integer, nullable=False),
    Column("values", JSON, nullable=False),  # point forecast per interval
    Column("quantiles", JSON, nullable=False),  # {"0.1": [...], "0.9": [...]}
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(254), nullable=False),
)
Index("ix_forecasts_series", forecasts.c.park_id, forecasts.c.series, forecasts.c.origin_s)

backtest_scores = Table(
    "backtest_scores",
    metadata,
    # A rolling-origin backtest of one model on one series: its errors over ``origins`` origins.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("series", String(200), nullable=False),
    Column("model", String(40), nullable=False),
    Column("horizon", Integer, nullable=False),
    Column("interval_s", Integer, nullable=False),
    Column("origins", Integer, nullable=False),
    Column("mape", Float),
    Column("mase", Float),
    Column("nmae", Float),
    Column("chosen", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index("ix_backtest_scores_series", backtest_scores.c.park_id, backtest_scores.c.series)

dispatch_plans = Table(
    "dispatch_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("park_id", _ID, ForeignKey("parks.id", ondelete="CASCADE"), nullable=False),
    Column("plan_date", String(10), nullable=False),  # park-local day, ISO
    Column("version", Integer, nullable=False),
    Column("start_s", BigInteger, nullable=False),
    Column("interval_s", Integer, nullable=False),
    Column("objective", String(16), nullable=False),
    Column("inputs", JSON, nullable=False),  # forecasts used, tariff, asset parameters
    Column("inputs_sha256", String(64), nullable=False),
    Column("schedules", JSON, nullable=False),  # asset → setpoints [kW]; grid import/export
    Column("kpis", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("superseded", Boolean, nullable=False, default=False),
    UniqueConstraint("park_id", "plan_date", "version", name="uq_dispatch_plans_version"),
)

setpoint_deliveries = Table(
    "setpoint_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("dispatch_plans.id", ondelete="CASCADE"), nullable=False),
    Column("park_id", _ID, nullable=False),
    Column("asset_id", _ID, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("target", String(300), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("error", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_setpoint_deliveries_plan", setpoint_deliveries.c.plan_id)
